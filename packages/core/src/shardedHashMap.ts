import { composeClass } from './composeClass.js';
import { describe, InvalidArgumentError } from './errors.js';
import {
  defaultHasher,
  fullStringHash,
  type Hasher,
  numberHash,
  otherHash,
  randomSeed,
  sampledStringHash,
} from './hashing.js';
import type { AnyPlugin, ComposedClass } from './plugin.js';
import { chooseSampleSkip } from './samplePlan.js';
import { resolveCap, resolveShardCount } from './shardCount.js';
import type { ShardedHashMapOptions, ShardStats, WriteOp } from './types.js';

/** 2^-32: `(hash >>> 0) * count * TWO_POW_MINUS_32` maps a hash onto `[0, count)` without a division. */
const TWO_POW_MINUS_32 = 1 / 0x100000000;

/** For a power-of-two count, the shift that keeps the hash's top log2(count) bits; else -1. */
function shiftFor(count: number): number {
  return count > 1 && (count & (count - 1)) === 0 ? 32 - Math.log2(count) : -1;
}
/** A shard must hold this many entries before the map asks whether its string sample spreads. */
const FIRST_BALANCE_CHECK = 256;
/** After this many piles, a map stops learning sample windows and hashes every character. */
const MAX_RESAMPLES = 3;

/**
 * A hash map split into lazily allocated shards (one `Map` each), chosen by a seeded hash of the
 * key. It holds more entries than V8's 2^24 per-`Map` limit, rehashes one small shard at a time
 * instead of the whole table, and is the base that plugins (`snapshot`, `rebalance`, `lifecycle`,
 * `advanced`, `serde`) compose onto with {@link ShardedHashMap.with}.
 *
 * Keys follow `Map` semantics (SameValueZero: `NaN` equals `NaN`, `-0` equals `0`, objects by
 * identity). It has the Rust crate's method names and the `Map` surface (`size`, `set`, `has`,
 * `delete`, `forEach`, `entries`, iteration), so it can stand where a `Map` is used; its
 * iterators are snapshots, taken when called.
 *
 * Routing: given no `hasher`, a map hashes a string key's length and six of its characters (at
 * first the last six), a fraction of the cost of a full hash. If that sample piles keys into
 * few shards (keys with a constant suffix, or chosen to collide), the map notices on insert,
 * learns where its keys differ (a window further from the end), or after repeated piles hashes
 * every character, and re-routes its entries once while the pile is small. Number keys take one
 * multiply.
 *
 * @example
 * const m = new ShardedHashMap<string, number>(64);
 * m.insert('k1', 10);           // undefined (no previous value)
 * m.get('k1');                  // 10
 * m.len();                      // 1
 * m.computeIfPresent('k1', (v) => v + 1); // 11
 */
export class ShardedHashMap<K, V> implements Map<K, V> {
  /** The plugins this class is composed with (none for the core class). */
  static readonly plugins: readonly AnyPlugin[] = Object.freeze([]);

  // All fields are created here, in this order, for every instance: one hidden class per class.
  /** @internal The shards of the current layout; `undefined` until the first write routed there. */
  protected shards: (Map<K, V> | undefined)[];
  /** @internal The shard count of the current layout. */
  protected count: number;
  /** @internal `count / 2^32`: maps a hash onto the shards by one multiply (any count). */
  protected scale: number;
  /** @internal `32 - log2(count)` for power-of-two counts (routing by one shift, measurably faster), else -1. */
  protected shift: number;
  /** @internal The user's hasher, or `undefined` for the built-in seeded hash. */
  protected readonly hasher: Hasher<K> | undefined;
  /** @internal Seed of the built-in hash. */
  protected readonly seed: number;
  /**
   * @internal Where the built-in hash samples string keys: six characters ending this many
   * before the end; `-1` means every character.
   */
  protected sampleSkip: number;
  /** @internal How many times a pile made the map choose a new sample window. */
  protected resamples: number;
  /** @internal Shard size at which the next balance check runs. */
  protected checkAt: number;
  /** @internal Number of entries. */
  protected entryCount: number;

  /**
   * Creates a map with `shards` shards (`0`/`undefined` → 64). A count above the cap
   * (`options.maxShards`, default `MAX_SHARDS`) is clamped with a `STARSHARD_SHARDS_CLAMPED`
   * warning, or throws `ShardCountError` with `{ strict: true }`; a count that is not a
   * non-negative safe integer always throws `ShardCountError`.
   *
   * @example
   * const m = new ShardedHashMap<string, User>(128, { strict: true });
   */
  constructor(shards?: number, options?: ShardedHashMapOptions<K>) {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new InvalidArgumentError(`options must be an object, got ${describe(options)}`);
    }
    // `defaultHasher` given explicitly is the built-in hash: seeded per map, sampled strings.
    const hasher = options?.hasher === defaultHasher ? undefined : options?.hasher;
    if (hasher !== undefined && typeof hasher !== 'function') {
      throw new InvalidArgumentError(`options.hasher must be a function (key) => number, got ${describe(hasher)}`);
    }
    const seed = options?.seed;
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
      throw new InvalidArgumentError(`options.seed must be a finite number, got ${describe(seed)}`);
    }
    if (seed !== undefined && hasher !== undefined) {
      throw new InvalidArgumentError(
        'options.seed seeds the built-in hash and would be ignored with a custom hasher: ' +
          'drop the seed, or pass seededHasher(seed) (or defaultHasher) as the hasher',
      );
    }
    const count = resolveShardCount(shards, resolveCap(options?.maxShards), options?.strict ? 'strict' : 'clamp');
    this.shards = new Array<Map<K, V> | undefined>(count).fill(undefined);
    this.count = count;
    this.scale = count * TWO_POW_MINUS_32;
    this.shift = shiftFor(count);
    this.hasher = hasher;
    this.seed = seed === undefined ? randomSeed() : seed | 0;
    this.sampleSkip = 0;
    this.resamples = 0;
    this.checkAt = hasher === undefined && count > 1 ? FIRST_BALANCE_CHECK : Number.POSITIVE_INFINITY;
    this.entryCount = 0;
  }

  // ---- Rust-named constructors (inherited by every composed class, returning its type) ----

  /**
   * Lenient constructor: a count above `MAX_SHARDS` is clamped (with a warning).
   *
   * @example
   * const m = ShardedHashMap.withShardsAndHasher<string, number>(256, defaultHasher);
   */
  static withShardsAndHasher<K, V>(shards: number, hasher?: Hasher<K>): ShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher });
  }

  /**
   * Lenient constructor with a cap: a count above `max(maxShards, 1)` is clamped (with a warning).
   *
   * @example
   * ShardedHashMap.withShardsAndHasherCapped(1000, undefined, 128).shardCount(); // 128
   */
  static withShardsAndHasherCapped<K, V>(
    shards: number,
    hasher: Hasher<K> | undefined,
    maxShards: number,
  ): ShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher, maxShards });
  }

  /**
   * Strict constructor: a count above `MAX_SHARDS` throws `ShardCountError`. Use it when the
   * count comes from configuration or user input.
   *
   * @example
   * ShardedHashMap.tryWithShardsAndHasher(Number(process.env.SHARDS));
   */
  static tryWithShardsAndHasher<K, V>(shards: number, hasher?: Hasher<K>): ShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher, strict: true });
  }

  /**
   * Strict constructor with a cap: a count above `max(maxShards, 1)` throws `ShardCountError`.
   *
   * @example
   * ShardedHashMap.tryWithShardsAndHasherCapped(0, undefined, 10); // throws { requested: 64, maxAllowed: 10 }
   */
  static tryWithShardsAndHasherCapped<K, V>(
    shards: number,
    hasher: Hasher<K> | undefined,
    maxShards: number,
  ): ShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher, maxShards, strict: true });
  }

  /**
   * Returns a class with the core API plus every listed plugin's API (typed per composition),
   * built once per plugin set whatever the order. On a composed class it adds to its set.
   * Conflicts and missing requirements throw here, never later.
   *
   * @example
   * const SnapMap = ShardedHashMap.with(snapshot, rebalance);
   * const m = new SnapMap<string, number>(64, { snapshotMode: SnapshotMode.Cow });
   */
  static with<const P extends readonly AnyPlugin[]>(...plugins: P): ComposedClass<'sync', P> {
    return composeClass(this, 'sync', plugins) as unknown as ComposedClass<'sync', P>;
  }

  // ---- The seam: what plugins override (each override calls super) ----

  /** @internal The index of `key`'s shard in the current layout: one hash, no allocation. */
  protected indexFor(key: K): number {
    if (this.count === 1) return 0;
    let h: number;
    const hasher = this.hasher;
    if (hasher === undefined) {
      if (typeof key === 'string') {
        const skip = this.sampleSkip;
        h = skip < 0 ? fullStringHash(key, this.seed) : sampledStringHash(key, this.seed, skip);
      } else if (typeof key === 'number') h = numberHash(key, this.seed);
      else h = otherHash(key, this.seed);
    } else {
      const raw = hasher(key);
      if (typeof raw !== 'number') {
        throw new InvalidArgumentError(
          `the map's hasher returned ${describe(raw)} for a key: a hasher must return a number`,
        );
      }
      h = Math.imul(raw | 0, 0x9e3779b1);
    }
    const shift = this.shift;
    return shift >= 0 ? h >>> shift : ((h >>> 0) * this.scale) | 0;
  }

  /**
   * @internal The shard a read of `key` (routed to `index`) must consult, or `undefined` if none
   * can hold it. Never allocates. `rebalance` overrides it to fall back to the old layout.
   */
  protected shardForRead(_key: K, index: number): Map<K, V> | undefined {
    return this.shards[index];
  }

  /**
   * @internal The shard a write of `key` (routed to `index`) must change, allocated on first use.
   * Called before any shard is mutated: `snapshot`'s copy-on-write copies a shared shard here,
   * and `rebalance` moves the key's entry in from the old layout.
   */
  protected shardForWrite(_key: K, index: number): Map<K, V> {
    let shard = this.shards[index];
    if (shard === undefined) {
      shard = new Map<K, V>();
      this.shards[index] = shard;
    }
    return shard;
  }

  /**
   * @internal Told of every change after it is made: `insert` (key, value, previous value),
   * `remove` (key, previous value), `clear`. The core's is empty (inlined away); plugins
   * observe writes here (epoch, metrics, eviction, history, replication).
   */
  protected afterWrite(_op: WriteOp, _key: K | undefined, _value: V | undefined, _previous: V | undefined): void {}

  /**
   * @internal Every initialized shard holding entries of this map, across layouts. The scans
   * (iteration, `retain`, stats) read this; `rebalance` adds the old layout's shards.
   */
  protected scanShards(): Map<K, V>[] {
    const out: Map<K, V>[] = [];
    for (const shard of this.shards) if (shard !== undefined) out.push(shard);
    return out;
  }

  /**
   * @internal Installs a new layout: `count` shards, `shards` their maps. Used by the
   * balance switch and by `rebalance`; plugins keeping per-shard state override
   * {@link layoutChanged}.
   */
  protected setLayout(count: number, shards: (Map<K, V> | undefined)[]): void {
    this.shards = shards;
    this.count = count;
    this.scale = count * TWO_POW_MINUS_32;
    this.shift = shiftFor(count);
    // Balance checks apply to the built-in sampled hash over more than one shard; a map grown
    // from one shard (rebalance) starts checking then.
    const tracked = this.hasher === undefined && this.sampleSkip >= 0 && count > 1;
    this.checkAt = !tracked
      ? Number.POSITIVE_INFINITY
      : this.checkAt === Number.POSITIVE_INFINITY
        ? FIRST_BALANCE_CHECK
        : this.checkAt;
    this.layoutChanged();
  }

  /** @internal Called after the layout was replaced (shard maps and maybe count changed). */
  protected layoutChanged(): void {}

  /** @internal `shard` grew by one entry: count it, and check that the string sample still spreads. */
  protected grew(shard: Map<K, V>): void {
    this.entryCount++;
    if (shard.size > this.checkAt) this.checkBalance(shard);
  }

  /**
   * @internal If `shard` holds clearly more than its share (beyond 1.5× the average and 8
   * standard deviations of a fair spread), learns a sample window that tells its keys apart
   * (or, after {@link MAX_RESAMPLES} piles or when none does, hashes every character) and
   * re-routes every entry once; else checks again at 1.5× this size. O(1) per check, O(log n)
   * checks; the re-route happens while the pile is still small.
   */
  private checkBalance(shard: Map<K, V>): void {
    const size = shard.size;
    const avg = this.entryCount / this.count;
    if (!(size > 1.5 * avg && size - avg > 8 * Math.sqrt(avg) + 32)) {
      this.checkAt = Math.ceil(size * 1.5);
      return;
    }
    this.resamples++;
    this.sampleSkip = this.resamples > MAX_RESAMPLES ? -1 : chooseSampleSkip(shard, this.sampleSkip);
    const old = this.scanShards();
    const fresh = new Array<Map<K, V> | undefined>(this.count).fill(undefined);
    this.setLayout(this.count, fresh);
    for (const from of old) {
      for (const [k, v] of from) {
        const i = this.indexFor(k);
        let target = fresh[i];
        if (target === undefined) {
          target = new Map<K, V>();
          fresh[i] = target;
        }
        target.set(k, v);
      }
    }
    let largest = 0;
    for (const s of fresh) if (s !== undefined && s.size > largest) largest = s.size;
    this.checkAt =
      this.sampleSkip < 0 ? Number.POSITIVE_INFINITY : Math.max(FIRST_BALANCE_CHECK, Math.ceil(largest * 1.5));
  }

  /**
   * A custom hasher may throw or return a non-number for some key: hash every key of a batch
   * before the first write, so that a bad key leaves the map unchanged. (The built-in hash
   * cannot fail, so maps without a custom hasher skip this.)
   */
  private hashAll(items: readonly unknown[], pairs: boolean): void {
    if (this.hasher === undefined) return;
    for (const item of items) this.indexFor((pairs ? (item as readonly [K, V])[0] : item) as K);
  }

  // ---- Reads ----

  /**
   * The value stored for `key` (the stored reference, not a copy), or `undefined`.
   *
   * @example
   * m.get('k1'); // 10
   */
  get(key: K): V | undefined {
    const shard = this.shardForRead(key, this.indexFor(key));
    return shard === undefined ? undefined : shard.get(key);
  }

  /**
   * Whether `key` is present.
   *
   * @example
   * m.contains('k1'); // true
   */
  contains(key: K): boolean {
    const shard = this.shardForRead(key, this.indexFor(key));
    return shard !== undefined && shard.has(key);
  }

  /**
   * Number of entries, O(1).
   *
   * @example
   * m.len(); // 1
   */
  len(): number {
    return this.entryCount;
  }

  /**
   * Whether the map has no entry, O(1).
   *
   * @example
   * new ShardedHashMap().isEmpty(); // true
   */
  isEmpty(): boolean {
    return this.entryCount === 0;
  }

  /**
   * The values of `keys`, in their order (`undefined` where absent).
   *
   * @example
   * m.batchGet(['a', 'missing']); // [1, undefined]
   */
  batchGet(keys: readonly K[]): (V | undefined)[] {
    const list = toArray(keys, 'batchGet', 'keys');
    const out = new Array<V | undefined>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = this.get(list[i] as K);
    return out;
  }

  // ---- Writes ----

  /**
   * Stores `value` under `key`; returns the previous value, or `undefined` if there was none.
   *
   * @example
   * m.insert('k1', 10); // undefined
   * m.insert('k1', 11); // 10
   */
  insert(key: K, value: V): V | undefined {
    const shard = this.shardForWrite(key, this.indexFor(key));
    const before = shard.size;
    const previous = shard.get(key);
    shard.set(key, value);
    if (shard.size !== before) this.grew(shard);
    this.afterWrite('insert', key, value, previous);
    return previous;
  }

  /**
   * Removes `key`; returns the removed value, or `undefined` if it was absent.
   *
   * @example
   * m.remove('k1'); // 11
   */
  remove(key: K): V | undefined {
    const index = this.indexFor(key);
    const current = this.shardForRead(key, index);
    if (current === undefined) return undefined;
    const previous = current.get(key);
    if (previous === undefined && !current.has(key)) return undefined;
    this.shardForWrite(key, index).delete(key);
    this.entryCount--;
    this.afterWrite('remove', key, undefined, previous);
    return previous;
  }

  /**
   * Removes every entry and releases every shard. (With `rebalance`, also ends a migration.)
   *
   * @example
   * m.clear(); m.isEmpty(); // true
   */
  clear(): void {
    this.setLayout(this.count, new Array<Map<K, V> | undefined>(this.count).fill(undefined));
    this.entryCount = 0;
    this.afterWrite('clear', undefined, undefined, undefined);
  }

  /**
   * Inserts every `[key, value]` pair, in order (a later pair for the same key wins); returns
   * how many keys were new. Every entry is checked before the first is written.
   *
   * @example
   * m.batchInsert([['a', 1], ['b', 2], ['a', 3]]); // 2
   */
  batchInsert(entries: Iterable<readonly [K, V]>): number {
    const list = toArray(entries, 'batchInsert', 'entries');
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (!Array.isArray(entry) || entry.length < 2) {
        throw new InvalidArgumentError(
          `batchInsert: entries[${i}] must be a [key, value] pair, got ${describe(entry)}; nothing was inserted`,
        );
      }
    }
    this.hashAll(list, true);
    let added = 0;
    for (const [key, value] of list) {
      if (!this.contains(key)) added++;
      this.insert(key, value);
    }
    return added;
  }

  /**
   * Removes every key of `keys`; returns how many were present.
   *
   * @example
   * m.batchRemove(['a', 'missing']); // 1
   */
  batchRemove(keys: Iterable<K>): number {
    const list = toArray(keys, 'batchRemove', 'keys');
    this.hashAll(list, false);
    let removed = 0;
    for (const key of list) if (this.delete(key)) removed++;
    return removed;
  }

  /**
   * If `key` is present, stores `f(value, key)` and returns it, or removes the key when `f`
   * returns `undefined`; if absent, `f` is not called. If `f` throws, the map is unchanged.
   *
   * @example
   * m.computeIfPresent('hits', (n) => n + 1);
   */
  computeIfPresent(key: K, f: (value: V, key: K) => V | undefined): V | undefined {
    checkCallback(f, 'computeIfPresent');
    const shard = this.shardForRead(key, this.indexFor(key));
    if (shard === undefined || !shard.has(key)) return undefined;
    const next = f(shard.get(key) as V, key);
    if (next === undefined) {
      this.remove(key);
      return undefined;
    }
    this.insert(key, next);
    return next;
  }

  /**
   * Returns the value of `key`, or stores and returns `f(key)` when absent (`f` is not called
   * for a present key). If `f` throws, the map is unchanged.
   *
   * @example
   * const user = users.computeIfAbsent(id, loadUser);
   */
  computeIfAbsent(key: K, f: (key: K) => V): V {
    checkCallback(f, 'computeIfAbsent');
    const shard = this.shardForRead(key, this.indexFor(key));
    if (shard !== undefined) {
      const value = shard.get(key);
      if (value !== undefined || shard.has(key)) return value as V;
    }
    const value = f(key);
    this.insert(key, value);
    return value;
  }

  /**
   * Keeps the entries for which `pred(key, value)` is true and removes the rest; returns how many
   * were removed. `pred` sees every entry before anything is removed, so if it throws the map is
   * unchanged.
   *
   * @example
   * sessions.retain((_, s) => s.expiresAt > Date.now());
   */
  retain(pred: (key: K, value: V) => boolean): number {
    checkCallback(pred, 'retain');
    const doomed: K[] = [];
    for (const shard of this.scanShards()) for (const [k, v] of shard) if (!pred(k, v)) doomed.push(k);
    for (const key of doomed) this.remove(key);
    return doomed.length;
  }

  // ---- Iteration (snapshots taken when called) ----

  /**
   * An iterator over `[key, value]` pairs, taken as a snapshot when called: later writes do not
   * show. Order is unspecified.
   *
   * @example
   * for (const [k, v] of m.iter()) console.log(k, v);
   */
  iter(): MapIterator<[K, V]> {
    const out: [K, V][] = [];
    for (const shard of this.scanShards()) for (const entry of shard) out.push(entry);
    return out.values();
  }

  /**
   * A snapshot iterator over the keys.
   *
   * @example
   * [...m.keys()];
   */
  keys(): MapIterator<K> {
    const out: K[] = [];
    for (const shard of this.scanShards()) for (const k of shard.keys()) out.push(k);
    return out.values();
  }

  /**
   * A snapshot iterator over the values.
   *
   * @example
   * [...m.values()].reduce((a, b) => a + b, 0);
   */
  values(): MapIterator<V> {
    const out: V[] = [];
    for (const shard of this.scanShards()) for (const v of shard.values()) out.push(v);
    return out.values();
  }

  // ---- Shards ----

  /**
   * The shard count.
   *
   * @example
   * new ShardedHashMap(8).shardCount(); // 8
   */
  shardCount(): number {
    return this.count;
  }

  /**
   * How many shards have been allocated (by a write routed to them).
   *
   * @example
   * const m = new ShardedHashMap(64); m.insert('a', 1); m.initializedShards(); // 1
   */
  initializedShards(): number {
    return this.scanShards().length;
  }

  /**
   * Load statistics over the initialized shards.
   *
   * @example
   * const { maxLoad, avgLoad } = m.shardStats(); // imbalance = maxLoad / avgLoad
   */
  shardStats(): ShardStats {
    const shards = this.scanShards();
    let empty = 0;
    let maxLoad = 0;
    for (const shard of shards) {
      if (shard.size === 0) empty++;
      if (shard.size > maxLoad) maxLoad = shard.size;
    }
    const initialized = shards.length;
    return {
      initialized,
      total: this.count,
      empty,
      avgLoad: initialized === 0 ? 0 : this.entryCount / initialized,
      maxLoad,
      utilizationPercent: (initialized / this.count) * 100,
    };
  }

  /**
   * Percentage of shards initialized: `initializedShards() / shardCount() * 100`.
   *
   * @example
   * m.shardUtilization(); // 1.5625 after one write to a 64-shard map
   */
  shardUtilization(): number {
    return (this.initializedShards() / this.count) * 100;
  }

  // ---- The Map surface ----

  /** Number of entries (the `Map` name of {@link len}). */
  get size(): number {
    return this.entryCount;
  }

  /**
   * `Map#set`: stores `value` under `key` and returns the map, for chaining.
   *
   * @example
   * m.set('a', 1).set('b', 2);
   */
  set(key: K, value: V): this {
    this.insert(key, value);
    return this;
  }

  /**
   * `Map#has` (the `Map` name of {@link contains}).
   *
   * @example
   * m.has('a');
   */
  has(key: K): boolean {
    return this.contains(key);
  }

  /**
   * `Map#delete`: removes `key`; returns whether it was present.
   *
   * @example
   * m.delete('a'); // true
   */
  delete(key: K): boolean {
    const present = this.contains(key);
    if (present) this.remove(key);
    return present;
  }

  /**
   * `Map#forEach`, over a snapshot taken when called.
   *
   * @example
   * m.forEach((value, key) => console.log(key, value));
   */
  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    checkCallback(callback, 'forEach');
    for (const [k, v] of this.iter()) callback.call(thisArg, v, k, this);
  }

  /**
   * `Map#entries` (the `Map` name of {@link iter}): a snapshot iterator over `[key, value]`.
   *
   * @example
   * new Map(m.entries());
   */
  entries(): MapIterator<[K, V]> {
    return this.iter();
  }

  /** Iterates `[key, value]` pairs of a snapshot taken when iteration starts. */
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.iter();
  }

  /** `'ShardedHashMap'`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'ShardedHashMap';
  }
}

function checkCallback(f: unknown, method: string): void {
  if (typeof f !== 'function') {
    throw new InvalidArgumentError(
      `${method}: the callback must be a function, got ${describe(f)}; the map is unchanged`,
    );
  }
}

/** Materializes an iterable argument, so bad input is found before the first write. */
function toArray<T>(items: Iterable<T>, method: string, name: string): readonly T[] {
  if (Array.isArray(items)) return items;
  if (items == null || typeof (items as Iterable<T>)[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError(
      `${method}: ${name} must be iterable (an array, Set, Map, generator...), got ${describe(items)}`,
    );
  }
  return Array.from(items);
}
