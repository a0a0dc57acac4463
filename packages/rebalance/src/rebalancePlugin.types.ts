/**
 * What a rebalance did: how many shards the entries were in and are in now, how many entries
 * moved to the new layout while the call ran, and how long it took.
 *
 * @example
 * const { fromShards, toShards, movedEntries, elapsedMs } = map.rebalanceTo(256);
 * console.log(`${fromShards} → ${toShards}: ${movedEntries} entries in ${elapsedMs.toFixed(1)} ms`);
 */
export interface RebalanceReport {
  /** The shard count the entries were in when the call began (an unfinished migration's source count). */
  fromShards: number;
  /** The shard count asked for, which the map has when the call returns. */
  toShards: number;
  /** Entries moved to the new layout while the call ran (0 when the count was already `toShards`). */
  movedEntries: number;
  /** Wall-clock time of the call, in milliseconds (for a background rebalance: until it resolved). */
  elapsedMs: number;
}

/**
 * Where an online migration stands, from `rebalanceStatus()`. An idle map reports the last
 * migration (or zeros before the first one) with `progress` 1: nothing is left to move.
 *
 * @example
 * const { state, progress } = map.rebalanceStatus();
 * if (state === 'migrating') console.log(`${(progress * 100).toFixed(0)}% moved`);
 */
export interface RebalanceStatus {
  /** `'migrating'` while entries remain in the previous layout's shards, else `'idle'`. */
  state: 'idle' | 'migrating';
  /** Fraction of the migration done, from 0 to 1 (source shards moved, plus the part of the one in progress). */
  progress: number;
  /** Source shards fully moved (shards that held nothing count as moved from the start). */
  movedShards: number;
  /** Source shards of the migration: the shard count before it began (0 before any migration). */
  totalShards: number;
  /** Entries moved to the new layout so far, by migration steps and by writes to unmoved keys. */
  movedEntries: number;
}

/**
 * Options of `rebalanceTo(n, options)`. Without `background: true` the rebalance is
 * stop-the-world (the other fields are checked, then unused).
 *
 * @example
 * await map.rebalanceTo(256, { background: true, batchSize: 4096, maxPauseNs: 2e6, signal });
 */
export interface RebalanceOptions {
  /**
   * Migrate online, a step per event-loop turn, and resolve when done (the call returns a
   * promise). Reads, writes and every other method keep working meanwhile; default `false`.
   */
  background?: boolean | undefined;
  /** Background only: at most this many entries moved per step (a positive integer); default 1024. */
  batchSize?: number | undefined;
  /**
   * Background only: at most this much work per step, in nanoseconds (checked every 16
   * entries); default: no time bound (only `batchSize`).
   */
  maxPauseNs?: number | undefined;
  /**
   * Aborting it rejects the call with `signal.reason` (between steps, or while the async map
   * waits for its lock). The map stays consistent: an aborted background rebalance leaves it
   * migrating, and `advanceRebalance` (or another rebalance) finishes the job.
   */
  signal?: AbortSignal | undefined;
}

/**
 * `RebalanceOptions` with `background: true`: the overload of `rebalanceTo` that returns a promise.
 *
 * @example
 * const options: BackgroundRebalanceOptions = { background: true, maxPauseNs: 2e6 };
 * const report = await map.rebalanceTo(256, options);
 */
export interface BackgroundRebalanceOptions extends RebalanceOptions {
  background: true;
}

/**
 * Option `autoExpand`: grow the map by itself, online, when a shard gets too full.
 *
 * @example
 * new (ShardedHashMap.with(rebalance))<string, Session>(16, { autoExpand: { maxLoadPerShard: 50_000 } });
 */
export interface AutoExpandOptions {
  /**
   * When an insert leaves a shard with more entries than this (a positive number), an online
   * rebalance to `shardCount() * factor` (capped at the map's `maxShards`) starts by itself.
   */
  maxLoadPerShard: number;
  /** How much the shard count grows per expansion: a number above 1; default 2. */
  factor?: number | undefined;
  /**
   * Entries each later write (`insert`, `remove`, ...) moves while an expansion (or any online
   * migration) runs: the bound on the extra work a write does; a positive integer, default 64.
   */
  entriesPerWrite?: number | undefined;
}

/**
 * The constructor options `rebalance` adds.
 *
 * @example
 * new (ShardedHashMap.with(rebalance))<string, number>(64, { autoExpand: { maxLoadPerShard: 10_000, factor: 4 } });
 */
export interface RebalancePluginOptions {
  /** Expand the map online when a shard passes a load (see `AutoExpandOptions`); default: off. */
  autoExpand?: AutoExpandOptions | undefined;
}

/**
 * What `rebalance` adds to a `ShardedHashMap`.
 *
 * @example
 * const m = new (ShardedHashMap.with(rebalance))<string, number>(8);
 * m.rebalanceTo(32);                              // stop-the-world: RebalanceReport
 * await m.rebalanceTo(128, { background: true }); // online, yielding to the event loop
 */
export interface RebalanceApi {
  /**
   * Stop-the-world rebalance to `n` shards: every entry moves now; returns what moved. A map
   * already at `n` (and not migrating) moves nothing. An unfinished online migration is
   * finished first. Always strict: `n` that is not a non-negative safe integer, or above the
   * map's `maxShards`, throws `ShardCountError` and leaves the map unchanged (`0` means 64).
   *
   * @example
   * m.rebalanceTo(32); // { fromShards: 8, toShards: 32, movedEntries: m.len(), elapsedMs }
   */
  rebalanceTo(n: number, options?: RebalanceOptions & { background?: false | undefined }): RebalanceReport;
  /**
   * Background rebalance to `n` shards: switches writes to the new layout now, then moves the
   * entries online, one bounded step (`batchSize` entries, `maxPauseNs`) per event-loop turn;
   * resolves when done. Reads fall back to the old shards meanwhile, so every key stays
   * reachable. Rejects (map unchanged) with `ShardCountError` for a bad `n`; on abort, rejects
   * with `signal.reason` and leaves a consistent migration that `advanceRebalance` finishes.
   *
   * @example
   * const report = await m.rebalanceTo(256, { background: true, maxPauseNs: 2e6 });
   */
  rebalanceTo(n: number, options: BackgroundRebalanceOptions): Promise<RebalanceReport>;
  /**
   * Stop-the-world or background, as `options.background` says at run time.
   *
   * @example
   * const done = m.rebalanceTo(256, { background: isLarge }); // RebalanceReport | Promise<RebalanceReport>
   */
  rebalanceTo(n: number, options?: RebalanceOptions): RebalanceReport | Promise<RebalanceReport>;
  /**
   * Starts an online migration to `n` shards: writes go to the new layout at once, reads fall
   * back to the old one, and `advanceRebalance` moves the entries. Returns whether a migration
   * started: `false` (no-op) if one is already running or the map has `n` shards. Strict like
   * `rebalanceTo`.
   *
   * @example
   * m.startRebalanceOnline(32);
   * while (m.rebalanceStatus().state === 'migrating') m.advanceRebalance(2);
   */
  startRebalanceOnline(n: number): boolean;
  /**
   * Moves every entry of up to `maxShards` source shards (a non-negative integer, or
   * `Infinity` for all) to the new layout; returns how many source shards it finished (0 when
   * idle). Finishing the last one ends the migration.
   *
   * @example
   * m.advanceRebalance(4); // 4
   */
  advanceRebalance(maxShards: number): number;
  /**
   * Where the online migration stands: `{ state, progress, movedShards, totalShards, movedEntries }`.
   *
   * @example
   * m.rebalanceStatus().state; // 'idle' | 'migrating'
   */
  rebalanceStatus(): RebalanceStatus;
}

/**
 * What `rebalance` adds to an `AsyncShardedHashMap`: the same names, returning promises
 * (`rebalanceStatus` stays synchronous, as in Rust). Starting a migration or rebalancing
 * stop-the-world takes the whole map (after the callbacks in progress); the background steps and
 * `advanceRebalance` take no lock, since moving an entry changes no value anyone can see.
 *
 * @example
 * const m = new (AsyncShardedHashMap.with(rebalance))<string, number>(64);
 * await m.rebalanceTo(256, { background: true, maxPauseNs: 2e6 });
 */
export interface AsyncRebalanceApi {
  /**
   * Rebalances to `n` shards: stop-the-world under the whole-map lock, or with
   * `{ background: true }` online, taking the lock only to switch layouts. Rejects with
   * `ShardCountError` for a bad `n` (map unchanged), with `signal.reason` on abort.
   *
   * @example
   * await m.rebalanceTo(32);
   * await m.rebalanceTo(256, { background: true, signal: AbortSignal.timeout(10_000) });
   */
  rebalanceTo(n: number, options?: RebalanceOptions): Promise<RebalanceReport>;
  /**
   * Starts an online migration to `n` shards, holding the whole map while it switches layouts;
   * resolves to whether one started (`false` if already migrating or `n` is current).
   *
   * @example
   * await m.startRebalanceOnline(128);
   */
  startRebalanceOnline(n: number, options?: { signal?: AbortSignal | undefined }): Promise<boolean>;
  /**
   * Moves up to `maxShards` source shards; resolves to how many it finished.
   *
   * @example
   * while (m.rebalanceStatus().state === 'migrating') await m.advanceRebalance(1);
   */
  advanceRebalance(maxShards: number): Promise<number>;
  /**
   * Where the online migration stands (synchronous).
   *
   * @example
   * m.rebalanceStatus().progress; // 0.42
   */
  rebalanceStatus(): RebalanceStatus;
}

// The registry entries, keyed by the plugin's name: only compositions listing `rebalance` get
// these methods and options.
declare module '@starshard/core' {
  interface PluginApis<K, V> {
    rebalance: RebalanceApi;
  }
  interface AsyncPluginApis<K, V> {
    rebalance: AsyncRebalanceApi;
  }
  interface PluginOptions<K, V> {
    rebalance: RebalancePluginOptions;
  }
}
