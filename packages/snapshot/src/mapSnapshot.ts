/**
 * A read-only view of a map's entries at one point in time, from `map.snapshot()`. It never
 * changes after it is taken, whatever is written to the map later (inserts, removes, `clear`,
 * `retain`, batch writes, a re-layout or a rebalance), in every snapshot mode. It is a
 * `ReadonlyMap`, so it can be passed wherever one is read.
 *
 * Reads cost what the map's reads cost: `get`/`has` route the key with the map's own hashing,
 * as it was when the snapshot was taken, over the snapshot's shards. Iteration is lazy (the
 * snapshot is immutable, so nothing needs to be copied to iterate it); order is unspecified.
 *
 * @example
 * const snap = map.snapshot();
 * map.insert('late', 1);
 * snap.has('late');          // false: the snapshot is from before the write
 * snap.version;              // the map's write epoch when it was taken
 * for (const [k, v] of snap) console.log(k, v);
 * const rows = snap.toArray(); // a fresh [key, value][] for export
 */
export interface MapSnapshot<K, V> extends ReadonlyMap<K, V> {
  /**
   * The map's write epoch when the snapshot was taken (`map.snapshotVersion()`): how many writes
   * the map had made to its shards. Two snapshots of one map with the same version hold the
   * same entries.
   */
  readonly version: number;
  /** Every entry, as a new array of new `[key, value]` pairs (the caller owns it). */
  toArray(): [K, V][];
}
