import type {} from '@starshard/async';
import { definePlugin, type Hasher, type ShardedHashMap } from '@starshard/core';
import type { MapSnapshot } from './mapSnapshot.js';
import { ShardRouter } from './shardRouter.js';
import { ShardSnapshot } from './shardSnapshot.js';
import type { AsyncSnapshotApi, SnapshotApi } from './snapshotFeature.types.js';
import { SnapshotMode } from './snapshotMode.js';
import { snapshotModeOf } from './snapshotModeOf.js';

type Shards = (Map<unknown, unknown> | undefined)[];

/** A copy of a shard map (`forEach` into a new `Map`: about 15% faster than `new Map(shard)` on Node 20). */
function copyShard(shard: Map<unknown, unknown>): Map<unknown, unknown> {
  const copy = new Map<unknown, unknown>();
  shard.forEach((value, key) => {
    copy.set(key, value);
  });
  return copy;
}

/**
 * The `snapshot` plugin: point-in-time snapshots of a map in one of three modes
 * ({@link SnapshotMode}), a write epoch that versions them, and iteration (`iter`, `keys`,
 * `values`, `entries`, `forEach`, `for...of`) that follows the mode (`Clone` copies the entries
 * as the core does; `Cached` and `Cow` walk the mode's snapshot lazily). A snapshot never
 * changes after it is taken, in any mode, whatever is written later.
 *
 * How it hooks in, without overriding `get` or `insert`: the core's `shardForWrite` seam,
 * called before any shard is mutated, advances the epoch (and drops the cached snapshot) and,
 * in `Cow` mode, copies a shard that the last snapshot still shares, once. A re-layout of the map (`clear`, the core's switch
 * of string sample, a rebalance) installs new shard maps and leaves the captured ones alone;
 * snapshots keep the routing they were taken with. Compose it onto `ShardedHashMap` and onto
 * `AsyncShardedHashMap` (the async facet takes the snapshot synchronously on the inner map).
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { snapshot, SnapshotMode } from '@starshard/snapshot';
 *
 * const Snap = ShardedHashMap.with(snapshot);
 * const m = Snap.withSnapshotMode<string, number>(64, SnapshotMode.Cow);
 * m.insert('a', 1);
 * const before = m.snapshot();   // O(shards): shares the shard maps
 * m.insert('a', 2);              // copies a's shard once, then writes
 * before.get('a');               // 1
 * m.get('a');                    // 2
 */
export const snapshot = definePlugin({
  name: 'snapshot',
  sync: (Base) =>
    class SnapshotMap extends Base implements SnapshotApi<unknown, unknown> {
      /**
       * A map with `shards` shards (clamped to `MAX_SHARDS`) and snapshot mode `mode`.
       *
       * @example
       * ShardedHashMap.with(snapshot).withSnapshotMode<string, number>(64, SnapshotMode.Cow);
       */
      static withSnapshotMode(shards: number, mode: SnapshotMode) {
        return new this(shards, { snapshotMode: mode });
      }

      /**
       * A map with `shards` shards (clamped to `MAX_SHARDS`), a hasher and snapshot mode `mode`.
       *
       * @example
       * ShardedHashMap.with(snapshot).withShardsAndHasherAndSnapshotMode(64, undefined, SnapshotMode.Cached);
       */
      static withShardsAndHasherAndSnapshotMode(
        shards: number,
        hasher: Hasher<unknown> | undefined,
        mode: SnapshotMode,
      ) {
        return new this(shards, { hasher, snapshotMode: mode });
      }

      /**
       * A map with `shards` shards clamped to `max(maxShards, 1)`, a hasher and snapshot mode `mode`.
       *
       * @example
       * ShardedHashMap.with(snapshot).withShardsAndHasherCappedAndSnapshotMode(1000, undefined, 128, SnapshotMode.Cow);
       */
      static withShardsAndHasherCappedAndSnapshotMode(
        shards: number,
        hasher: Hasher<unknown> | undefined,
        maxShards: number,
        mode: SnapshotMode,
      ) {
        return new this(shards, { hasher, maxShards, snapshotMode: mode });
      }

      // Declared here and set in the constructor, in this order: one hidden class per composition.
      // Plain (not #private) fields with a `snap`/`cow` prefix: the write seams test them without a
      // brand check, and read `undefined` harmlessly if a plugin applied earlier writes from its
      // constructor, before these exist.
      /** The mode, fixed at construction. */
      private readonly snapMode: SnapshotMode;
      /** The write epoch: writes made to the shards so far (see `snapshotVersion`). */
      private snapEpoch: number;
      /** `Cached`/`Cow`: the snapshot of the current epoch, dropped by the next write. */
      private snapLast: ShardSnapshot<unknown, unknown> | undefined;
      /**
       * `Cow`: by shard index, the map the last snapshot captured there and still shares with
       * the live layout (`undefined` once copied or never captured).
       */
      private cowShared: Shards | undefined;
      /** `Cow`: how many entries of `cowShared` are still shared; 0 lets writes skip the check. */
      private cowPending: number;

      constructor(...args: any[]) {
        super(...args);
        this.snapMode = snapshotModeOf(args[1]);
        this.snapEpoch = 0;
        this.snapLast = undefined;
        this.cowShared = undefined;
        this.cowPending = 0;
      }

      snapshotMode(): SnapshotMode {
        return this.snapMode;
      }

      snapshotVersion(): number {
        return this.snapEpoch;
      }

      snapshot(): MapSnapshot<unknown, unknown> {
        const mode = this.snapMode;
        if (mode === SnapshotMode.Clone) return this.takeSnapshot(false);
        let last = this.snapLast;
        if (last === undefined) {
          last = this.takeSnapshot(mode === SnapshotMode.Cow);
          this.snapLast = last;
        }
        return last;
      }

      // ---- Iteration follows the mode ----
      // Clone: the core's own snapshot iteration (it copies the entries into an array, the
      // cheapest copy: measured faster than copying the shard maps). Cached and Cow: a lazy walk
      // over the (cached, or captured) snapshot, which copies nothing more.

      override iter(): MapIterator<[unknown, unknown]> {
        return this.snapMode === SnapshotMode.Clone ? super.iter() : this.snapshot().entries();
      }

      override keys(): MapIterator<unknown> {
        return this.snapMode === SnapshotMode.Clone ? super.keys() : this.snapshot().keys();
      }

      override values(): MapIterator<unknown> {
        return this.snapMode === SnapshotMode.Clone ? super.values() : this.snapshot().values();
      }

      // ---- The seams ----
      // Only `shardForWrite` (called before every shard mutation, once per write) and
      // `layoutChanged` (rare): an `afterWrite` override measured 8-11% on hot inserts, since the
      // core's `insert` then no longer inlines whole; this costs no measurable time.

      protected override shardForWrite(key: unknown, index: number): Map<unknown, unknown> {
        // Before any plugin below may touch the shard (a rebalance moving an entry in, say).
        if (this.cowPending > 0) this.unshare(index);
        this.snapEpoch++;
        this.snapLast = undefined;
        return super.shardForWrite(key, index);
      }

      protected override layoutChanged(): void {
        // New shard maps were installed: a clear (called before the count drops to 0), the core's
        // string re-layout, a rebalance. Shard maps the last snapshot still shares stay protected
        // under their new indices. If the map held entries, this may have changed them: new epoch.
        if (this.cowPending > 0) this.reshare();
        if (this.entryCount !== 0) {
          this.snapEpoch++;
          this.snapLast = undefined;
        }
        super.layoutChanged();
      }

      // ---- Internals ----

      /** `Cow`: gives the live layout its own copy of shard `index` if the last snapshot shares it. */
      private unshare(index: number): void {
        const shared = this.cowShared as Shards;
        const captured = shared[index];
        if (captured === undefined) return;
        shared[index] = undefined;
        this.cowPending--;
        if (this.shards[index] === captured) this.shards[index] = copyShard(captured);
      }

      /** `Cow`, after a layout change: finds the still-shared maps at their indices in the new layout. */
      private reshare(): void {
        const still = new Set<Map<unknown, unknown>>();
        for (const map of this.cowShared as Shards) if (map !== undefined) still.add(map);
        const shards = this.shards;
        const shared: Shards = new Array(shards.length).fill(undefined);
        let pending = 0;
        for (let i = 0; i < shards.length; i++) {
          const map = shards[i];
          if (map !== undefined && still.has(map)) {
            shared[i] = map;
            pending++;
          }
        }
        this.cowShared = shared;
        this.cowPending = pending;
      }

      /** A new snapshot: sharing the live shard maps (`cow`) or copying them. */
      private takeSnapshot(cow: boolean): ShardSnapshot<unknown, unknown> {
        const shards = this.shards;
        const count = shards.length;
        let initialized = 0;
        for (let i = 0; i < count; i++) if (shards[i] !== undefined) initialized++;
        // Entries outside the current layout (an online rebalance in progress): copy them all
        // through the map's own iteration, which knows which layout holds what.
        if (this.scanShards().length !== initialized) return this.flattenedSnapshot();
        const captured: Shards = new Array(count);
        if (cow) {
          let shared = this.cowShared;
          if (shared === undefined || shared.length !== count) {
            shared = new Array(count);
            this.cowShared = shared;
          }
          let pending = 0;
          for (let i = 0; i < count; i++) {
            const shard = shards[i];
            // An empty shard is not captured: the snapshot reads nothing there, the map keeps it.
            const keep = shard !== undefined && shard.size !== 0 ? shard : undefined;
            captured[i] = keep;
            shared[i] = keep;
            if (keep !== undefined) pending++;
          }
          this.cowPending = pending;
        } else {
          for (let i = 0; i < count; i++) {
            const shard = shards[i];
            captured[i] = shard !== undefined && shard.size !== 0 ? copyShard(shard) : undefined;
          }
        }
        return new ShardSnapshot(captured, this.router(), this.entryCount, this.snapEpoch);
      }

      /** A snapshot of whatever the map's iteration yields, laid out with the current routing. */
      private flattenedSnapshot(): ShardSnapshot<unknown, unknown> {
        const shards: Shards = new Array(this.count).fill(undefined);
        let size = 0;
        for (const [key, value] of super.iter()) {
          const i = this.indexFor(key);
          let shard = shards[i];
          if (shard === undefined) {
            shard = new Map();
            shards[i] = shard;
          }
          shard.set(key, value);
          size++;
        }
        return new ShardSnapshot(shards, this.router(), size, this.snapEpoch);
      }

      /** The map's routing as it is now, for a snapshot to find keys in the shards it keeps. */
      private router(): ShardRouter<unknown> {
        return new ShardRouter(this.count, this.scale, this.shift, this.hasher, this.seed, this.sampleSkip);
      }
    },
  async: (Base) =>
    class AsyncSnapshotMap extends Base implements AsyncSnapshotApi<unknown, unknown> {
      /**
       * An async map with `shards` shards (clamped to `MAX_SHARDS`) and snapshot mode `mode`.
       *
       * @example
       * AsyncShardedHashMap.with(snapshot).withSnapshotMode<string, number>(64, SnapshotMode.Cow);
       */
      static withSnapshotMode(shards: number, mode: SnapshotMode) {
        return new this(shards, { snapshotMode: mode });
      }

      /**
       * An async map with `shards` shards (clamped to `MAX_SHARDS`), a hasher and snapshot mode `mode`.
       *
       * @example
       * AsyncShardedHashMap.with(snapshot).withShardsAndHasherAndSnapshotMode(64, undefined, SnapshotMode.Cached);
       */
      static withShardsAndHasherAndSnapshotMode(
        shards: number,
        hasher: Hasher<unknown> | undefined,
        mode: SnapshotMode,
      ) {
        return new this(shards, { hasher, snapshotMode: mode });
      }

      /**
       * An async map with `shards` shards clamped to `max(maxShards, 1)`, a hasher and snapshot mode `mode`.
       *
       * @example
       * AsyncShardedHashMap.with(snapshot).withShardsAndHasherCappedAndSnapshotMode(1000, undefined, 128, SnapshotMode.Cow);
       */
      static withShardsAndHasherCappedAndSnapshotMode(
        shards: number,
        hasher: Hasher<unknown> | undefined,
        maxShards: number,
        mode: SnapshotMode,
      ) {
        return new this(shards, { hasher, maxShards, snapshotMode: mode });
      }

      /** The inner sync map, composed with this plugin's sync facet. */
      private get snapshotInner(): SyncSnapshotMap {
        return this.inner as unknown as SyncSnapshotMap;
      }

      snapshotMode(): Promise<SnapshotMode> {
        return Promise.resolve(this.snapshotInner.snapshotMode());
      }

      snapshotVersion(): Promise<number> {
        return Promise.resolve(this.snapshotInner.snapshotVersion());
      }

      snapshot(): Promise<MapSnapshot<unknown, unknown>> {
        // Taken now, synchronously: one point in time across all shards. Reads never wait for
        // locks, and every write commits to the inner map synchronously, so no write is half done.
        try {
          return Promise.resolve(this.snapshotInner.snapshot());
        } catch (error) {
          return Promise.reject(error);
        }
      }
    },
});

/** The sync map the async facet works on: the inner map, composed with the sync facet. */
type SyncSnapshotMap = ShardedHashMap<unknown, unknown> & SnapshotApi<unknown, unknown>;
