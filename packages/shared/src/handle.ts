/**
 * The structured-cloneable descriptor of a {@link SharedShardedHashMap}: pass it through
 * `workerData` or `postMessage` and call `SharedShardedHashMap.attach(handle)` on the other side.
 * It holds the shared buffers (one growable `SharedArrayBuffer` per shard, one for the lock
 * table) and the settings every thread must agree on; it never goes stale, since shards grow
 * inside their own buffers.
 *
 * @example
 * new Worker(url, { workerData: { cache: map.handle } });
 */
export interface SharedShardedHashMapHandle {
  /** Always `'starshard.shared'`: `attach` checks it. */
  readonly kind: 'starshard.shared';
  /** Layout version: `attach` refuses a handle from an incompatible release. */
  readonly version: 1;
  /** The shard count. */
  readonly shards: number;
  /** Seed of the key hash (the same in every thread). */
  readonly seed: number;
  /** One region per shard. */
  readonly regions: readonly SharedArrayBuffer[];
  /** The lock table: one slot per attached map. */
  readonly control: SharedArrayBuffer;
  /** Thread slots in `control`. */
  readonly maxThreads: number;
  /** The key codec's name. */
  readonly key: string;
  /** The value codec's name. */
  readonly value: string;
  /** The creator's lock timeout (each attached map may choose its own). */
  readonly lockTimeoutMs: number;
}
