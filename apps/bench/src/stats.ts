// Order statistics over benchmark samples. Medians and quartiles, not means: a shared machine
// adds pauses to a few samples, and those should move the spread, not the headline.

/** The location and spread of a set of samples (same unit as the samples). */
export interface Summary {
  /** Number of samples. */
  readonly count: number;
  /** Median: the headline figure. */
  readonly median: number;
  /** 25th percentile. */
  readonly p25: number;
  /** 75th percentile. */
  readonly p75: number;
  /** Smallest sample. */
  readonly min: number;
  /** Largest sample. */
  readonly max: number;
}

/**
 * The `q` quantile (0..1) of ascending `sorted`, interpolated linearly.
 *
 * @example
 * quantile(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}

/**
 * Median, quartiles and range of `samples` (any order; not modified).
 *
 * @example
 * summarize([3, 1, 2]).median; // 2
 */
export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted.length === 0 ? Number.NaN : (sorted[0] as number),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

/**
 * Median of `values`.
 *
 * @example
 * median([1, 5, 2]); // 2
 */
export function median(values: ArrayLike<number>): number {
  return summarize(values).median;
}

/** A figure measured once per round: the median of the rounds' values and their range. */
export interface OverRounds {
  /** Median of the per-round values. */
  readonly median: number;
  /** Smallest per-round value. */
  readonly min: number;
  /** Largest per-round value. */
  readonly max: number;
}

/**
 * The median and range of per-round `values`.
 *
 * @example
 * overRounds([3, 1, 2]); // { median: 2, min: 1, max: 3 }
 */
export function overRounds(values: readonly number[]): OverRounds {
  const s = summarize(values);
  return { median: s.median, min: s.min, max: s.max };
}

/**
 * Heap in use (`process.memoryUsage().heapUsed`) after two forced full GCs. The process must run
 * with `--expose-gc` (the runner starts every child so).
 *
 * @example
 * const before = heapAfterGc(); fill(); const bytes = heapAfterGc() - before;
 */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('measuring the heap needs node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
