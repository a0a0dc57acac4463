// Workload 7's report: what workload-7.json holds, its tables (stdout, Markdown) and its chart.

import type { Environment } from '../../environment.js';
import type { Timing } from '../../measure.js';
import { formatCount, formatDuration, formatRate } from '../../report/format.js';
import { renderLogBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import type { Summary } from '../../stats.js';
import { type CellFigures, ratioWithRounds } from '../pool.js';
import { MODE_LABELS, READ_LABELS, type SnapshotModeName, type Workload7ReadTarget } from './job.js';

/** BENCH.md's targets: Cow's snapshot ≥ 100× faster than Clone's; reads through a snapshot ≤ 1.2× live reads. */
export const WORKLOAD7_TARGET = {
  cowSpeedup: 100,
  snapshotReads: 1.2,
  text: 'Cow snapshot ≥ 100× faster than Clone; snapshot reads ≤ 1.2× live reads',
} as const;

/** How workload 7 was run. */
export interface Workload7Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Entries of the snapshot-cost maps. */
  readonly entries: number;
  /** Map sizes of the read measurements. */
  readonly readSizes: readonly number[];
  /** Shards. */
  readonly shards: number;
  /** Rounds (fresh children each, the order rotated). */
  readonly rounds: number;
  /** Snapshots per cost child, per mode (the first two are warm-up). */
  readonly costReps: Readonly<Record<SnapshotModeName, number>>;
  /** Gets per timed batch. */
  readonly batch: number;
  /** tinybench budgets of a read child. */
  readonly readTiming: Timing;
}

/** One mode's snapshot cost, ns. */
export interface Workload7Cost {
  /** The mode. */
  readonly mode: SnapshotModeName;
  /** `snapshot()` right after a write, over every timed snapshot of every round. */
  readonly snapshot: Summary;
  /** `snapshot()` with no write since the last, median over rounds. */
  readonly unchangedNs: number;
  /** First write to a shard after a snapshot, median over rounds. */
  readonly firstWriteNs: number;
  /** The next write to that shard, median over rounds. */
  readonly laterWriteNs: number;
  /** Clone's median snapshot time ÷ this mode's (how many times faster than Clone). */
  readonly speedupVsClone: number;
  /** The same within each round. */
  readonly roundSpeedups: readonly number[];
}

/** One read target at one size. */
export interface Workload7Read extends CellFigures {
  /** What was read. */
  readonly target: Workload7ReadTarget;
  /** Entries in the map. */
  readonly entries: number;
  /** ns per get ÷ the live map's in the same run. */
  readonly ratio: number;
  /** The same within each round. */
  readonly roundRatios: readonly number[];
  /** Whether every get found its value, in every round. */
  readonly verified: boolean;
}

/** Everything `workload-7.json` holds. */
export interface Workload7Report {
  /** Workload id. */
  readonly workload: '7';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload7Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** Snapshot cost per mode, Clone first. */
  readonly costs: readonly Workload7Cost[];
  /** Reads per size and target, the live map first in each size. */
  readonly reads: readonly Workload7Read[];
  /** The targets and whether each was met. */
  readonly target: {
    readonly text: string;
    readonly cowSpeedup: boolean;
    /** Every snapshot target at every size within 1.2× of live reads. */
    readonly snapshotReads: boolean;
  };
}

const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/** A speed relative to Clone's, in words: `2,260× faster than Clone`, `1.86× slower than Clone`. */
function vsClone(speedup: number): string {
  const digits = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));
  return speedup >= 1 ? `${digits(speedup)}× faster than Clone` : `${digits(1 / speedup)}× slower than Clone`;
}

/** A speedup with its per-round range: whole numbers from 100× up. */
function speedupText(speedup: number, rounds: readonly number[]): string {
  const digits = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));
  const text = `${digits(speedup)}×`;
  return rounds.length < 2 ? text : `${text} (${digits(Math.min(...rounds))}–${digits(Math.max(...rounds))})`;
}

/**
 * The tables and verdict lines printed on stdout.
 *
 * @example
 * process.stdout.write(renderWorkload7Tables(report));
 */
export function renderWorkload7Tables(report: Workload7Report): string {
  const { config } = report;
  const rounds = config.rounds > 1 ? ` (lo–hi) = the ratio in each of ${config.rounds} rounds.` : '';
  const cost = renderTable(
    [
      { header: 'mode' },
      { header: 'snapshot()', align: 'right' },
      { header: 'p25–p75', align: 'right' },
      { header: 'snapshots/s', align: 'right' },
      { header: '× faster than Clone', align: 'right' },
      { header: 'again, no write', align: 'right' },
      { header: '1st write to a shard after', align: 'right' },
      { header: 'next write there', align: 'right' },
    ],
    report.costs.map((c) => [
      MODE_LABELS[c.mode],
      formatDuration(c.snapshot.median),
      `${formatDuration(c.snapshot.p25)}–${formatDuration(c.snapshot.p75)}`,
      formatRate(1e9 / c.snapshot.median),
      speedupText(c.speedupVsClone, c.roundSpeedups),
      formatDuration(c.unchangedNs),
      formatDuration(c.firstWriteNs),
      formatDuration(c.laterWriteNs),
    ]),
  );
  const reads = renderTable(
    [
      { header: 'entries', align: 'right' },
      { header: 'read through' },
      { header: 'ns/get', align: 'right' },
      { header: 'gets/s', align: 'right' },
      { header: '× live', align: 'right' },
      { header: 'p25–p75 ns', align: 'right' },
      { header: 'samples', align: 'right' },
    ],
    report.reads.map((r) => [
      formatCount(r.entries),
      READ_LABELS[r.target],
      formatDuration(r.medianNs),
      formatRate(r.opsPerSecond),
      ratioWithRounds(r.ratio, r.roundRatios),
      `${r.spreadNs.p25.toFixed(1)}–${r.spreadNs.p75.toFixed(1)}`,
      String(r.samples),
    ]),
  );
  const cow = report.costs.find((c) => c.mode === 'cow');
  return [
    `Workload 7 — ${report.title} (${config.mode}).`,
    `snapshot() of ${formatCount(config.entries)} entries, ${config.shards} shards, right after a write (median over every timed snapshot of every round).${rounds}`,
    cost,
    '',
    `Gets of random present keys (batches of ${config.batch}), ns per get; × live = ÷ the live map's ns per get in the same run. immutable.Map: every version is a free snapshot.${rounds}`,
    reads,
    `Targets: Cow snapshot ≥ ${WORKLOAD7_TARGET.cowSpeedup}× faster than Clone: ${verdict(report.target.cowSpeedup)} (${cow === undefined ? '–' : `${cow.speedupVsClone.toFixed(0)}×`}); snapshot reads ≤ ${WORKLOAD7_TARGET.snapshotReads}× live: ${verdict(report.target.snapshotReads)}.`,
    '',
  ].join('\n');
}

const SERIES: readonly { label: string; color: string }[] = [
  { label: 'live map', color: '#111827' },
  { label: 'Clone', color: '#9ca3af' },
  { label: 'Cached', color: '#60a5fa' },
  { label: 'Cow', color: '#1d4ed8' },
  { label: 'immutable.Map', color: '#f59e0b' },
];

/**
 * The SVG chart, log scale: snapshot() and the first write after it per mode, and ns per get
 * through each read target per size.
 *
 * @example
 * writeFileSync('workload-7.svg', renderWorkload7Chart(report));
 */
export function renderWorkload7Chart(report: Workload7Report): string {
  const { config, environment } = report;
  const cost = (mode: SnapshotModeName) => report.costs.find((c) => c.mode === mode);
  const costGroup = (label: string, pick: (c: Workload7Cost) => number, speedup: boolean) => {
    const values = (['clone', 'cached', 'cow'] as const).map((mode) => {
      const c = cost(mode);
      return c === undefined ? undefined : pick(c);
    });
    return {
      label,
      values: [undefined, ...values, undefined],
      captions: [
        undefined,
        ...(['clone', 'cached', 'cow'] as const).map((mode) => {
          const c = cost(mode);
          if (c === undefined) return undefined;
          const v = pick(c);
          return speedup && mode !== 'clone'
            ? `${formatDuration(v)} · ${vsClone(c.speedupVsClone)}`
            : formatDuration(v);
        }),
        undefined,
      ],
    };
  };
  const order: readonly Workload7ReadTarget[] = [
    'live',
    'clone-snapshot',
    'cached-snapshot',
    'cow-snapshot',
    'immutable',
  ];
  const readGroups = config.readSizes.map((size) => {
    const cells = order.map((target) => report.reads.find((r) => r.entries === size && r.target === target));
    return {
      label: `get, ${formatCount(size)} entries`,
      values: cells.map((c) => c?.medianNs),
      captions: cells.map((c) =>
        c === undefined
          ? undefined
          : `${formatDuration(c.medianNs)}${c.target === 'live' ? '' : ` · ${c.ratio.toFixed(2)}× live`}`,
      ),
    };
  });
  return renderLogBarChart({
    title: `Workload 7: snapshots of ${formatCount(config.entries)} entries, and reads through them (lower is better)`,
    subtitle: [
      `${config.shards} shards, "key:"+i; each measurement in its own process, ${config.rounds} round${config.rounds > 1 ? 's' : ''}, medians; ${config.mode} run.`,
      `Node ${environment.node}, ${environment.cpu}, load ${environment.loadAverage} at start.`,
    ],
    series: SERIES,
    groups: [
      costGroup(`snapshot(), ${formatCount(config.entries)}`, (c) => c.snapshot.median, true),
      costGroup('again, no write between', (c) => c.unchangedNs, false),
      costGroup('1st write to a shard after', (c) => c.firstWriteNs, false),
      ...readGroups,
    ],
    format: formatDuration,
    axisLabel: 'time (log scale)',
    labelWidth: 200,
    notes: [
      `Targets: Cow snapshot ≥ ${WORKLOAD7_TARGET.cowSpeedup}× faster than Clone (${report.target.cowSpeedup ? 'met' : 'missed'}); snapshot reads ≤ ${WORKLOAD7_TARGET.snapshotReads}× live reads (${report.target.snapshotReads ? 'met' : 'missed'}).`,
      'Cow captures the shard references (O(shards)) and copies a shard on its first write afterwards; Clone and Cached copy every entry.',
      'immutable.Map needs no snapshot (each version is one); its bars are its gets.',
    ],
  });
}
