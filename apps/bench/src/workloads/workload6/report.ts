// Workload 6's report: what workload-6.json holds, its tables (stdout, Markdown) and its chart.

import type { Environment } from '../../environment.js';
import type { Timing } from '../../measure.js';
import { formatCount, formatNs, formatRate, formatRatio } from '../../report/format.js';
import { renderHorizontalBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import { type CellFigures, ratioWithRounds } from '../pool.js';
import { WORKLOAD6_LABELS, type Workload6Impl } from './job.js';

/** BENCH.md's targets: exactly one factory call per key, ≥ 0.8× hand-rolled, ≥ 2× lru-cache. */
export const WORKLOAD6_TARGET = {
  handRolled: 0.8,
  lruCache: 2,
  text: '1 load/key, ≥ 0.8× hand-rolled, ≥ 2× lru',
} as const;

/** How workload 6 was run. */
export interface Workload6Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Concurrent calls per herd. */
  readonly calls: number;
  /** Distinct keys (factory calls expected per herd). */
  readonly keys: number;
  /** Shards of the starshard map. */
  readonly shards: number;
  /** Implementations, the anchor first. */
  readonly implementations: readonly Workload6Impl[];
  /** Slices per round. */
  readonly slices: number;
  /** Herds of a slice (measured and warm-up). */
  readonly sliceTiming: Timing;
  /** Warm-up herds before the first slice of each child. */
  readonly firstWarmupHerds: number;
  /** Rounds (fresh children each round). */
  readonly rounds: number;
}

/** One implementation's figures (ns per call; ops/s is calls/s). */
export interface Workload6Result extends CellFigures {
  /** Implementation. */
  readonly impl: Workload6Impl;
  /** Throughput ÷ the hand-rolled single-flight's (the anchor's) in the same run. */
  readonly ratio: number;
  /** Throughput ÷ lru-cache's. */
  readonly ratioVsLruCache: number;
  /** `ratio` within each round. */
  readonly roundRatios: readonly number[];
  /** `ratioVsLruCache` within each round. */
  readonly roundRatiosVsLruCache: readonly number[];
  /** Herds run and checked (warm-up included). */
  readonly herdsChecked: number;
  /** Fewest factory calls in one herd. */
  readonly minFactoryCalls: number;
  /** Most factory calls in one herd. */
  readonly maxFactoryCalls: number;
  /** Calls that resolved to a wrong value, over every herd checked. */
  readonly wrongValues: number;
  /** starshard's targets and whether each is met. */
  readonly target?: {
    readonly text: string;
    readonly exactLoads: boolean;
    readonly vsHandRolled: boolean;
    readonly vsLruCache: boolean;
    readonly met: boolean;
  };
}

/** Everything `workload-6.json` holds. */
export interface Workload6Report {
  /** Workload id. */
  readonly workload: '6';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload6Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** One entry per implementation, the anchor first. */
  readonly results: readonly Workload6Result[];
}

const COLORS: Readonly<Record<Workload6Impl, string>> = {
  'hand-rolled': '#111827',
  'lru-cache': '#f59e0b',
  'starshard-detect': '#1d4ed8',
  'starshard-trust': '#60a5fa',
};

function loadsText(result: Workload6Result, keys: number): string {
  const range =
    result.minFactoryCalls === result.maxFactoryCalls
      ? result.minFactoryCalls.toLocaleString('en-US')
      : `${result.minFactoryCalls.toLocaleString('en-US')}–${result.maxFactoryCalls.toLocaleString('en-US')}`;
  const exact = result.minFactoryCalls === keys && result.maxFactoryCalls === keys;
  return `${range} per herd${exact ? '' : ' — NOT EXACTLY ONE PER KEY'}`;
}

function verdict(result: Workload6Result): string {
  const t = result.target;
  if (t === undefined) return '–';
  if (t.met) return 'met';
  const missed = [
    t.exactLoads ? undefined : 'loads',
    t.vsHandRolled ? undefined : 'vs hand-rolled',
    t.vsLruCache ? undefined : 'vs lru-cache',
  ].filter((part) => part !== undefined);
  return `MISSED (${missed.join(', ')})`;
}

/**
 * The summary table (throughput ratios, factory calls, targets).
 *
 * @example
 * process.stdout.write(renderWorkload6Tables(report));
 */
export function renderWorkload6Tables(report: Workload6Report): string {
  const { config } = report;
  const rounds = config.rounds > 1 ? `; (lo–hi) = the ratio in each of ${config.rounds} rounds` : '';
  const table = renderTable(
    [
      { header: 'implementation' },
      { header: 'calls/s', align: 'right' },
      { header: 'ns/call', align: 'right' },
      { header: '×hand-rolled', align: 'right' },
      { header: '×lru-cache', align: 'right' },
      { header: 'p25–p75 ns', align: 'right' },
      { header: 'min–max ns', align: 'right' },
      { header: 'herds', align: 'right' },
      { header: 'factory calls' },
      { header: 'wrong values', align: 'right' },
      { header: `target ${WORKLOAD6_TARGET.text}` },
    ],
    report.results.map((r) => [
      WORKLOAD6_LABELS[r.impl],
      formatRate(r.opsPerSecond),
      formatNs(r.medianNs),
      ratioWithRounds(r.ratio, r.roundRatios),
      ratioWithRounds(r.ratioVsLruCache, r.roundRatiosVsLruCache),
      `${formatNs(r.spreadNs.p25)}–${formatNs(r.spreadNs.p75)}`,
      `${formatNs(r.spreadNs.min)}–${formatNs(r.spreadNs.max)}`,
      String(r.samples),
      loadsText(r, config.keys),
      r.wrongValues.toLocaleString('en-US'),
      verdict(r),
    ]),
  );
  return [
    `Workload 6 — ${report.title} (${config.mode}): ${formatCount(config.calls)} concurrent calls over ${formatCount(config.keys)} keys per herd, the factory resolving after setImmediate. Ratios: throughput (median herd) ÷ the hand-rolled single-flight's and ÷ lru-cache's in the same run${rounds}. "herds" counts measured herds; factory calls and wrong values cover every herd checked (warm-up included).`,
    table,
    '',
  ].join('\n');
}

/**
 * The SVG chart: throughput ÷ the hand-rolled single-flight's per implementation, with the
 * anchor, the 0.8× target and the 2× lru-cache target.
 *
 * @example
 * writeFileSync('workload-6.svg', renderWorkload6Chart(report));
 */
export function renderWorkload6Chart(report: Workload6Report): string {
  const { config, environment } = report;
  const lru = report.results.find((r) => r.impl === 'lru-cache');
  const lruLine = lru === undefined ? undefined : WORKLOAD6_TARGET.lruCache * lru.ratio;
  const max = Math.max(1, lruLine ?? 0, ...report.results.map((r) => r.ratio)) * 1.15;
  return renderHorizontalBarChart({
    title: 'Workload 6: thundering herd, throughput ÷ hand-rolled Map<key, Promise> (higher is better)',
    subtitle: `${formatCount(config.calls)} concurrent calls over ${formatCount(config.keys)} keys, factory resolves after setImmediate; ${config.mode} run, Node ${environment.node}, ${environment.cpu}.`,
    labelWidth: 290,
    max,
    bars: report.results.map((r) => ({
      label: WORKLOAD6_LABELS[r.impl],
      value: r.ratio,
      caption: `${formatRatio(r.ratio)} · ${formatRate(r.opsPerSecond)} calls/s · ${r.minFactoryCalls === r.maxFactoryCalls ? r.minFactoryCalls.toLocaleString('en-US') : `${r.minFactoryCalls}–${r.maxFactoryCalls}`} loads/herd`,
      color: COLORS[r.impl],
    })),
    markers: [
      { value: WORKLOAD6_TARGET.handRolled, label: `target ≥ ${WORKLOAD6_TARGET.handRolled}×`, color: '#dc2626' },
      { value: 1, label: 'hand-rolled = 1.0×', color: '#111827' },
      ...(lruLine === undefined
        ? []
        : [{ value: lruLine, label: `target ≥ 2× lru-cache (${lruLine.toFixed(2)}×)`, color: '#b45309' }]),
    ],
    notes: [
      'Each implementation in its own process; the processes take turns herd slice by herd slice. Median herd time ÷ calls.',
      "Every herd starts on an empty cache; every call is issued before the first load settles. 'detect' tracks the factory with AsyncLocalStorage; 'trust' does not.",
      'hand-rolled: the Map holds each key’s promise (a rejected load is dropped). lru-cache: fetch() with a fetchMethod, max = keys.',
    ],
  });
}
