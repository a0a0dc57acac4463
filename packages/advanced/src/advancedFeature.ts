// Types only, erased at run time: registers the `async` map kind with the core's plugin registry,
// so `definePlugin` accepts an `async` facet. Sync-only users load nothing from `@starshard/async`.
import type {} from '@starshard/async';
import { definePlugin, InvalidArgumentError, type ShardedHashMap } from '@starshard/core';
import type {
  AdvancedApi,
  AsyncAdvancedApi,
  AsyncCallOptions,
  CasResult,
  CatchUpReport,
  Diagnostics,
  DiagnosticsRebalanceStatus,
} from './advancedFeature.types.js';
import { describe } from './describe.js';
import { FrozenSnapshot, type IsolatedSnapshot } from './isolatedSnapshot.js';
import { type LockProfile, nowNs, ProfileCounters } from './lockProfile.js';
import { QuorumConfig } from './quorumConfig.js';
import type { Replica, ReplicationOp } from './replica.js';
import { replicateToQuorum } from './replicateToQuorum.js';
import { commitPlan, planTransaction } from './runTransaction.js';
import { SharedShards } from './sharedShards.js';
import { type Transaction, type TransactionResult, type TransactionStep, transactionSteps } from './transaction.js';

type Shards = (Map<unknown, unknown> | undefined)[];
type Eq = (current: unknown, expected: unknown) => unknown;

const DEFAULT_HISTORY_LIMIT = 8;
/** The sync facet's counters, for the async facet (a symbol: no member name to clash with). */
const countersKey: unique symbol = Symbol('starshard.advanced.counters');
const HOTTEST = 5;
const IDLE: DiagnosticsRebalanceStatus = Object.freeze({
  state: 'idle',
  progress: 1,
  movedShards: 0,
  totalShards: 0,
  movedEntries: 0,
});

function historyLimitOf(options: unknown): number {
  const limit = (options as { historyLimit?: unknown } | undefined)?.historyLimit;
  if (limit === undefined) return DEFAULT_HISTORY_LIMIT;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw new InvalidArgumentError(
      `options.historyLimit must be a non-negative integer (how many versioned snapshots to keep), got ${describe(limit)}`,
    );
  }
  return limit;
}

function checkEq(eq: unknown, method: string): void {
  if (typeof eq !== 'function') {
    throw new InvalidArgumentError(
      `${method}: eq must be a function (current, expected) => boolean, got ${describe(eq)}; the map is unchanged`,
    );
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** What the async facet reaches on its inner sync map (composed with the sync facet). */
type SyncAdvanced = ShardedHashMap<unknown, unknown> &
  AdvancedApi<unknown, unknown> & { [countersKey](): ProfileCounters | undefined };

/**
 * The `advanced` plugin: transactions, compare-and-swap, versioned copy-on-write snapshots with
 * a bounded history, lock profiling, diagnostics, and (async map) quorum replication, including
 * to maps in worker threads (`MessagePortReplica`).
 *
 * How it hooks in: the core's `shardForRead` / `shardForWrite` seams count shard reads and
 * writes while profiling is on (one field check when off), and `shardForWrite` advances the
 * write version and, while a snapshot shares the shard, copies it once. It composes with
 * `snapshot` (independent copy-on-write: whichever copies first, the other sees a new map) and
 * `rebalance` (the old layout's shards are never mutated; a snapshot during a migration copies
 * the entries). Internals are `adv`-prefixed fields and `#private` methods, so no member clashes
 * with another plugin's.
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { advanced, Transaction } from '@starshard/advanced';
 *
 * const Bank = ShardedHashMap.with(advanced);
 * const accounts = new Bank<string, number>(64);
 * accounts.batchInsert([['alice', 100], ['bob', 0]]);
 * accounts.executeTransaction(
 *   new Transaction<string, number>().update('alice', (n = 0) => n - 10).update('bob', (n = 0) => n + 10),
 * ); // { status: 'committed', reads: Map {} }
 * accounts.compareAndSwap('bob', 10, 11); // { success: true, value: 11 }
 */
export const advanced = definePlugin({
  name: 'advanced',
  sync: (Base) =>
    class AdvancedMap extends Base implements AdvancedApi<unknown, unknown> {
      // Declared here, set in the constructor, in this order: one hidden class per composition.
      // Plain `adv`-prefixed fields (not `#private`): a seam called before this constructor ran
      // (from an earlier plugin's constructor) reads `undefined` instead of throwing.
      /** The write version: shard writes so far. */
      private advVersion: number;
      /** The snapshot of the current version, dropped by the next write. */
      private advLast: FrozenSnapshot<unknown, unknown> | undefined;
      /** Which live shard maps the latest snapshot still shares (copy-on-write). */
      private readonly advCow: SharedShards;
      /** The latest snapshots taken, oldest first, at most `advHistoryLimit`. */
      private readonly advHistory: FrozenSnapshot<unknown, unknown>[];
      /** Option `historyLimit`. */
      private readonly advHistoryLimit: number;
      /** The counters being incremented, while profiling is on. */
      private advCounting: ProfileCounters | undefined;
      /** The counters of the last profiling run (kept readable after it stops). */
      private advCounters: ProfileCounters | undefined;

      constructor(...args: any[]) {
        super(...args);
        this.advVersion = 0;
        this.advLast = undefined;
        this.advCow = new SharedShards();
        this.advHistory = [];
        this.advHistoryLimit = historyLimitOf(args[1]);
        this.advCounting = undefined;
        this.advCounters = undefined;
      }

      // ---- The seams ----

      protected override shardForRead(key: unknown, index: number): Map<unknown, unknown> | undefined {
        const counting = this.advCounting;
        if (counting !== undefined) (counting.reads[index] as number)++;
        return super.shardForRead(key, index);
      }

      protected override shardForWrite(key: unknown, index: number): Map<unknown, unknown> {
        const cow = this.advCow;
        if (cow !== undefined && cow.pending > 0) cow.release(this.shards, index);
        this.advVersion++;
        this.advLast = undefined;
        const counting = this.advCounting;
        if (counting !== undefined) (counting.writes[index] as number)++;
        return super.shardForWrite(key, index);
      }

      protected override layoutChanged(): void {
        // New shard maps were installed (a clear, the core's string re-layout, a rebalance): the
        // maps a snapshot still shares stay protected at their new indices.
        const cow = this.advCow;
        if (cow !== undefined && cow.pending > 0) cow.relocate(this.shards);
        if (this.entryCount !== 0) {
          this.advVersion++;
          this.advLast = undefined;
        }
        const counting = this.advCounting;
        if (counting !== undefined && counting.count !== this.count) {
          this.advCounting = new ProfileCounters(this.count);
          this.advCounters = this.advCounting;
        }
        super.layoutChanged();
      }

      // ---- Transactions and CAS ----

      executeTransaction(txn: Transaction<unknown, unknown>): TransactionResult<unknown, unknown> {
        const steps = transactionSteps(txn, 'executeTransaction');
        try {
          return commitPlan(this, planTransaction(this, steps, false, NO_SIGNAL) as never);
        } catch (error) {
          return { status: 'aborted', error };
        }
      }

      compareAndSwap(key: unknown, expected: unknown, next: unknown, eq: Eq = Object.is): CasResult<unknown> {
        checkEq(eq, 'compareAndSwap');
        const current = this.get(key);
        if (current === undefined && !this.contains(key)) return { success: false, value: undefined };
        const same = eq(current, expected);
        if (isThenable(same)) throw syncEqError('compareAndSwap');
        if (!same) return { success: false, value: current };
        this.insert(key, next);
        return { success: true, value: next };
      }

      compareAndRemove(key: unknown, expected: unknown, eq: Eq = Object.is): boolean {
        checkEq(eq, 'compareAndRemove');
        const current = this.get(key);
        if (current === undefined && !this.contains(key)) return false;
        const same = eq(current, expected);
        if (isThenable(same)) throw syncEqError('compareAndRemove');
        if (!same) return false;
        this.remove(key);
        return true;
      }

      // ---- Versioned snapshots ----

      cowSnapshot(): IsolatedSnapshot<unknown, unknown> {
        return this.versionedSnapshot();
      }

      versionedSnapshot(): IsolatedSnapshot<unknown, unknown> {
        let last = this.advLast;
        if (last === undefined) {
          last = this.#capture();
          this.advLast = last;
          const history = this.advHistory;
          if (this.advHistoryLimit > 0) {
            history.push(last);
            if (history.length > this.advHistoryLimit) history.shift();
          }
        }
        return last;
      }

      snapshotAtVersion(version: number): IsolatedSnapshot<unknown, unknown> | undefined {
        const history = this.advHistory;
        for (let i = history.length - 1; i >= 0; i--) {
          const snap = history[i] as FrozenSnapshot<unknown, unknown>;
          if (snap.version === version) return snap;
        }
        return undefined;
      }

      currentVersion(): number {
        return this.advVersion;
      }

      // ---- Profiling and diagnostics ----

      enableProfiling(on: boolean): void {
        if (typeof on !== 'boolean') {
          throw new InvalidArgumentError(`enableProfiling: on must be true or false, got ${describe(on)}`);
        }
        if (on && this.advCounting === undefined) {
          this.advCounting = new ProfileCounters(this.count);
          this.advCounters = this.advCounting;
        } else if (!on) {
          this.advCounting = undefined;
        }
      }

      lockProfiles(): LockProfile[] {
        return (this.advCounters ?? new ProfileCounters(this.count)).profiles();
      }

      /** @internal For the async facet: the counters of the last profiling run. */
      [countersKey](): ProfileCounters | undefined {
        return this.advCounters;
      }

      diagnostics(): Diagnostics {
        const self = this as unknown as {
          rebalanceStatus?: () => DiagnosticsRebalanceStatus;
          snapshotMode?: () => 'clone' | 'cached' | 'cow';
          snapshotVersion?: () => number;
        };
        const stats = this.shardStats();
        const loads: { shardId: number; entries: number }[] = [];
        const shards = this.shards;
        for (let i = 0; i < shards.length; i++) {
          const shard = shards[i];
          if (shard !== undefined) loads.push({ shardId: i, entries: shard.size });
        }
        const avg = stats.avgLoad;
        let deviation = 0;
        for (const load of loads) deviation += Math.abs(load.entries - avg);
        loads.sort((a, b) => b.entries - a.entries || a.shardId - b.shardId);
        const rebalanceComposed = typeof self.rebalanceStatus === 'function';
        return {
          shardCount: this.count,
          initializedShards: stats.initialized,
          len: this.entryCount,
          hottestShards: loads.slice(0, HOTTEST),
          maxLoad: stats.maxLoad,
          avgLoad: avg,
          maxImbalance: avg === 0 ? 0 : stats.maxLoad / avg,
          avgImbalance: avg === 0 || loads.length === 0 ? 0 : deviation / loads.length / avg,
          rebalanceComposed,
          rebalanceStatus: rebalanceComposed
            ? { ...(self.rebalanceStatus as () => DiagnosticsRebalanceStatus)() }
            : IDLE,
          snapshotMode: typeof self.snapshotMode === 'function' ? self.snapshotMode() : 'clone',
          snapshotEpoch: typeof self.snapshotVersion === 'function' ? self.snapshotVersion() : this.advVersion,
          version: this.advVersion,
          profiling: this.advCounting !== undefined,
        };
      }

      // ---- Internals ----

      /** A new snapshot sharing the live shard maps; during an online migration, a copy of every entry. */
      #capture(): FrozenSnapshot<unknown, unknown> {
        const shards = this.shards;
        const count = shards.length;
        const routing = {
          count: this.count,
          scale: this.scale,
          shift: this.shift,
          hasher: this.hasher,
          seed: this.seed,
          sampleSkip: this.sampleSkip,
        };
        let initialized = 0;
        for (let i = 0; i < count; i++) if (shards[i] !== undefined) initialized++;
        if (this.scanShards().length !== initialized) {
          const captured: Shards = new Array(count).fill(undefined);
          // Entries outside the current layout (a migration runs): copy them, laid out by the current routing.
          let size = 0;
          for (const [key, value] of super.iter()) {
            const i = this.indexFor(key);
            let shard = captured[i];
            if (shard === undefined) {
              shard = new Map();
              captured[i] = shard;
            }
            shard.set(key, value);
            size++;
          }
          return new FrozenSnapshot(captured, routing, size, this.advVersion);
        }
        return new FrozenSnapshot(this.advCow.share(shards), routing, this.entryCount, this.advVersion);
      }
    },

  // The async facet runs the sync facet on the inner map under the async map's locks, and
  // measures lock waits itself (the inner map never waits).
  async: (Base) =>
    class AsyncAdvancedMap extends Base implements AsyncAdvancedApi<unknown, unknown> {
      /** Lock-wait counters while profiling is on (reads and writes are counted by the inner map). */
      private advWaits: ProfileCounters | undefined;
      /** The counters of the last profiling run. */
      private advWaitsKept: ProfileCounters | undefined;
      /** Option `replication.replicas`, or `undefined` without replication. */
      private readonly advReplicas: readonly Replica<unknown, unknown>[] | undefined;
      /** Option `replication.quorum`. */
      private readonly advQuorum: QuorumConfig | undefined;

      constructor(...args: any[]) {
        super(...args);
        this.advWaits = undefined;
        this.advWaitsKept = undefined;
        const replication = (args[1] as { replication?: unknown } | undefined)?.replication;
        if (replication === undefined) {
          this.advReplicas = undefined;
          this.advQuorum = undefined;
        } else {
          const { replicas, quorum } = readReplication(replication);
          this.advReplicas = replicas;
          this.advQuorum = quorum;
        }
      }

      // ---- Lock waits, measured only while profiling ----

      override insert(key: unknown, value: unknown, options?: AsyncCallOptions): Promise<unknown> {
        if (this.advWaits === undefined) return super.insert(key, value, options);
        return this.#measured(key, (mark) =>
          this.runWrite(
            key,
            () => {
              mark();
              return this.inner.insert(key, value);
            },
            options,
            'insert',
          ),
        );
      }

      override remove(key: unknown, options?: AsyncCallOptions): Promise<unknown> {
        if (this.advWaits === undefined) return super.remove(key, options);
        return this.#measured(key, (mark) =>
          this.runWrite(
            key,
            () => {
              mark();
              return this.inner.remove(key);
            },
            options,
            'remove',
          ),
        );
      }

      override delete(key: unknown, options?: AsyncCallOptions): Promise<boolean> {
        if (this.advWaits === undefined) return super.delete(key, options);
        return this.#measured(key, (mark) =>
          this.runWrite(
            key,
            () => {
              mark();
              return this.inner.delete(key);
            },
            options,
            'delete',
          ),
        );
      }

      override computeIfPresent(key: unknown, f: any, options?: AsyncCallOptions): Promise<unknown> {
        if (this.advWaits === undefined || typeof f !== 'function') return super.computeIfPresent(key, f, options);
        return this.#measured(key, (mark) =>
          super.computeIfPresent(
            key,
            (value: unknown, k: unknown, context: unknown) => {
              mark();
              return f(value, k, context);
            },
            options,
          ),
        );
      }

      override computeIfAbsent(key: unknown, f: any, options?: AsyncCallOptions): Promise<unknown> {
        if (this.advWaits === undefined || typeof f !== 'function') return super.computeIfAbsent(key, f, options);
        return this.#measured(key, (mark) =>
          super.computeIfAbsent(
            key,
            (k: unknown, context: unknown) => {
              mark();
              return f(k, context);
            },
            options,
          ),
        );
      }

      // ---- Transactions and CAS ----

      executeTransaction(
        txn: Transaction<unknown, unknown>,
        options?: AsyncCallOptions,
      ): Promise<TransactionResult<unknown, unknown>> {
        let steps: ReturnType<typeof transactionSteps<unknown, unknown>>;
        let keys: unknown[];
        try {
          steps = transactionSteps(txn, 'executeTransaction');
          keys = txn.keys();
        } catch (error) {
          return Promise.reject(error);
        }
        try {
          for (const key of keys) this.shardIndexOf(key); // a hasher failing on a key aborts, as on the sync map
        } catch (error) {
          return Promise.resolve({ status: 'aborted', error });
        }
        const inner = this.inner;
        // No callback (only reads, writes, removes and `Object.is` expectations) and no lock held
        // or awaited anywhere in the map: nothing can interleave, so run it now, synchronously.
        if (steps.every(isPure) && this.lockStats().idle) {
          try {
            return Promise.resolve(commitPlan(inner, planTransaction(inner, steps, false, NO_SIGNAL) as never));
          } catch (error) {
            return Promise.resolve({ status: 'aborted', error });
          }
        }
        const waits = this.advWaits;
        const started = waits === undefined ? 0 : nowNs();
        let calling = true;
        const result = this.runWithShards(
          keys,
          (context) => {
            if (waits !== undefined && !calling) {
              const waited = nowNs() - started;
              for (const index of new Set(keys.map((key) => inner.shardIndexOf(key)))) waits.waited(index, waited);
            }
            let plan: ReturnType<typeof planTransaction<unknown, unknown>>;
            try {
              plan = planTransaction(inner, steps, true, context);
            } catch (error) {
              return { status: 'aborted' as const, error };
            }
            if (!isThenable(plan)) return commitPlan(inner, plan);
            return plan.then(
              (ready) => commitPlan(inner, ready),
              (error: unknown) => ({ status: 'aborted' as const, error }),
            );
          },
          options,
          'executeTransaction',
        );
        calling = false;
        return result as Promise<TransactionResult<unknown, unknown>>;
      }

      compareAndSwap(
        key: unknown,
        expected: unknown,
        next: unknown,
        eq: Eq = Object.is,
        options?: AsyncCallOptions,
      ): Promise<CasResult<unknown>> {
        return this.#conditional(key, expected, eq, options, 'compareAndSwap', (current, same) => {
          if (current === ABSENT) return { success: false, value: undefined };
          if (!same) return { success: false, value: current };
          this.inner.insert(key, next);
          return { success: true, value: next };
        });
      }

      compareAndRemove(
        key: unknown,
        expected: unknown,
        eq: Eq = Object.is,
        options?: AsyncCallOptions,
      ): Promise<boolean> {
        return this.#conditional(key, expected, eq, options, 'compareAndRemove', (current, same) => {
          if (current === ABSENT || !same) return false;
          this.inner.remove(key);
          return true;
        });
      }

      // ---- Snapshots, profiling, diagnostics: taken synchronously on the inner map ----

      cowSnapshot(): Promise<IsolatedSnapshot<unknown, unknown>> {
        return this.#now((inner) => inner.cowSnapshot() as IsolatedSnapshot<unknown, unknown>);
      }

      versionedSnapshot(): Promise<IsolatedSnapshot<unknown, unknown>> {
        return this.#now((inner) => inner.versionedSnapshot());
      }

      snapshotAtVersion(version: number): Promise<IsolatedSnapshot<unknown, unknown> | undefined> {
        return this.#now((inner) => inner.snapshotAtVersion(version));
      }

      currentVersion(): Promise<number> {
        return this.#now((inner) => inner.currentVersion());
      }

      enableProfiling(on: boolean): void {
        this.#inner().enableProfiling(on);
        if (on && this.advWaits === undefined) {
          this.advWaits = new ProfileCounters(this.inner.shardCount());
          this.advWaitsKept = this.advWaits;
        } else if (!on) {
          this.advWaits = undefined;
        }
      }

      lockProfiles(): Promise<LockProfile[]> {
        return this.#now((inner) => {
          const counters = inner[countersKey]() ?? new ProfileCounters(inner.shardCount());
          const waits = this.advWaitsKept;
          return counters.profiles(waits !== undefined && waits.count === counters.count ? waits : undefined);
        });
      }

      diagnostics(): Promise<Diagnostics> {
        return this.#now((inner) => inner.diagnostics());
      }

      // ---- Replication ----

      insertReplicated(key: unknown, value: unknown, options?: AsyncCallOptions): Promise<unknown> {
        return this.#replicatedKeyWrite(key, { type: 'insert', key, value }, options, 'insertReplicated', () =>
          this.inner.insert(key, value),
        );
      }

      removeReplicated(key: unknown, options?: AsyncCallOptions): Promise<unknown> {
        return this.#replicatedKeyWrite(key, { type: 'remove', key }, options, 'removeReplicated', () =>
          this.inner.remove(key),
        );
      }

      clearReplicated(options?: AsyncCallOptions): Promise<void> {
        let replicas: readonly Replica<unknown, unknown>[];
        let quorum: QuorumConfig;
        try {
          [replicas, quorum] = this.#replication('clearReplicated');
        } catch (error) {
          return Promise.reject(error);
        }
        return this.runExclusive(
          async ({ signal }) => {
            await replicateToQuorum(replicas, quorum, { type: 'clear' }, signal);
            this.inner.clear();
          },
          options,
          'clearReplicated',
        );
      }

      catchUpReplica(replica: Replica<unknown, unknown>, options?: AsyncCallOptions): Promise<CatchUpReport> {
        if (
          typeof replica !== 'object' ||
          replica === null ||
          typeof replica.replicate !== 'function' ||
          typeof replica.fetchState !== 'function'
        ) {
          return Promise.reject(
            new InvalidArgumentError(
              `catchUpReplica: expected a Replica ({ replicate(op), fetchState() }), got ${describe(replica)}`,
            ),
          );
        }
        const timeoutMs = this.advQuorum?.timeoutMs ?? 1000;
        return this.runExclusive(
          async ({ signal }) => {
            const theirs = new Map<unknown, unknown>();
            for (const [key, value] of await replica.fetchState()) theirs.set(key, value);
            signal?.throwIfAborted();
            const ops: ReplicationOp<unknown, unknown>[] = [];
            let inserted = 0;
            for (const [key, value] of this.inner.iter()) {
              if (!theirs.has(key) || !Object.is(theirs.get(key), value)) {
                ops.push({ type: 'insert', key, value });
                inserted++;
              }
              theirs.delete(key);
            }
            for (const key of theirs.keys()) ops.push({ type: 'remove', key });
            const one = QuorumConfig.strict(1, { timeoutMs });
            const batch = 1024;
            for (let i = 0; i < ops.length; i += batch) {
              await Promise.all(ops.slice(i, i + batch).map((op) => replicateToQuorum([replica], one, op, signal)));
            }
            return { inserted, removed: ops.length - inserted };
          },
          options,
          'catchUpReplica',
        );
      }

      // ---- Internals ----

      #inner(): SyncAdvanced {
        return this.inner as unknown as SyncAdvanced;
      }

      /** Runs `read` on the inner map now, as a promise. */
      #now<T>(read: (inner: SyncAdvanced) => T): Promise<T> {
        try {
          return Promise.resolve(read(this.#inner()));
        } catch (error) {
          return Promise.reject(error);
        }
      }

      /**
       * Runs `start` (which calls `mark` when its lock is granted): a grant after `start`
       * returned waited, and its wait is recorded against `key`'s shard.
       */
      #measured<T>(key: unknown, start: (mark: () => void) => Promise<T>): Promise<T> {
        const waits = this.advWaits as ProfileCounters;
        let index: number;
        try {
          index = this.shardIndexOf(key);
        } catch (error) {
          return Promise.reject(error);
        }
        const started = nowNs();
        let calling = true;
        let marked = false;
        const result = start(() => {
          if (marked) return;
          marked = true;
          if (!calling) waits.waited(index, nowNs() - started);
        });
        calling = false;
        return result;
      }

      /** CAS and compare-and-remove: under `key`'s lock, with `eq` possibly async. */
      #conditional<T>(
        key: unknown,
        expected: unknown,
        eq: Eq,
        options: AsyncCallOptions | undefined,
        method: string,
        decide: (current: unknown, same: boolean) => T,
      ): Promise<T> {
        try {
          checkEq(eq, method);
        } catch (error) {
          return Promise.reject(error);
        }
        const compare = (mark: () => void) => {
          mark();
          const current = this.inner.get(key);
          if (current === undefined && !this.inner.contains(key)) return decide(ABSENT, false);
          const same = eq(current, expected);
          if (!isThenable(same)) return decide(current, Boolean(same));
          return Promise.resolve(same).then((s) => decide(current, Boolean(s)));
        };
        // `Object.is` cannot return a promise: a plain keyed write (at once on an idle key, no
        // lock object); any other `eq` may be async, so it runs holding the key's lock.
        const run = (mark: () => void): Promise<T> =>
          eq === Object.is
            ? this.runWrite(key, () => compare(mark) as T, options, method)
            : this.runWithKey(key, () => compare(mark), options, method);
        return this.advWaits === undefined ? run(noop) : this.#measured(key, run);
      }

      #replication(method: string): [readonly Replica<unknown, unknown>[], QuorumConfig] {
        if (this.advReplicas === undefined || this.advQuorum === undefined) {
          throw new InvalidArgumentError(
            `${method}: this map has no replication configured: create it with ` +
              '{ replication: { replicas: [...], quorum: QuorumConfig.majority(n) } }, or use the plain write',
          );
        }
        return [this.advReplicas, this.advQuorum];
      }

      /** A replicated write of `key`: quorum first (holding `key`), then the local write. */
      #replicatedKeyWrite<T>(
        key: unknown,
        op: ReplicationOp<unknown, unknown>,
        options: AsyncCallOptions | undefined,
        method: string,
        local: () => T,
      ): Promise<T> {
        let replicas: readonly Replica<unknown, unknown>[];
        let quorum: QuorumConfig;
        try {
          [replicas, quorum] = this.#replication(method);
        } catch (error) {
          return Promise.reject(error);
        }
        const run = (mark: () => void) =>
          this.runWithKey(
            key,
            async ({ signal }) => {
              mark();
              await replicateToQuorum(replicas, quorum, op, signal);
              return local();
            },
            options,
            method,
          );
        return (this.advWaits === undefined ? run(noop) : this.#measured(key, run)) as Promise<T>;
      }
    },
});

const ABSENT: unique symbol = Symbol('absent');

/** A step that runs no user code. */
function isPure(step: TransactionStep<unknown, unknown>): boolean {
  return step.fn === undefined || step.fn === Object.is;
}
const noop = (): void => {};
/** The context of a transaction's callbacks when there is no signal (sync maps, calls without one). */
const NO_SIGNAL = Object.freeze({ signal: undefined });

function syncEqError(method: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `${method}: eq returned a promise; a sync map compares synchronously: pass a synchronous eq, ` +
      'or use AsyncShardedHashMap.with(advanced), whose eq may be async. The map is unchanged',
  );
}

/** Reads and checks option `replication`. */
function readReplication(replication: unknown): {
  replicas: readonly Replica<unknown, unknown>[];
  quorum: QuorumConfig;
} {
  if (typeof replication !== 'object' || replication === null) {
    throw new InvalidArgumentError(`options.replication must be { replicas, quorum }, got ${describe(replication)}`);
  }
  const { replicas, quorum } = replication as { replicas?: unknown; quorum?: unknown };
  if (!Array.isArray(replicas) || replicas.length === 0) {
    throw new InvalidArgumentError(
      `options.replication.replicas must be a non-empty array of replicas, got ${describe(replicas)}`,
    );
  }
  replicas.forEach((r, i) => {
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof (r as Replica<unknown, unknown>).replicate !== 'function' ||
      typeof (r as Replica<unknown, unknown>).fetchState !== 'function'
    ) {
      throw new InvalidArgumentError(
        `options.replication.replicas[${i}] must be a Replica ({ replicate(op), fetchState() }), got ${describe(r)}`,
      );
    }
  });
  return { replicas: Object.freeze([...replicas]), quorum: QuorumConfig.check(quorum, replicas.length) };
}
