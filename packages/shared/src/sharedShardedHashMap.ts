import { threadId as currentThreadId } from 'node:worker_threads';
import { InvalidArgumentError, ShardedHashMap, type ShardStats, StarshardError } from '@starshard/core';
import { ByteWriter, builtinCodec, type Codec, type CodecImpl, codecImpl, codecs } from './codecs.js';
import { describe } from './describe.js';
import { CapacityError } from './errors.js';
import type { SharedShardedHashMapHandle } from './handle.js';
import {
  C_HIGH_WATER,
  C_SLOTS_START,
  ENTRY_HEADER_BYTES,
  H_BASE,
  H_BYTES,
  H_COUNT,
  H_VERSION,
  IMAGE_HEADER_BYTES,
  MIN_SLOTS,
  REGION_HEADER_BYTES,
  S_READ,
  S_THREAD,
  SLOT_WORDS,
} from './layout.js';
import { ShardLocks } from './shardLocks.js';
import {
  clearShard,
  findOptimistic,
  findSlot,
  forEachEntry,
  imageBytes,
  putEntry,
  removeSlot,
  repairShard,
  ShardRegion,
  TORN,
  writeEmptyImage,
} from './shardTable.js';

/** Default total bytes allocated up front, over all shards. */
const DEFAULT_INITIAL_BYTES = 256 * 1024;
/** Default total budget over all shards. */
const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;
/** Largest budget of one shard (byte offsets are 32-bit words). */
const MAX_SHARD_BYTES = 1024 * 1024 * 1024;
/** Smallest region: header plus an image of 16 slots and 256 heap bytes. */
const MIN_SHARD_BYTES = REGION_HEADER_BYTES + IMAGE_HEADER_BYTES + MIN_SLOTS * 8 + 256;
/** Default lock timeout. */
const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
/** Default number of maps (threads) that may be attached at once. */
const DEFAULT_MAX_THREADS = 64;
const TWO_POW_MINUS_32 = 1 / 0x100000000;
/** What `valueIfInBounds` returns when the entry's words do not fit the region (a torn read). */
const NO_VALUE: unique symbol = Symbol('no value');

/**
 * Options of `new SharedShardedHashMap(options)`.
 *
 * @example
 * new SharedShardedHashMap({ shards: 64, key: codecs.string, value: codecs.number, maxBytes: 256 << 20 });
 */
export interface SharedShardedHashMapOptions<K, V> {
  /** Shard count (`0` / `undefined` → 64), with the core's rules: clamped above the cap, or `ShardCountError` with `strict`. */
  shards?: number | undefined;
  /** Key codec; default `codecs.string`. */
  key?: Codec<K> | undefined;
  /** Value codec; default `codecs.structured`. */
  value?: Codec<V> | undefined;
  /** Bytes allocated up front over all shards (each shard gets its share); default 256 KiB. */
  initialBytes?: number | undefined;
  /** Budget over all shards: a shard may grow to `maxBytes / shards` (at most 1 GiB); default 1 GiB (reserved, not allocated). */
  maxBytes?: number | undefined;
  /** How long a lock wait may last before `LockTimeoutError`; default 10 000 ms (`Infinity` allowed). */
  lockTimeoutMs?: number | undefined;
  /** Cap on the shard count, as in the core; default `MAX_SHARDS`. */
  maxShards?: number | undefined;
  /** Reject a shard count above the cap with `ShardCountError` instead of clamping it. */
  strict?: boolean | undefined;
  /** How many maps (one per thread, typically) may be attached at once; default 64. */
  maxThreads?: number | undefined;
  /** Seed of the key hash, for reproducible shard placement; default random. */
  seed?: number | undefined;
}

/**
 * Options of `SharedShardedHashMap.attach(handle, options)`.
 *
 * @example
 * SharedShardedHashMap.attach<string, Date>(handle, { value: dateCodec, lockTimeoutMs: 500 });
 */
export interface AttachOptions<K, V> {
  /** The key codec, required when the map was created with a custom one (its name must match). */
  key?: Codec<K> | undefined;
  /** The value codec, required when the map was created with a custom one (its name must match). */
  value?: Codec<V> | undefined;
  /** This map's lock timeout; default the creator's. */
  lockTimeoutMs?: number | undefined;
}

/**
 * A worker as `watchWorker` needs it: its `threadId` and an `exit` event (`node:worker_threads`
 * `Worker` fits, and so do pool workers that expose both).
 *
 * @example
 * map.watchWorker(new Worker(url, { workerData: map.handle }));
 */
export interface WatchableWorker {
  readonly threadId: number;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

let attaching: { handle: SharedShardedHashMapHandle; options: AttachOptions<unknown, unknown> } | undefined;

/**
 * One hash map shared by worker threads: its shards live in `SharedArrayBuffer`s, so a write in
 * any thread is seen by every thread at once, with no message passing. Create it in any thread,
 * send `map.handle` through `workerData` or `postMessage`, and `SharedShardedHashMap.attach(handle)`
 * on the other side.
 *
 * It has the core map's method names and semantics (`insert`, `get`, `computeIfPresent`, ...,
 * and the `Map` surface). Keys and values are stored as bytes through codecs (`codecs.string`,
 * `codecs.number`, `codecs.bigint`, `codecs.boolean`, `codecs.structured`, or your own), so `get`
 * returns a decoded copy, and keys are equal when their encoded bytes are.
 *
 * Each shard has a reader-writer lock on `Atomics`: readers of a shard run in parallel, writers
 * are exclusive, a waiting writer is not starved, and waits are `Atomics.wait` bounded by
 * `lockTimeoutMs` (then `LockTimeoutError`, naming the shard and the holder). On the main thread,
 * `Atomics.wait` blocks the event loop while it waits (usually microseconds; at worst
 * `lockTimeoutMs` behind a slow callback in another thread): the `*Async` twins (`getAsync`,
 * `insertAsync`, ...) wait with `Atomics.waitAsync` instead. A shard grows inside its own
 * growable buffer under its own write lock; past `maxBytes / shards` a write throws
 * `CapacityError` and changes nothing.
 *
 * @example
 * // main.ts
 * const map = new SharedShardedHashMap({ key: codecs.string, value: codecs.number });
 * const worker = new Worker('./worker.js', { workerData: map.handle });
 * map.watchWorker(worker); // a worker terminated while holding a lock cannot hang the others
 * // worker.js
 * const shared = SharedShardedHashMap.attach<string, number>(workerData);
 * shared.computeIfAbsent('hits', () => 0);
 * shared.computeIfPresent('hits', (n) => n + 1);
 */
export class SharedShardedHashMap<K = string, V = unknown> implements Map<K, V> {
  // All fields are created in the constructor, in this order: one hidden class.
  /** @internal The shard regions, as this thread sees them. */
  private readonly regions: ShardRegion[];
  /** @internal The locks (one per shard) and this map's thread slot. */
  private readonly locks: ShardLocks;
  /** @internal The shard count. */
  private readonly count: number;
  /** @internal `count / 2^32`. */
  private readonly scale: number;
  /** @internal Seed of the key hash. */
  private readonly seed: number;
  /** @internal The key codec's fast path. */
  private readonly kc: CodecImpl<K>;
  /** @internal The value codec's fast path. */
  private readonly vc: CodecImpl<V>;
  /** @internal Scratch for encoding keys. */
  private readonly kw: ByteWriter;
  /** @internal Scratch for encoding values. */
  private readonly vw: ByteWriter;
  /** @internal This map's thread slot index in the control buffer. */
  private readonly slot: number;
  /** @internal Whether `close()` was called. */
  private closed: boolean;
  /**
   * The structured-cloneable descriptor of this map: send it to a worker (`workerData`,
   * `postMessage`) and `SharedShardedHashMap.attach(handle)` there.
   *
   * @example
   * new Worker(url, { workerData: map.handle });
   */
  readonly handle: SharedShardedHashMapHandle;

  /**
   * Creates a map in shared memory. The shard count follows the core's rules (`0`/`undefined` →
   * 64; above `maxShards` clamped with a `STARSHARD_SHARDS_CLAMPED` warning, or `ShardCountError`
   * with `strict`; not a non-negative safe integer → `ShardCountError`). Every shard's buffer is
   * created now, with `initialBytes / shards` bytes and room to grow to `maxBytes / shards`.
   *
   * @example
   * const map = new SharedShardedHashMap({ shards: 16, key: codecs.number, value: codecs.structured });
   */
  constructor(options?: SharedShardedHashMapOptions<K, V>) {
    const pending = attaching;
    attaching = undefined;
    let handle: SharedShardedHashMapHandle;
    let keyCodec: Codec<K>;
    let valueCodec: Codec<V>;
    let timeout: number;
    if (pending !== undefined) {
      handle = pending.handle;
      keyCodec = attachedCodec(handle.key, pending.options.key, 'key') as Codec<K>;
      valueCodec = attachedCodec(handle.value, pending.options.value, 'value') as Codec<V>;
      timeout = checkTimeout(pending.options.lockTimeoutMs ?? handle.lockTimeoutMs);
    } else {
      if (options !== undefined && (typeof options !== 'object' || options === null)) {
        throw new InvalidArgumentError(`options must be an object, got ${describe(options)}`);
      }
      keyCodec = checkCodec(options?.key ?? (codecs.string as unknown as Codec<K>), 'key');
      valueCodec = checkCodec(options?.value ?? (codecs.structured as Codec<V>), 'value');
      timeout = checkTimeout(options?.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
      handle = createHandle(options ?? {}, keyCodec.name, valueCodec.name, timeout);
    }
    const regions = handle.regions.map((sab) => new ShardRegion(sab));
    const ctl = new Int32Array(handle.control);
    const slot = claimSlot(ctl, handle.maxThreads);
    this.regions = regions;
    this.locks = new ShardLocks(
      regions.map((r) => r.head),
      ctl,
      slot,
      timeout,
    );
    this.count = handle.shards;
    this.scale = handle.shards * TWO_POW_MINUS_32;
    this.seed = handle.seed;
    this.kc = codecImpl(keyCodec);
    this.vc = codecImpl(valueCodec);
    this.kw = new ByteWriter(64);
    this.vw = new ByteWriter(64);
    this.slot = slot;
    this.closed = false;
    this.handle = handle;
  }

  /**
   * A map over the memory of the map that made `handle` (in this or any thread): every write
   * of either is seen by the other at once. Pass the same custom codecs the creator used.
   *
   * @example
   * const map = SharedShardedHashMap.attach<string, number>(workerData.cache);
   */
  static attach<K = string, V = unknown>(
    handle: SharedShardedHashMapHandle,
    options?: AttachOptions<K, V>,
  ): SharedShardedHashMap<K, V> {
    checkHandle(handle);
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new InvalidArgumentError(`attach options must be an object, got ${describe(options)}`);
    }
    attaching = { handle, options: (options ?? {}) as AttachOptions<unknown, unknown> };
    try {
      return new SharedShardedHashMap<K, V>();
    } finally {
      attaching = undefined;
    }
  }

  // ---- Internals ----

  /** @internal Encodes `key` into the key scratch; returns its hash (`kw.len` is its length). */
  private encodeKey(key: K): number {
    if (this.closed) throw closedError();
    const kw = this.kw;
    kw.len = 0;
    this.kc.write(key, kw, 'key');
    return hashKey(kw, this.seed);
  }

  /** @internal Encodes `value` into the value scratch. */
  private encodeValue(value: V): void {
    const vw = this.vw;
    vw.len = 0;
    this.vc.write(value, vw, 'value');
  }

  /** @internal The shard of hash `h`. */
  private shardOf(h: number): number {
    return ((h >>> 0) * this.scale) | 0;
  }

  /** @internal Decodes the value of the entry in slot `sw`. */
  private valueAt(r: ShardRegion, sw: number): V {
    const i32 = r.i32;
    const off = i32[sw + 1] as number;
    const klen = i32[off >> 2] as number;
    return this.vc.read(r.u8, off + ENTRY_HEADER_BYTES + klen, i32[(off >> 2) + 1] as number);
  }

  /**
   * @internal Copies the value bytes of slot `sw` into the value scratch, for an optimistic
   * read (decoded only once the version check passed); false if the words are out of bounds.
   */
  private copyValue(r: ShardRegion, sw: number): boolean {
    const i32 = r.i32;
    const off = i32[sw + 1] as number;
    const start = off + ENTRY_HEADER_BYTES + (i32[off >> 2] as number);
    const vlen = i32[(off >> 2) + 1] as number;
    if (!(vlen >= 0 && start + vlen <= r.bytes)) return false;
    const vw = this.vw;
    vw.len = 0;
    vw.ensure(vlen);
    const buf = vw.buf;
    const u8 = r.u8;
    if (vlen <= 32) for (let j = 0; j < vlen; j++) buf[j] = u8[start + j] as number;
    else buf.set(u8.subarray(start, start + vlen));
    vw.len = vlen;
    return true;
  }

  /** @internal For an optimistic read: the value of slot `sw` decoded in place, or `NO_VALUE` if its words are out of bounds. */
  private valueIfInBounds(r: ShardRegion, sw: number): V | typeof NO_VALUE {
    const i32 = r.i32;
    const off = i32[sw + 1] as number;
    const start = off + ENTRY_HEADER_BYTES + (i32[off >> 2] as number);
    const vlen = i32[(off >> 2) + 1] as number;
    if (!(vlen >= 0 && start + vlen <= r.bytes)) return NO_VALUE;
    return this.vc.read(r.u8, start, vlen);
  }

  /** @internal Decodes the key of the entry at `off`. */
  private keyAt(r: ShardRegion, off: number): K {
    return this.kc.read(r.u8, off + ENTRY_HEADER_BYTES, r.i32[off >> 2] as number);
  }

  /** @internal Body of `get` (read lock held). */
  private getIn(s: number, h: number, kb: Uint8Array, klen: number): V | undefined {
    const r = this.regions[s] as ShardRegion;
    const sw = findSlot(r, h, kb, klen);
    return sw < 0 ? undefined : this.valueAt(r, sw);
  }

  /** @internal Body of `insert` / `set` (write lock held). */
  private putIn(
    s: number,
    h: number,
    kb: Uint8Array,
    klen: number,
    vb: Uint8Array,
    vlen: number,
    wantPrevious: boolean,
  ): V | undefined {
    const r = this.regions[s] as ShardRegion;
    const sw = findSlot(r, h, kb, klen);
    const previous = wantPrevious && sw >= 0 ? this.valueAt(r, sw) : undefined;
    putEntry(r, s, h, kb, klen, vb, vlen, sw);
    return previous;
  }

  /** @internal Body of `remove` (write lock held). */
  private removeIn(s: number, h: number, kb: Uint8Array, klen: number, wantPrevious: boolean): V | undefined {
    const r = this.regions[s] as ShardRegion;
    const sw = findSlot(r, h, kb, klen);
    if (sw < 0) return undefined;
    const previous = wantPrevious ? this.valueAt(r, sw) : undefined;
    removeSlot(r, sw);
    return previous;
  }

  /** @internal Body of `computeIfPresent` (write lock held; `kb` is a private copy). */
  private computeIfPresentIn(
    s: number,
    h: number,
    kb: Uint8Array,
    key: K,
    f: (value: V, key: K) => V | undefined,
  ): V | undefined {
    const r = this.regions[s] as ShardRegion;
    const klen = kb.length;
    const sw = findSlot(r, h, kb, klen);
    if (sw < 0) return undefined;
    const next = f(this.valueAt(r, sw), key);
    // `f` may have called back into this shard (it holds the write lock): look the key up again.
    if (next === undefined) {
      const at = findSlot(r, h, kb, klen);
      if (at >= 0) removeSlot(r, at);
      return undefined;
    }
    this.encodeValue(next);
    putEntry(r, s, h, kb, klen, this.vw.buf, this.vw.len, findSlot(r, h, kb, klen));
    return next;
  }

  /** @internal Body of `computeIfAbsent` (write lock held; `kb` is a private copy). */
  private computeIfAbsentIn(s: number, h: number, kb: Uint8Array, key: K, f: (key: K) => V): V {
    const r = this.regions[s] as ShardRegion;
    const klen = kb.length;
    const sw = findSlot(r, h, kb, klen);
    if (sw >= 0) return this.valueAt(r, sw);
    const value = f(key);
    this.encodeValue(value);
    putEntry(r, s, h, kb, klen, this.vw.buf, this.vw.len, findSlot(r, h, kb, klen));
    return value;
  }

  /** @internal Every entry (read locks on all shards held). */
  private collect<T>(pick: (r: ShardRegion, off: number, sw: number) => T): T[] {
    const out: T[] = [];
    for (const r of this.regions) forEachEntry(r, (off, sw) => out.push(pick(r, off, sw)));
    return out;
  }

  /** @internal Body of `retain` (write locks on all shards held). */
  private retainIn(pred: (key: K, value: V) => boolean): number {
    const doomed: [number, number, Uint8Array][] = [];
    for (let s = 0; s < this.count; s++) {
      const r = this.regions[s] as ShardRegion;
      forEachEntry(r, (off, sw) => {
        if (!pred(this.keyAt(r, off), this.valueAt(r, sw))) {
          const klen = r.i32[off >> 2] as number;
          doomed.push([s, r.i32[sw] as number, r.u8.slice(off + ENTRY_HEADER_BYTES, off + ENTRY_HEADER_BYTES + klen)]);
        }
      });
    }
    // `pred` saw every entry before anything is removed: if it threw, nothing changed.
    let removed = 0;
    for (const [s, h, kb] of doomed) {
      const r = this.regions[s] as ShardRegion;
      const sw = findSlot(r, h, kb, kb.length);
      if (sw >= 0) {
        removeSlot(r, sw);
        removed++;
      }
    }
    return removed;
  }

  /** @internal Encodes every key of a batch (bad input throws before the first write). */
  private encodeKeys(list: readonly K[]): [number, Uint8Array][] {
    const out: [number, Uint8Array][] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const h = this.encodeKey(list[i] as K);
      out[i] = [h, this.kw.buf.slice(0, this.kw.len)];
    }
    return out;
  }

  /** @internal Checks and encodes every pair of a batch before the first write. */
  private encodeEntries(entries: Iterable<readonly [K, V]>): [number, Uint8Array, Uint8Array][] {
    const list = toArray(entries, 'batchInsert', 'entries');
    const out: [number, Uint8Array, Uint8Array][] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (!Array.isArray(entry) || entry.length < 2) {
        throw new InvalidArgumentError(
          `batchInsert: entries[${i}] must be a [key, value] pair, got ${describe(entry)}; nothing was inserted`,
        );
      }
      const h = this.encodeKey(entry[0] as K);
      this.encodeValue(entry[1] as V);
      out[i] = [h, this.kw.buf.slice(0, this.kw.len), this.vw.buf.slice(0, this.vw.len)];
    }
    return out;
  }

  // ---- Reads ----

  /**
   * The value stored for `key` (a decoded copy), or `undefined`. Takes the shard's read lock:
   * readers of a shard run in parallel in every thread.
   *
   * @example
   * map.get('k1'); // 10
   */
  get(key: K): V | undefined {
    const h = this.encodeKey(key);
    const s = this.shardOf(h);
    // Optimistic first: read without announcing, keep the result if no writer held the shard.
    const r = this.regions[s] as ShardRegion;
    const version = Atomics.load(r.head, H_VERSION);
    if ((version & 1) === 0) {
      const sw = findOptimistic(r, h, this.kw.buf, this.kw.len);
      if (sw === -1) {
        if (Atomics.load(r.head, H_VERSION) === version) return undefined;
      } else if (sw !== TORN) {
        if (this.vc.total) {
          // A codec that reads any bytes decodes in place; the value is kept only if valid.
          const value = this.valueIfInBounds(r, sw);
          if (value !== NO_VALUE && Atomics.load(r.head, H_VERSION) === version) return value as V;
        } else if (this.copyValue(r, sw) && Atomics.load(r.head, H_VERSION) === version) {
          return this.vc.read(this.vw.buf, 0, this.vw.len);
        }
      }
    }
    const locks = this.locks;
    let held = locks.tryRead(s);
    if (held < 0) held = locks.readSlow(s);
    try {
      return this.getIn(s, h, this.kw.buf, this.kw.len);
    } finally {
      if (held === 1) locks.unlockRead(s);
    }
  }

  /**
   * Whether `key` is present.
   *
   * @example
   * map.contains('k1'); // true
   */
  contains(key: K): boolean {
    const h = this.encodeKey(key);
    const s = this.shardOf(h);
    const r = this.regions[s] as ShardRegion;
    const version = Atomics.load(r.head, H_VERSION);
    if ((version & 1) === 0) {
      const sw = findOptimistic(r, h, this.kw.buf, this.kw.len);
      if (sw !== TORN && Atomics.load(r.head, H_VERSION) === version) return sw >= 0;
    }
    const locks = this.locks;
    let held = locks.tryRead(s);
    if (held < 0) held = locks.readSlow(s);
    const found = findSlot(this.regions[s] as ShardRegion, h, this.kw.buf, this.kw.len) >= 0;
    if (held === 1) locks.unlockRead(s);
    return found;
  }

  /**
   * Number of entries: the sum of the shards' counts (O(shards), no lock; exact when no write
   * is in progress).
   *
   * @example
   * map.len(); // 1
   */
  len(): number {
    let n = 0;
    for (const r of this.regions) n += Atomics.load(r.i32, H_COUNT);
    return n;
  }

  /**
   * Whether the map has no entry.
   *
   * @example
   * map.isEmpty(); // false
   */
  isEmpty(): boolean {
    for (const r of this.regions) if (Atomics.load(r.i32, H_COUNT) !== 0) return false;
    return true;
  }

  /**
   * The values of `keys`, in their order (`undefined` where absent). Every key is encoded
   * before the first lookup.
   *
   * @example
   * map.batchGet(['a', 'missing']); // [1, undefined]
   */
  batchGet(keys: readonly K[]): (V | undefined)[] {
    const list = toArray(keys, 'batchGet', 'keys');
    const encoded = this.encodeKeys(list);
    const out = new Array<V | undefined>(list.length);
    const locks = this.locks;
    for (let i = 0; i < encoded.length; i++) {
      const [h, kb] = encoded[i] as [number, Uint8Array];
      const s = this.shardOf(h);
      let held = locks.tryRead(s);
      if (held < 0) held = locks.readSlow(s);
      try {
        out[i] = this.getIn(s, h, kb, kb.length);
      } finally {
        if (held === 1) locks.unlockRead(s);
      }
    }
    return out;
  }

  // ---- Writes ----

  /**
   * Stores `value` under `key`; returns the previous value, or `undefined`. A key or value its
   * codec rejects throws `CodecError`; a shard past its budget throws `CapacityError`; either
   * way nothing changed.
   *
   * @example
   * map.insert('k1', 10); // undefined
   * map.insert('k1', 11); // 10
   */
  insert(key: K, value: V): V | undefined {
    return this.write(key, value, true);
  }

  /** @internal `insert` without (or with) decoding the previous value. */
  private write(key: K, value: V, wantPrevious: boolean): V | undefined {
    const h = this.encodeKey(key);
    this.encodeValue(value);
    const s = this.shardOf(h);
    const locks = this.locks;
    const taken = locks.lockWrite(s);
    try {
      return this.putIn(s, h, this.kw.buf, this.kw.len, this.vw.buf, this.vw.len, wantPrevious);
    } finally {
      if (taken) locks.unlockWrite(s);
    }
  }

  /**
   * Removes `key`; returns the removed value, or `undefined` if it was absent.
   *
   * @example
   * map.remove('k1'); // 11
   */
  remove(key: K): V | undefined {
    return this.erase(key, true);
  }

  /** @internal `remove`, decoding the removed value or not. */
  private erase(key: K, wantPrevious: boolean): V | undefined {
    const h = this.encodeKey(key);
    const s = this.shardOf(h);
    const locks = this.locks;
    const taken = locks.lockWrite(s);
    try {
      return this.removeIn(s, h, this.kw.buf, this.kw.len, wantPrevious);
    } finally {
      if (taken) locks.unlockWrite(s);
    }
  }

  /**
   * Removes every entry (every shard write-locked at once, in ascending order, so the map is
   * empty at one point in time). Shards keep their grown memory for reuse.
   *
   * @example
   * map.clear(); map.isEmpty(); // true
   */
  clear(): void {
    if (this.closed) throw closedError();
    const taken = this.locks.lockAllWrite();
    try {
      for (const r of this.regions) clearShard(r);
    } finally {
      this.locks.unlockAllWrite(taken);
    }
  }

  /**
   * Inserts every `[key, value]` pair, in order (a later pair for the same key wins); returns
   * how many keys were new. Every pair is checked and encoded before the first is written; each
   * write is atomic on its own (other threads may interleave between two pairs).
   *
   * @example
   * map.batchInsert([['a', 1], ['b', 2], ['a', 3]]); // 2
   */
  batchInsert(entries: Iterable<readonly [K, V]>): number {
    const encoded = this.encodeEntries(entries);
    const locks = this.locks;
    let added = 0;
    for (const [h, kb, vb] of encoded) {
      const s = this.shardOf(h);
      const taken = locks.lockWrite(s);
      try {
        added += this.putBytes(s, h, kb, vb);
      } finally {
        if (taken) locks.unlockWrite(s);
      }
    }
    return added;
  }

  /** @internal Stores encoded bytes (write lock held); 1 if the key was new. */
  private putBytes(s: number, h: number, kb: Uint8Array, vb: Uint8Array): number {
    const r = this.regions[s] as ShardRegion;
    const sw = findSlot(r, h, kb, kb.length);
    putEntry(r, s, h, kb, kb.length, vb, vb.length, sw);
    return sw < 0 ? 1 : 0;
  }

  /**
   * Removes every key of `keys`; returns how many were present.
   *
   * @example
   * map.batchRemove(['a', 'missing']); // 1
   */
  batchRemove(keys: Iterable<K>): number {
    const encoded = this.encodeKeys(toArray(keys, 'batchRemove', 'keys'));
    const locks = this.locks;
    let removed = 0;
    for (const [h, kb] of encoded) {
      const s = this.shardOf(h);
      const taken = locks.lockWrite(s);
      try {
        removed += this.removeBytes(s, h, kb, kb.length);
      } finally {
        if (taken) locks.unlockWrite(s);
      }
    }
    return removed;
  }

  /** @internal Removes an encoded key (write lock held); 1 if it was present. */
  private removeBytes(s: number, h: number, kb: Uint8Array, klen: number): number {
    const r = this.regions[s] as ShardRegion;
    const sw = findSlot(r, h, kb, klen);
    if (sw < 0) return 0;
    removeSlot(r, sw);
    return 1;
  }

  /**
   * If `key` is present, stores `f(value, key)` and returns it, or removes the key when `f`
   * returns `undefined`; if absent, `f` is not called. `f` runs in the calling thread while the
   * key's shard is write-locked, so concurrent `computeIfPresent` calls from any threads never
   * lose an update. If `f` throws (or its result does not fit the codec), nothing changed.
   *
   * @example
   * map.computeIfPresent('hits', (n) => n + 1);
   */
  computeIfPresent(key: K, f: (value: V, key: K) => V | undefined): V | undefined {
    checkCallback(f, 'computeIfPresent');
    const h = this.encodeKey(key);
    const kb = this.kw.buf.slice(0, this.kw.len);
    const s = this.shardOf(h);
    const locks = this.locks;
    const taken = locks.lockWrite(s);
    try {
      return this.computeIfPresentIn(s, h, kb, key, f);
    } finally {
      if (taken) locks.unlockWrite(s);
    }
  }

  /**
   * Returns the value of `key`, or stores and returns `f(key)` when absent (`f` runs in the
   * calling thread with the shard write-locked, so across all threads it runs once per missing
   * key). A present key is found under the read lock only. If `f` throws, nothing changed.
   *
   * @example
   * const fib30 = memo.computeIfAbsent(30, fib);
   */
  computeIfAbsent(key: K, f: (key: K) => V): V {
    checkCallback(f, 'computeIfAbsent');
    const h = this.encodeKey(key);
    const s = this.shardOf(h);
    const locks = this.locks;
    let held = locks.tryRead(s);
    if (held < 0) held = locks.readSlow(s);
    const r = this.regions[s] as ShardRegion;
    try {
      const sw = findSlot(r, h, this.kw.buf, this.kw.len);
      if (sw >= 0) return this.valueAt(r, sw);
    } finally {
      if (held === 1) locks.unlockRead(s);
    }
    const kb = this.kw.buf.slice(0, this.kw.len);
    const taken = locks.lockWrite(s);
    try {
      return this.computeIfAbsentIn(s, h, kb, key, f);
    } finally {
      if (taken) locks.unlockWrite(s);
    }
  }

  /**
   * Keeps the entries for which `pred(key, value)` is true and removes the rest; returns how
   * many were removed. Every shard is write-locked (ascending order) while `pred` sees every
   * entry, then the removals are made: if `pred` throws, nothing changed.
   *
   * @example
   * sessions.retain((_, s) => s.expiresAt > Date.now());
   */
  retain(pred: (key: K, value: V) => boolean): number {
    checkCallback(pred, 'retain');
    if (this.closed) throw closedError();
    const taken = this.locks.lockAllWrite();
    try {
      return this.retainIn(pred);
    } finally {
      this.locks.unlockAllWrite(taken);
    }
  }

  // ---- Iteration (snapshots) ----

  /**
   * An iterator over `[key, value]` pairs, a snapshot of one point in time: every shard is
   * read-locked together while the entries are decoded. Order is unspecified.
   *
   * @example
   * for (const [k, v] of map.iter()) console.log(k, v);
   */
  iter(): MapIterator<[K, V]> {
    return this.snapshot((r, off, sw) => [this.keyAt(r, off), this.valueAt(r, sw)] as [K, V]).values();
  }

  /**
   * A snapshot iterator over the keys.
   *
   * @example
   * [...map.keys()];
   */
  keys(): MapIterator<K> {
    return this.snapshot((r, off) => this.keyAt(r, off)).values();
  }

  /**
   * A snapshot iterator over the values.
   *
   * @example
   * [...map.values()].reduce((a, b) => a + b, 0);
   */
  values(): MapIterator<V> {
    return this.snapshot((r, _off, sw) => this.valueAt(r, sw)).values();
  }

  /** @internal Reads every shard at one point in time. */
  private snapshot<T>(pick: (r: ShardRegion, off: number, sw: number) => T): T[] {
    if (this.closed) throw closedError();
    this.locks.readAll();
    try {
      return this.collect(pick);
    } finally {
      this.locks.unlockReadAll();
    }
  }

  // ---- Shards ----

  /**
   * The shard count.
   *
   * @example
   * new SharedShardedHashMap({ shards: 8 }).shardCount(); // 8
   */
  shardCount(): number {
    return this.count;
  }

  /**
   * How many shards are allocated: all of them, since every shard's buffer is created with the
   * map (a thread cannot learn of a buffer created later without a message).
   *
   * @example
   * map.initializedShards() === map.shardCount(); // true
   */
  initializedShards(): number {
    return this.count;
  }

  /**
   * Load statistics over the shards (all are initialized): `{ initialized, total, empty,
   * avgLoad, maxLoad, utilizationPercent }`, from the shards' counts (no lock).
   *
   * @example
   * const { maxLoad, avgLoad } = map.shardStats();
   */
  shardStats(): ShardStats {
    let empty = 0;
    let maxLoad = 0;
    let total = 0;
    for (const r of this.regions) {
      const n = Atomics.load(r.i32, H_COUNT);
      total += n;
      if (n === 0) empty++;
      if (n > maxLoad) maxLoad = n;
    }
    return {
      initialized: this.count,
      total: this.count,
      empty,
      avgLoad: total / this.count,
      maxLoad,
      utilizationPercent: 100,
    };
  }

  /**
   * Percentage of shards initialized: always 100 (see {@link initializedShards}).
   *
   * @example
   * map.shardUtilization(); // 100
   */
  shardUtilization(): number {
    return 100;
  }

  /**
   * Bytes each shard's buffer holds now (its grown length); grows with the shard, never shrinks.
   *
   * @example
   * map.shardBytes().reduce((a, b) => a + b, 0); // memory in use, over all shards
   */
  shardBytes(): number[] {
    return this.regions.map((r) => r.sab.byteLength);
  }

  // ---- Threads ----

  /**
   * Releases every lock held by the maps of thread `threadId` (a `worker_threads` thread id)
   * and repairs the shards it was writing, then frees its slot. Call it once that thread is
   * gone (e.g. from `worker.on('exit')`, or use {@link watchWorker}); calling it for a live
   * thread breaks that thread's locking. Returns how many locks were released.
   *
   * @example
   * worker.on('exit', () => map.recoverThread(worker.threadId));
   */
  recoverThread(threadId: number): number {
    if (typeof threadId !== 'number' || !Number.isSafeInteger(threadId) || threadId < 0) {
      throw new InvalidArgumentError(`recoverThread: threadId must be a worker's threadId, got ${describe(threadId)}`);
    }
    if (threadId === currentThreadId) {
      throw new InvalidArgumentError(
        `recoverThread: thread ${threadId} is the calling thread, which is alive: call it from another thread once that one is gone`,
      );
    }
    const ctl = this.locks.ctl;
    const n = Atomics.load(ctl, C_HIGH_WATER);
    let released = 0;
    for (let t = 0; t < n; t++) {
      if (Atomics.load(ctl, C_SLOTS_START + t * SLOT_WORDS + S_THREAD) !== threadId + 1) continue;
      released += this.locks.releaseSlot(t, (s) => repairShard(this.regions[s] as ShardRegion));
    }
    return released;
  }

  /**
   * Calls {@link recoverThread} for `worker` when it exits, however it exits (terminated,
   * crashed or done), so a worker killed while holding a shard lock never hangs the others.
   *
   * @example
   * const worker = new Worker(url, { workerData: map.handle });
   * map.watchWorker(worker);
   */
  watchWorker(worker: WatchableWorker): void {
    const id = worker.threadId;
    worker.once('exit', () => {
      if (!this.closed) this.recoverThread(id);
    });
  }

  /**
   * Detaches this map from the shared memory: frees its thread slot (see `maxThreads`). The
   * data stays for the other attached maps; this map throws on any later use.
   *
   * @example
   * map.close();
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const ctl = this.locks.ctl;
    Atomics.store(ctl, C_SLOTS_START + this.slot * SLOT_WORDS + S_READ, 0);
    Atomics.store(ctl, C_SLOTS_START + this.slot * SLOT_WORDS + S_THREAD, 0);
  }

  // ---- Async twins: wait with Atomics.waitAsync, never blocking the event loop ----

  /**
   * `get` that waits for a busy shard with `Atomics.waitAsync` instead of blocking the thread.
   * Use the async twins on the main thread when other threads may hold locks for long.
   *
   * @example
   * const v = await map.getAsync('k1');
   */
  getAsync(key: K): Promise<V | undefined> {
    return this.keyedAsync(key, false, (s, h, kb) => this.getIn(s, h, kb, kb.length));
  }

  /**
   * `contains` that waits with `Atomics.waitAsync`.
   *
   * @example
   * await map.containsAsync('k1');
   */
  containsAsync(key: K): Promise<boolean> {
    return this.keyedAsync(key, false, (s, h, kb) => findSlot(this.regions[s] as ShardRegion, h, kb, kb.length) >= 0);
  }

  /**
   * `batchGet` that waits with `Atomics.waitAsync`.
   *
   * @example
   * await map.batchGetAsync(['a', 'b']);
   */
  async batchGetAsync(keys: readonly K[]): Promise<(V | undefined)[]> {
    const encoded = this.encodeKeys(toArray(keys, 'batchGet', 'keys'));
    const out = new Array<V | undefined>(encoded.length);
    for (let i = 0; i < encoded.length; i++) {
      const [h, kb] = encoded[i] as [number, Uint8Array];
      out[i] = await this.lockedAsync(this.shardOf(h), false, (s) => this.getIn(s, h, kb, kb.length));
    }
    return out;
  }

  /**
   * `insert` that waits with `Atomics.waitAsync`.
   *
   * @example
   * await map.insertAsync('k1', 10);
   */
  insertAsync(key: K, value: V): Promise<V | undefined> {
    const h = this.encodeKey(key);
    const kb = this.kw.buf.slice(0, this.kw.len);
    this.encodeValue(value);
    const vb = this.vw.buf.slice(0, this.vw.len);
    return this.lockedAsync(this.shardOf(h), true, (s) => this.putIn(s, h, kb, kb.length, vb, vb.length, true));
  }

  /**
   * `remove` that waits with `Atomics.waitAsync`.
   *
   * @example
   * await map.removeAsync('k1');
   */
  removeAsync(key: K): Promise<V | undefined> {
    return this.keyedAsync(key, true, (s, h, kb) => this.removeIn(s, h, kb, kb.length, true));
  }

  /**
   * `computeIfPresent` that waits for the shard with `Atomics.waitAsync`; `f` is synchronous and
   * runs with the shard write-locked, as in the sync method.
   *
   * @example
   * await map.computeIfPresentAsync('hits', (n) => n + 1);
   */
  computeIfPresentAsync(key: K, f: (value: V, key: K) => V | undefined): Promise<V | undefined> {
    checkCallback(f, 'computeIfPresentAsync');
    return this.keyedAsync(key, true, (s, h, kb) => this.computeIfPresentIn(s, h, kb, key, f));
  }

  /**
   * `computeIfAbsent` that waits for the shard with `Atomics.waitAsync`; `f` is synchronous and
   * runs with the shard write-locked, as in the sync method.
   *
   * @example
   * await memo.computeIfAbsentAsync(30, fib);
   */
  computeIfAbsentAsync(key: K, f: (key: K) => V): Promise<V> {
    checkCallback(f, 'computeIfAbsentAsync');
    return this.keyedAsync(key, true, (s, h, kb) => this.computeIfAbsentIn(s, h, kb, key, f));
  }

  /**
   * `batchInsert` that waits with `Atomics.waitAsync`.
   *
   * @example
   * await map.batchInsertAsync([['a', 1], ['b', 2]]); // 2
   */
  async batchInsertAsync(entries: Iterable<readonly [K, V]>): Promise<number> {
    let added = 0;
    for (const [h, kb, vb] of this.encodeEntries(entries)) {
      added += await this.lockedAsync(this.shardOf(h), true, (s) => this.putBytes(s, h, kb, vb));
    }
    return added;
  }

  /**
   * `batchRemove` that waits with `Atomics.waitAsync`.
   *
   * @example
   * await map.batchRemoveAsync(['a', 'missing']); // 1
   */
  async batchRemoveAsync(keys: Iterable<K>): Promise<number> {
    let removed = 0;
    for (const [h, kb] of this.encodeKeys(toArray(keys, 'batchRemove', 'keys'))) {
      removed += await this.lockedAsync(this.shardOf(h), true, (s) => this.removeBytes(s, h, kb, kb.length));
    }
    return removed;
  }

  /**
   * `clear` that waits with `Atomics.waitAsync`.
   *
   * @example
   * await map.clearAsync();
   */
  clearAsync(): Promise<void> {
    return this.everyShardAsync(() => {
      for (const r of this.regions) clearShard(r);
    });
  }

  /**
   * `retain` that waits with `Atomics.waitAsync`; `pred` is synchronous.
   *
   * @example
   * await map.retainAsync((_, v) => v > 0);
   */
  retainAsync(pred: (key: K, value: V) => boolean): Promise<number> {
    checkCallback(pred, 'retainAsync');
    return this.everyShardAsync(() => this.retainIn(pred));
  }

  /**
   * A snapshot of every `[key, value]` pair (as `iter()`), waiting with `Atomics.waitAsync`.
   *
   * @example
   * const entries = await map.iterAsync();
   */
  async iterAsync(): Promise<[K, V][]> {
    if (this.closed) throw closedError();
    await this.locks.readAllAsync();
    try {
      return this.collect((r, off, sw) => [this.keyAt(r, off), this.valueAt(r, sw)] as [K, V]);
    } finally {
      this.locks.unlockReadAll();
    }
  }

  /** @internal Encodes `key` (a private copy, since other calls run while this one waits), then {@link lockedAsync}. */
  private keyedAsync<T>(key: K, write: boolean, body: (s: number, h: number, kb: Uint8Array) => T): Promise<T> {
    const h = this.encodeKey(key);
    const kb = this.kw.buf.slice(0, this.kw.len);
    return this.lockedAsync(this.shardOf(h), write, (s) => body(s, h, kb));
  }

  /** @internal Runs `body` under shard `s`'s read or write lock, waiting with `Atomics.waitAsync`. */
  private async lockedAsync<T>(s: number, write: boolean, body: (s: number) => T): Promise<T> {
    const locks = this.locks;
    let held: number;
    if (write) held = (await locks.lockWriteAsync(s)) ? 1 : 0;
    else {
      held = locks.tryRead(s);
      if (held < 0) held = await locks.readAsync(s);
    }
    try {
      return body(s);
    } finally {
      if (held === 1) {
        if (write) locks.unlockWrite(s);
        else locks.unlockRead(s);
      }
    }
  }

  /** @internal Runs `body` with every shard write-locked, waiting with `Atomics.waitAsync`. */
  private async everyShardAsync<T>(body: () => T): Promise<T> {
    if (this.closed) throw closedError();
    const taken = await this.locks.lockAllWriteAsync();
    try {
      return body();
    } finally {
      this.locks.unlockAllWrite(taken);
    }
  }

  // ---- The Map surface ----

  /** Number of entries (the `Map` name of {@link len}). */
  get size(): number {
    return this.len();
  }

  /**
   * `Map#set`: stores `value` under `key` and returns the map, for chaining (does not decode
   * the previous value, so it is cheaper than `insert`).
   *
   * @example
   * map.set('a', 1).set('b', 2);
   */
  set(key: K, value: V): this {
    this.write(key, value, false);
    return this;
  }

  /**
   * `Map#has` (the `Map` name of {@link contains}).
   *
   * @example
   * map.has('a');
   */
  has(key: K): boolean {
    return this.contains(key);
  }

  /**
   * `Map#delete`: removes `key`; returns whether it was present.
   *
   * @example
   * map.delete('a'); // true
   */
  delete(key: K): boolean {
    const h = this.encodeKey(key);
    const s = this.shardOf(h);
    const locks = this.locks;
    const taken = locks.lockWrite(s);
    try {
      return this.removeBytes(s, h, this.kw.buf, this.kw.len) === 1;
    } finally {
      if (taken) locks.unlockWrite(s);
    }
  }

  /**
   * `Map#forEach`, over a snapshot taken when called.
   *
   * @example
   * map.forEach((value, key) => console.log(key, value));
   */
  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    checkCallback(callback, 'forEach');
    for (const [k, v] of this.iter()) callback.call(thisArg, v, k, this);
  }

  /**
   * `Map#entries` (the `Map` name of {@link iter}): a snapshot iterator over `[key, value]`.
   *
   * @example
   * new Map(map.entries());
   */
  entries(): MapIterator<[K, V]> {
    return this.iter();
  }

  /** Iterates `[key, value]` pairs of a snapshot taken when iteration starts. */
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.iter();
  }

  /** `'SharedShardedHashMap'`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'SharedShardedHashMap';
  }
}

/** MurmurHash3 (x86, 32-bit) of the encoded key, four bytes at a time: the same in every thread. */
function hashKey(w: ByteWriter, seed: number): number {
  const len = w.len;
  const words = w.words;
  const n = len >> 2;
  let h = seed | 0;
  for (let i = 0; i < n; i++) {
    let k = Math.imul(words[i] as number, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const buf = w.buf;
  let k = 0;
  for (let i = len - 1; i >= n << 2; i--) k = (k << 8) | (buf[i] as number);
  if ((len & 3) !== 0) {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function closedError(): StarshardError {
  return new StarshardError(
    'ERR_STARSHARD_CLOSED',
    'this SharedShardedHashMap was closed: attach the handle again (SharedShardedHashMap.attach(map.handle)) to use it',
  );
}

function checkCallback(f: unknown, method: string): void {
  if (typeof f !== 'function') {
    throw new InvalidArgumentError(
      `${method}: the callback must be a function, got ${describe(f)}; the map is unchanged`,
    );
  }
}

function toArray<T>(items: Iterable<T>, method: string, name: string): readonly T[] {
  if (Array.isArray(items)) return items;
  if (items == null || typeof (items as Iterable<T>)[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError(
      `${method}: ${name} must be iterable (an array, Set, Map, generator...), got ${describe(items)}`,
    );
  }
  return Array.from(items);
}

function checkCodec<T>(codec: Codec<T>, role: 'key' | 'value'): Codec<T> {
  if (
    typeof codec !== 'object' ||
    codec === null ||
    typeof codec.name !== 'string' ||
    typeof codec.encode !== 'function' ||
    typeof codec.decode !== 'function'
  ) {
    throw new InvalidArgumentError(
      `options.${role} must be a codec { name, encode, decode } (e.g. codecs.string), got ${describe(codec)}`,
    );
  }
  return codec;
}

function checkTimeout(ms: unknown): number {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0) {
    throw new InvalidArgumentError(
      `lockTimeoutMs must be a positive number of milliseconds (or Infinity), got ${describe(ms)}`,
    );
  }
  return ms;
}

function checkBytes(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive whole number of bytes, got ${describe(value)}`);
  }
  return value;
}

function attachedCodec(name: string, given: Codec<unknown> | undefined, role: 'key' | 'value'): Codec<unknown> {
  if (given !== undefined) {
    checkCodec(given, role);
    if (given.name !== name) {
      throw new InvalidArgumentError(
        `attach: the map's ${role} codec is "${name}", but a codec named "${given.name}" was given: pass the creator's codec`,
      );
    }
    return given;
  }
  const builtin = builtinCodec(name);
  if (builtin === undefined) {
    throw new InvalidArgumentError(
      `attach: the map uses the custom ${role} codec "${name}", which cannot cross threads: ` +
        `pass it again, SharedShardedHashMap.attach(handle, { ${role}: yourCodec })`,
    );
  }
  return builtin;
}

function checkHandle(handle: unknown): asserts handle is SharedShardedHashMapHandle {
  const h = handle as Partial<SharedShardedHashMapHandle> | null;
  if (typeof h !== 'object' || h === null || h.kind !== 'starshard.shared') {
    throw new InvalidArgumentError(
      `attach: expected the handle of a SharedShardedHashMap (map.handle), got ${describe(handle)}`,
    );
  }
  if (h.version !== 1) {
    throw new InvalidArgumentError(
      `attach: handle layout version ${describe(h.version)} is not supported by this release (1): use the same @starshard/shared version in every thread`,
    );
  }
  if (
    !Array.isArray(h.regions) ||
    h.regions.length !== h.shards ||
    !h.regions.every((r) => r instanceof SharedArrayBuffer) ||
    !(h.control instanceof SharedArrayBuffer)
  ) {
    throw new InvalidArgumentError(
      'attach: the handle is damaged (its shared buffers are missing): send map.handle as is',
    );
  }
}

/** `SharedArrayBuffer` with ES2024's growable form (Node 20 has it; the ES2023 lib does not type it). */
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (
  length: number,
  options: { maxByteLength: number },
) => SharedArrayBuffer;

/** Creates every shard's buffer and the lock table. */
function createHandle<K, V>(
  options: SharedShardedHashMapOptions<K, V>,
  key: string,
  value: string,
  lockTimeoutMs: number,
): SharedShardedHashMapHandle {
  // The core's shard-count rules, reused as they are (warning and errors included).
  const shards = new ShardedHashMap<never, never>(options.shards, {
    maxShards: options.maxShards,
    strict: options.strict,
  }).shardCount();
  const maxBytes = checkBytes('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
  const initialBytes = checkBytes('initialBytes', options.initialBytes, Math.min(DEFAULT_INITIAL_BYTES, maxBytes));
  const perShardMax = Math.min(Math.floor(maxBytes / shards), MAX_SHARD_BYTES);
  if (perShardMax < MIN_SHARD_BYTES) {
    throw new InvalidArgumentError(
      `maxBytes ${maxBytes} leaves ${perShardMax} bytes per shard over ${shards} shards, below the minimum of ${MIN_SHARD_BYTES}: ` +
        `raise maxBytes to at least ${MIN_SHARD_BYTES * shards} or use fewer shards`,
    );
  }
  if (initialBytes > maxBytes) {
    throw new InvalidArgumentError(`initialBytes (${initialBytes}) must not exceed maxBytes (${maxBytes})`);
  }
  const perShard = Math.min(Math.max(Math.floor(initialBytes / shards), MIN_SHARD_BYTES), perShardMax);
  const maxThreads = options.maxThreads ?? DEFAULT_MAX_THREADS;
  if (typeof maxThreads !== 'number' || !Number.isSafeInteger(maxThreads) || maxThreads < 1 || maxThreads > 65_536) {
    throw new InvalidArgumentError(`maxThreads must be a whole number from 1 to 65536, got ${describe(maxThreads)}`);
  }
  const seedOption = options.seed;
  if (seedOption !== undefined && (typeof seedOption !== 'number' || !Number.isFinite(seedOption))) {
    throw new InvalidArgumentError(`options.seed must be a finite number, got ${describe(seedOption)}`);
  }
  const seed = seedOption === undefined ? (Math.random() * 0x100000000) | 0 : seedOption | 0;
  // The first image: a quarter of the shard's initial bytes for slots, the rest for entries.
  const room = perShard - REGION_HEADER_BYTES - IMAGE_HEADER_BYTES;
  let slots = MIN_SLOTS;
  while (slots * 2 * 8 <= room / 4) slots *= 2;
  const heap = room - slots * 8;
  const regions: SharedArrayBuffer[] = [];
  for (let s = 0; s < shards; s++) {
    const sab = new GrowableSharedArrayBuffer(REGION_HEADER_BYTES + imageBytes(slots, heap), {
      maxByteLength: perShardMax,
    });
    const i32 = new Int32Array(sab);
    writeEmptyImage(i32, REGION_HEADER_BYTES, slots, heap);
    i32[H_BASE] = REGION_HEADER_BYTES;
    i32[H_BYTES] = sab.byteLength;
    regions.push(sab);
  }
  const control = new SharedArrayBuffer((C_SLOTS_START + maxThreads * SLOT_WORDS) * 4);
  return {
    kind: 'starshard.shared',
    version: 1,
    shards,
    seed,
    regions,
    control,
    maxThreads,
    key,
    value,
    lockTimeoutMs,
  };
}

/** Claims a free thread slot in the lock table for a new map. */
function claimSlot(ctl: Int32Array, maxThreads: number): number {
  for (let t = 0; t < maxThreads; t++) {
    if (Atomics.compareExchange(ctl, C_SLOTS_START + t * SLOT_WORDS + S_THREAD, 0, currentThreadId + 1) !== 0) continue;
    Atomics.store(ctl, C_SLOTS_START + t * SLOT_WORDS + S_READ, 0);
    for (;;) {
      const high = Atomics.load(ctl, C_HIGH_WATER);
      if (high > t || Atomics.compareExchange(ctl, C_HIGH_WATER, high, t + 1) === high) break;
    }
    return t;
  }
  throw new CapacityError(
    -1,
    maxThreads + 1,
    maxThreads,
    `all ${maxThreads} thread slots of this map are attached: close() maps that are done, call ` +
      'recoverThread(threadId) for workers that exited, or create the map with a larger maxThreads',
  );
}
