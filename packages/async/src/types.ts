import type { ShardedHashMapOptions } from '@starshard/core';
import type { AsyncShardedHashMap } from './asyncShardedHashMap.js';

/**
 * The last argument of every `AsyncShardedHashMap` method that may wait for a lock.
 *
 * @example
 * await map.computeIfPresent('k', (v) => v + 1, { signal: AbortSignal.timeout(100) });
 */
export interface AsyncCallOptions {
  /**
   * Aborting it while the call waits for a lock rejects the call with `signal.reason` and removes
   * it from every lock queue; aborting it while the call's callback runs rejects the call at once
   * and discards the callback's result (the map is unchanged by the call). The callback receives
   * it, to stop early (`fetch(url, { signal })`). `AbortSignal.timeout(ms)` gives a timeout.
   */
  signal?: AbortSignal | undefined;
}

/**
 * The last argument every map callback receives.
 *
 * @example
 * await cache.computeIfAbsent(url, async (key, { signal }) => (await fetch(key, { signal })).json());
 */
export interface CallbackContext {
  /**
   * The caller's signal (for `computeIfAbsent`: one that aborts once every caller sharing the
   * load has aborted), or `undefined` when the caller passed none.
   */
  readonly signal: AbortSignal | undefined;
}

/**
 * Options of `new AsyncShardedHashMap(shards, options)`: those of the sync map (the async map
 * wraps one, built with the same options), plus `reentrancy`, plus those of composed plugins.
 *
 * @example
 * new AsyncShardedHashMap<string, number>(128, { strict: true, seed: 42 });
 * new AsyncShardedHashMap<string, number>(64, { reentrancy: 'trust' }); // hot RMW loops on Node 20/22
 */
export interface AsyncShardedHashMapOptions<K> extends ShardedHashMapOptions<K> {
  /**
   * How calls made from inside a callback are recognized (see `LockReentrancyError`).
   *
   * - `'detect'` (default): each callback runs in an `AsyncLocalStorage` scope, so a call from
   *   inside it, after any number of `await`s, proceeds under the callback's lock or rejects
   *   with `LockReentrancyError`: it never hangs. Cost: on Node 20 and 22 an enabled
   *   `AsyncLocalStorage` makes every promise of the process about 2× slower while callbacks
   *   run (measured; Node 24's AsyncContextFrame removes most of it), which halves the
   *   throughput of callback-heavy loops.
   * - `'trust'`: callbacks are recognized only until their first `await` (no
   *   `AsyncLocalStorage`). A callback that, after an `await`, waits for a key it holds (or
   *   for the whole map) waits forever, as with `async-mutex`. For hot loops whose callbacks
   *   never call back into the map.
   */
  reentrancy?: 'detect' | 'trust' | undefined;
}

/**
 * What an async plugin facet receives: the async class built so far (the base class or a
 * composition), registered as `FacetBases['async']`.
 *
 * @example
 * const touch = definePlugin({ name: 'touch', async: (Base) => class extends Base { touched = 0 } });
 */
export type AsyncMapConstructor = new (...args: any[]) => AsyncShardedHashMap<any, any>;

/**
 * Counts of the lock state an async map holds right now, from `lockStats()`: lock objects exist
 * only while somebody holds or waits for them, so an idle map reports zeros everywhere.
 *
 * @example
 * const { keyLocks, waiting } = map.lockStats(); // contention at a glance
 */
export interface AsyncLockStats {
  /** Shard locks in the table (held or waited for). */
  shardLocks: number;
  /** Key locks in the table (a key with a running callback, a pending load or waiters). */
  keyLocks: number;
  /** `computeIfAbsent` loads in flight. */
  pendingLoads: number;
  /** Operations queued for any lock of the map. */
  waiting: number;
  /** Whether nothing is held, waited for or loading. */
  idle: boolean;
}
