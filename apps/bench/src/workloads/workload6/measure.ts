// The child side of workload 6: one implementation's single-flight load, run in herds of
// concurrent calls over a set of keys; every herd's factory calls and results are checked.

import { AsyncShardedHashMap } from '@starshard/async';
import { LRUCache } from 'lru-cache';
import { measureNsPerOpAsync } from '../../measure.js';
import { mulberry32, shuffle } from '../../prng.js';
import type { Workload6Impl, Workload6Job, Workload6Reply, Workload6Request } from './job.js';

/** The loader every implementation calls on a miss: resolves after a macrotask. */
type Factory = (key: string) => Promise<number>;

/** One implementation's single-flight cache, written the way its documentation recommends. */
interface Loader {
  /** Replaces the cache with an empty one (untimed, before each herd). */
  fresh(): void;
  /** The value of `key`, loading it with the factory if absent (one load per key at a time). */
  load(key: string): Promise<number | undefined>;
}

function loaderFor(impl: Workload6Impl, shards: number, keys: number, factory: Factory): Loader {
  switch (impl) {
    case 'hand-rolled': {
      // The promise is the cache entry; a rejected load is dropped so a later call retries, as
      // starshard and lru-cache do.
      let cache = new Map<string, Promise<number>>();
      return {
        fresh: () => {
          cache = new Map();
        },
        load: (key) => {
          let promise = cache.get(key);
          if (promise === undefined) {
            const loading = factory(key);
            const entries = cache;
            entries.set(key, loading);
            loading.catch(() => entries.delete(key));
            promise = loading;
          }
          return promise;
        },
      };
    }
    case 'lru-cache': {
      // fetch() with a fetchMethod: concurrent fetches of a key share one call of it.
      const create = () => new LRUCache<string, number>({ max: keys, fetchMethod: (key) => factory(key) });
      let cache = create();
      return {
        fresh: () => {
          cache = create();
        },
        load: (key) => cache.fetch(key),
      };
    }
    case 'starshard-detect':
    case 'starshard-trust': {
      // 'detect' is the default (no option); 'trust' turns AsyncLocalStorage tracking off.
      const create = () =>
        impl === 'starshard-trust'
          ? new AsyncShardedHashMap<string, number>(shards, { reentrancy: 'trust' })
          : new AsyncShardedHashMap<string, number>(shards);
      let map = create();
      return {
        fresh: () => {
          map = create();
        },
        load: (key) => map.computeIfAbsent(key, factory),
      };
    }
  }
}

/**
 * Opens a workload-6 session in this process: builds the call order (each of `keys` keys
 * `calls / keys` times, shuffled with the round's seed) and the loader. A request runs a slice
 * of herds: each herd starts every call synchronously on an empty cache, then awaits them all;
 * the factory resolves after `setImmediate`, so every call is issued before the first load
 * settles. Before each herd the cache is replaced; after it the factory
 * calls (must equal `keys`) and every call's value are checked (untimed, warm-up included).
 *
 * @example
 * const handle = await openWorkload6Session(job, console.error);
 * await handle({ type: 'measure', timing: { timeMs: 0, warmupMs: 0, iterations: 3, warmupIterations: 1 } });
 */
export async function openWorkload6Session(
  job: Workload6Job,
  progress: (text: string) => void,
): Promise<(request: Workload6Request) => Promise<Workload6Reply>> {
  progress('building the call order');
  if (job.calls % job.keys !== 0) throw new Error('calls must be a multiple of keys');
  const keys = Array.from({ length: job.keys }, (_, i) => `key:${i}`);
  const numberOf = new Map<string, number>(keys.map((key, i) => [key, i]));
  const callKeys: string[] = [];
  for (let r = 0; r < job.calls / job.keys; r++) callKeys.push(...keys);
  shuffle(callKeys, mulberry32(job.seed));
  const expected = Int32Array.from(callKeys, (key) => numberOf.get(key) as number);

  let factoryCalls = 0;
  const factory: Factory = (key) => {
    factoryCalls++;
    const value = numberOf.get(key) as number;
    return new Promise((resolve) => setImmediate(resolve, value));
  };
  const loader = loaderFor(job.impl, job.shards, job.keys, factory);
  const { calls } = job;
  const pending = new Array<Promise<number | undefined>>(calls);
  let results: (number | undefined)[] = [];

  const herd = async (): Promise<void> => {
    for (let i = 0; i < calls; i++) pending[i] = loader.load(callKeys[i] as string);
    results = await Promise.all(pending);
  };

  const checks = { herds: 0, minFactory: Number.POSITIVE_INFINITY, maxFactory: 0, wrong: 0 };
  const hooks = {
    // No forced GC here (see workload 5: it slowed every implementation and deoptimized
    // starshard's code); the warm-up herd of each slice brings the heap to its steady state.
    beforeEach: () => {
      loader.fresh();
      results = [];
      factoryCalls = 0;
    },
    afterEach: () => {
      checks.herds++;
      checks.minFactory = Math.min(checks.minFactory, factoryCalls);
      checks.maxFactory = Math.max(checks.maxFactory, factoryCalls);
      if (results.length !== calls) checks.wrong += calls;
      else for (let i = 0; i < calls; i++) if (results[i] !== expected[i]) checks.wrong++;
    },
  };

  return async (request) => {
    checks.herds = 0;
    checks.minFactory = Number.POSITIVE_INFINITY;
    checks.maxFactory = 0;
    checks.wrong = 0;
    const nsPerCall = await measureNsPerOpAsync('herd', herd, calls, request.timing, hooks);
    return {
      nsPerCall,
      herdsChecked: checks.herds,
      minFactoryCalls: checks.minFactory,
      maxFactoryCalls: checks.maxFactory,
      wrongValues: checks.wrong,
    };
  };
}
