// Workload 5's report: what workload-5.json holds, its tables (stdout, Markdown) and its chart.

import type { Environment } from '../../environment.js';
import type { Timing } from '../../measure.js';
import { formatNs, formatRate, formatRatio } from '../../report/format.js';
import { renderHorizontalBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import { type CellFigures, ratioWithRounds } from '../pool.js';
import { WORKLOAD5_LABELS, type Workload5Impl } from './job.js';

/** BENCH.md's target: starshard ≥ 1.5× async-lock's throughput, with zero lost updates. */
export const WORKLOAD5_TARGET = { min: 1.5, text: '≥ 1.5× async-lock, 0 lost' } as const;

/** How workload 5 was run. */
export interface Workload5Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Concurrent tasks per storm. */
  readonly tasks: number;
  /** Read-modify-writes per task. */
  readonly rmwPerTask: number;
  /** Hot keys. */
  readonly hotKeys: number;
  /** Shards of the starshard map. */
  readonly shards: number;
  /** Implementations, the anchor first. */
  readonly implementations: readonly Workload5Impl[];
  /** Slices per round. */
  readonly slices: number;
  /** Storms of a slice (measured and warm-up). */
  readonly sliceTiming: Timing;
  /** Warm-up storms before the first slice of each child. */
  readonly firstWarmupStorms: number;
  /** Rounds (fresh children each round). */
  readonly rounds: number;
}

/** One implementation's figures (ns per RMW; ops/s is RMW/s). */
export interface Workload5Result extends CellFigures {
  /** Implementation. */
  readonly impl: Workload5Impl;
  /** Throughput ÷ async-lock's (the anchor's) in the same run. */
  readonly ratio: number;
  /** Throughput ÷ async-mutex's. */
  readonly ratioVsAsyncMutex: number;
  /** `ratio` within each round. */
  readonly roundRatios: readonly number[];
  /** Storms run and checked (warm-up included). */
  readonly stormsChecked: number;
  /** Increments missing from the final values, over every storm checked. */
  readonly lostUpdates: number;
  /** Keys with a wrong final value, summed over the storms checked. */
  readonly wrongKeys: number;
  /** starshard's target and whether it is met (both conditions). */
  readonly target?: { readonly text: string; readonly met: boolean };
}

/** Everything `workload-5.json` holds. */
export interface Workload5Report {
  /** Workload id. */
  readonly workload: '5';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload5Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** One entry per implementation, the anchor first. */
  readonly results: readonly Workload5Result[];
}

const COLORS: Readonly<Record<Workload5Impl, string>> = {
  'async-lock': '#111827',
  'async-mutex': '#f59e0b',
  'starshard-detect': '#1d4ed8',
  'starshard-trust': '#60a5fa',
  unlocked: '#d1d5db',
};

/** Whether an implementation must lose nothing (every one but the unlocked reference). */
export const mustBeExact = (impl: Workload5Impl): boolean => impl !== 'unlocked';

function lostText(result: Workload5Result): string {
  const text = `${result.lostUpdates.toLocaleString('en-US')} in ${result.stormsChecked} storms`;
  if (!mustBeExact(result.impl)) return `${text} (expected: no lock)`;
  return result.lostUpdates === 0 && result.wrongKeys === 0 ? text : `${text} — LOST UPDATES`;
}

/**
 * The summary table (throughput ratios, lost updates, targets).
 *
 * @example
 * process.stdout.write(renderWorkload5Tables(report));
 */
export function renderWorkload5Tables(report: Workload5Report): string {
  const { config } = report;
  const rounds = config.rounds > 1 ? `; (lo–hi) = the ratio in each of ${config.rounds} rounds` : '';
  const table = renderTable(
    [
      { header: 'implementation' },
      { header: 'RMW/s', align: 'right' },
      { header: 'ns/RMW', align: 'right' },
      { header: '×async-lock', align: 'right' },
      { header: '×async-mutex', align: 'right' },
      { header: 'p25–p75 ns', align: 'right' },
      { header: 'min–max ns', align: 'right' },
      { header: 'storms', align: 'right' },
      { header: 'lost updates' },
      { header: `target ${WORKLOAD5_TARGET.text}` },
    ],
    report.results.map((r) => [
      WORKLOAD5_LABELS[r.impl],
      formatRate(r.opsPerSecond),
      formatNs(r.medianNs),
      ratioWithRounds(r.ratio, r.roundRatios),
      formatRatio(r.ratioVsAsyncMutex),
      `${formatNs(r.spreadNs.p25)}–${formatNs(r.spreadNs.p75)}`,
      `${formatNs(r.spreadNs.min)}–${formatNs(r.spreadNs.max)}`,
      String(r.samples),
      lostText(r),
      r.target === undefined ? '–' : r.target.met ? 'met' : 'MISSED',
    ]),
  );
  return [
    `Workload 5 — ${report.title} (${config.mode}): ${config.tasks.toLocaleString('en-US')} tasks × ${config.rmwPerTask} RMW on ${config.hotKeys} hot keys, an await between read and write. Ratios: throughput (median storm) ÷ async-lock's in the same run${rounds}. "storms" counts measured storms; lost updates count every storm checked (warm-up included).`,
    table,
    '',
  ].join('\n');
}

/**
 * The SVG chart: throughput ÷ async-lock's per implementation, with the anchor and the target.
 *
 * @example
 * writeFileSync('workload-5.svg', renderWorkload5Chart(report));
 */
export function renderWorkload5Chart(report: Workload5Report): string {
  const { config, environment } = report;
  const max = Math.max(WORKLOAD5_TARGET.min, ...report.results.map((r) => r.ratio)) * 1.12;
  return renderHorizontalBarChart({
    title: `Workload 5: keyed read-modify-write storm, throughput ÷ async-lock (higher is better)`,
    subtitle: `${config.tasks.toLocaleString('en-US')} tasks × ${config.rmwPerTask} RMW on ${config.hotKeys} hot keys, await Promise.resolve() between read and write; ${config.mode} run, Node ${environment.node}, ${environment.cpu}.`,
    labelWidth: 290,
    max,
    bars: report.results.map((r) => ({
      label: WORKLOAD5_LABELS[r.impl],
      value: r.ratio,
      caption: `${formatRatio(r.ratio)} · ${formatRate(r.opsPerSecond)} RMW/s · ${r.lostUpdates.toLocaleString('en-US')} lost`,
      color: COLORS[r.impl],
    })),
    markers: [
      { value: 1, label: 'async-lock = 1.0×', color: '#111827' },
      { value: WORKLOAD5_TARGET.min, label: `target ≥ ${WORKLOAD5_TARGET.min}×`, color: '#dc2626' },
    ],
    notes: [
      'Each implementation in its own process; the processes take turns storm slice by storm slice. Median storm time ÷ RMWs.',
      "Lost updates: sum over every checked storm of (RMWs on a key − its final value). 'detect' tracks callbacks with AsyncLocalStorage; 'trust' does not.",
      'The unlocked reference runs the same read-await-write with no lock: the bare cost of the work, and proof the check catches races.',
    ],
  });
}
