import type { Timing } from '../../measure.js';

/** A snapshot mode of `@starshard/snapshot` (`SnapshotMode` values). */
export type SnapshotModeName = 'clone' | 'cached' | 'cow';

/** Every snapshot mode, `Clone` (the anchor of snapshot cost) first. */
export const SNAPSHOT_MODES: readonly SnapshotModeName[] = ['clone', 'cached', 'cow'];

/** Table labels of the modes. */
export const MODE_LABELS: Readonly<Record<SnapshotModeName, string>> = {
  clone: 'Clone',
  cached: 'Cached',
  cow: 'Cow',
};

/**
 * What a reads child reads: the live map (the anchor), a snapshot taken in one of the modes, or
 * an `immutable.Map` (whose every version is a free snapshot).
 */
export type Workload7ReadTarget = 'live' | 'clone-snapshot' | 'cached-snapshot' | 'cow-snapshot' | 'immutable';

/** Every read target, the anchor first. */
export const READ_TARGETS: readonly Workload7ReadTarget[] = [
  'live',
  'clone-snapshot',
  'cached-snapshot',
  'cow-snapshot',
  'immutable',
];

/** Table and chart labels of the read targets. */
export const READ_LABELS: Readonly<Record<Workload7ReadTarget, string>> = {
  live: 'live map (Clone mode)',
  'clone-snapshot': 'Clone snapshot',
  'cached-snapshot': 'Cached snapshot',
  'cow-snapshot': 'Cow snapshot',
  immutable: 'immutable.Map',
};

/** A workload-7 child timing `snapshot()` in one mode (and the writes right after it). */
export interface Workload7CostJob {
  /** Discriminant of the job union. */
  readonly kind: 'workload7';
  /** Which measurement. */
  readonly task: 'cost';
  /** The map's snapshot mode. */
  readonly mode: SnapshotModeName;
  /** Entries in the map. */
  readonly entries: number;
  /** Shards. */
  readonly shards: number;
  /** Snapshots taken (the first two are warm-up). */
  readonly reps: number;
}

/** A workload-7 child timing gets of random present keys on one read target. */
export interface Workload7ReadsJob {
  /** Discriminant of the job union. */
  readonly kind: 'workload7';
  /** Which measurement. */
  readonly task: 'reads';
  /** What is read. */
  readonly target: Workload7ReadTarget;
  /** Entries in the map. */
  readonly entries: number;
  /** Shards. */
  readonly shards: number;
  /** Gets per timed batch. */
  readonly batch: number;
  /** tinybench budgets. */
  readonly timing: Timing;
  /** Seed of the lookup order (the same for every target of a round). */
  readonly seed: number;
}

/** A workload-7 child. */
export type Workload7Job = Workload7CostJob | Workload7ReadsJob;

/** What a cost child measured: medians over its snapshots, ns. */
export interface Workload7CostResult {
  /** Which measurement. */
  readonly task: 'cost';
  /** The mode. */
  readonly mode: SnapshotModeName;
  /** Entries in the map. */
  readonly entries: number;
  /** `snapshot()` right after a write (nothing to reuse): every rep, ns. */
  readonly snapshotNs: readonly number[];
  /** `snapshot()` again with no write between, median ns. */
  readonly unchangedNs: number;
  /** The first write to a shard after the snapshot (Cow copies that shard here), median ns. */
  readonly firstWriteNs: number;
  /** The next write to that shard, median ns. */
  readonly laterWriteNs: number;
  /** Entries the last snapshot held (must equal `entries`). */
  readonly snapshotSize: number;
}

/** What a reads child measured. */
export interface Workload7ReadsResult {
  /** Which measurement. */
  readonly task: 'reads';
  /** What was read. */
  readonly target: Workload7ReadTarget;
  /** Entries in the map. */
  readonly entries: number;
  /** ns per get, one figure per batch. */
  readonly nsPerOp: Float64Array;
  /** Whether every get found its value. */
  readonly verified: boolean;
}

/** What a workload-7 child sends back. */
export type Workload7Result = Workload7CostResult | Workload7ReadsResult;
