import { DEFAULT_SHARDS, MAX_SHARDS, ShardCountError } from '@starshard/core';
import { describe } from './describe.js';

/**
 * @internal The shard count a rebalance asks for, by the core's rules and always strictly:
 * `0`/`undefined` → 64; not a non-negative safe integer, or above `cap` → `ShardCountError`.
 */
export function resolveTargetCount(requested: unknown, cap: number, method: string): number {
  if (requested === undefined || requested === 0) requested = DEFAULT_SHARDS;
  if (typeof requested !== 'number' || !Number.isSafeInteger(requested) || requested < 0) {
    throw new ShardCountError(
      requested,
      cap,
      `${method}: shard count must be a non-negative safe integer, got ${describe(requested)}: pass a whole number ` +
        `from 1 to ${cap} (or 0 for the default of ${DEFAULT_SHARDS}); the map is unchanged`,
    );
  }
  if (requested > cap) {
    throw new ShardCountError(
      requested,
      cap,
      `${method}: shard count ${requested} is above the maximum of ${cap}${cap < MAX_SHARDS ? " (the map's maxShards)" : ''}: ` +
        `rebalancing is always strict, so ask for at most ${cap} shards; the map is unchanged`,
    );
  }
  return requested;
}
