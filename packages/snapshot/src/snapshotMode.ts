/**
 * How a map with the `snapshot` plugin takes snapshots (`snapshot()`, `iter()`, `keys()`,
 * `values()`), chosen per map with the `snapshotMode` option or a `with*SnapshotMode`
 * constructor. The trade-off is where the copying happens:
 *
 * - `Clone` (default): every snapshot copies every entry (O(n)); writes pay nothing extra.
 * - `Cached`: like `Clone`, but the snapshot is kept and handed out again (the same object)
 *   until the next write; writes pay nothing extra.
 * - `Cow`: a snapshot only captures the shard references (O(shards)); the first write to a
 *   shard after a snapshot copies that one shard, later writes to it pay nothing.
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { snapshot, SnapshotMode } from '@starshard/snapshot';
 *
 * const Snap = ShardedHashMap.with(snapshot);
 * const m = new Snap<string, number>(64, { snapshotMode: SnapshotMode.Cow });
 * m.snapshotMode(); // 'cow'
 */
export const SnapshotMode = {
  /** Rebuild every snapshot from the live shards: O(n) per snapshot, nothing extra per write. */
  Clone: 'clone',
  /** Rebuild only after a write; otherwise hand out the same snapshot again. */
  Cached: 'cached',
  /** Capture shard references (O(shards)); copy a shard on its first write after a snapshot. */
  Cow: 'cow',
} as const;

/**
 * One of the values of {@link SnapshotMode}: `'clone'`, `'cached'` or `'cow'`.
 *
 * @example
 * const mode: SnapshotMode = SnapshotMode.Cached; // 'cached'
 */
export type SnapshotMode = (typeof SnapshotMode)[keyof typeof SnapshotMode];
