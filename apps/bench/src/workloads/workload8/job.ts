import type { SnapshotModeName } from '../workload7/job.js';

/** One of the seed's three mixed workloads: a share of writes and a snapshot every k operations. */
export interface MixedProfile {
  /** Short id (JSON). */
  readonly id: 'low-write' | 'medium' | 'high-write';
  /** The seed's name of the profile. */
  readonly name: string;
  /** Share of operations that are inserts over random present keys (the rest are gets). */
  readonly writeShare: number;
  /** A snapshot every this many operations, read by `probes` gets. */
  readonly snapshotEvery: number;
  /** The seed's recommended mode (its README's table). */
  readonly seedRecommends: readonly SnapshotModeName[];
  /** packages/snapshot/README.md's recommended mode. */
  readonly readmeRecommends: SnapshotModeName;
}

/** The seed's three mixed workloads, as its demo and packages/snapshot measure them. */
export const MIXED_PROFILES: readonly MixedProfile[] = [
  {
    id: 'low-write',
    name: 'low write + high snapshot',
    writeShare: 0.01,
    snapshotEvery: 50,
    seedRecommends: ['cow', 'cached'],
    readmeRecommends: 'cow',
  },
  {
    id: 'medium',
    name: 'medium write + medium snapshot',
    writeShare: 0.2,
    snapshotEvery: 500,
    seedRecommends: ['cached'],
    readmeRecommends: 'cow',
  },
  {
    id: 'high-write',
    name: 'high write + low snapshot',
    writeShare: 0.8,
    snapshotEvery: 5000,
    seedRecommends: ['clone'],
    readmeRecommends: 'cow',
  },
];

/** One workload-8 child: one mode on one mixed profile. */
export interface Workload8Job {
  /** Discriminant of the job union. */
  readonly kind: 'workload8';
  /** The profile. */
  readonly profile: MixedProfile;
  /** The map's snapshot mode. */
  readonly mode: SnapshotModeName;
  /** Entries in the map. */
  readonly entries: number;
  /** Shards. */
  readonly shards: number;
  /** Operations per run. */
  readonly ops: number;
  /** Gets through each snapshot. */
  readonly probes: number;
  /** Runs (the first is warm-up, not reported). */
  readonly reps: number;
}

/** What a workload-8 child measured. */
export interface Workload8Result {
  /** The profile id. */
  readonly profile: MixedProfile['id'];
  /** The mode. */
  readonly mode: SnapshotModeName;
  /** Total time of each timed run, ms. */
  readonly runMs: readonly number[];
  /** Snapshots taken per run. */
  readonly snapshotsPerRun: number;
  /** Whether every get through a snapshot found its key. */
  readonly verified: boolean;
}
