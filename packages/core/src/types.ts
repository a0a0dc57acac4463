import type { Hasher } from './hashing.js';

/**
 * Options of `new ShardedHashMap(shards, options)`, plus the options of every composed plugin.
 *
 * @example
 * new ShardedHashMap<string, number>(128, { strict: true, seed: 42 });
 */
export interface ShardedHashMapOptions<K> {
  /** Custom key hasher; default: the seeded default hash (see `defaultHasher`). */
  hasher?: Hasher<K> | undefined;
  /** Cap on the shard count, clamped to `[1, MAX_SHARDS]`; default `MAX_SHARDS`. */
  maxShards?: number | undefined;
  /** Reject a count above the cap with `ShardCountError` instead of clamping it. */
  strict?: boolean | undefined;
  /** Seed of the default hasher, for reproducible shard placement; default: random per map. */
  seed?: number | undefined;
}

/**
 * How entries spread over shards, computed over the initialized shards.
 *
 * @example
 * const { initialized, maxLoad, avgLoad } = map.shardStats();
 */
export interface ShardStats {
  /** Shards allocated so far (a shard is allocated by the first write routed to it). */
  initialized: number;
  /** The shard count. */
  total: number;
  /** Initialized shards that hold no entry (all removed). */
  empty: number;
  /** Entries per initialized shard (0 when none is initialized). */
  avgLoad: number;
  /** Entries in the fullest shard. */
  maxLoad: number;
  /** `initialized / total * 100`. */
  utilizationPercent: number;
}

/** The kinds of change a write observer (`afterWrite`) is told about. */
export type WriteOp = 'insert' | 'remove' | 'clear';
