import {
  type AnyPlugin,
  type ApiOf,
  type AsyncPluginApis,
  type ComposedClass,
  composeClass,
  type Hasher,
  InvalidArgumentError,
  type ShardStats,
} from '@starshard/core';
import { currentScope, enterScope, runInScope, scopeSettled } from './ambientScope.js';
import { describe } from './describe.js';
import { LockReentrancyError } from './errors.js';
import { Flight } from './flight.js';
import { InnerShardedHashMap } from './innerShardedHashMap.js';
import { isAbortSignal } from './isAbortSignal.js';
import { isThenable } from './isThenable.js';
import { KeyLock } from './keyLock.js';
import { KeyOp, type OpHost, PUT, UPDATE } from './keyOp.js';
import { type Mode, READ, WRITE } from './lockMode.js';
import { LockScope } from './lockScope.js';
import { TrackedLock } from './trackedLock.js';
import type {
  AsyncCallOptions,
  AsyncLockStats,
  AsyncMapConstructor,
  AsyncShardedHashMapOptions,
  CallbackContext,
} from './types.js';
import { addWait, heldMode, removeWait, wouldDeadlock } from './waitGraph.js';

declare module '@starshard/core' {
  interface KindOptions<K> {
    async: AsyncShardedHashMapOptions<K>;
  }
  interface FacetBases {
    async: AsyncMapConstructor;
  }
  interface MapKinds<P extends readonly AnyPlugin[], K, V> {
    async: AsyncShardedHashMap<K, V> & ApiOf<AsyncPluginApis<K, V>, P>;
  }
}

type InnerClass = new (shards?: number, options?: AsyncShardedHashMapOptions<any>) => InnerShardedHashMap<any, any>;

/** Composed async class → the sync class (same plugins' sync facets) its instances wrap. */
const innerClasses = new WeakMap<object, InnerClass>();

/** The context passed to callbacks when the caller gave no signal (shared: no allocation). */
const NO_SIGNAL: CallbackContext = Object.freeze({ signal: undefined });

const noop = (): void => {};

/**
 * The starshard map for async code: the same sharded map, hashing and routing as
 * `ShardedHashMap` (it wraps one), with every method returning a promise and every callback
 * allowed to be `async`, made safe by fair locks on keys (and on shards, for plugins' shard-wide
 * operations), created when needed and dropped when idle.
 *
 * - Plain `get` / `insert` / `remove` / batch calls on keys nobody is working on run at once,
 *   without queueing; reads never wait (they see the last committed value).
 * - `computeIfPresent(k, f)` holds `k`'s lock while `f` runs (awaits included), so
 *   read-modify-write never loses an update; other keys, even in the same shard, stay writable.
 * - `computeIfAbsent(k, f)` is single-flight: concurrent callers for `k` share one call of `f`;
 *   a rejection reaches them all and caches nothing; writes to `k` wait for the load to settle.
 * - `retain`, `clear` (and batch writes that meet a busy key) take the whole map, after the
 *   callbacks in progress and before those queued after them (FIFO: none is starved).
 * - Every call that may wait takes `{ signal }`; a call from inside a callback either proceeds
 *   under the lock the callback holds (like the sync map would) or rejects with
 *   `LockReentrancyError`: it never hangs. Lock objects exist only while held or awaited.
 *
 * Every operation is linearizable, and `iter()` / `keys()` / `values()` are synchronous
 * snapshots (one point in time across all shards). Compose plugins with
 * `AsyncShardedHashMap.with(...)`: their async facets run their sync logic on the inner map under
 * the right locks.
 *
 * @example
 * const users = new AsyncShardedHashMap<string, User>(64);
 * const user = await users.computeIfAbsent(id, (id, { signal }) => fetchUser(id, { signal }));
 * await users.computeIfPresent(id, async (u) => ({ ...u, visits: u.visits + 1 }));
 */
export class AsyncShardedHashMap<K, V> {
  /** The plugins this class is composed with (none for the base class). */
  static readonly plugins: readonly AnyPlugin[] = Object.freeze([]);

  // All fields are created in the constructor, in this order: one hidden class per class.
  /**
   * The sync map holding the entries (the core map, composed with the sync facets of this
   * class's plugins). For async plugin facets: call its methods under the locks taken by
   * `runWrite` / `runWithKey` / `runWithShards` / `runExclusive`, never bare (a bare write could
   * land in the middle of another caller's callback).
   */
  protected readonly inner: InnerShardedHashMap<K, V>;
  /** @internal Read: a callback or load runs on some key; write: a whole-map operation runs. */
  private readonly mapLock: TrackedLock;
  /** @internal Shard index → lock, present only while held or awaited. */
  private readonly shardLocks: Map<number, TrackedLock>;
  /** @internal Key → lock (and pending load), present only while held, awaited or loading. */
  private readonly keyLocks: Map<K, KeyLock>;
  /** @internal Layout epoch the two counters below refer to. */
  private seenEpoch: number;
  /** @internal Shard holds taken in the current layout. */
  private currentShardHolds: number;
  /** @internal Shard holds taken before the last layout change (their index may name another shard now). */
  private staleShardHolds: number;
  /** @internal Whether callbacks run in an AsyncLocalStorage scope (`reentrancy: 'detect'`). */
  private readonly tracked: boolean;
  /** @internal What lock grants call back into (one per map: no closure per operation). */
  private readonly host: OpHost;
  /**
   * @internal Whether single-key operations also take their shard's lock (shared). Off until a
   * shard-exclusive operation (`runWithShards`) is first used on this map, which then takes the
   * whole map once to wait out the operations that did not: maps that never lock shards
   * exclusively never pay for shard locks.
   */
  private shardIntents: boolean;

  /**
   * Creates a map with `shards` shards, with exactly the sync map's rules: `0`/`undefined` → 64;
   * above the cap (`options.maxShards`, default `MAX_SHARDS`) clamped with a warning, or
   * `ShardCountError` with `{ strict: true }`; not a non-negative safe integer → `ShardCountError`.
   *
   * @example
   * const m = new AsyncShardedHashMap<string, number>(128, { strict: true });
   */
  constructor(shards?: number, options?: AsyncShardedHashMapOptions<K>) {
    const Inner = innerClassFor(new.target);
    this.inner = new Inner(shards, options) as InnerShardedHashMap<K, V>;
    const reentrancy = options?.reentrancy;
    if (reentrancy !== undefined && reentrancy !== 'detect' && reentrancy !== 'trust') {
      throw new InvalidArgumentError(
        `options.reentrancy must be 'detect' (the default) or 'trust', got ${describe(reentrancy)}`,
      );
    }
    this.mapLock = new TrackedLock(undefined, undefined);
    this.shardLocks = new Map();
    this.keyLocks = new Map();
    this.seenEpoch = this.inner.layoutEpoch;
    this.currentShardHolds = 0;
    this.staleShardHolds = 0;
    this.tracked = reentrancy !== 'trust';
    this.host = { resume: (op) => this.resumeOp(op), fail: (op, error) => this.failOp(op, error) };
    this.shardIntents = false;
  }

  // ---- Rust-named constructors (inherited by every composed class, returning its type) ----

  /**
   * Lenient constructor: a count above `MAX_SHARDS` is clamped (with a warning).
   *
   * @example
   * const m = AsyncShardedHashMap.withShardsAndHasher<string, number>(256, defaultHasher);
   */
  static withShardsAndHasher<K, V>(shards: number, hasher?: Hasher<K>): AsyncShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher });
  }

  /**
   * Lenient constructor with a cap: a count above `max(maxShards, 1)` is clamped (with a warning).
   *
   * @example
   * AsyncShardedHashMap.withShardsAndHasherCapped(1000, undefined, 128).shardCount(); // 128
   */
  static withShardsAndHasherCapped<K, V>(
    shards: number,
    hasher: Hasher<K> | undefined,
    maxShards: number,
  ): AsyncShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher, maxShards });
  }

  /**
   * Strict constructor: a count above `MAX_SHARDS` throws `ShardCountError`.
   *
   * @example
   * AsyncShardedHashMap.tryWithShardsAndHasher(Number(process.env.SHARDS));
   */
  static tryWithShardsAndHasher<K, V>(shards: number, hasher?: Hasher<K>): AsyncShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher, strict: true });
  }

  /**
   * Strict constructor with a cap: a count above `max(maxShards, 1)` throws `ShardCountError`.
   *
   * @example
   * AsyncShardedHashMap.tryWithShardsAndHasherCapped(0, undefined, 10); // throws { requested: 64, maxAllowed: 10 }
   */
  static tryWithShardsAndHasherCapped<K, V>(
    shards: number,
    hasher: Hasher<K> | undefined,
    maxShards: number,
  ): AsyncShardedHashMap<K, V> {
    return new this<K, V>(shards, { hasher, maxShards, strict: true });
  }

  /**
   * Returns a class with the async API plus every listed plugin's async API (typed per
   * composition), cached per plugin set whatever the order; its instances wrap a sync map
   * composed with the same plugins' sync facets. Conflicts, missing requirements and plugins
   * without an async facet throw here, never later.
   *
   * @example
   * const AsyncSnap = AsyncShardedHashMap.with(snapshot, rebalance);
   * const m = new AsyncSnap<string, number>(64);
   */
  static with<const P extends readonly AnyPlugin[]>(...plugins: P): ComposedClass<'async', P> {
    const composed = composeClass(this, 'async', plugins);
    if (composed !== this && !innerClasses.has(composed)) {
      const applied = (composed as { plugins?: readonly AnyPlugin[] }).plugins ?? [];
      const withSync = applied.filter((p) => typeof p.sync === 'function');
      innerClasses.set(composed, composeClass(InnerShardedHashMap, 'sync', withSync) as unknown as InnerClass);
    }
    return composed as unknown as ComposedClass<'async', P>;
  }

  // ---- Reads: never wait, never lock ----

  /**
   * The value stored for `key` (the stored reference), or `undefined`. Never waits: a value a
   * callback is still computing is not visible until it is written.
   *
   * @example
   * await m.get('k1'); // 10
   */
  get(key: K): Promise<V | undefined> {
    try {
      return Promise.resolve(this.inner.get(key));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Whether `key` is present (a key whose `computeIfAbsent` load is pending is not).
   *
   * @example
   * await m.contains('k1'); // true
   */
  contains(key: K): Promise<boolean> {
    try {
      return Promise.resolve(this.inner.contains(key));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Number of entries, O(1).
   *
   * @example
   * await m.len(); // 1
   */
  len(): Promise<number> {
    return Promise.resolve(this.inner.len());
  }

  /**
   * Whether the map has no entry, O(1).
   *
   * @example
   * await new AsyncShardedHashMap().isEmpty(); // true
   */
  isEmpty(): Promise<boolean> {
    return Promise.resolve(this.inner.isEmpty());
  }

  /**
   * The values of `keys`, in their order (`undefined` where absent), read at one point in time.
   *
   * @example
   * await m.batchGet(['a', 'missing']); // [1, undefined]
   */
  batchGet(keys: readonly K[]): Promise<(V | undefined)[]> {
    try {
      return Promise.resolve(this.inner.batchGet(keys));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Every `[key, value]` pair, as an array taken synchronously (one consistent point in time
   * across all shards). Order is unspecified.
   *
   * @example
   * for (const [k, v] of await m.iter()) console.log(k, v);
   */
  iter(): Promise<[K, V][]> {
    return Promise.resolve(Array.from(this.inner.iter()));
  }

  /**
   * Every key, as an array taken synchronously.
   *
   * @example
   * const keys = await m.keys();
   */
  keys(): Promise<K[]> {
    return Promise.resolve(Array.from(this.inner.keys()));
  }

  /**
   * Every value, as an array taken synchronously.
   *
   * @example
   * (await m.values()).reduce((a, b) => a + b, 0);
   */
  values(): Promise<V[]> {
    return Promise.resolve(Array.from(this.inner.values()));
  }

  /**
   * The shard count (sync, as in Rust).
   *
   * @example
   * new AsyncShardedHashMap(8).shardCount(); // 8
   */
  shardCount(): number {
    return this.inner.shardCount();
  }

  /**
   * How many shards have been allocated (by a write routed to them).
   *
   * @example
   * await m.initializedShards();
   */
  initializedShards(): Promise<number> {
    return Promise.resolve(this.inner.initializedShards());
  }

  /**
   * Load statistics over the initialized shards.
   *
   * @example
   * const { maxLoad, avgLoad } = await m.shardStats();
   */
  shardStats(): Promise<ShardStats> {
    return Promise.resolve(this.inner.shardStats());
  }

  /**
   * Percentage of shards initialized.
   *
   * @example
   * await m.shardUtilization();
   */
  shardUtilization(): Promise<number> {
    return Promise.resolve(this.inner.shardUtilization());
  }

  // ---- Plain writes: at once unless the key (or its shard, or the map) is busy ----

  /**
   * Stores `value` under `key`; resolves to the previous value. Runs at once unless `key` has a
   * callback running or a load pending (then it waits its turn, FIFO) or a whole-map operation runs.
   *
   * @example
   * await m.insert('k1', 10); // undefined
   * await m.insert('k1', 11); // 10
   */
  insert(key: K, value: V, options?: AsyncCallOptions): Promise<V | undefined> {
    if (options === undefined && this.mapLock.isIdle) {
      try {
        return Promise.resolve(this.inner.insert(key, value));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.write(key, options, 'insert', () => this.inner.insert(key, value));
  }

  /**
   * Removes `key`; resolves to the removed value, or `undefined` if absent. Waits like `insert`.
   *
   * @example
   * await m.remove('k1'); // 11
   */
  remove(key: K, options?: AsyncCallOptions): Promise<V | undefined> {
    if (options === undefined && this.mapLock.isIdle) {
      try {
        return Promise.resolve(this.inner.remove(key));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.write(key, options, 'remove', () => this.inner.remove(key));
  }

  /**
   * Removes every entry. Waits for the callbacks and loads in progress (a clear is a write to
   * every key), then runs before anything queued after it.
   *
   * @example
   * await m.clear(); await m.isEmpty(); // true
   */
  clear(options?: AsyncCallOptions): Promise<void> {
    if (options === undefined && this.mapLock.isIdle) {
      try {
        this.inner.clear();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    let signal: AbortSignal | undefined;
    try {
      signal = signalOf(options, 'clear');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.exclusive('clear', signal, () => this.inner.clear());
  }

  /**
   * Inserts every `[key, value]` pair atomically (a later pair for the same key wins); resolves
   * to how many keys were new. Malformed input rejects before anything is written.
   *
   * @example
   * await m.batchInsert([['a', 1], ['b', 2], ['a', 3]]); // 2
   */
  batchInsert(entries: Iterable<readonly [K, V]>, options?: AsyncCallOptions): Promise<number> {
    let signal: AbortSignal | undefined;
    let list: Iterable<readonly [K, V]>;
    try {
      if (options === undefined && this.mapLock.isIdle) return Promise.resolve(this.inner.batchInsert(entries));
      signal = signalOf(options, 'batchInsert');
      if (signal?.aborted) return Promise.reject(signal.reason);
      list = materialize(entries);
      if (this.batchWritableNow(list, true)) return Promise.resolve(this.inner.batchInsert(list));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.exclusive('batchInsert', signal, () => this.inner.batchInsert(list));
  }

  /**
   * Removes every key of `keys` atomically; resolves to how many were present.
   *
   * @example
   * await m.batchRemove(['a', 'missing']); // 1
   */
  batchRemove(keys: Iterable<K>, options?: AsyncCallOptions): Promise<number> {
    let signal: AbortSignal | undefined;
    let list: Iterable<K>;
    try {
      if (options === undefined && this.mapLock.isIdle) return Promise.resolve(this.inner.batchRemove(keys));
      signal = signalOf(options, 'batchRemove');
      if (signal?.aborted) return Promise.reject(signal.reason);
      list = materialize(keys);
      if (this.batchWritableNow(list, false)) return Promise.resolve(this.inner.batchRemove(list));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.exclusive('batchRemove', signal, () => this.inner.batchRemove(list));
  }

  // ---- Callbacks: under the key's lock ----

  /**
   * If `key` is present, holds its lock, stores `await f(value, key, { signal })` and resolves
   * to it, or removes the key when `f` returns `undefined`; if absent, `f` is not called. If `f`
   * throws or rejects, or `signal` aborts, the map is unchanged and the call rejects. Other keys
   * stay readable and writable meanwhile; writes to `key` wait for `f`.
   *
   * @example
   * await counters.computeIfPresent('hits', async (n) => n + (await countNewHits()));
   */
  computeIfPresent(
    key: K,
    f: (value: V, key: K, context: CallbackContext) => V | undefined | PromiseLike<V | undefined>,
    options?: AsyncCallOptions,
  ): Promise<V | undefined> {
    let signal: AbortSignal | undefined;
    try {
      checkCallback(f, 'computeIfPresent');
      signal = signalOf(options, 'computeIfPresent');
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (!this.keyLocks.has(key) && !this.inner.contains(key)) return Promise.resolve(undefined);
    } catch (error) {
      return Promise.reject(error);
    }
    const caller = currentScope();
    return this.startOp(
      new KeyOp(caller, this.tracked, caller !== undefined, UPDATE, key, signal, 'computeIfPresent', this.host, f),
    );
  }

  /**
   * Resolves to the value of `key`, or loads it: `f(key, { signal })` runs once however many
   * callers ask for `key` meanwhile (they all share its result), and its value is stored. While
   * it is pending, `key` stays absent, other keys (also in its shard) stay readable and
   * writable, and writes to `key` wait for it. If `f` throws or rejects, every waiting caller
   * rejects with that error, nothing is stored, and a later call tries again. A caller whose
   * `signal` aborts rejects at once; `f`'s signal aborts (and its result is dropped) only when
   * every caller has aborted.
   *
   * @example
   * const user = await users.computeIfAbsent(id, (id, { signal }) => api.user(id, { signal }));
   */
  computeIfAbsent(
    key: K,
    f: (key: K, context: CallbackContext) => V | PromiseLike<V>,
    options?: AsyncCallOptions,
  ): Promise<V> {
    try {
      checkCallback(f, 'computeIfAbsent');
      const signal = signalOf(options, 'computeIfAbsent');
      if (signal?.aborted) return Promise.reject(signal.reason);
      // A pending load: join it (no hashing by the map, the cost of a thundering herd's caller).
      const existing = this.keyLocks.size === 0 ? undefined : this.keyLocks.get(key);
      if (existing !== undefined && existing.flight !== undefined) {
        const joiner = currentScope();
        if (joiner === undefined || heldMode(joiner, existing) < 0) return this.join(existing.flight, joiner, signal);
      }
      const value = this.inner.get(key);
      if (value !== undefined || this.inner.contains(key)) return Promise.resolve(value as V);
      const caller = currentScope();
      // Called from a callback holding this key: compute under that hold, as the sync map would.
      if (existing !== undefined && caller !== undefined && heldMode(caller, existing) >= 0) {
        return this.startOp(new Flight<V>(caller, this.tracked, key, f, this.host, existing, false, signal));
      }
      const lock = existing ?? this.keyLock(key);
      const flight = new Flight<V>(caller, this.tracked, key, f, this.host, lock, true, signal);
      lock.flight = flight;
      flight.promise = this.startOp(flight);
      // Callers with a signal get promises of their own: if all abort, nobody handles this one.
      if (flight.controller !== undefined) flight.promise.catch(noop);
      return this.join(flight, caller, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Keeps the entries for which `await pred(key, value, { signal })` is truthy and removes the
   * rest, atomically; resolves to how many were removed. Holds the whole map while `pred` runs
   * (after the callbacks in progress). `pred` sees every entry before anything is removed, so if
   * it throws, rejects or `signal` aborts (checked between calls), the map is unchanged.
   *
   * @example
   * await sessions.retain(async (id, s) => s.expiresAt > Date.now() && (await stillValid(id)));
   */
  retain(
    pred: (key: K, value: V, context: CallbackContext) => boolean | PromiseLike<boolean>,
    options?: AsyncCallOptions,
  ): Promise<number> {
    let signal: AbortSignal | undefined;
    try {
      checkCallback(pred, 'retain');
      signal = signalOf(options, 'retain');
      if (signal?.aborted) return Promise.reject(signal.reason);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.exclusive('retain', signal, (scope) => {
      const entries = Array.from(this.inner.iter());
      const doomed: K[] = [];
      const finish = (): number => {
        for (const key of doomed) this.inner.remove(key);
        return doomed.length;
      };
      const evaluated = runInScope(scope, evaluateAll, entries, pred, contextFor(signal), signal, doomed, 0);
      return evaluated === undefined ? finish() : evaluated.then(finish);
    });
  }

  // ---- The Map surface ----

  /** Number of entries, O(1) and synchronous (the `Map` name of {@link len}). */
  get size(): number {
    return this.inner.len();
  }

  /**
   * `Map#set`, async: stores `value` under `key` and resolves to the map, for chaining.
   *
   * @example
   * await (await m.set('a', 1)).set('b', 2);
   */
  set(key: K, value: V, options?: AsyncCallOptions): Promise<this> {
    return this.insert(key, value, options).then(() => this);
  }

  /**
   * `Map#has`, async (the `Map` name of {@link contains}).
   *
   * @example
   * await m.has('a');
   */
  has(key: K): Promise<boolean> {
    return this.contains(key);
  }

  /**
   * `Map#delete`, async: removes `key`; resolves to whether it was present.
   *
   * @example
   * await m.delete('a'); // true
   */
  delete(key: K, options?: AsyncCallOptions): Promise<boolean> {
    if (options === undefined && this.mapLock.isIdle) {
      try {
        return Promise.resolve(this.inner.delete(key));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.write(key, options, 'delete', () => this.inner.delete(key));
  }

  /**
   * `Map#forEach`, async: calls `callback(value, key, map)` for each entry of a snapshot taken
   * when called, one at a time (an async callback is awaited before the next). Holds no lock, so
   * the callback may write to the map. `signal` is checked between calls.
   *
   * @example
   * await m.forEach(async (value, key) => { await send(key, value); });
   */
  async forEach(callback: (value: V, key: K, map: this) => unknown, options?: AsyncCallOptions): Promise<void> {
    checkCallback(callback, 'forEach');
    const signal = signalOf(options, 'forEach');
    signal?.throwIfAborted();
    for (const [key, value] of Array.from(this.inner.iter())) {
      const result = callback(value, key, this);
      if (isThenable(result)) await result;
      signal?.throwIfAborted();
    }
  }

  /**
   * `Map#entries`, async (the `Map` name of {@link iter}): a snapshot array of `[key, value]`.
   *
   * @example
   * new Map(await m.entries());
   */
  entries(): Promise<[K, V][]> {
    return this.iter();
  }

  /**
   * Iterates `[key, value]` pairs of a snapshot taken when iteration starts.
   *
   * @example
   * for await (const [k, v] of m) console.log(k, v);
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<[K, V], void, undefined> {
    yield* Array.from(this.inner.iter());
  }

  /** `'AsyncShardedHashMap'`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'AsyncShardedHashMap';
  }

  /**
   * The lock state held right now (sync): lock objects exist only while somebody holds or waits
   * for them, so an idle map reports zero locks whatever it has served. For monitoring
   * contention, and for tests.
   *
   * @example
   * const { keyLocks, pendingLoads, waiting } = cache.lockStats();
   */
  lockStats(): AsyncLockStats {
    let pendingLoads = 0;
    let waiting = this.mapLock.queueLength;
    for (const lock of this.keyLocks.values()) {
      if (lock.flight !== undefined) pendingLoads++;
      waiting += lock.queueLength;
    }
    for (const lock of this.shardLocks.values()) waiting += lock.queueLength;
    return {
      shardLocks: this.shardLocks.size,
      keyLocks: this.keyLocks.size,
      pendingLoads,
      waiting,
      idle: this.mapLock.isIdle && this.keyLocks.size === 0 && this.shardLocks.size === 0,
    };
  }

  // ---- The seam for async plugin facets ----

  /**
   * For async facets: the index of `key`'s shard in the current layout (the core's routing).
   *
   * @example
   * const shard = this.shardIndexOf(key); // e.g. per-shard profiling in an async facet
   */
  protected shardIndexOf(key: K): number {
    return this.inner.shardIndexOf(key);
  }

  /**
   * For async facets: runs the synchronous `op` (a write of `key` on `this.inner`) as
   * soon as `key` is writable: at once if nobody works on it, else in its FIFO turn.
   *
   * @example
   * compareAndSwap(key, expected, next) {
   *   return this.runWrite(key, () => (this.inner as SyncCas).compareAndSwap(key, expected, next));
   * }
   */
  protected runWrite<T>(key: K, op: () => T, options?: AsyncCallOptions, method = 'runWrite'): Promise<T> {
    return this.write(key, options, method, op);
  }

  /**
   * For async facets: runs `fn` holding `key`'s lock (as `computeIfPresent` does), e.g.
   * to await replicas before writing the key locally.
   *
   * @example
   * insertReplicated(key, value) {
   *   return this.runWithKey(key, async ({ signal }) => {
   *     await this.quorum.replicate({ op: 'insert', key, value }, signal);
   *     return this.inner.insert(key, value);
   *   });
   * }
   */
  protected async runWithKey<T>(
    key: K,
    fn: (context: CallbackContext) => T | PromiseLike<T>,
    options?: AsyncCallOptions,
    method = 'runWithKey',
  ): Promise<Awaited<T>> {
    checkCallback(fn, method);
    const signal = signalOf(options, method);
    signal?.throwIfAborted();
    const scope = new LockScope(currentScope(), this.tracked);
    try {
      const pending = this.lockKey(scope, key, signal, method);
      if (pending !== undefined) await pending;
      signal?.throwIfAborted();
      return await runInScope(scope, fn, contextFor(signal));
    } finally {
      this.release(scope);
    }
  }

  /**
   * For async facets: runs `fn` holding the shards of `keys` exclusively, locked in
   * ascending shard order (two such calls never deadlock), e.g. for a transaction. The first
   * such call on a map takes the whole map once (single-key operations take shard locks only
   * from then on).
   *
   * @example
   * executeTransaction(txn) {
   *   return this.runWithShards(txn.keys(), () => (this.inner as SyncTxn).executeTransaction(txn));
   * }
   */
  protected async runWithShards<T>(
    keys: Iterable<K>,
    fn: (context: CallbackContext) => T | PromiseLike<T>,
    options?: AsyncCallOptions,
    method = 'runWithShards',
  ): Promise<Awaited<T>> {
    checkCallback(fn, method);
    const signal = signalOf(options, method);
    signal?.throwIfAborted();
    const list = Array.from(materialize(keys));
    const caller = currentScope();
    for (;;) {
      const scope = new LockScope(caller, this.tracked);
      let locked = false;
      try {
        // The first shard-exclusive operation, and any after a layout change (holds taken before
        // it may name other shards now), take the whole map instead.
        this.syncEpoch();
        const wholeMap = !this.shardIntents || this.staleShardHolds > 0;
        this.shardIntents = true;
        const pending = this.take(scope, this.mapLock, wholeMap ? WRITE : READ, signal, method);
        if (pending !== undefined) await pending;
        const epoch = this.inner.layoutEpoch;
        if (!wholeMap) {
          const indices = [...new Set(list.map((key) => this.inner.shardIndexOf(key)))].sort((a, b) => a - b);
          for (const index of indices) {
            const next = this.take(scope, this.shardLock(index), WRITE, signal, method);
            if (next !== undefined) await next;
          }
        }
        if (this.inner.layoutEpoch !== epoch) continue; // the layout moved while waiting: lock again
        locked = true;
        signal?.throwIfAborted();
        return await runInScope(scope, fn, contextFor(signal));
      } finally {
        this.release(scope);
        if (!locked) signal?.throwIfAborted();
      }
    }
  }

  /**
   * For async facets: runs `fn` holding the whole map (after the callbacks in
   * progress), e.g. for a rebalance or a drain.
   *
   * @example
   * rebalanceTo(n) {
   *   return this.runExclusive(() => (this.inner as SyncRebalance).rebalanceTo(n));
   * }
   */
  protected runExclusive<T>(
    fn: (context: CallbackContext) => T | PromiseLike<T>,
    options?: AsyncCallOptions,
    method = 'runExclusive',
  ): Promise<Awaited<T>> {
    let signal: AbortSignal | undefined;
    try {
      checkCallback(fn, method);
      signal = signalOf(options, method);
      if (signal?.aborted) return Promise.reject(signal.reason);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.exclusive(method, signal, (scope) => runInScope(scope, fn, contextFor(signal))) as Promise<Awaited<T>>;
  }

  // ---- Internals ----

  /** A write of `key`: at once if nothing holds it, else once its locks are granted. */
  private write<T>(key: K, options: AsyncCallOptions | undefined, method: string, op: () => T): Promise<T> {
    let signal: AbortSignal | undefined;
    try {
      signal = signalOf(options, method);
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (this.writableNow(key)) return Promise.resolve(op());
    } catch (error) {
      return Promise.reject(error);
    }
    const caller = currentScope();
    return this.startOp(new KeyOp(caller, this.tracked, caller !== undefined, PUT, key, signal, method, this.host, op));
  }

  /** Whether a write of `key` conflicts with nothing held or awaited right now. */
  private writableNow(key: K): boolean {
    if (this.mapLock.isIdle) return true;
    if (this.mapLock.writeHeld() || this.keyLocks.has(key)) return false;
    if (this.shardLocks.size !== 0) {
      const shard = this.shardLocks.get(this.inner.shardIndexOf(key));
      if (shard !== undefined && shard.writeHeld()) return false;
    }
    return true;
  }

  /** Whether a batch write of `items` conflicts with nothing held by others right now. */
  private batchWritableNow(items: Iterable<unknown>, pairs: boolean): boolean {
    if (!Array.isArray(items)) return true; // not iterable: the sync map rejects it, unchanged
    const caller = currentScope();
    const mine = (lock: TrackedLock): boolean => caller !== undefined && heldMode(caller, lock) === WRITE;
    if (this.mapLock.writeHeld() && !mine(this.mapLock)) return false;
    for (const item of items) {
      if (pairs && !(Array.isArray(item) && item.length >= 2)) return true; // malformed: rejected unchanged
      const key = (pairs ? (item as [K, V])[0] : item) as K;
      const lock = this.keyLocks.get(key);
      if (lock !== undefined && !mine(lock)) return false;
      if (this.shardLocks.size !== 0) {
        const shard = this.shardLocks.get(this.inner.shardIndexOf(key));
        if (shard !== undefined && shard.writeHeld() && !mine(shard)) return false;
      }
    }
    return true;
  }

  // ---- Single-key operations (computeIfPresent, computeIfAbsent, queued writes) ----

  /** Starts `op`; resolves as it ends. */
  private startOp<T>(op: KeyOp): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      op.resolve = resolve;
      op.reject = reject;
    });
    this.resumeOp(op);
    return promise;
  }

  /**
   * Takes `op`'s locks from where it stopped: map (shared) → shard (shared) → key (exclusive),
   * the order of every path (no deadlock between operations). Returns when queued: the lock
   * resumes it when granted. Then runs it.
   */
  private resumeOp(op: KeyOp): void {
    try {
      while (op.stage < 3) {
        const stage = op.stage++;
        let lock: TrackedLock;
        let mode: Mode;
        if (stage === 0) {
          lock = this.mapLock;
          mode = READ;
        } else if (stage === 1) {
          if (!this.shardIntents) continue;
          // Routed under the map lock: a rebalance (which holds the map exclusively) cannot move it.
          lock = this.shardLock(this.inner.shardIndexOf(op.key as K));
          this.syncEpoch();
          op.shardEpoch = this.seenEpoch;
          this.currentShardHolds++;
          mode = READ;
        } else {
          lock = this.keyLock(op.key as K);
          mode = WRITE;
        }
        if (!this.takeOrQueue(op, lock, mode)) return;
      }
      this.runOp(op);
    } catch (error) {
      this.failOp(op, error);
    }
  }

  /** `take` for operations: `true` if taken now, `false` if queued (the lock resumes `op`). */
  private takeOrQueue(op: KeyOp, lock: TrackedLock, mode: Mode): boolean {
    if (op.checked) {
      const held = heldMode(op, lock);
      if (held === WRITE || (held === READ && mode === READ)) {
        lock.force(held);
        op.hold(lock, held);
        return true;
      }
      if (held === READ) throw new LockReentrancyError(op.method, 'upgrade');
    }
    if (lock.tryLock(mode, op)) {
      op.hold(lock, mode);
      return true;
    }
    if (op.checked) {
      if (wouldDeadlock(op, lock)) throw new LockReentrancyError(op.method, 'cycle');
      addWait(op, lock); // undone when granted or cancelled (TrackedLock.admitted / cancelled)
    }
    lock.queue(mode, op, op.signal);
    return false;
  }

  /** Runs `op` holding its locks. */
  private runOp(op: KeyOp): void {
    const key = op.key as K;
    if (op.kind === PUT) {
      this.finishOp(op, op.fn());
      return;
    }
    const signal = op.signal;
    let result: unknown;
    if (op.kind === UPDATE) {
      const current = this.inner.get(key);
      if (current === undefined && !this.inner.contains(key)) {
        this.finishOp(op, undefined);
        return;
      }
      signal?.throwIfAborted();
      result = enterScope(op, op.fn, current, key, contextFor(signal));
    } else {
      const found = this.inner.get(key);
      if (found !== undefined || this.inner.contains(key)) {
        this.finishOp(op, found);
        return;
      }
      signal?.throwIfAborted();
      result = enterScope(op, op.fn, key, contextFor(signal));
    }
    if (!isThenable(result)) {
      scopeSettled();
      this.commitOp(op, result);
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        scopeSettled();
        this.unwatchAbort(op);
        try {
          this.commitOp(op, value);
        } catch (error) {
          this.failOp(op, error);
        }
      },
      (error: unknown) => {
        scopeSettled();
        this.unwatchAbort(op);
        this.failOp(op, error);
      },
    );
    if (op.kind === UPDATE && signal !== undefined) {
      // Aborted while the callback runs: the caller is rejected at once; the key stays locked
      // until the callback settles, and its result is then dropped.
      op.onAbort = () => {
        op.onAbort = undefined;
        if (!op.answered) {
          op.answered = true;
          op.reject(signal.reason);
        }
      };
      signal.addEventListener('abort', op.onAbort, { once: true });
    }
  }

  /** Writes what `op`'s callback returned (unless its caller left), then ends it. */
  private commitOp(op: KeyOp, value: unknown): void {
    const key = op.key as K;
    if (op.kind === UPDATE) {
      if (!op.answered) {
        if (value === undefined) this.inner.remove(key);
        else this.inner.insert(key, value as V);
      }
    } else {
      op.signal?.throwIfAborted(); // every caller of the load gave up: store nothing
      this.inner.insert(key, value as V);
    }
    this.finishOp(op, value);
  }

  private unwatchAbort(op: KeyOp): void {
    if (op.onAbort !== undefined) {
      op.signal?.removeEventListener('abort', op.onAbort);
      op.onAbort = undefined;
    }
  }

  private finishOp(op: KeyOp, value: unknown): void {
    this.endOp(op);
    if (!op.answered) {
      op.answered = true;
      op.resolve(value);
    }
  }

  private failOp(op: KeyOp, error: unknown): void {
    this.endOp(op);
    if (!op.answered) {
      op.answered = true;
      op.reject(error);
    }
  }

  /** Releases `op`'s locks (once) and its load's reservation. */
  private endOp(op: KeyOp): void {
    if (op.done) return;
    if (op instanceof Flight && op.lock.flight === op) op.lock.flight = undefined;
    this.release(op);
    if (op instanceof Flight) op.lock.drop();
  }

  /** A caller's share of a pending load. */
  private join(flight: Flight<V>, caller: LockScope | undefined, signal: AbortSignal | undefined): Promise<V> {
    const lock = flight.lock;
    if (caller !== undefined && wouldDeadlock(caller, lock)) {
      return Promise.reject(new LockReentrancyError('computeIfAbsent', 'cycle'));
    }
    if (signal === undefined) {
      flight.detachable = false;
      if (caller === undefined) return flight.promise;
      addWait(caller, lock);
      const done = () => removeWait(caller, lock);
      flight.promise.then(done, done);
      return flight.promise;
    }
    flight.callers++;
    return new Promise<V>((resolve, reject) => {
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (caller !== undefined) removeWait(caller, lock);
        return true;
      };
      const onAbort = () => {
        if (!settle()) return;
        reject(signal.reason);
        if (--flight.callers === 0 && flight.detachable) flight.controller?.abort(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (caller !== undefined) addWait(caller, lock);
      flight.promise.then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }

  /** Runs `body` holding the whole map. */
  private async exclusive<T>(
    method: string,
    signal: AbortSignal | undefined,
    body: (scope: LockScope) => T | PromiseLike<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    const scope = new LockScope(currentScope(), this.tracked);
    try {
      const pending = this.take(scope, this.mapLock, WRITE, signal, method);
      if (pending !== undefined) await pending;
      return await body(scope);
    } finally {
      this.release(scope);
    }
  }

  /**
   * Takes map (shared) → shard (shared) → key (exclusive), in that order (every path locks in
   * this order: no deadlock between operations). `undefined` when all were taken at once.
   */
  private lockKey(
    scope: LockScope,
    key: K,
    signal: AbortSignal | undefined,
    method: string,
  ): Promise<void> | undefined {
    const pending = this.take(scope, this.mapLock, READ, signal, method);
    if (pending !== undefined) return pending.then(() => this.lockShardAndKey(scope, key, signal, method));
    return this.lockShardAndKey(scope, key, signal, method);
  }

  private lockShardAndKey(
    scope: LockScope,
    key: K,
    signal: AbortSignal | undefined,
    method: string,
  ): Promise<void> | undefined {
    if (!this.shardIntents) return this.take(scope, this.keyLock(key), WRITE, signal, method);
    // Routed under the map lock: a rebalance (which holds the map exclusively) cannot move it.
    const index = this.inner.shardIndexOf(key);
    this.syncEpoch();
    scope.shardEpoch = this.seenEpoch;
    this.currentShardHolds++;
    const pending = this.take(scope, this.shardLock(index), READ, signal, method);
    if (pending !== undefined) return pending.then(() => this.take(scope, this.keyLock(key), WRITE, signal, method));
    return this.take(scope, this.keyLock(key), WRITE, signal, method);
  }

  /**
   * Takes `lock` in `mode` for `scope`: re-entry if `scope`'s chain holds it compatibly, at once
   * if free, else queued (unless that would deadlock: `LockReentrancyError`).
   */
  private take(
    scope: LockScope,
    lock: TrackedLock,
    mode: Mode,
    signal: AbortSignal | undefined,
    method: string,
  ): Promise<void> | undefined {
    if (scope.checked) {
      const held = heldMode(scope, lock);
      if (held === WRITE || (held === READ && mode === READ)) {
        lock.force(held);
        scope.hold(lock, held);
        return undefined;
      }
      if (held === READ) throw new LockReentrancyError(method, 'upgrade');
    }
    if (lock.tryLock(mode, scope)) {
      scope.hold(lock, mode);
      return undefined;
    }
    if (scope.checked) {
      if (wouldDeadlock(scope, lock)) throw new LockReentrancyError(method, 'cycle');
      addWait(scope, lock); // undone when granted or cancelled (TrackedLock.admitted / cancelled)
    }
    return lock.lock(mode, scope, signal);
  }

  private release(scope: LockScope): void {
    if (scope.shardEpoch !== -1) {
      this.syncEpoch();
      if (scope.shardEpoch === this.seenEpoch) this.currentShardHolds--;
      else this.staleShardHolds--;
      scope.shardEpoch = -1;
    }
    scope.release();
  }

  /** Moves the shard holds of an older layout to the stale count. */
  private syncEpoch(): void {
    const epoch = this.inner.layoutEpoch;
    if (epoch !== this.seenEpoch) {
      this.staleShardHolds += this.currentShardHolds;
      this.currentShardHolds = 0;
      this.seenEpoch = epoch;
    }
  }

  private shardLock(index: number): TrackedLock {
    let lock = this.shardLocks.get(index);
    if (lock === undefined) {
      lock = new TrackedLock(this.shardLocks as Map<unknown, TrackedLock>, index);
      this.shardLocks.set(index, lock);
    }
    return lock;
  }

  private keyLock(key: K): KeyLock {
    let lock = this.keyLocks.get(key);
    if (lock === undefined) {
      lock = new KeyLock(this.keyLocks as Map<unknown, TrackedLock>, key);
      this.keyLocks.set(key, lock);
    }
    return lock;
  }
}

/** The sync class wrapped by instances of `target` (a composed class, a subclass of one, or the base). */
function innerClassFor(target: object): InnerClass {
  let found = innerClasses.get(target);
  if (found !== undefined) return found;
  for (let c = Object.getPrototypeOf(target); typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    found = innerClasses.get(c);
    if (found !== undefined) break;
  }
  found ??= InnerShardedHashMap as InnerClass;
  innerClasses.set(target, found);
  return found;
}

/** `retain`'s predicate over `entries` from `from`: synchronous until a predicate returns a promise. */
function evaluateAll<K, V>(
  entries: readonly [K, V][],
  pred: (key: K, value: V, context: CallbackContext) => boolean | PromiseLike<boolean>,
  context: CallbackContext,
  signal: AbortSignal | undefined,
  doomed: K[],
  from: number,
): Promise<void> | undefined {
  for (let i = from; i < entries.length; i++) {
    const [key, value] = entries[i] as [K, V];
    const keep = pred(key, value, context);
    if (isThenable(keep)) {
      return Promise.resolve(keep).then((kept) => {
        if (!kept) doomed.push(key);
        signal?.throwIfAborted();
        return evaluateAll(entries, pred, context, signal, doomed, i + 1);
      });
    }
    if (!keep) doomed.push(key);
    signal?.throwIfAborted();
  }
  return undefined;
}

function contextFor(signal: AbortSignal | undefined): CallbackContext {
  return signal === undefined ? NO_SIGNAL : { signal };
}

/** Reads `{ signal? }`, rejecting anything else with a message that says what to pass. */
function signalOf(options: AsyncCallOptions | undefined, method: string): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      `${method}: the last argument must be an options object { signal?: AbortSignal }, got ${describe(options)}; the map is unchanged`,
    );
  }
  const { signal } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new InvalidArgumentError(
      `${method}: options.signal must be an AbortSignal (e.g. new AbortController().signal), got ${describe(signal)}; the map is unchanged`,
    );
  }
  return signal;
}

function checkCallback(f: unknown, method: string): void {
  if (typeof f !== 'function') {
    throw new InvalidArgumentError(
      `${method}: the callback must be a function (it may be async), got ${describe(f)}; the map is unchanged`,
    );
  }
}

/** An iterable as an array (consumed once, so it can be checked and then written); anything else as is. */
function materialize<T>(items: Iterable<T>): Iterable<T> {
  if (Array.isArray(items)) return items;
  if (items != null && typeof (items as Iterable<T>)[Symbol.iterator] === 'function') return Array.from(items);
  return items;
}
