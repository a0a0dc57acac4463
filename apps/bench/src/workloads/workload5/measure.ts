// The child side of workload 5: one implementation's keyed read-modify-write, run in storms of
// concurrent tasks; every storm's sums are checked for lost updates.

import { AsyncShardedHashMap } from '@starshard/async';
import AsyncLock from 'async-lock';
import { Mutex } from 'async-mutex';
import { measureNsPerOpAsync } from '../../measure.js';
import { below, mulberry32 } from '../../prng.js';
import type { Workload5Impl, Workload5Job, Workload5Reply, Workload5Request } from './job.js';

/** One implementation's keyed counter, written the way its documentation recommends. */
interface Counters {
  /** Sets every hot key to 0 (untimed, before each storm). */
  reset(keys: readonly string[]): Promise<void>;
  /** One read-modify-write of `key`: read, `await` (a microtask), write the value + 1. */
  rmw(key: string): Promise<unknown>;
  /** The value of `key` now (untimed, after each storm). */
  read(key: string): Promise<number | undefined>;
}

/** A plain `Map` holding the counters of the lock libraries (they lock; the data is the user's). */
function storeOf(): Map<string, number> {
  return new Map<string, number>();
}

function countersFor(impl: Workload5Impl, shards: number): Counters {
  switch (impl) {
    case 'async-lock': {
      // async-lock's keyed lock, promise mode: acquire(key, fn) resolves once fn's promise settles.
      const lock = new AsyncLock();
      const store = storeOf();
      return {
        reset: async (keys) => {
          for (const key of keys) store.set(key, 0);
        },
        rmw: (key) =>
          lock.acquire(key, async () => {
            const value = store.get(key) as number;
            await Promise.resolve();
            store.set(key, value + 1);
          }),
        read: async (key) => store.get(key),
      };
    }
    case 'async-mutex': {
      // One Mutex per key, created on first use; runExclusive(fn) as the docs recommend.
      const mutexes = new Map<string, Mutex>();
      const mutexFor = (key: string): Mutex => {
        let mutex = mutexes.get(key);
        if (mutex === undefined) {
          mutex = new Mutex();
          mutexes.set(key, mutex);
        }
        return mutex;
      };
      const store = storeOf();
      return {
        reset: async (keys) => {
          for (const key of keys) store.set(key, 0);
        },
        rmw: (key) =>
          mutexFor(key).runExclusive(async () => {
            const value = store.get(key) as number;
            await Promise.resolve();
            store.set(key, value + 1);
          }),
        read: async (key) => store.get(key),
      };
    }
    case 'starshard-detect':
    case 'starshard-trust': {
      // 'detect' is the default (no option); 'trust' turns AsyncLocalStorage tracking off.
      const map =
        impl === 'starshard-trust'
          ? new AsyncShardedHashMap<string, number>(shards, { reentrancy: 'trust' })
          : new AsyncShardedHashMap<string, number>(shards);
      return {
        reset: async (keys) => {
          for (const key of keys) await map.insert(key, 0);
        },
        rmw: (key) =>
          map.computeIfPresent(key, async (value) => {
            await Promise.resolve();
            return value + 1;
          }),
        read: (key) => map.get(key),
      };
    }
    case 'unlocked': {
      const store = storeOf();
      return {
        reset: async (keys) => {
          for (const key of keys) store.set(key, 0);
        },
        rmw: async (key) => {
          const value = store.get(key) as number;
          await Promise.resolve();
          store.set(key, value + 1);
        },
        read: async (key) => store.get(key),
      };
    }
  }
}

/**
 * Opens a workload-5 session in this process: builds the hot keys, the key stream (task t's
 * i-th RMW hits `stream[t * rmwPerTask + i]`, uniform over the hot keys, the same for every
 * implementation of a round) and the counters. A request runs a slice of storms: each storm
 * starts every task at once, each task doing its RMWs one after the other; before each storm
 * the counters are reset, after it every key's value is compared with its RMW count (untimed,
 * warm-up storms included).
 *
 * @example
 * const handle = await openWorkload5Session(job, console.error);
 * await handle({ type: 'measure', timing: { timeMs: 0, warmupMs: 0, iterations: 3, warmupIterations: 1 } });
 */
export async function openWorkload5Session(
  job: Workload5Job,
  progress: (text: string) => void,
): Promise<(request: Workload5Request) => Promise<Workload5Reply>> {
  progress('building the key stream');
  const keys = Array.from({ length: job.hotKeys }, (_, i) => `key:${i}`);
  const rng = mulberry32(job.seed);
  const total = job.tasks * job.rmwPerTask;
  const stream = new Array<string>(total);
  const expected = new Map<string, number>(keys.map((key) => [key, 0]));
  for (let i = 0; i < total; i++) {
    const key = keys[below(rng, keys.length)] as string;
    stream[i] = key;
    expected.set(key, (expected.get(key) as number) + 1);
  }
  const counters = countersFor(job.impl, job.shards);
  const { rmwPerTask, tasks } = job;

  const task = async (base: number): Promise<void> => {
    for (let i = 0; i < rmwPerTask; i++) await counters.rmw(stream[base + i] as string);
  };
  const running = new Array<Promise<void>>(tasks);
  const storm = async (): Promise<void> => {
    for (let t = 0; t < tasks; t++) running[t] = task(t * rmwPerTask);
    await Promise.all(running);
  };

  const checks = { storms: 0, lost: 0, wrongKeys: 0 };
  const hooks = {
    // No forced GC here: measured, a full gc() before each storm made storms 3–7× slower for
    // every implementation (for starshard, V8 deoptimized its lock paths: "weak objects" deopts
    // of code embedding objects the collection freed). No server forces a full GC before each
    // burst; the warm-up storm of each slice brings the heap to its steady state instead.
    beforeEach: () => counters.reset(keys),
    afterEach: async () => {
      checks.storms++;
      for (const key of keys) {
        const value = (await counters.read(key)) ?? 0;
        const want = expected.get(key) as number;
        if (value !== want) {
          checks.wrongKeys++;
          checks.lost += want - value;
        }
      }
    },
  };

  return async (request) => {
    checks.storms = 0;
    checks.lost = 0;
    checks.wrongKeys = 0;
    const nsPerRmw = await measureNsPerOpAsync('storm', storm, total, request.timing, hooks);
    return { nsPerRmw, stormsChecked: checks.storms, lostUpdates: checks.lost, wrongKeys: checks.wrongKeys };
  };
}
