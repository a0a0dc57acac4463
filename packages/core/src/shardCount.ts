import { DEFAULT_SHARDS, MAX_SHARDS } from './constants.js';
import { describe, InvalidArgumentError, ShardCountError } from './errors.js';

/** How a requested shard count above its cap is handled. */
export type ShardCountPolicy = 'clamp' | 'strict';

/**
 * Resolves a requested shard count: `0`/`undefined` → 64; a non-number, `NaN`, a negative,
 * fractional or infinite count → `ShardCountError` always; above `cap` → clamped with a
 * `STARSHARD_SHARDS_CLAMPED` warning (`'clamp'`) or `ShardCountError` (`'strict'`).
 */
export function resolveShardCount(requested: unknown, cap: number, policy: ShardCountPolicy): number {
  if (requested === undefined || requested === 0) requested = DEFAULT_SHARDS;
  if (typeof requested !== 'number' || !Number.isSafeInteger(requested) || requested < 0) {
    throw new ShardCountError(
      requested,
      cap,
      `shard count must be a non-negative safe integer, got ${describe(requested)}: pass a whole number from 1 to ${cap} ` +
        `(or 0 / undefined for the default of ${DEFAULT_SHARDS})`,
    );
  }
  if (requested <= cap) return requested;
  if (policy === 'strict') throw new ShardCountError(requested, cap);
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(`starshard: shard count ${requested} is above the maximum of ${cap}; using ${cap} shards`, {
      code: 'STARSHARD_SHARDS_CLAMPED',
    });
  }
  return cap;
}

/**
 * Resolves a cap given to the `*Capped` constructors or `options.maxShards`: clamped to
 * `[1, MAX_SHARDS]` (the Rust `max(max, 1)` rule); not a number at all is a caller bug.
 */
export function resolveCap(max: unknown): number {
  if (max === undefined) return MAX_SHARDS;
  if (typeof max !== 'number' || Number.isNaN(max)) {
    throw new InvalidArgumentError(
      `maxShards must be a number, got ${describe(max)}: pass the largest shard count to allow`,
    );
  }
  return Math.min(Math.max(Math.floor(max), 1), MAX_SHARDS);
}
