// Types only, erased at run time: registers the `async` map kind with the core's plugin registry,
// so `definePlugin` accepts an `async` facet. Sync-only users load nothing from `@starshard/async`.
import type {} from '@starshard/async';
import { definePlugin, InvalidArgumentError, type ShardStats, type WriteOp } from '@starshard/core';
import { describe } from './describe.js';
import { Migration } from './migration.js';
import { type ResolvedAutoExpand, readAutoExpand } from './readAutoExpand.js';
import { readRebalanceOptions } from './readRebalanceOptions.js';
import type { RebalanceHost } from './rebalanceHost.js';
import { rebalanceHostKey } from './rebalanceHostKey.js';
import { rebalanceInBackground } from './rebalanceInBackground.js';
import type {
  AsyncRebalanceApi,
  RebalanceApi,
  RebalanceOptions,
  RebalanceReport,
  RebalanceStatus,
} from './rebalancePlugin.types.js';
import { resolveTargetCount } from './resolveTargetCount.js';
import { shardCap } from './shardCap.js';

/** What the async facet reaches on its inner sync map. */
type SyncRebalanced = RebalanceApi & { [rebalanceHostKey](): RebalanceHost };

/**
 * Resharding for starshard maps: stop-the-world, online and background rebalance, and
 * auto-expansion, with every key reachable and every count exact throughout.
 *
 * During an online migration, writes go to the new layout and reads fall back to the old one;
 * `len()` stays exact, and iteration, stats, `retain`, the batch and compute methods (and
 * snapshots, with `snapshot`) see every entry exactly once. The old layout's shard `Map`s are
 * never mutated (a snapshot may hold them): a shard moves by being copied, and a key written
 * before its shard moved moves alone. `clear()`, and the core's own one-time re-routing of
 * string keys, end a migration with every entry in the new layout.
 *
 * A map composed with `rebalance` pays one field check per read and write while idle; while
 * migrating, a read that misses the new layout looks in one old shard (growth by a whole
 * factor; two or a few otherwise), and the first write to each unmoved key moves it.
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { rebalance } from '@starshard/rebalance';
 *
 * const Rebalanced = ShardedHashMap.with(rebalance);
 * const m = new Rebalanced<string, number>(8);
 * m.rebalanceTo(32);                                              // stop-the-world
 * m.startRebalanceOnline(64);                                     // online, step by step
 * while (m.rebalanceStatus().state === 'migrating') m.advanceRebalance(2);
 * await m.rebalanceTo(256, { background: true, maxPauseNs: 2e6 }); // online, yielding to the event loop
 *
 * const grows = new Rebalanced<string, number>(4, { autoExpand: { maxLoadPerShard: 10_000 } });
 */
export const rebalance = definePlugin({
  name: 'rebalance',
  sync: (Base) =>
    class Rebalanced extends Base implements RebalanceApi {
      // Declared here, set in the constructor: every instance gets the same fields in the same
      // order (one hidden class). Plain fields (not `#private`): a seam called before this
      // constructor ran (by an earlier plugin's constructor) reads `undefined`, not a TypeError.
      /** The running online migration, or `undefined` when idle. */
      rebalanceMigration: Migration<unknown, unknown> | undefined;
      /** While true, writes come from the migration itself: `shardForWrite` passes them through. */
      rebalanceBusy: boolean;
      /** The current-layout shard index of the last user write (for `autoExpand`'s load check). */
      rebalanceProbe: number;
      /** Option `autoExpand`, resolved; `undefined` when off. */
      rebalanceAuto: ResolvedAutoExpand | undefined;
      /** The largest shard count this map may rebalance to (its `maxShards`). */
      rebalanceCap: number;
      /** Entries moved by the migrations that have ended. */
      rebalanceMovedBefore: number;
      /** Source shard count of the last migration that ended (for the idle status). */
      rebalanceLastShards: number;
      /** Entries the last migration that ended moved (for the idle status). */
      rebalanceLastEntries: number;

      constructor(...args: any[]) {
        super(...args);
        this.rebalanceMigration = undefined;
        this.rebalanceBusy = false;
        this.rebalanceProbe = 0;
        this.rebalanceAuto = readAutoExpand(args[1]);
        this.rebalanceCap = shardCap(args[1]);
        this.rebalanceMovedBefore = 0;
        this.rebalanceLastShards = 0;
        this.rebalanceLastEntries = 0;
      }

      // ---- The seam ----

      /** Reads fall back to the old layout while its shard still holds the key's live entry. */
      protected override shardForRead(key: unknown, index: number): Map<unknown, unknown> | undefined {
        const shard = super.shardForRead(key, index);
        const migration = this.rebalanceMigration;
        if (migration === undefined || (shard !== undefined && shard.has(key))) return shard;
        return migration.sourceHolding(key, index) ?? shard;
      }

      /**
       * Writes go to the new layout. A key whose live entry is still in an old shard is moved
       * first: copied into the shard the whole `shardForWrite` chain hands out (so a copy-on-write
       * snapshot copies that shard before it changes), and recorded, so the old shard (frozen: a
       * snapshot may hold it) is never read for it again.
       */
      protected override shardForWrite(key: unknown, index: number): Map<unknown, unknown> {
        if (this.rebalanceBusy) return super.shardForWrite(key, index);
        this.rebalanceProbe = index;
        const migration = this.rebalanceMigration;
        if (migration === undefined) return super.shardForWrite(key, index);
        const source = migration.sourceIndexHolding(key, index);
        if (source < 0) return super.shardForWrite(key, index);
        const value = migration.sourceValue(source, key);
        let target: Map<unknown, unknown>;
        this.rebalanceBusy = true;
        try {
          target = this.shardForWrite(key, index);
        } finally {
          this.rebalanceBusy = false;
        }
        const copied = !target.has(key); // false: a step copied it already (the same value: no write since)
        if (copied) target.set(key, value);
        migration.markMoved(source, key, copied);
        return target;
      }

      /** With `autoExpand`: a write past the load starts an expansion; while one runs, each write moves a few entries. */
      protected override afterWrite(op: WriteOp, key: unknown, value: unknown, previous: unknown): void {
        super.afterWrite(op, key, value, previous);
        const auto = this.rebalanceAuto;
        if (auto === undefined || op === 'clear' || this.rebalanceBusy) return;
        const migration = this.rebalanceMigration;
        if (migration !== undefined) {
          this.#step(migration, Number.POSITIVE_INFINITY, auto.entriesPerWrite, Number.POSITIVE_INFINITY);
          return;
        }
        if (op !== 'insert') return;
        const shard = this.shards[this.rebalanceProbe];
        if (shard === undefined || shard.size <= auto.maxLoadPerShard) return;
        const grown = Math.min(this.rebalanceCap, Math.max(this.count + 1, Math.floor(this.count * auto.factor)));
        if (grown > this.count) this.#start(grown);
      }

      /** The scans see the old layout's live entries too, each once. */
      protected override scanShards(): Map<unknown, unknown>[] {
        const out = super.scanShards();
        const migration = this.rebalanceMigration;
        if (migration !== undefined) {
          migration.collectLive(out);
          if (migration.complete) this.#end();
        }
        return out;
      }

      /**
       * Another layout replaced the current one (`clear()`, or the core re-routing string keys,
       * which moved every entry it found through `scanShards`, old layout included): the
       * migration is over.
       */
      protected override layoutChanged(): void {
        if (this.rebalanceMigration !== undefined) this.#end();
        super.layoutChanged();
      }

      /**
       * O(shards) while migrating too: the old layout's live shards count with their live entries,
       * without `scanShards` (which would copy the partly moved ones).
       */
      override shardStats(): ShardStats {
        const migration = this.rebalanceMigration;
        if (migration === undefined) return super.shardStats();
        const shards = super.scanShards();
        const old = migration.liveLoad();
        let empty = 0;
        let maxLoad = old.maxLoad;
        for (const shard of shards) {
          if (shard.size === 0) empty++;
          if (shard.size > maxLoad) maxLoad = shard.size;
        }
        const initialized = shards.length + old.shards;
        return {
          initialized,
          total: this.count,
          empty,
          avgLoad: initialized === 0 ? 0 : this.entryCount / initialized,
          maxLoad,
          utilizationPercent: (initialized / this.count) * 100,
        };
      }

      /** Allocated shards, the old layout's live ones included; O(shards) while migrating too. */
      override initializedShards(): number {
        const migration = this.rebalanceMigration;
        if (migration === undefined) return super.initializedShards();
        return super.scanShards().length + migration.liveLoad().shards;
      }

      // ---- The API ----

      rebalanceTo(n: number, options?: RebalanceOptions & { background?: false | undefined }): RebalanceReport;
      rebalanceTo(n: number, options: RebalanceOptions & { background: true }): Promise<RebalanceReport>;
      rebalanceTo(n: number, options?: RebalanceOptions): RebalanceReport | Promise<RebalanceReport>;
      rebalanceTo(n: number, options?: RebalanceOptions): RebalanceReport | Promise<RebalanceReport> {
        if (typeof options === 'object' && options !== null && options.background === true) {
          const host = this[rebalanceHostKey]();
          return rebalanceInBackground(host, n, options, (target) => host.start(target));
        }
        const { signal } = readRebalanceOptions(options, 'rebalanceTo');
        const target = resolveTargetCount(n, this.rebalanceCap, 'rebalanceTo');
        signal?.throwIfAborted();
        const began = performance.now();
        const fromShards = this.rebalanceMigration?.fromCount ?? this.count;
        const movedBefore = this.#movedTotal();
        this.#finish();
        if (this.count !== target) {
          this.#start(target);
          this.#finish();
        }
        return {
          fromShards,
          toShards: target,
          movedEntries: this.#movedTotal() - movedBefore,
          elapsedMs: performance.now() - began,
        };
      }

      startRebalanceOnline(n: number): boolean {
        return this.#start(resolveTargetCount(n, this.rebalanceCap, 'startRebalanceOnline'));
      }

      advanceRebalance(maxShards: number): number {
        if (
          typeof maxShards !== 'number' ||
          !(Number.isSafeInteger(maxShards) || maxShards === Infinity) ||
          maxShards < 0
        ) {
          throw new InvalidArgumentError(
            `advanceRebalance: maxShards must be a non-negative integer (or Infinity for all), got ${describe(maxShards)}`,
          );
        }
        const migration = this.rebalanceMigration;
        if (migration === undefined || maxShards === 0) return 0;
        return this.#step(migration, maxShards, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
      }

      rebalanceStatus(): RebalanceStatus {
        const migration = this.rebalanceMigration;
        if (migration !== undefined) {
          return {
            state: 'migrating',
            progress: migration.progress,
            movedShards: migration.movedShards,
            totalShards: migration.fromCount,
            movedEntries: migration.movedEntries,
          };
        }
        return {
          state: 'idle',
          progress: 1,
          movedShards: this.rebalanceLastShards,
          totalShards: this.rebalanceLastShards,
          movedEntries: this.rebalanceLastEntries,
        };
      }

      /** @internal The machinery the background driver and the async facet use. */
      [rebalanceHostKey](): RebalanceHost {
        return {
          resolveCount: (requested, method) => resolveTargetCount(requested, this.rebalanceCap, method),
          isMigrating: () => this.rebalanceMigration !== undefined,
          shardCount: () => this.count,
          sourceCount: () => this.rebalanceMigration?.fromCount ?? this.count,
          movedTotal: () => this.#movedTotal(),
          step: (maxEntries, maxPauseNs) => {
            const migration = this.rebalanceMigration;
            if (migration === undefined) return;
            const deadline =
              maxPauseNs === Number.POSITIVE_INFINITY ? maxPauseNs : performance.now() + maxPauseNs / 1_000_000;
            this.#step(migration, Number.POSITIVE_INFINITY, maxEntries, deadline);
          },
          start: (target) => this.#start(target),
        };
      }

      // ---- Internals ----

      /**
       * Switches to a layout of `target` shards and starts moving the entries there (no-op if a
       * migration runs or the count is `target`). The current shards become the frozen sources.
       */
      #start(target: number): boolean {
        if (this.rebalanceMigration !== undefined || target === this.count) return false;
        const sources = this.shards.slice();
        this.setLayout(target, new Array<Map<unknown, unknown> | undefined>(target).fill(undefined));
        const migration = new Migration<unknown, unknown>(sources, target, (key, value) => {
          this.shardForWrite(key, this.indexFor(key)).set(key, value);
        });
        this.rebalanceMigration = migration;
        if (migration.complete) this.#end();
        return true;
      }

      /** Moves entries of `migration` within the bounds; ends it when done. Returns source shards finished. */
      #step(migration: Migration<unknown, unknown>, maxShards: number, maxEntries: number, deadline: number) {
        let finished: number;
        this.rebalanceBusy = true;
        try {
          finished = migration.step(maxShards, maxEntries, deadline);
        } finally {
          this.rebalanceBusy = false;
        }
        if (migration.complete && this.rebalanceMigration === migration) this.#end();
        return finished;
      }

      /** Moves everything left of a running migration, at once. */
      #finish(): void {
        const migration = this.rebalanceMigration;
        if (migration !== undefined) {
          this.#step(migration, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
        }
      }

      /** Ends the migration (done, cleared or superseded), keeping its figures for the idle status. */
      #end(): void {
        const migration = this.rebalanceMigration;
        if (migration === undefined) return;
        this.rebalanceMigration = undefined;
        this.rebalanceMovedBefore += migration.movedEntries;
        this.rebalanceLastShards = migration.fromCount;
        this.rebalanceLastEntries = migration.movedEntries;
        migration.release();
      }

      #movedTotal(): number {
        return this.rebalanceMovedBefore + (this.rebalanceMigration?.movedEntries ?? 0);
      }
    },

  // The async facet reuses the sync facet on the inner map. Switching layouts (starting a
  // migration, or a stop-the-world rebalance) takes the whole map, after the callbacks in
  // progress, like the core's other layout changes need. Moving entries takes no lock: a step
  // runs synchronously, moves entries without changing any value, and a callback holding a key
  // writes it through the inner map wherever it lives by then.
  async: (Base) =>
    class AsyncRebalanced extends Base implements AsyncRebalanceApi {
      /** The inner sync map, composed with this plugin's sync facet. */
      #inner(): SyncRebalanced {
        return this.inner as unknown as SyncRebalanced;
      }

      rebalanceTo(n: number, options?: RebalanceOptions): Promise<RebalanceReport> {
        const inner = this.#inner();
        try {
          const host = inner[rebalanceHostKey]();
          if (typeof options === 'object' && options !== null && options.background === true) {
            return rebalanceInBackground(host, n, options, (target, signal) =>
              this.runExclusive(() => host.start(target), { signal }, 'rebalanceTo'),
            );
          }
          const { signal } = readRebalanceOptions(options, 'rebalanceTo');
          const target = host.resolveCount(n, 'rebalanceTo');
          return this.runExclusive(() => inner.rebalanceTo(target), { signal }, 'rebalanceTo');
        } catch (error) {
          return Promise.reject(error);
        }
      }

      startRebalanceOnline(n: number, options?: { signal?: AbortSignal | undefined }): Promise<boolean> {
        const inner = this.#inner();
        try {
          const host = inner[rebalanceHostKey]();
          const target = host.resolveCount(n, 'startRebalanceOnline');
          if (host.isMigrating() || host.shardCount() === target) return Promise.resolve(false);
          return this.runExclusive(() => host.start(target), options, 'startRebalanceOnline');
        } catch (error) {
          return Promise.reject(error);
        }
      }

      advanceRebalance(maxShards: number): Promise<number> {
        try {
          return Promise.resolve(this.#inner().advanceRebalance(maxShards));
        } catch (error) {
          return Promise.reject(error);
        }
      }

      rebalanceStatus(): RebalanceStatus {
        return this.#inner().rebalanceStatus();
      }
    },
});
