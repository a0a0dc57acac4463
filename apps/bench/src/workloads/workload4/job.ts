import type { KeyForm } from '../../keys.js';
import type { Timing } from '../../measure.js';

/**
 * What workload 4 measures, one per child process:
 * - `async-map`: the anchor, `await` of an async function over `Map.get`;
 * - `starshard-async`: `await m.get(k)` on an `AsyncShardedHashMap`;
 * - `async-core`: reference, `await` of an async function over the sync `ShardedHashMap.get`
 *   (the same map and hash without the async layer: splits starshard's ratio into routing and
 *   promise costs).
 */
export type Workload4Impl = 'async-map' | 'starshard-async' | 'async-core';

/** Every workload-4 implementation, the anchor first. */
export const WORKLOAD4_IMPLS: readonly Workload4Impl[] = ['async-map', 'starshard-async', 'async-core'];

/** Table and chart labels. */
export const WORKLOAD4_LABELS: Readonly<Record<Workload4Impl, string>> = {
  'async-map': 'async fn over Map.get',
  'starshard-async': 'AsyncShardedHashMap',
  'async-core': 'async fn over ShardedHashMap (ref.)',
};

/** The key kinds of workload 4 (BENCH.md: `"key:" + i` and u32). */
export type Workload4KeyKind = 'short' | 'u32';

/** One child of workload 4 (a session): one implementation and one key kind, every size. */
export interface Workload4Job {
  /** Discriminant of the job union. */
  readonly kind: 'workload4';
  /** The implementation the child builds (the only one it builds). */
  readonly impl: Workload4Impl;
  /** Key kind of every cell of this child. */
  readonly keyKind: Workload4KeyKind;
  /** Flat or rope string keys. */
  readonly keyForm: KeyForm;
  /** Map sizes, smallest first. */
  readonly sizes: readonly number[];
  /** Shards of the starshard maps. */
  readonly shards: number;
  /** Awaited gets per timed batch. */
  readonly batch: number;
  /** Warm-up before a size's first slice, ms. */
  readonly firstWarmupMs: number;
  /** Seed of keys and orders: the same for every implementation of a round. */
  readonly seed: number;
}

/** A request to a workload-4 session: time one slice of one size. */
export interface Workload4Request {
  /** The only request. */
  readonly type: 'measure';
  /** Map size. */
  readonly size: number;
  /** Budgets of this slice. */
  readonly timing: Timing;
}

/** A slice's samples: ns per awaited get, one per batch. */
export type Workload4Reply = Float64Array;
