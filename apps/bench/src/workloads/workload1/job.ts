import type { Balance, ImplementationId } from '../../implementations/index.js';
import type { KeyForm, KeyKind } from '../../keys.js';
import type { Timing } from '../../measure.js';

/** The operations workload 1 measures. */
export type Op = 'get' | 'insert' | 'mix';

/** Every operation, in report order. */
export const OPS: readonly Op[] = ['get', 'insert', 'mix'];

/**
 * One child process of workload 1 (a session): one implementation and one key kind. It builds
 * every size's keys, streams and filled map when opened, then measures cells slice by slice.
 */
export interface Workload1Job {
  /** Discriminant of the job union. */
  readonly kind: 'workload1';
  /** The implementation the child loads (the only one it loads). */
  readonly impl: ImplementationId;
  /** The key kind of every cell of this child. */
  readonly keyKind: KeyKind;
  /** Flat or rope string keys. */
  readonly keyForm: KeyForm;
  /** Map sizes (distinct keys), smallest first. */
  readonly sizes: readonly number[];
  /** Operations per timed batch of `get` and `mix`. */
  readonly batch: number;
  /** Warm-up before a cell's first slice, ms (each slice also warms up briefly). */
  readonly firstWarmupMs: number;
  /** Seed of keys and orders: the same for every implementation of a round. */
  readonly seed: number;
}

/** A request to a workload-1 session. */
export type Workload1Request =
  | {
      /** Measure one slice of a cell. */
      readonly type: 'measure';
      /** Map size. */
      readonly size: number;
      /** Operation. */
      readonly op: Op;
      /** Budgets of this slice. */
      readonly timing: Timing;
    }
  | {
      /** Read the balance of each size's filled map. */
      readonly type: 'balances';
    };

/** A balance figure of one size. */
export interface SizedBalance {
  /** Map size. */
  readonly size: number;
  /** Balance after the fill. */
  readonly balance: Balance;
}

/** A reply of a workload-1 session: a slice's ns/op samples, or the balances. */
export type Workload1Reply = Float64Array | readonly SizedBalance[];

/** One measured cell: ns per operation, one figure per tinybench iteration. */
export interface Workload1Cell {
  /** Map size. */
  readonly size: number;
  /** Operation. */
  readonly op: Op;
  /** Operations per tinybench iteration. */
  readonly opsPerIteration: number;
  /** Nanoseconds per operation, per iteration (every slice). */
  readonly nsPerOp: Float64Array;
}

/** Everything measured of one implementation and key kind in one round (assembled by the parent). */
export interface Workload1JobResult {
  /** The implementation measured. */
  readonly impl: ImplementationId;
  /** The key kind measured. */
  readonly keyKind: KeyKind;
  /** Every cell, per size and operation. */
  readonly cells: readonly Workload1Cell[];
  /** Shard balance after filling each size (absent for `Map`). */
  readonly balances: readonly SizedBalance[];
}
