import type { Timing } from '../../measure.js';

/**
 * What workload 5 measures, one per child process: `async-lock` keyed (`lock.acquire(key, fn)`,
 * the anchor), `async-mutex` (one `Mutex` per key, `runExclusive`), starshard's
 * `computeIfPresent` with `reentrancy: 'detect'` (the default) and `'trust'`, and `unlocked`: the
 * same read-await-write with no lock at all, a reference that must lose updates (it shows the
 * check catches races, and what the locks cost on top of the bare work).
 */
export type Workload5Impl = 'async-lock' | 'async-mutex' | 'starshard-detect' | 'starshard-trust' | 'unlocked';

/** Every workload-5 implementation, the anchor first. */
export const WORKLOAD5_IMPLS: readonly Workload5Impl[] = [
  'async-lock',
  'async-mutex',
  'starshard-detect',
  'starshard-trust',
  'unlocked',
];

/** Table and chart labels. */
export const WORKLOAD5_LABELS: Readonly<Record<Workload5Impl, string>> = {
  'async-lock': 'async-lock (keyed)',
  'async-mutex': 'async-mutex (Mutex per key)',
  'starshard-detect': "starshard computeIfPresent, 'detect'",
  'starshard-trust': "starshard computeIfPresent, 'trust'",
  unlocked: 'no lock (unsafe reference)',
};

/** One child of workload 5 (a session): one implementation, storm after storm. */
export interface Workload5Job {
  /** Discriminant of the job union. */
  readonly kind: 'workload5';
  /** The implementation the child builds. */
  readonly impl: Workload5Impl;
  /** Concurrent tasks per storm. */
  readonly tasks: number;
  /** Read-modify-writes each task does, one after the other. */
  readonly rmwPerTask: number;
  /** Distinct hot keys the writes fall on. */
  readonly hotKeys: number;
  /** Shards of the starshard map. */
  readonly shards: number;
  /** Seed of the key stream: the same for every implementation of a round. */
  readonly seed: number;
}

/** A request to a workload-5 session: time one slice of storms. */
export interface Workload5Request {
  /** The only request. */
  readonly type: 'measure';
  /** Iteration counts of this slice (`timeMs` 0: storms are counted, not timed into a budget). */
  readonly timing: Timing;
}

/** What a slice of storms measured and checked. */
export interface Workload5Reply {
  /** ns per read-modify-write, one figure per measured storm (storm time ÷ RMWs). */
  readonly nsPerRmw: Float64Array;
  /** Storms run and checked in this slice, warm-up included. */
  readonly stormsChecked: number;
  /** Increments missing from the sums of the keys, over every storm checked. */
  readonly lostUpdates: number;
  /** Keys whose final value differed from their RMW count, summed over the storms checked. */
  readonly wrongKeys: number;
}
