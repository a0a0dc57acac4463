import type { LfuShard } from './lfuShard.js';
import { LruIndex } from './lruIndex.js';
import { LFU, LRU, NONE, type ResolvedEviction, TTL } from './readEvictionConfig.js';

/**
 * @internal A lifecycle map's state, in one object behind one field: the metrics, the resolved
 * `eviction` option, and the bookkeeping only the configured features allocate (TTL expiries,
 * LFU counts). Fields are all set here, in this order: one hidden class.
 */
export class LifecycleState<K> {
  /** `get` (and counted lookups) that found a live entry. */
  hits: number;
  /** Counted lookups that found nothing or an expired entry. */
  misses: number;
  /** Calls that stored a value. */
  inserts: number;
  /** Entries removed by the user (not by eviction). */
  removes: number;
  /** Entries evicted (bound or expiry). */
  evictions: number;
  /** `Date.now()` of the last eviction. */
  lastEvict: number | undefined;
  /** The `eviction` option, resolved. */
  readonly config: ResolvedEviction;
  /** Whether any eviction feature is on: false keeps `get` / `insert` on their plain paths. */
  readonly managed: boolean;
  /** `config.policy`, copied for the hot paths. */
  readonly policy: number;
  /** Whether a bound is set (LRU, LFU, or TTL with `maxEntries`). */
  readonly bounded: boolean;
  /** `config.ttlMs` (0: nothing expires). */
  readonly ttlMs: number;
  /** TTL: key → expiry (`Date.now()` ms), in the order of last write, so expired keys come first. */
  expiry: Map<K, number> | undefined;
  /** LRU: per-shard recency lists. */
  readonly lru: LruIndex<K> | undefined;
  /** LFU: key → use count. */
  freq: Map<K, number> | undefined;
  /** LFU: by shard index of the current layout, that shard's LFU order (built lazily). */
  lfu: (LfuShard<K> | undefined)[] | undefined;
  /** TTL: the sweep timer, while entries with an expiry exist. */
  timer: ReturnType<typeof setInterval> | undefined;
  /** Bumped by every layout change: a shard index taken before it is stale. */
  layoutVersion: number;
  /** While expired entries are being removed (no nested sweep). */
  sweeping: boolean;

  constructor(config: ResolvedEviction, shards: number) {
    this.hits = 0;
    this.misses = 0;
    this.inserts = 0;
    this.removes = 0;
    this.evictions = 0;
    this.lastEvict = undefined;
    this.config = config;
    this.bounded =
      config.maxEntries !== Number.POSITIVE_INFINITY || config.maxEntriesPerShard !== Number.POSITIVE_INFINITY;
    this.ttlMs = config.ttlMs;
    this.managed = this.bounded || this.ttlMs !== 0;
    this.policy = config.policy === TTL && !this.bounded ? NONE : config.policy;
    this.expiry = this.ttlMs !== 0 ? new Map() : undefined;
    this.lru = config.policy === LRU ? new LruIndex(shards) : undefined;
    this.freq = config.policy === LFU ? new Map() : undefined;
    this.lfu = config.policy === LFU ? [] : undefined;
    this.timer = undefined;
    this.layoutVersion = 0;
    this.sweeping = false;
  }

  /** Every count back to 0 (the fields are also declared above, in this order, for the hidden class). */
  resetCounters(): void {
    this.hits = this.misses = this.inserts = this.removes = this.evictions = 0;
    this.lastEvict = undefined;
  }

  /** Counts an eviction now. */
  evicted(): void {
    this.evictions++;
    this.lastEvict = Date.now();
  }

  /** Drops every key's bookkeeping (the map was cleared) and stops the sweep timer. */
  forgetAll(shards: number): void {
    if (this.expiry !== undefined) this.expiry = new Map();
    this.lru?.reset(shards);
    if (this.freq !== undefined) this.freq = new Map();
    if (this.lfu !== undefined) this.lfu = [];
    this.stopTimer();
  }

  stopTimer(): void {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
