/**
 * The shard count used when none (or `0`) is given, as in the Rust crate.
 *
 * @example
 * new ShardedHashMap().shardCount() === DEFAULT_SHARDS; // 64
 */
export const DEFAULT_SHARDS = 64;

/**
 * The largest shard count any map accepts (2^18). Larger requests are clamped (lenient
 * constructors) or rejected with `ShardCountError` (strict ones).
 *
 * @example
 * ShardedHashMap.withShardsAndHasher(1e9).shardCount() === MAX_SHARDS; // 262_144, with a warning
 */
export const MAX_SHARDS = 262_144;
