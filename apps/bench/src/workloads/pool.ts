// Samples pooled over slices and rounds, and the figures every workload reports from them:
// the median (the headline), the spread, and each round's median for run-to-run movement.

import { median, summarize } from '../stats.js';

/** Every sample of one cell, all rounds together and per round. */
export interface PooledCell {
  /** Every sample, any round. */
  readonly samples: number[];
  /** Round → that round's samples. */
  readonly rounds: Map<number, number[]>;
}

/** The reported figures of one cell (ns per operation). */
export interface CellFigures {
  /** Median ns per operation over every sample of every slice and round. */
  readonly medianNs: number;
  /** `1e9 / medianNs`. */
  readonly opsPerSecond: number;
  /** Spread of the samples, ns per operation. */
  readonly spreadNs: { readonly p25: number; readonly p75: number; readonly min: number; readonly max: number };
  /** Samples pooled over the rounds. */
  readonly samples: number;
  /** The median of each round, in round order. */
  readonly roundMedianNs: readonly number[];
}

/** Samples of many cells, keyed by a string the workload builds (implementation, size...). */
export class SamplePool {
  private readonly cells = new Map<string, PooledCell>();

  /** Adds `samples` of round `round` to cell `key`. */
  add(key: string, round: number, samples: ArrayLike<number>): void {
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { samples: [], rounds: new Map() };
      this.cells.set(key, cell);
    }
    let inRound = cell.rounds.get(round);
    if (inRound === undefined) {
      inRound = [];
      cell.rounds.set(round, inRound);
    }
    for (let i = 0; i < samples.length; i++) {
      cell.samples.push(samples[i] as number);
      inRound.push(samples[i] as number);
    }
  }

  /** The samples of cell `key`, if any. */
  get(key: string): PooledCell | undefined {
    return this.cells.get(key);
  }
}

/**
 * Median, ops/s, spread and per-round medians of `cell`.
 *
 * @example
 * figuresOf(pool.get('starshard|1000')!).medianNs;
 */
export function figuresOf(cell: PooledCell): CellFigures {
  const summary = summarize(cell.samples);
  return {
    medianNs: summary.median,
    opsPerSecond: 1e9 / summary.median,
    spreadNs: { p25: summary.p25, p75: summary.p75, min: summary.min, max: summary.max },
    samples: summary.count,
    roundMedianNs: [...cell.rounds].sort(([a], [b]) => a - b).map(([, samples]) => median(samples)),
  };
}

/**
 * The ratio of `cell` to `anchor` within each round (each round's medians): time ÷ the anchor's
 * time for `'time'`, the anchor's time ÷ time (= throughput ÷ the anchor's) for `'throughput'`.
 *
 * @example
 * roundRatiosOf(cell, anchor, 'throughput'); // [1.84, 1.79]
 */
export function roundRatiosOf(cell: PooledCell, anchor: PooledCell, kind: 'time' | 'throughput'): number[] {
  return [...cell.rounds]
    .sort(([a], [b]) => a - b)
    .flatMap(([round, samples]) => {
      const anchorSamples = anchor.rounds.get(round);
      if (anchorSamples === undefined) return [];
      const own = median(samples);
      const theirs = median(anchorSamples);
      return [kind === 'time' ? own / theirs : theirs / own];
    });
}

/**
 * `ratio` with the lowest and highest round ratio in brackets when there were several rounds.
 *
 * @example
 * ratioWithRounds(1.23, [1.2, 1.27]); // '1.23× (1.20–1.27)'
 */
export function ratioWithRounds(ratio: number, roundRatios: readonly number[]): string {
  const text = Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
  if (roundRatios.length < 2) return text;
  return `${text} (${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)})`;
}
