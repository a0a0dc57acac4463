/**
 * @internal What a map composed with `rebalance` offers the background driver and the async
 * facet (reached through the `rebalanceHostKey` method of the sync map): the sync facet's
 * machinery, without a lock of its own.
 */
export interface RebalanceHost {
  /** Checks a requested count strictly against the map's cap (`ShardCountError`). */
  resolveCount(requested: unknown, method: string): number;
  /** Whether an online migration runs. */
  isMigrating(): boolean;
  /** The current layout's shard count. */
  shardCount(): number;
  /** The count entries were in: a running migration's source count, else the shard count. */
  sourceCount(): number;
  /** Entries moved to a new layout over the map's life (to report a call's share). */
  movedTotal(): number;
  /** One bounded step of the running migration: `maxEntries` entries, `maxPauseNs` of work. */
  step(maxEntries: number, maxPauseNs: number): void;
  /** Starts an online migration to a checked count; `false` if migrating or already there. */
  start(target: number): boolean;
}
