import { MAX_SHARDS } from '@starshard/core';

/**
 * @internal The largest shard count a map may rebalance to: its `options.maxShards` clamped to
 * `[1, MAX_SHARDS]`, as the core resolves it (the core has already rejected a non-number).
 */
export function shardCap(options: { maxShards?: number | undefined } | undefined): number {
  const max = options?.maxShards;
  if (typeof max !== 'number' || Number.isNaN(max)) return MAX_SHARDS;
  return Math.min(Math.max(Math.floor(max), 1), MAX_SHARDS);
}
