/**
 * @internal The bound of shard `index` out of `count`: `maxEntries` split as evenly as possible
 * (the first `maxEntries % count` shards get one more), so the bounds sum to `maxEntries`
 * exactly; never above `maxEntriesPerShard`. Computed from the current count, so a rebalance
 * re-splits the bound over the new shards.
 */
export function shardBound(index: number, count: number, maxEntries: number, maxEntriesPerShard: number): number {
  if (maxEntries === Number.POSITIVE_INFINITY) return maxEntriesPerShard;
  const share = Math.floor(maxEntries / count) + (index < maxEntries % count ? 1 : 0);
  return Math.min(share, maxEntriesPerShard);
}

/** @internal The bound of the whole map: `maxEntries`, or every shard's bound summed. */
export function totalBound(count: number, maxEntries: number, maxEntriesPerShard: number): number {
  const perShard = maxEntriesPerShard * count;
  return Math.min(maxEntries, perShard);
}
