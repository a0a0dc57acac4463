import type { AnyPlugin, Hasher, MapKind, MapKinds } from '@starshard/core';
import type { MapSnapshot } from './mapSnapshot.js';
import type { SnapshotMode } from './snapshotMode.js';

/**
 * What the `snapshot` plugin adds to a `ShardedHashMap`: point-in-time snapshots taken in the
 * map's {@link SnapshotMode}, and the write epoch that versions them. Iteration (`iter()`,
 * `keys()`, `values()`, and so `entries()`, `forEach`, `for...of`) follows the mode: `Clone`
 * copies the entries as the core does; `Cached` and `Cow` walk the mode's snapshot lazily.
 *
 * @example
 * const m = new (ShardedHashMap.with(snapshot))<string, number>(64, { snapshotMode: SnapshotMode.Cached });
 * const a = m.snapshot();
 * m.snapshot() === a;  // true: nothing was written since
 * m.insert('k', 1);
 * m.snapshot() === a;  // false: a new snapshot, version a.version + 1
 */
export interface SnapshotApi<K, V> {
  /**
   * The map's snapshot mode (fixed when the map is made).
   *
   * @example
   * ShardedHashMap.with(snapshot).withSnapshotMode(64, SnapshotMode.Cow).snapshotMode(); // 'cow'
   */
  snapshotMode(): SnapshotMode;
  /**
   * A read-only view of every entry as of now, which no later write changes. `Clone`: a fresh
   * copy, O(n). `Cached`: the same object as the last call while the epoch stands still (see
   * {@link SnapshotApi.snapshotVersion}), else a fresh copy. `Cow`: O(shards), sharing the shard
   * maps until the next write to each (which copies that shard once); also the same object while
   * the epoch stands still.
   *
   * @example
   * const report = m.snapshot();
   * for (const [k, v] of report) render(k, v); // the map keeps changing meanwhile
   */
  snapshot(): MapSnapshot<K, V>;
  /**
   * The write epoch now, i.e. the `version` the next snapshot will have: how many writes the
   * map has made to its shards. Every insert or set counts (even one storing the value the key
   * already holds), every removal of a present key, a `clear()` of a non-empty map, and a layout
   * change of a non-empty map (the core's string re-layout; with `rebalance`, each entry a
   * migration moves). What writes nothing does not count: reads, removing an absent key,
   * `computeIfAbsent` of a present key, `computeIfPresent` of an absent key, a `retain` that keeps
   * everything, clearing an empty map. So two snapshots with the same version hold the same
   * entries, and every change advances it. O(1).
   *
   * @example
   * const seen = m.snapshotVersion();
   * // ...later: has anything changed?
   * m.snapshotVersion() !== seen;
   */
  snapshotVersion(): number;
}

/**
 * What the `snapshot` plugin adds to an `AsyncShardedHashMap`: the same methods, returning
 * promises. The snapshot is taken synchronously when `snapshot()` is called (one consistent
 * point in time across all shards, without waiting for any lock); a value that a callback has
 * not yet returned is not in it. The snapshot itself is read synchronously.
 *
 * @example
 * const AsyncSnap = AsyncShardedHashMap.with(snapshot);
 * const m = new AsyncSnap<string, number>(64, { snapshotMode: SnapshotMode.Cow });
 * const snap = await m.snapshot();
 * snap.get('k'); // a plain value: snapshots never change, so reading them needs no lock
 */
export interface AsyncSnapshotApi<K, V> {
  /** The map's snapshot mode (see {@link SnapshotApi.snapshotMode}). */
  snapshotMode(): Promise<SnapshotMode>;
  /** A snapshot taken synchronously at the call (see {@link SnapshotApi.snapshot}). */
  snapshot(): Promise<MapSnapshot<K, V>>;
  /** The write epoch now (see {@link SnapshotApi.snapshotVersion}). */
  snapshotVersion(): Promise<number>;
}

/**
 * The constructor option the `snapshot` plugin adds.
 *
 * @example
 * new (ShardedHashMap.with(snapshot))<string, number>(64, { snapshotMode: SnapshotMode.Cow });
 */
export interface SnapshotOptions {
  /** How snapshots are taken; default {@link SnapshotMode.Clone}. */
  snapshotMode?: SnapshotMode | undefined;
}

/**
 * The Rust-named constructors the `snapshot` plugin adds to composed classes (sync and async),
 * returning the composed instance type. Shard counts follow the core's lenient rules: `0` → 64,
 * above the cap clamped with a `STARSHARD_SHARDS_CLAMPED` warning.
 *
 * @example
 * const m = ShardedHashMap.with(snapshot).withSnapshotMode<string, number>(64, SnapshotMode.Cow);
 */
export interface SnapshotStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
  /**
   * A map with `shards` shards (clamped to `MAX_SHARDS`) and snapshot mode `mode`.
   *
   * @example
   * ShardedHashMap.with(snapshot).withSnapshotMode<string, number>(64, SnapshotMode.Cached);
   */
  withSnapshotMode<K = any, V = any>(shards: number, mode: SnapshotMode): MapKinds<P, K, V>[Kind];
  /**
   * A map with `shards` shards (clamped to `MAX_SHARDS`), a custom hasher (`undefined`: the
   * built-in one) and snapshot mode `mode`.
   *
   * @example
   * ShardedHashMap.with(snapshot).withShardsAndHasherAndSnapshotMode<User, number>(64, (u) => u.id, SnapshotMode.Cow);
   */
  withShardsAndHasherAndSnapshotMode<K = any, V = any>(
    shards: number,
    hasher: Hasher<K> | undefined,
    mode: SnapshotMode,
  ): MapKinds<P, K, V>[Kind];
  /**
   * A map with `shards` shards clamped to `max(maxShards, 1)`, a custom hasher and snapshot
   * mode `mode`.
   *
   * @example
   * ShardedHashMap.with(snapshot).withShardsAndHasherCappedAndSnapshotMode(1000, undefined, 128, SnapshotMode.Cow).shardCount(); // 128
   */
  withShardsAndHasherCappedAndSnapshotMode<K = any, V = any>(
    shards: number,
    hasher: Hasher<K> | undefined,
    maxShards: number,
    mode: SnapshotMode,
  ): MapKinds<P, K, V>[Kind];
}

// The registry entries, keyed by the plugin's name: only classes composed with `snapshot` get
// these methods, options and statics.
declare module '@starshard/core' {
  interface PluginApis<K, V> {
    snapshot: SnapshotApi<K, V>;
  }
  interface AsyncPluginApis<K, V> {
    snapshot: AsyncSnapshotApi<K, V>;
  }
  interface PluginOptions<K, V> {
    snapshot: SnapshotOptions;
  }
  interface PluginStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
    snapshot: SnapshotStatics<Kind, P>;
  }
}
