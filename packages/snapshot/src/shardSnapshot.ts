import { InvalidArgumentError } from '@starshard/core';
import type { MapSnapshot } from './mapSnapshot.js';
import { ShardIterator } from './shardIterator.js';
import type { ShardRouter } from './shardRouter.js';

/**
 * @internal The one implementation of {@link MapSnapshot}, in every mode: shard maps that no
 * one mutates any more (copies in `Clone`/`Cached` mode, the captured live maps in `Cow`
 * mode) and the routing they were laid out with. A read is one hash, one array load and one
 * `Map` lookup, like a live read.
 *
 * @example
 * const snap = new ShardSnapshot(shards.slice(), router, entryCount, epoch);
 * snap.get('k1');
 */
export class ShardSnapshot<K, V> implements MapSnapshot<K, V> {
  readonly #shards: readonly (Map<K, V> | undefined)[];
  readonly #router: ShardRouter<K>;
  readonly #size: number;
  readonly #version: number;

  constructor(shards: readonly (Map<K, V> | undefined)[], router: ShardRouter<K>, size: number, version: number) {
    this.#shards = shards;
    this.#router = router;
    this.#size = size;
    this.#version = version;
  }

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** The map's write epoch when the snapshot was taken. */
  get version(): number {
    return this.#version;
  }

  /**
   * The value `key` had when the snapshot was taken, or `undefined`.
   *
   * @example
   * snap.get('k1'); // 10
   */
  get(key: K): V | undefined {
    const shard = this.#shards[this.#router.indexFor(key)];
    return shard === undefined ? undefined : shard.get(key);
  }

  /**
   * Whether `key` was present when the snapshot was taken.
   *
   * @example
   * snap.has('k1'); // true
   */
  has(key: K): boolean {
    const shard = this.#shards[this.#router.indexFor(key)];
    return shard !== undefined && shard.has(key);
  }

  /**
   * A lazy iterator over the `[key, value]` pairs.
   *
   * @example
   * new Map(snap.entries());
   */
  entries(): MapIterator<[K, V]> {
    return new ShardIterator<[K, V]>(this.#shards, 'entries') as unknown as MapIterator<[K, V]>;
  }

  /**
   * A lazy iterator over the keys.
   *
   * @example
   * [...snap.keys()];
   */
  keys(): MapIterator<K> {
    return new ShardIterator<K>(this.#shards, 'keys') as unknown as MapIterator<K>;
  }

  /**
   * A lazy iterator over the values.
   *
   * @example
   * let total = 0; for (const v of snap.values()) total += v;
   */
  values(): MapIterator<V> {
    return new ShardIterator<V>(this.#shards, 'values') as unknown as MapIterator<V>;
  }

  /** Iterates the `[key, value]` pairs (lazily). */
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  /**
   * `ReadonlyMap#forEach`: calls `callback(value, key, snapshot)` for every entry.
   *
   * @example
   * snap.forEach((value, key) => console.log(key, value));
   */
  forEach(callback: (value: V, key: K, snapshot: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') {
      throw new InvalidArgumentError(`forEach: the callback must be a function, got ${typeof callback}`);
    }
    for (const shard of this.#shards) {
      if (shard === undefined) continue;
      for (const [key, value] of shard) callback.call(thisArg, value, key, this);
    }
  }

  /**
   * Every entry, as a new array of new `[key, value]` pairs.
   *
   * @example
   * JSON.stringify(snap.toArray());
   */
  toArray(): [K, V][] {
    const out: [K, V][] = [];
    for (const shard of this.#shards) {
      if (shard === undefined) continue;
      for (const entry of shard) out.push(entry);
    }
    return out;
  }

  /** `'MapSnapshot'`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'MapSnapshot';
  }
}
