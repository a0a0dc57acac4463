import { ShardedHashMap } from '@starshard/core';

/**
 * @internal The sync map inside every `AsyncShardedHashMap`: the core map (or its composition
 * with the same plugins' sync facets) plus what the async map needs from the core's protected
 * seam, reached by subclassing rather than copying: the shard index of a key, and a counter of
 * layout changes (the core's one-time switch to full string hashing, a rebalance), after which
 * shard indices taken earlier no longer name the same shard.
 */
export class InnerShardedHashMap<K, V> extends ShardedHashMap<K, V> {
  /** Incremented by every layout change. */
  layoutEpoch = 0;

  /** The index of `key`'s shard in the current layout (the core's routing, one hash). */
  shardIndexOf(key: K): number {
    return this.indexFor(key);
  }

  protected override layoutChanged(): void {
    this.layoutEpoch++;
    super.layoutChanged();
  }
}
