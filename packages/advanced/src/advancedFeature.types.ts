import type { CowSnapshot, IsolatedSnapshot } from './isolatedSnapshot.js';
import type { LockProfile } from './lockProfile.js';
import type { QuorumConfig } from './quorumConfig.js';
import type { Replica } from './replica.js';
import type { Transaction, TransactionResult } from './transaction.js';

/**
 * The last argument of the async map's waiting calls (the async package's `AsyncCallOptions`,
 * restated so these types do not require `@starshard/async`).
 *
 * @example
 * await map.executeTransaction(txn, { signal: AbortSignal.timeout(100) });
 */
export interface AsyncCallOptions {
  /** Aborting it while the call waits rejects the call with its reason; the map is unchanged. */
  signal?: AbortSignal | undefined;
}

/**
 * What `compareAndSwap` returns: `{ success: true, value: next }` when the key held a value
 * equal to `expected` and now holds `next`; else `{ success: false, value }` with the value the
 * key holds now (`undefined` if it is absent: a missing key never matches).
 *
 * @example
 * const r = map.compareAndSwap('n', 1, 2);
 * if (!r.success) console.log('was', r.value);
 */
export type CasResult<V> =
  | { readonly success: true; readonly value: V }
  | { readonly success: false; readonly value: V | undefined };

/**
 * The state of an online rebalance as `diagnostics()` reports it (the `rebalance` plugin's `RebalanceStatus`).
 *
 * @example
 * if (map.diagnostics().rebalanceStatus.state === 'migrating') showProgress();
 */
export interface DiagnosticsRebalanceStatus {
  readonly state: 'idle' | 'migrating';
  readonly progress: number;
  readonly movedShards: number;
  readonly totalShards: number;
  readonly movedEntries: number;
}

/**
 * A one-call health report of a map, from `diagnostics()`. Fields that belong to other plugins
 * are read from them when they are composed, by feature detection, and otherwise hold a
 * neutral value that is true of a map without them (see each field).
 *
 * @example
 * const d = map.diagnostics();
 * if (d.maxImbalance > 2) console.warn('hot shards', d.hottestShards);
 */
export interface Diagnostics {
  /** Shards in the current layout. */
  readonly shardCount: number;
  /** Shards allocated (with `rebalance`, the old layout's live shards included). */
  readonly initializedShards: number;
  /** Entries. */
  readonly len: number;
  /** Up to 5 shards of the current layout holding the most entries, fullest first. */
  readonly hottestShards: readonly { readonly shardId: number; readonly entries: number }[];
  /** Entries in the fullest initialized shard. */
  readonly maxLoad: number;
  /** Entries per initialized shard. */
  readonly avgLoad: number;
  /** `maxLoad / avgLoad`: 1 is perfectly even; 0 for an empty map. */
  readonly maxImbalance: number;
  /** Mean of `|load - avgLoad| / avgLoad` over the current layout's initialized shards: 0 is perfectly even. */
  readonly avgImbalance: number;
  /** Whether the `rebalance` plugin is composed. */
  readonly rebalanceComposed: boolean;
  /** The `rebalance` plugin's status; without it, idle: `{ state: 'idle', progress: 1, movedShards: 0, totalShards: 0, movedEntries: 0 }`. */
  readonly rebalanceStatus: DiagnosticsRebalanceStatus;
  /** The `snapshot` plugin's mode; without it `'clone'` (the core's iteration copies, as `Clone` does). */
  readonly snapshotMode: 'clone' | 'cached' | 'cow';
  /** The `snapshot` plugin's write epoch; without it, this plugin's write version (it counts the same writes). */
  readonly snapshotEpoch: number;
  /** This plugin's write version (see `currentVersion()`). */
  readonly version: number;
  /** Whether lock profiling is on. */
  readonly profiling: boolean;
}

/**
 * The replication option (async map): the replicas and the quorum their acknowledgements must
 * reach before a replicated write changes the local map. Ignored by the sync map.
 *
 * @example
 * new (AsyncShardedHashMap.with(advanced))(64, {
 *   replication: { replicas: [r1, r2, r3], quorum: QuorumConfig.majority(3) },
 * });
 */
export interface ReplicationOptions<K, V> {
  /** The replicas, in the order outcomes list them. */
  readonly replicas: readonly Replica<K, V>[];
  /** How many must acknowledge, and how long to wait; `replicas` must equal `replicas.length`. */
  readonly quorum: QuorumConfig;
}

/**
 * The options the `advanced` plugin adds.
 *
 * @example
 * new (ShardedHashMap.with(advanced))<string, number>(64, { historyLimit: 32 });
 */
export interface AdvancedOptions<K, V> {
  /** How many versioned snapshots `snapshotAtVersion` can return (the latest ones taken); default 8, 0 keeps none. */
  historyLimit?: number | undefined;
  /** Quorum replication (async map only). */
  replication?: ReplicationOptions<K, V> | undefined;
}

/**
 * What `catchUpReplica` did.
 *
 * @example
 * const { inserted, removed } = await map.catchUpReplica(replica);
 */
export interface CatchUpReport {
  /** Entries sent because the replica lacked them or held another value (by `Object.is`). */
  readonly inserted: number;
  /** Keys the replica held that the map does not, removed from it. */
  readonly removed: number;
}

/**
 * What the `advanced` plugin adds to a `ShardedHashMap`.
 *
 * @example
 * const Adv = ShardedHashMap.with(advanced);
 * const m = new Adv<string, number>(64);
 * m.executeTransaction(new Transaction<string, number>().expectAbsent('a').write('a', 1));
 */
export interface AdvancedApi<K, V> {
  /**
   * Runs `txn` all or nothing: its steps run in order on a private view (nothing is written
   * while they run), then every staged write is applied at once. `committed` carries what the
   * `read` steps saw; `conflict` names the key of the first failed `expect`/`expectAbsent`;
   * `aborted` carries the error a step threw (an `update` function, an `expect`'s `eq`, the
   * map's hasher). Only `committed` changed the map. A sync map runs on one thread without
   * yielding, so a transaction is atomic with respect to everything else.
   *
   * @example
   * const r = m.executeTransaction(new Transaction<string, number>().read('a').update('a', (n = 0) => n + 1));
   */
  executeTransaction(txn: Transaction<K, V>): TransactionResult<K, V>;
  /**
   * If `key` holds a value equal to `expected` (by `eq`, default `Object.is`), stores `next`:
   * `{ success: true, value: next }`; else `{ success: false, value }` with the current value
   * (`undefined` for a missing key, which never matches).
   *
   * @example
   * m.compareAndSwap('n', 1, 2); // { success: true, value: 2 } if n was 1
   */
  compareAndSwap(key: K, expected: V, next: V, eq?: (current: V, expected: V) => boolean): CasResult<V>;
  /**
   * Removes `key` if it holds a value equal to `expected` (by `eq`, default `Object.is`); returns whether it did.
   *
   * @example
   * m.compareAndRemove('lock', token); // releases the lock only if we still own it
   */
  compareAndRemove(key: K, expected: V, eq?: (current: V, expected: V) => boolean): boolean;
  /**
   * A copy-on-write snapshot: O(shards) to take (shard maps are shared; the next write to each
   * copies it once), never changed by later writes. Taking another while nothing was written
   * returns the same object. Also retained for `snapshotAtVersion`.
   *
   * @example
   * const snap = m.cowSnapshot(); for (const [k, v] of snap) audit(k, v);
   */
  cowSnapshot(): CowSnapshot<K, V>;
  /**
   * A copy-on-write snapshot with its version and timestamp, retained (the latest
   * `historyLimit`) so that `snapshotAtVersion(version)` returns it later.
   *
   * @example
   * const v = m.versionedSnapshot().version;
   * // ...writes...
   * m.snapshotAtVersion(v)?.get('a'); // as it was
   */
  versionedSnapshot(): IsolatedSnapshot<K, V>;
  /**
   * The retained snapshot taken at `version`, or `undefined` if none was taken then or it fell
   * out of the history (option `historyLimit`, default 8).
   *
   * @example
   * m.snapshotAtVersion(42);
   */
  snapshotAtVersion(version: number): IsolatedSnapshot<K, V> | undefined;
  /**
   * The write version: how many shard writes the map has made (each insert, each removal of a
   * present key, each entry an online rebalance moves, a `clear()` or re-layout of a non-empty
   * map). Snapshots taken at the same version hold the same entries.
   *
   * @example
   * const before = m.currentVersion(); m.insert('a', 1); m.currentVersion() === before + 1; // true
   */
  currentVersion(): number;
  /**
   * Turns lock profiling on (counters start from zero when it was off) or off (the counters
   * stay readable, frozen). Off, the only cost is one field check per shard access.
   *
   * @example
   * m.enableProfiling(true);
   */
  enableProfiling(on: boolean): void;
  /**
   * One {@link LockProfile} per shard of the current layout, from the counters of the last
   * `enableProfiling(true)` (all zero if profiling never ran). A rebalance to another shard
   * count starts new counters.
   *
   * @example
   * m.lockProfiles().reduce((n, p) => n + p.writes, 0);
   */
  lockProfiles(): LockProfile[];
  /**
   * Shard count, initialized shards, length, hottest shards, imbalance, rebalance status,
   * snapshot mode and epoch, in one O(shards) call.
   *
   * @example
   * console.table(m.diagnostics().hottestShards);
   */
  diagnostics(): Diagnostics;
}

/**
 * What the `advanced` plugin adds to an `AsyncShardedHashMap`: the same methods returning
 * promises (except `enableProfiling`, sync as in Rust), plus quorum replication.
 *
 * Transactions lock the shards of their keys in ascending shard order (two transactions never
 * deadlock), so single-key writes and callbacks on those shards wait, and concurrent
 * transactions are serializable; their `update` and `expect` callbacks may be async.
 *
 * @example
 * const AsyncAdv = AsyncShardedHashMap.with(advanced);
 * const m = new AsyncAdv<string, number>(64);
 * await m.executeTransaction(new Transaction<string, number>().update('a', async (n = 0) => n + 1));
 */
export interface AsyncAdvancedApi<K, V> {
  /** See {@link AdvancedApi.executeTransaction}; `update`/`expect` callbacks may be async and get `{ signal }`. */
  executeTransaction(txn: Transaction<K, V>, options?: AsyncCallOptions): Promise<TransactionResult<K, V>>;
  /** See {@link AdvancedApi.compareAndSwap}; `eq` may be async (the key stays locked meanwhile). */
  compareAndSwap(
    key: K,
    expected: V,
    next: V,
    eq?: (current: V, expected: V) => boolean | PromiseLike<boolean>,
    options?: AsyncCallOptions,
  ): Promise<CasResult<V>>;
  /** See {@link AdvancedApi.compareAndRemove}. */
  compareAndRemove(
    key: K,
    expected: V,
    eq?: (current: V, expected: V) => boolean | PromiseLike<boolean>,
    options?: AsyncCallOptions,
  ): Promise<boolean>;
  /** See {@link AdvancedApi.cowSnapshot}; taken synchronously at the call. */
  cowSnapshot(): Promise<CowSnapshot<K, V>>;
  /** See {@link AdvancedApi.versionedSnapshot}. */
  versionedSnapshot(): Promise<IsolatedSnapshot<K, V>>;
  /** See {@link AdvancedApi.snapshotAtVersion}. */
  snapshotAtVersion(version: number): Promise<IsolatedSnapshot<K, V> | undefined>;
  /** See {@link AdvancedApi.currentVersion}. */
  currentVersion(): Promise<number>;
  /** See {@link AdvancedApi.enableProfiling}; also starts measuring lock waits. Sync. */
  enableProfiling(on: boolean): void;
  /** See {@link AdvancedApi.lockProfiles}, with real `contentionCount` and wait times. */
  lockProfiles(): Promise<LockProfile[]>;
  /** See {@link AdvancedApi.diagnostics}. */
  diagnostics(): Promise<Diagnostics>;
  /**
   * Sends `{ type: 'insert', key, value }` to every replica and, once the write quorum
   * acknowledged, inserts locally and resolves to the previous value. Otherwise rejects with
   * `QuorumError` (each replica's outcome) and the local map is unchanged. Holds `key`'s lock
   * meanwhile (writes to `key` wait; other keys do not).
   *
   * @example
   * await m.insertReplicated('user:1', user);
   */
  insertReplicated(key: K, value: V, options?: AsyncCallOptions): Promise<V | undefined>;
  /**
   * Replicates `{ type: 'remove', key }`, then removes locally; like `insertReplicated`.
   *
   * @example
   * await m.removeReplicated('user:1');
   */
  removeReplicated(key: K, options?: AsyncCallOptions): Promise<V | undefined>;
  /**
   * Replicates `{ type: 'clear' }`, then clears locally; holds the whole map meanwhile.
   *
   * @example
   * await m.clearReplicated();
   */
  clearReplicated(options?: AsyncCallOptions): Promise<void>;
  /**
   * Brings `replica` (e.g. a restarted worker) in line with this map: fetches its state
   * (`fetchState`), then sends the inserts and removes that differ. Holds the whole map
   * meanwhile, so no write slips between. Each batch of sends is bounded by the quorum's `timeoutMs`.
   *
   * @example
   * replica.reconnect(new Worker(workerUrl));
   * await m.catchUpReplica(replica); // { inserted, removed }
   */
  catchUpReplica(replica: Replica<K, V>, options?: AsyncCallOptions): Promise<CatchUpReport>;
}

// The registry entries, keyed by the plugin's name: only classes composed with `advanced` get them.
declare module '@starshard/core' {
  interface PluginApis<K, V> {
    advanced: AdvancedApi<K, V>;
  }
  interface AsyncPluginApis<K, V> {
    advanced: AsyncAdvancedApi<K, V>;
  }
  interface PluginOptions<K, V> {
    advanced: AdvancedOptions<K, V>;
  }
}
