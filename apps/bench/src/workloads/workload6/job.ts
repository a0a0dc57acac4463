import type { Timing } from '../../measure.js';

/**
 * What workload 6 measures, one per child process: a hand-rolled single-flight
 * `Map<key, Promise>` (the anchor), `lru-cache`'s `fetch()` with a `fetchMethod`, and starshard's
 * `computeIfAbsent` with `reentrancy: 'detect'` (the default) and `'trust'`.
 */
export type Workload6Impl = 'hand-rolled' | 'lru-cache' | 'starshard-detect' | 'starshard-trust';

/** Every workload-6 implementation, the anchor first. */
export const WORKLOAD6_IMPLS: readonly Workload6Impl[] = [
  'hand-rolled',
  'lru-cache',
  'starshard-detect',
  'starshard-trust',
];

/** Table and chart labels. */
export const WORKLOAD6_LABELS: Readonly<Record<Workload6Impl, string>> = {
  'hand-rolled': 'hand-rolled Map<key, Promise>',
  'lru-cache': 'lru-cache fetch()',
  'starshard-detect': "starshard computeIfAbsent, 'detect'",
  'starshard-trust': "starshard computeIfAbsent, 'trust'",
};

/** One child of workload 6 (a session): one implementation, herd after herd. */
export interface Workload6Job {
  /** Discriminant of the job union. */
  readonly kind: 'workload6';
  /** The implementation the child builds. */
  readonly impl: Workload6Impl;
  /** Concurrent calls per herd. */
  readonly calls: number;
  /** Distinct keys the calls spread over (each loaded once per herd). */
  readonly keys: number;
  /** Shards of the starshard map. */
  readonly shards: number;
  /** Seed of the call order: the same for every implementation of a round. */
  readonly seed: number;
}

/** A request to a workload-6 session: time one slice of herds. */
export interface Workload6Request {
  /** The only request. */
  readonly type: 'measure';
  /** Iteration counts of this slice (`timeMs` 0: herds are counted). */
  readonly timing: Timing;
}

/** What a slice of herds measured and checked. */
export interface Workload6Reply {
  /** ns per call, one figure per measured herd (herd time ÷ calls). */
  readonly nsPerCall: Float64Array;
  /** Herds run and checked in this slice, warm-up included. */
  readonly herdsChecked: number;
  /** Fewest factory calls in one herd of this slice. */
  readonly minFactoryCalls: number;
  /** Most factory calls in one herd of this slice. */
  readonly maxFactoryCalls: number;
  /** Calls that resolved to a wrong value, over every herd checked. */
  readonly wrongValues: number;
}
