// Types only, erased at run time: registers the `async` map kind with the core's plugin registry,
// so `definePlugin` accepts an `async` facet. Sync-only users load nothing from `@starshard/async`.
import type {} from '@starshard/async';
import { definePlugin } from '@starshard/core';
import { EvictionConfigError } from './evictionConfigError.js';
import { LfuShard } from './lfuShard.js';
import type {
  AsyncLifecycleApi,
  LifecycleApi,
  MemoryStats,
  MetricsStats,
  PerShardLoad,
} from './lifecycleFeature.types.js';
import { LifecycleState } from './lifecycleState.js';
import type { LruIndex } from './lruIndex.js';
import { arrayBytes, mapBytes, mapCapacity } from './memoryEstimate.js';
import { LFU, LRU, MAX_TRACKED_ENTRIES, readEvictionConfig } from './readEvictionConfig.js';
import { shardBound, totalBound } from './shardBound.js';

/**
 * @internal The key of the method the sweep timer calls: a symbol, so it never clashes with
 * another plugin's member and stays off the public types.
 */
const sweepKey: unique symbol = Symbol('starshard.lifecycle.sweep');

type Sweepable = { [sweepKey](): void };

/**
 * Starts `map`'s sweep timer: unref'd (it never keeps the process alive) and holding the map
 * only weakly (it never keeps the map alive: once the map is collected, it stops itself).
 */
function startSweeper(map: Sweepable, state: LifecycleState<unknown>): void {
  const interval = state.config.checkIntervalMs;
  if (state.timer !== undefined || interval === Number.POSITIVE_INFINITY) return;
  const ref = new WeakRef(map);
  const timer = setInterval(() => {
    const live = ref.deref();
    if (live === undefined) clearInterval(timer);
    else live[sweepKey]();
  }, interval);
  (timer as { unref?: () => unknown }).unref?.();
  state.timer = timer;
}

/** Iterates the entries of shard maps the map has let go of (nothing mutates them any more). */
function* entriesOf<K, V>(shards: readonly Map<K, V>[]): Generator<[K, V], void, undefined> {
  for (const shard of shards) yield* shard;
}

/**
 * The `lifecycle` plugin: load and memory statistics, `drain()`, hit/miss metrics, and real
 * eviction with option `eviction`: LRU and LFU bound the map (per-shard bounds that sum to
 * `maxEntries`), TTL entries are never returned once expired and are swept by an unref'd timer.
 *
 * What each map pays: without `eviction`, `get` and `insert` only count (one field increment);
 * with a bound, an insert of a new key checks its shard's size; LRU keeps an exact recency
 * list per shard beside the shard `Map`s (a hit: one more `Map` lookup and a relink); LFU keeps
 * O(1) use-count groups per shard; TTL keeps one expiry per key. Recency lives outside the
 * shard `Map`s, so a hit writes no shard: copy-on-write snapshots copy nothing on reads.
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { lifecycle } from '@starshard/lifecycle';
 *
 * const Cache = ShardedHashMap.with(lifecycle);
 * const sessions = new Cache<string, Session>(16, {
 *   eviction: { policy: 'lru', maxEntries: 10_000, ttlMs: 15 * 60_000 },
 * });
 * sessions.insert(id, session);
 * sessions.get(id);                      // a hit; expired entries read as absent
 * sessions.metrics();                    // { hits: 1, misses: 0, evictions: 0, ... }
 */
export const lifecycle = definePlugin({
  name: 'lifecycle',
  sync: (Base) =>
    class LifecycleMap extends Base implements LifecycleApi<unknown, unknown> {
      // One plain field (not `#private`), set in the constructor: one hidden class per
      // composition, and seams called before this constructor ran see `undefined`.
      /** Metrics, the resolved `eviction` option and its bookkeeping. */
      lifecycleState: LifecycleState<unknown>;

      constructor(...args: any[]) {
        super(...args);
        this.lifecycleState = new LifecycleState(readEvictionConfig(args[1], this.count), this.count);
      }

      // ---- Reads ----

      override get(key: unknown): unknown {
        const s = this.lifecycleState;
        const lru = s.lru;
        if (lru !== undefined && s.ttlMs === 0) {
          // LRU: the recency index holds every key, with its value: one lookup, no routing.
          const slot = lru.slotOf(key);
          if (slot < 0) {
            s.misses++;
            return undefined;
          }
          s.hits++;
          const index = lru.shardOf(slot);
          lru.use(slot, index >= 0 ? index : this.indexFor(key));
          return lru.valueAt(slot);
        }
        const index = this.indexFor(key);
        const shard = this.shardForRead(key, index);
        if (shard !== undefined) {
          const value = shard.get(key);
          if (value !== undefined || shard.has(key)) {
            if (s.managed) return this.#used(key, value, index, shard, s);
            s.hits++;
            return value;
          }
        }
        s.misses++;
        return undefined;
      }

      override contains(key: unknown): boolean {
        const s = this.lifecycleState;
        if (s.ttlMs !== 0 && this.#expireIfDue(key, s)) return false;
        return super.contains(key);
      }

      override len(): number {
        this.#sweepIfTtl();
        return super.len();
      }

      override isEmpty(): boolean {
        this.#sweepIfTtl();
        return super.isEmpty();
      }

      override get size(): number {
        this.#sweepIfTtl();
        return super.size;
      }

      override computeIfAbsent(key: unknown, f: (key: unknown) => unknown): unknown {
        // Counted as a lookup (and, present, a use): the cache's "get or load".
        if (typeof f === 'function') {
          if (this.contains(key)) return this.get(key);
          this.lifecycleState.misses++;
        }
        return super.computeIfAbsent(key, f);
      }

      override computeIfPresent(key: unknown, f: (value: unknown, key: unknown) => unknown): unknown {
        const s = this.lifecycleState;
        if (s.ttlMs !== 0) this.#expireIfDue(key, s);
        return super.computeIfPresent(key, f);
      }

      // ---- Writes ----

      override insert(key: unknown, value: unknown): unknown {
        const s = this.lifecycleState;
        s.inserts++;
        if (!s.managed) return super.insert(key, value);
        return this.#managedInsert(key, value, s);
      }

      override remove(key: unknown): unknown {
        const s = this.lifecycleState;
        if (s.ttlMs !== 0 && this.#expireIfDue(key, s)) return undefined;
        const before = this.entryCount;
        const previous = super.remove(key);
        if (this.entryCount !== before) {
          s.removes++;
          if (s.managed) this.#forget(key, s);
        }
        return previous;
      }

      override clear(): void {
        const s = this.lifecycleState;
        this.#sweepIfTtl();
        s.removes += this.entryCount;
        super.clear();
        s.forgetAll(this.count);
      }

      // ---- The seams ----

      /** The scans (iteration, `retain`, stats, snapshots) never see an expired entry. */
      protected override scanShards(): Map<unknown, unknown>[] {
        this.#sweepIfTtl();
        return super.scanShards();
      }

      /** New shard maps: shard indices taken before are stale, LFU orders are rebuilt lazily. */
      protected override layoutChanged(): void {
        const s = this.lifecycleState as LifecycleState<unknown> | undefined;
        if (s !== undefined) {
          s.layoutVersion++;
          s.lru?.relaid(this.count);
          if (s.lfu !== undefined) s.lfu = [];
        }
        super.layoutChanged();
      }

      // ---- The API ----

      perShardLoad(): PerShardLoad[] {
        this.#sweepIfTtl();
        const out: PerShardLoad[] = [];
        const shards = this.shards;
        for (let i = 0; i < shards.length; i++) {
          const shard = shards[i];
          if (shard !== undefined) out.push({ shardIdx: i, entryCount: shard.size, capacity: mapCapacity(shard.size) });
        }
        return out;
      }

      memoryStats(): MemoryStats {
        const s = this.lifecycleState;
        const shards = this.scanShards();
        let totalCapacity = 0;
        let estimatedBytes = arrayBytes(this.count);
        for (const shard of shards) {
          const capacity = mapCapacity(shard.size);
          totalCapacity += capacity;
          estimatedBytes += mapBytes(capacity);
        }
        // TTL: expiry times are doubles beyond the small-integer range, boxed: 16 bytes each.
        if (s.expiry !== undefined) estimatedBytes += mapBytes(mapCapacity(s.expiry.size)) + 16 * s.expiry.size;
        if (s.freq !== undefined) estimatedBytes += mapBytes(mapCapacity(s.freq.size));
        // LRU: a slot per key in one Map, and the slots' typed arrays.
        if (s.lru !== undefined) estimatedBytes += mapBytes(mapCapacity(s.lru.size)) + s.lru.arrayBytes();
        if (s.lfu !== undefined) {
          estimatedBytes += arrayBytes(s.lfu.length);
          for (const lfu of s.lfu) if (lfu !== undefined) estimatedBytes += lfu.estimateBytes();
        }
        return {
          shardsAllocated: shards.length,
          totalCapacity,
          loadFactor: totalCapacity === 0 ? 0 : this.entryCount / totalCapacity,
          estimatedBytes,
        };
      }

      drain(): IterableIterator<[unknown, unknown]> {
        // The shard maps are let go of by `clear()` (a snapshot may still share them: nothing
        // writes them again), so their entries are read lazily, after the map is already empty.
        const shards = this.scanShards();
        this.clear();
        return entriesOf(shards);
      }

      metrics(): MetricsStats {
        const s = this.lifecycleState;
        const totalGets = s.hits + s.misses;
        return {
          totalInserts: s.inserts,
          totalRemoves: s.removes,
          totalGets,
          hits: s.hits,
          misses: s.misses,
          evictions: s.evictions,
          hitRate: totalGets === 0 ? 0 : s.hits / totalGets,
          lastEvictTime: s.lastEvict,
        };
      }

      resetMetrics(): void {
        this.lifecycleState.resetCounters();
      }

      purgeExpired(): number {
        const s = this.lifecycleState;
        return s.ttlMs === 0 ? 0 : this.#sweep(s);
      }

      /** @internal Called by the sweep timer. */
      [sweepKey](): void {
        this.#sweep(this.lifecycleState);
      }

      // ---- Internals ----

      /** A hit on `key` (found in `shard`, read at `index`): checks its expiry, then counts the use. */
      #used(key: unknown, value: unknown, index: number, shard: Map<unknown, unknown>, s: LifecycleState<unknown>) {
        if (s.ttlMs !== 0 && this.#expireIfDue(key, s)) {
          s.misses++;
          return undefined;
        }
        s.hits++;
        const policy = s.policy;
        if (policy === LRU) {
          const lru = s.lru as LruIndex<unknown>;
          lru.use(lru.slotOf(key), index);
        } else if (policy === LFU) {
          const freq = s.freq as Map<unknown, number>;
          const count = freq.get(key) ?? 0;
          freq.set(key, count + 1);
          // Tracked in the shard's LFU order only if it lives in the current layout.
          if (shard === this.shards[index]) this.#lfuAt(index, s).bump(key, count);
        }
        return value;
      }

      /** `insert` with a bound or a TTL: makes room first, then records the write. */
      #managedInsert(key: unknown, value: unknown, s: LifecycleState<unknown>): unknown {
        if (s.ttlMs !== 0) this.#expireIfDue(key, s);
        let index = this.indexFor(key);
        let present: boolean;
        if (s.lru !== undefined) {
          present = s.lru.slotOf(key) >= 0; // the recency index holds every key
        } else {
          const current = this.shardForRead(key, index);
          present = current !== undefined && current.has(key);
        }
        if (!present && s.expiry !== undefined && s.expiry.size >= MAX_TRACKED_ENTRIES) {
          throw new EvictionConfigError(
            'eviction.maxEntries',
            `this map keeps a TTL per entry in one Map, which holds at most ${MAX_TRACKED_ENTRIES} entries: ` +
              'give it a bound (maxEntries) or spread the keys over several maps; nothing was inserted',
          );
        }
        const version = s.layoutVersion;
        if (!present && s.bounded) this.#makeRoom(index, s);
        const previous = super.insert(key, value);
        if (s.layoutVersion !== version) index = this.indexFor(key);
        const policy = s.policy;
        if (policy === LRU) {
          (s.lru as LruIndex<unknown>).write(key, index, value, present);
        } else if (policy === LFU) {
          const freq = s.freq as Map<unknown, number>;
          const count = present ? (freq.get(key) ?? 0) : 0;
          freq.set(key, count + 1);
          if (present) this.#lfuAt(index, s).bump(key, count);
          else this.#lfuAt(index, s).add(key, 1);
        }
        if (s.ttlMs !== 0) {
          const expiry = s.expiry as Map<unknown, number>;
          if (present) expiry.delete(key);
          expiry.set(key, Date.now() + s.ttlMs);
          if (s.timer === undefined) startSweeper(this, s);
        }
        return previous;
      }

      /**
       * Before a new key goes to shard `index`: expired entries go first; then, while that shard
       * is at its bound, its policy's victim; then, while the map is at its total bound (which
       * happens only after a rebalance re-split the bounds), a victim of the shard furthest over
       * its new bound.
       */
      #makeRoom(index: number, s: LifecycleState<unknown>): void {
        const { maxEntries, maxEntriesPerShard } = s.config;
        const bound = shardBound(index, this.count, maxEntries, maxEntriesPerShard);
        const total = totalBound(this.count, maxEntries, maxEntriesPerShard);
        let shard = this.shards[index];
        if (s.ttlMs !== 0 && ((shard !== undefined && shard.size >= bound) || this.entryCount >= total)) this.#sweep(s);
        shard = this.shards[index];
        while (shard !== undefined && shard.size > 0 && shard.size >= bound) {
          this.#evictFrom(index, shard, s);
          shard = this.shards[index];
        }
        while (this.entryCount > 0 && this.entryCount >= totalBound(this.count, maxEntries, maxEntriesPerShard)) {
          if (!this.#evictAnywhere(s)) break;
        }
      }

      /** Evicts the policy's victim of shard `index` (non-empty, in the current layout). */
      #evictFrom(index: number, shard: Map<unknown, unknown>, s: LifecycleState<unknown>): void {
        let victim: unknown;
        const policy = s.policy;
        if (policy === LRU) {
          victim = (s.lru as LruIndex<unknown>).victim(index, shard);
        } else if (policy === LFU) {
          let lfu = this.#lfuAt(index, s);
          if (lfu.size !== shard.size) lfu = this.#rebuildLfu(index, shard, s);
          victim = lfu.victim();
        } else {
          victim = shard.keys().next().value; // TTL: the oldest insertion
        }
        const previous = shard.get(victim);
        if (previous === undefined && !shard.has(victim)) {
          this.#evict(victim, s); // a key touched in a rebalance's old layout: wherever it is
          return;
        }
        // The core's remove, without routing the victim again: the same seams, in the same order.
        if (policy === LRU && s.expiry === undefined) (s.lru as LruIndex<unknown>).forgetVictim(index);
        else this.#forget(victim, s, index);
        this.shardForWrite(victim, index).delete(victim);
        this.entryCount--;
        this.afterWrite('remove', victim, undefined, previous);
        s.evicted();
      }

      /** Evicts one entry of the shard furthest over its bound (or, mid-migration, of the old layout). */
      #evictAnywhere(s: LifecycleState<unknown>): boolean {
        const { maxEntries, maxEntriesPerShard } = s.config;
        const shards = this.shards;
        let best = -1;
        let bestExcess = Number.NEGATIVE_INFINITY;
        let held = 0;
        for (let i = 0; i < shards.length; i++) {
          const shard = shards[i];
          if (shard === undefined || shard.size === 0) continue;
          held += shard.size;
          const excess = shard.size - shardBound(i, shards.length, maxEntries, maxEntriesPerShard);
          if (excess > bestExcess) {
            best = i;
            bestExcess = excess;
          }
        }
        if (best >= 0 && (bestExcess > 0 || held === this.entryCount)) {
          this.#evictFrom(best, shards[best] as Map<unknown, unknown>, s);
          return true;
        }
        // Entries still in a rebalance's old layout (not in any current shard): its first live one.
        for (const shard of this.scanShards()) {
          if (shard.size === 0) continue;
          const first = shard.keys().next().value;
          if (shard !== shards[this.indexFor(first)]) {
            this.#evict(first, s);
            return true;
          }
        }
        if (best < 0) return false;
        this.#evictFrom(best, shards[best] as Map<unknown, unknown>, s);
        return true;
      }

      /** Removes `key` as an eviction: counted as one, not as a user removal. */
      #evict(key: unknown, s: LifecycleState<unknown>): void {
        this.#forget(key, s);
        super.remove(key);
        s.evicted();
      }

      /** If `key` has expired, evicts it and returns true. */
      #expireIfDue(key: unknown, s: LifecycleState<unknown>): boolean {
        const expiresAt = (s.expiry as Map<unknown, number>).get(key);
        if (expiresAt === undefined || expiresAt > Date.now()) return false;
        this.#evict(key, s);
        return true;
      }

      #sweepIfTtl(): void {
        const s = this.lifecycleState as LifecycleState<unknown> | undefined;
        if (s !== undefined && s.ttlMs !== 0 && !s.sweeping) this.#sweep(s);
      }

      /** Evicts every expired entry (they come first in write order); returns how many. */
      #sweep(s: LifecycleState<unknown>): number {
        const expiry = s.expiry as Map<unknown, number>;
        if (expiry.size === 0 || s.sweeping) return 0;
        const now = Date.now();
        const due: unknown[] = [];
        for (const [key, expiresAt] of expiry) {
          if (expiresAt > now) break;
          due.push(key);
        }
        if (due.length === 0) return 0;
        s.sweeping = true;
        try {
          for (const key of due) this.#evict(key, s);
        } finally {
          s.sweeping = false;
        }
        return due.length;
      }

      /** Drops `key`'s bookkeeping (it is being removed). */
      #forget(key: unknown, s: LifecycleState<unknown>, index = -1): void {
        s.lru?.forget(key);
        const expiry = s.expiry;
        if (expiry !== undefined && expiry.delete(key) && expiry.size === 0) s.stopTimer();
        const freq = s.freq;
        if (freq !== undefined) {
          const count = freq.get(key);
          if (count !== undefined) {
            freq.delete(key);
            (s.lfu as (LfuShard<unknown> | undefined)[])[index < 0 ? this.indexFor(key) : index]?.remove(key, count);
          }
        }
      }

      /** Shard `index`'s LFU order (created empty if none). */
      #lfuAt(index: number, s: LifecycleState<unknown>): LfuShard<unknown> {
        const lfus = s.lfu as (LfuShard<unknown> | undefined)[];
        let lfu = lfus[index];
        if (lfu === undefined) {
          lfu = new LfuShard();
          lfus[index] = lfu;
        }
        return lfu;
      }

      /**
       * Rebuilds shard `index`'s LFU order from the shard (entries a rebalance moved in were not
       * tracked): by use count, ties in the shard's order.
       */
      #rebuildLfu(index: number, shard: Map<unknown, unknown>, s: LifecycleState<unknown>): LfuShard<unknown> {
        const freq = s.freq as Map<unknown, number>;
        const lfu = new LfuShard<unknown>();
        for (const key of shard.keys()) {
          let count = freq.get(key);
          if (count === undefined) {
            count = 1;
            freq.set(key, 1);
          }
          lfu.add(key, count);
        }
        (s.lfu as (LfuShard<unknown> | undefined)[])[index] = lfu;
        return lfu;
      }
    },

  // The async facet reads the inner sync map (composed with the sync facet). `drain` takes the
  // whole map, after the callbacks in progress; the rest reads counters and sizes.
  async: (Base) =>
    class AsyncLifecycleMap extends Base implements AsyncLifecycleApi<unknown, unknown> {
      /** The inner sync map, composed with this plugin's sync facet. */
      #lifecycle(): LifecycleApi<unknown, unknown> {
        return this.inner as unknown as LifecycleApi<unknown, unknown>;
      }

      perShardLoad(): Promise<PerShardLoad[]> {
        return Promise.resolve(this.#lifecycle().perShardLoad());
      }

      memoryStats(): Promise<MemoryStats> {
        return Promise.resolve(this.#lifecycle().memoryStats());
      }

      drain(options?: { signal?: AbortSignal | undefined }): Promise<[unknown, unknown][]> {
        return this.runExclusive(() => Array.from(this.#lifecycle().drain()), options, 'drain');
      }

      metrics(): Promise<MetricsStats> {
        return Promise.resolve(this.#lifecycle().metrics());
      }

      resetMetrics(): Promise<void> {
        this.#lifecycle().resetMetrics();
        return Promise.resolve();
      }

      purgeExpired(): Promise<number> {
        try {
          return Promise.resolve(this.#lifecycle().purgeExpired());
        } catch (error) {
          return Promise.reject(error);
        }
      }
    },
});
