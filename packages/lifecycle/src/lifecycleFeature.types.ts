/**
 * Which entry a full map gives up, and whether entries expire:
 * - `'lru'`: the least recently used entry of the shard that is full (a `get` hit, or an insert, is a use).
 * - `'lfu'`: the least frequently used entry of that shard; among equally used entries, the least
 *   recently used (the one that reached that count first).
 * - `'ttl'`: entries expire `ttlMs` after their last write; when a bound is also given, a full
 *   shard gives up its oldest-inserted entry.
 *
 * @example
 * const policy: EvictionPolicy = 'lru';
 */
export type EvictionPolicy = 'lru' | 'lfu' | 'ttl';

/**
 * The `eviction` option: a policy and its bounds. `maxEntries` is split over the shards (shard
 * `i` of `n` may hold `floor(maxEntries / n)`, plus one for the first `maxEntries % n` shards, so
 * the per-shard bounds sum to `maxEntries`); a rebalance re-splits it over the new count.
 * `ttlMs` works with every policy (an LRU cache whose entries also expire). Bad values throw
 * `EvictionConfigError` at construction.
 *
 * @example
 * new Cache<string, Page>(16, { eviction: { policy: 'lru', maxEntries: 10_000, ttlMs: 60_000 } });
 */
export interface EvictionConfig {
  /** Which entry a full shard gives up (see {@link EvictionPolicy}). */
  policy: EvictionPolicy;
  /** Bound on the whole map, split over the shards; at least the shard count. Required by `'lru'`/`'lfu'` unless `maxEntriesPerShard` is given. */
  maxEntries?: number | undefined;
  /** Bound on every shard (with `maxEntries` too, each shard gets the smaller of its share and this). */
  maxEntriesPerShard?: number | undefined;
  /** Time to live after the last write, in ms (> 0). Required by `'ttl'`. */
  ttlMs?: number | undefined;
  /** How often an unref'd timer sweeps expired entries, in ms; default `ttlMs` kept within [1000, 60000]; `Infinity`: no timer. */
  checkIntervalMs?: number | undefined;
}

/**
 * The constructor option the `lifecycle` plugin adds.
 *
 * @example
 * new (ShardedHashMap.with(lifecycle))<string, number>(16, { eviction: { policy: 'ttl', ttlMs: 5_000 } });
 */
export interface LifecycleOptions {
  /** Bound and expire entries; omitted: the map keeps everything (stats and metrics still work). */
  eviction?: EvictionConfig | undefined;
}

/**
 * One initialized shard's load, from `perShardLoad()`.
 *
 * @example
 * const [{ shardIdx, entryCount, capacity }] = m.perShardLoad();
 */
export interface PerShardLoad {
  /** The shard's index in the current layout. */
  shardIdx: number;
  /** Entries in the shard. */
  entryCount: number;
  /** The estimated capacity of the shard's `Map`: the smallest power of two >= its size, at least 4 (V8's growth rule). */
  capacity: number;
}

/**
 * The map's estimated memory, from `memoryStats()`. Estimates, not measurements: see the README
 * for how they are computed and how they compare with `process.memoryUsage()`.
 *
 * @example
 * const { estimatedBytes, loadFactor } = m.memoryStats();
 */
export interface MemoryStats {
  /** Shard `Map`s allocated (with `rebalance`, the old layout's too while migrating). */
  shardsAllocated: number;
  /** The estimated capacities of those `Map`s, summed (see {@link PerShardLoad.capacity}). */
  totalCapacity: number;
  /** Entries over `totalCapacity` (0 when nothing is allocated). */
  loadFactor: number;
  /**
   * Estimated bytes of the map's own structures: the shard array, every shard's hash table,
   * and the eviction bookkeeping (TTL expiries, LFU counts). Keys and values are not counted.
   */
  estimatedBytes: number;
}

/**
 * The counts kept by `metrics()` since the map was made or `resetMetrics()` was called.
 *
 * @example
 * const { hits, misses, hitRate, evictions } = m.metrics();
 */
export interface MetricsStats {
  /** Calls that stored a value: `insert`, `set`, each entry of `batchInsert`, and the stores of `computeIfAbsent` / `computeIfPresent`. */
  totalInserts: number;
  /** Entries removed by the user: `remove`, `delete`, `batchRemove`, `retain`, `computeIfPresent` returning `undefined`, and the entries `clear()` and `drain()` dropped. Evictions are not counted here. */
  totalRemoves: number;
  /** Lookups counted: `get`, each key of `batchGet`, and `computeIfAbsent` (`hits + misses`). */
  totalGets: number;
  /** Lookups that found a live entry. */
  hits: number;
  /** Lookups that found nothing, or an expired entry. */
  misses: number;
  /** Entries evicted: by the LRU / LFU / TTL bound, and expired entries removed (on access or by the sweep). */
  evictions: number;
  /** `hits / (hits + misses)`, 0 when there was no lookup. */
  hitRate: number;
  /** When the last eviction happened (`Date.now()` milliseconds), `undefined` if none. */
  lastEvictTime: number | undefined;
}

/**
 * What the `lifecycle` plugin adds to a `ShardedHashMap`: load and memory statistics, `drain`,
 * metrics, and (with option `eviction`) LRU / LFU / TTL eviction.
 *
 * @example
 * const Cache = ShardedHashMap.with(lifecycle);
 * const c = new Cache<string, string>(16, { eviction: { policy: 'lru', maxEntries: 1_000 } });
 * c.insert('a', 'x'); c.get('a'); c.get('b');
 * c.metrics(); // { hits: 1, misses: 1, hitRate: 0.5, ... }
 */
export interface LifecycleApi<K, V> {
  /**
   * The load of every initialized shard of the current layout, in index order. O(shards).
   *
   * @example
   * const worst = Math.max(...m.perShardLoad().map((s) => s.entryCount));
   */
  perShardLoad(): PerShardLoad[];
  /**
   * Estimated memory of the map's structures (see {@link MemoryStats}). O(shards).
   *
   * @example
   * console.log(`${(m.memoryStats().estimatedBytes / 1e6).toFixed(1)} MB`);
   */
  memoryStats(): MemoryStats;
  /**
   * Empties the map at once (like `clear()`) and returns an iterator over the removed entries:
   * O(shards), the entries are read lazily from the released shards. Expired entries are not
   * returned.
   *
   * @example
   * for (const [key, value] of m.drain()) flush(key, value); // m.len() === 0 already
   */
  drain(): IterableIterator<[K, V]>;
  /**
   * The counts since the map was made or {@link LifecycleApi.resetMetrics} was last called.
   *
   * @example
   * m.metrics().hitRate;
   */
  metrics(): MetricsStats;
  /**
   * Sets every count of {@link LifecycleApi.metrics} back to 0 (`lastEvictTime` to `undefined`).
   *
   * @example
   * setInterval(() => { report(m.metrics()); m.resetMetrics(); }, 60_000);
   */
  resetMetrics(): void;
  /**
   * Removes every expired entry now (what the sweep timer does) and returns how many. Without
   * `ttlMs`, returns 0.
   *
   * @example
   * m.purgeExpired();
   */
  purgeExpired(): number;
}

/**
 * What the `lifecycle` plugin adds to an `AsyncShardedHashMap`: the same methods, returning
 * promises. `drain()` takes the whole map (after the callbacks in progress) and resolves to the
 * removed entries as an array, as the async `iter()` does.
 *
 * @example
 * const m = new (AsyncShardedHashMap.with(lifecycle))<string, number>(16, { eviction: { policy: 'ttl', ttlMs: 1_000 } });
 * const { hitRate } = await m.metrics();
 */
export interface AsyncLifecycleApi<K, V> {
  /** The load of every initialized shard (see {@link LifecycleApi.perShardLoad}). */
  perShardLoad(): Promise<PerShardLoad[]>;
  /** Estimated memory (see {@link LifecycleApi.memoryStats}). */
  memoryStats(): Promise<MemoryStats>;
  /** Empties the map once the callbacks in progress end; resolves to the removed entries. */
  drain(options?: { signal?: AbortSignal | undefined }): Promise<[K, V][]>;
  /** The counts (see {@link LifecycleApi.metrics}). */
  metrics(): Promise<MetricsStats>;
  /** Resets the counts (see {@link LifecycleApi.resetMetrics}). */
  resetMetrics(): Promise<void>;
  /** Removes every expired entry now (see {@link LifecycleApi.purgeExpired}). */
  purgeExpired(): Promise<number>;
}

// The registry entries, keyed by the plugin's name: only classes composed with `lifecycle` get
// these methods and options.
declare module '@starshard/core' {
  interface PluginApis<K, V> {
    lifecycle: LifecycleApi<K, V>;
  }
  interface AsyncPluginApis<K, V> {
    lifecycle: AsyncLifecycleApi<K, V>;
  }
  interface PluginOptions<K, V> {
    lifecycle: LifecycleOptions;
  }
}
