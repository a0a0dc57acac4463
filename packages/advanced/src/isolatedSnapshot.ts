import { type Hasher, ShardedHashMap } from '@starshard/core';

/**
 * A point-in-time, read-only view of a map, taken in O(shards) by sharing its shard maps
 * (copy-on-write: the first later write to a shard copies that shard once). No later write
 * changes it. `version` is the map's write version when it was taken (see `currentVersion()`).
 *
 * @example
 * const snap = map.cowSnapshot();
 * map.insert('a', 2);
 * snap.get('a'); // the value before the insert
 * for (const [k, v] of snap) console.log(k, v);
 */
export interface CowSnapshot<K, V> extends Iterable<[K, V]> {
  /** The map's write version when the snapshot was taken. */
  readonly version: number;
  /** Number of entries (the `Map` name of {@link CowSnapshot.len}). */
  readonly size: number;
  /** Number of entries. */
  len(): number;
  /** The value `key` had, or `undefined`. One hash and one lookup, like a live read. */
  get(key: K): V | undefined;
  /** Whether `key` was present. */
  has(key: K): boolean;
  /** A lazy iterator over the `[key, value]` pairs (order unspecified). */
  entries(): IterableIterator<[K, V]>;
  /** A lazy iterator over the keys. */
  keys(): IterableIterator<K>;
  /** A lazy iterator over the values. */
  values(): IterableIterator<V>;
  /** The entries as an array. */
  toArray(): [K, V][];
}

/**
 * A {@link CowSnapshot} that also knows when it was taken: what `versionedSnapshot()` and
 * `snapshotAtVersion(v)` return. It holds its data (the shared shard maps), so it stays
 * readable as long as it is referenced, whatever the map does later.
 *
 * @example
 * const v1 = map.versionedSnapshot();
 * map.insert('a', 2);
 * map.snapshotAtVersion(v1.version) === v1; // true while retained (option historyLimit, default 8)
 * v1.age();                                  // milliseconds since it was taken
 */
export interface IsolatedSnapshot<K, V> extends CowSnapshot<K, V> {
  /** When it was taken (`Date.now()`). */
  readonly timestamp: number;
  /** Milliseconds since it was taken. */
  age(): number;
}

/** @internal A map's routing at one moment; routed by the core's own `indexFor`, so a snapshot read hashes like a live one. */
export interface Routing<K> {
  readonly count: number;
  readonly scale: number;
  readonly shift: number;
  readonly hasher: Hasher<K> | undefined;
  readonly seed: number;
  readonly sampleSkip: number;
}

/** The core's routing, reached past `protected` (the seam plugins extend), applied to a captured {@link Routing}. */
const coreIndexFor = (ShardedHashMap.prototype as unknown as { indexFor(this: Routing<any>, key: unknown): number })
  .indexFor;

/** @internal The one implementation of {@link IsolatedSnapshot}: shard maps nobody mutates any more, and their routing. */
export class FrozenSnapshot<K, V> implements IsolatedSnapshot<K, V> {
  readonly version: number;
  readonly timestamp: number;
  readonly #shards: readonly (Map<K, V> | undefined)[];
  readonly #routing: Routing<K>;
  readonly #size: number;

  constructor(shards: readonly (Map<K, V> | undefined)[], routing: Routing<K>, size: number, version: number) {
    this.version = version;
    this.timestamp = Date.now();
    this.#shards = shards;
    this.#routing = routing;
    this.#size = size;
  }

  get size(): number {
    return this.#size;
  }

  len(): number {
    return this.#size;
  }

  age(): number {
    return Date.now() - this.timestamp;
  }

  get(key: K): V | undefined {
    return this.#shards[coreIndexFor.call(this.#routing, key)]?.get(key);
  }

  has(key: K): boolean {
    return this.#shards[coreIndexFor.call(this.#routing, key)]?.has(key) ?? false;
  }

  *entries(): IterableIterator<[K, V]> {
    for (const shard of this.#shards) if (shard !== undefined) yield* shard.entries();
  }

  *keys(): IterableIterator<K> {
    for (const shard of this.#shards) if (shard !== undefined) yield* shard.keys();
  }

  *values(): IterableIterator<V> {
    for (const shard of this.#shards) if (shard !== undefined) yield* shard.values();
  }

  toArray(): [K, V][] {
    return Array.from(this.entries());
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'IsolatedSnapshot';
  }
}
