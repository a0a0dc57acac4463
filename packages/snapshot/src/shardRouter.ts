import { type Hasher, ShardedHashMap } from '@starshard/core';

/** The core's routing method, reached past its `protected` modifier (the seam plugins extend). */
const coreIndexFor = (ShardedHashMap.prototype as unknown as { indexFor(key: unknown): number }).indexFor;

/**
 * @internal A map's routing as it was at one moment: the shard count and hash parameters a
 * snapshot needs to find a key's shard after the map itself has moved on (a `clear`, the
 * core's switch to another string sample, a rebalance). It routes with the core's own
 * `indexFor`, borrowed rather than copied, so snapshot reads hash exactly like live reads and
 * cost the same; that is why its fields carry the core's field names.
 *
 * @example
 * const router = new ShardRouter(count, scale, shift, hasher, seed, sampleSkip);
 * const shard = shards[router.indexFor(key)];
 */
export class ShardRouter<K> {
  // Read by the core's `indexFor`: names and meanings are the core's (see ShardedHashMap).
  readonly count: number;
  readonly scale: number;
  readonly shift: number;
  readonly hasher: Hasher<K> | undefined;
  readonly seed: number;
  readonly sampleSkip: number;
  /** The index of `key`'s shard under this routing (the core's `indexFor`). */
  declare readonly indexFor: (key: K) => number;

  constructor(
    count: number,
    scale: number,
    shift: number,
    hasher: Hasher<K> | undefined,
    seed: number,
    sampleSkip: number,
  ) {
    this.count = count;
    this.scale = scale;
    this.shift = shift;
    this.hasher = hasher;
    this.seed = seed;
    this.sampleSkip = sampleSkip;
  }
}

Object.defineProperty(ShardRouter.prototype, 'indexFor', { value: coreIndexFor, writable: false });
