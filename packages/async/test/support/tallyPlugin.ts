// A small plugin with both facets, written the way a third-party author would: the sync facet
// observes writes through the core's `afterWrite` seam; the async facet reuses the sync logic on
// the inner map under the right locks (runWrite, runWithKey, runWithShards, runExclusive).
import { definePlugin, type ShardedHashMap, type WriteOp } from '@starshard/core';

/** The sync API of `tdTally`. */
export interface TallyApi<K> {
  /** How many writes `key` has seen. */
  tally(key: K): number;
  /** Adds `by` to the number stored under `key` (0 when absent); returns the new number. */
  bump(key: K, by?: number): number;
}

/** The async API of `tdTally`: the same names, returning promises, plus lock-using extras. */
export interface AsyncTallyApi<K> {
  tally(key: K): Promise<number>;
  bump(key: K, by?: number): Promise<number>;
  /** Moves `amount` from `from` to `to` atomically (both shards locked). */
  transfer(from: K, to: K, amount: number): Promise<void>;
  /** Awaits `check(value)` holding `key`, then bumps it: a remote check under the key's lock. */
  bumpIfAllowed(key: K, check: (value: number | undefined) => Promise<boolean>): Promise<boolean>;
  /** Sum of every number, taken holding the whole map. */
  total(): Promise<number>;
}

declare module '@starshard/core' {
  interface PluginApis<K, V> {
    tdTally: TallyApi<K>;
  }
  interface AsyncPluginApis<K, V> {
    tdTally: AsyncTallyApi<K>;
  }
}

type SyncTally = ShardedHashMap<unknown, number> & TallyApi<unknown>;

export const tdTally = definePlugin({
  name: 'tdTally',
  sync: (Base) =>
    class extends Base {
      // Declared and set in the constructor: one hidden class per composition.
      readonly tallies: Map<unknown, number>;
      constructor(...args: any[]) {
        super(...args);
        this.tallies = new Map();
      }
      protected override afterWrite(op: WriteOp, key: unknown, value: unknown, previous: unknown): void {
        if (op !== 'clear' && this.tallies !== undefined) this.tallies.set(key, (this.tallies.get(key) ?? 0) + 1);
        super.afterWrite(op, key, value, previous);
      }
      tally(key: unknown): number {
        return this.tallies.get(key) ?? 0;
      }
      bump(key: unknown, by = 1): number {
        const next = ((this.get(key) as number | undefined) ?? 0) + by;
        this.insert(key, next);
        return next;
      }
    },
  async: (Base) =>
    class extends Base {
      private get tallyMap(): SyncTally {
        return this.inner as unknown as SyncTally;
      }
      tally(key: unknown): Promise<number> {
        return Promise.resolve(this.tallyMap.tally(key));
      }
      bump(key: unknown, by = 1): Promise<number> {
        return this.runWrite(key, () => this.tallyMap.bump(key, by), undefined, 'bump');
      }
      transfer(from: unknown, to: unknown, amount: number): Promise<void> {
        return this.runWithShards(
          [from, to],
          () => {
            this.tallyMap.bump(from, -amount);
            this.tallyMap.bump(to, amount);
          },
          undefined,
          'transfer',
        );
      }
      bumpIfAllowed(key: unknown, check: (value: number | undefined) => Promise<boolean>): Promise<boolean> {
        return this.runWithKey(
          key,
          async () => {
            if (!(await check(this.tallyMap.get(key)))) return false;
            this.tallyMap.bump(key);
            return true;
          },
          undefined,
          'bumpIfAllowed',
        );
      }
      total(): Promise<number> {
        return this.runExclusive(() => [...this.tallyMap.values()].reduce((a, b) => a + b, 0), undefined, 'total');
      }
    },
});

/** A plugin with a sync facet only. */
export const tdSyncOnly = definePlugin({
  name: 'tdSyncOnly',
  sync: (Base) =>
    class extends Base {
      syncOnly(): string {
        return 'sync';
      }
    },
});

/** A plugin with an async facet only (nothing to add to the inner map). */
export const tdAsyncOnly = definePlugin({
  name: 'tdAsyncOnly',
  async: (Base) =>
    class extends Base {
      asyncOnly(): Promise<string> {
        return Promise.resolve('async');
      }
    },
});

declare module '@starshard/core' {
  interface PluginApis<K, V> {
    tdSyncOnly: { syncOnly(): string };
  }
  interface AsyncPluginApis<K, V> {
    tdAsyncOnly: { asyncOnly(): Promise<string> };
  }
}
