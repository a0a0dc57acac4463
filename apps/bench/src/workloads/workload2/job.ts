import type { Balance } from '../../implementations/index.js';

/** Which map a workload-2 child fills. */
export type Workload2Subject = 'map' | 'starshard';

/** Every workload-2 subject, the anchor first. */
export const WORKLOAD2_SUBJECTS: readonly Workload2Subject[] = ['map', 'starshard'];

/** One workload-2 child: fill one empty map with `"key:" + i`, timing every insert. */
export interface Workload2Job {
  /** Discriminant of the job union. */
  readonly kind: 'workload2';
  /** A native `Map` (the anchor) or a starshard `ShardedHashMap`. */
  readonly subject: Workload2Subject;
  /** Keys to insert (`"key:0"` … `"key:<entries-1>"`). */
  readonly entries: number;
  /** starshard's shard count. */
  readonly shards: number;
}

/** One of the longest inserts of a fill. */
export interface Workload2Pause {
  /** Entries the map held before this insert. */
  readonly atEntry: number;
  /** Its latency, ns. */
  readonly ns: number;
  /** Whether a garbage collection (a `gc` performance entry) overlapped it. */
  readonly duringGc: boolean;
}

/** Per-insert latency distribution of one fill, ns (timer cost included). */
export interface Workload2Latency {
  /** Median insert. */
  readonly medianNs: number;
  /** 99th percentile. */
  readonly p99Ns: number;
  /** 99.9th percentile. */
  readonly p999Ns: number;
  /** 99.99th percentile. */
  readonly p9999Ns: number;
  /** The worst single insert (table growth, a GC pause, or both). */
  readonly maxNs: number;
  /** The worst single insert with the GC pauses inside it subtracted (its own work: table growth). */
  readonly maxExcludingGcNs: number;
  /** Inserts that took 1 ms or more. */
  readonly over1ms: number;
  /** The ten longest inserts, longest first. */
  readonly worst: readonly Workload2Pause[];
}

/** What a workload-2 child sends back. */
export interface Workload2Result {
  /** The map filled. */
  readonly subject: Workload2Subject;
  /** Entries inserted. */
  readonly entries: number;
  /** Wall time of the whole fill (timer reads included), ms. */
  readonly fillMs: number;
  /** Median cost of one timer read in the same loop without the insert, ns (it is in every latency). */
  readonly timerNs: number;
  /** Per-insert latencies. */
  readonly latency: Workload2Latency;
  /** Garbage collections during the fill: count, total and longest pause (ms). */
  readonly gc: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
  /** Growth of `process.memoryUsage().heapUsed` across the fill, after forced GCs on both sides. */
  readonly heapDeltaBytes: number;
  /** `heapDeltaBytes / entries`. */
  readonly bytesPerEntry: number;
  /** starshard: shard balance after the fill. */
  readonly balance?: Balance;
  /** Whether spot checks (size, first, middle and last key) passed. */
  readonly verified: boolean;
}
