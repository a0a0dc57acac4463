import type { Balance } from '../../implementations/index.js';

/** Which map a capacity child fills. */
export type CapacitySubject = 'map' | 'starshard';

/** One capacity child: fill one map with number keys `0..entries-1`. */
export interface CapacityJob {
  /** Discriminant of the job union. */
  readonly kind: 'capacity';
  /** A native `Map` (expected to throw at 2^24) or a starshard map. */
  readonly subject: CapacitySubject;
  /** Keys to insert. */
  readonly entries: number;
  /** starshard's shard count. */
  readonly shards: number;
}

/** What a capacity child sends back. */
export interface CapacityResult {
  /** The map filled. */
  readonly subject: CapacitySubject;
  /** Keys requested. */
  readonly requested: number;
  /** Entries the map held at the end (where it threw, for `Map`). */
  readonly held: number;
  /** The error the fill threw, if any (`RangeError: Map maximum size exceeded` for `Map`). */
  readonly error?: string;
  /** Wall time of the fill, ms. */
  readonly fillMs: number;
  /** `fillMs` per entry held, in ns. */
  readonly nsPerInsert: number;
  /** Growth of `process.memoryUsage().heapUsed` across the fill, after a full GC on both sides. */
  readonly heapDeltaBytes: number;
  /** `heapDeltaBytes / held`. */
  readonly bytesPerEntry: number;
  /** starshard: shard balance after the fill. */
  readonly balance?: Balance;
  /** Whether spot checks (`get` of the first, middle and last key, the size) passed. */
  readonly verified: boolean;
}
