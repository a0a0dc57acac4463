// Workload 8's report: what workload-8.json holds, its table (stdout, Markdown) and its chart.

import type { Environment } from '../../environment.js';
import { formatCount, formatDuration, formatRate } from '../../report/format.js';
import { renderLogBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import type { Summary } from '../../stats.js';
import { MODE_LABELS, type SnapshotModeName } from '../workload7/job.js';
import type { MixedProfile } from './job.js';

/** How workload 8 was run. */
export interface Workload8Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Entries in the map. */
  readonly entries: number;
  /** Shards. */
  readonly shards: number;
  /** Operations per run. */
  readonly ops: number;
  /** Gets through each snapshot. */
  readonly probes: number;
  /** Runs per child (the first is warm-up). */
  readonly reps: number;
  /** Rounds (fresh children each, the order rotated). */
  readonly rounds: number;
  /** The profiles, in table order. */
  readonly profiles: readonly MixedProfile[];
}

/** One mode on one profile. */
export interface Workload8Cell {
  /** The mode. */
  readonly mode: SnapshotModeName;
  /** Total time of a run, ms, over every timed run of every round. */
  readonly runMs: Summary;
  /** Median ns per operation (run time ÷ ops; snapshots and their gets included). */
  readonly nsPerOp: number;
  /** Operations per second. */
  readonly opsPerSecond: number;
  /** The median run time ÷ Clone's (the default mode) in the same run. */
  readonly ratioVsClone: number;
  /** The same within each round. */
  readonly roundRatiosVsClone: readonly number[];
  /** Whether every get through a snapshot found its key. */
  readonly verified: boolean;
}

/** One profile's row. */
export interface Workload8Row {
  /** The profile. */
  readonly profile: MixedProfile;
  /** Clone, Cached, Cow. */
  readonly cells: readonly Workload8Cell[];
  /** The fastest mode (lowest median run time). */
  readonly winner: SnapshotModeName;
  /** Runner-up's median ÷ the winner's. */
  readonly margin: number;
  /** The mode that won each round. */
  readonly roundWinners: readonly SnapshotModeName[];
  /** Whether a mode the seed recommends won. */
  readonly seedRecommendationWon: boolean;
  /** Whether packages/snapshot/README.md's recommended mode won. */
  readonly readmeRecommendationWon: boolean;
}

/** Everything `workload-8.json` holds. */
export interface Workload8Report {
  /** Workload id. */
  readonly workload: '8';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload8Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** One row per profile. */
  readonly rows: readonly Workload8Row[];
}

const modes = (list: readonly SnapshotModeName[]) => list.map((m) => MODE_LABELS[m]).join(' or ');

function ratioText(ratio: number, rounds: readonly number[]): string {
  const text = `${ratio.toFixed(2)}×`;
  return rounds.length < 2 ? text : `${text} (${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)})`;
}

/**
 * The table and the comparison with the recommendations, printed on stdout.
 *
 * @example
 * process.stdout.write(renderWorkload8Tables(report));
 */
export function renderWorkload8Tables(report: Workload8Report): string {
  const { config } = report;
  const cellText = (cell: Workload8Cell | undefined) =>
    cell === undefined
      ? '–'
      : `${cell.runMs.median.toFixed(1)} ms · ${formatDuration(cell.nsPerOp)}/op · ${formatRate(cell.opsPerSecond)} ops/s · ${ratioText(cell.ratioVsClone, cell.roundRatiosVsClone)}`;
  const table = renderTable(
    [
      { header: 'workload' },
      { header: 'writes', align: 'right' },
      { header: 'snapshot every', align: 'right' },
      { header: 'Clone' },
      { header: 'Cached' },
      { header: 'Cow' },
      { header: 'fastest' },
      { header: 'seed recommends' },
      { header: 'snapshot README recommends' },
    ],
    report.rows.map((row) => {
      const cell = (mode: SnapshotModeName) => row.cells.find((c) => c.mode === mode);
      const rounds =
        new Set(row.roundWinners).size > 1
          ? ` (rounds: ${row.roundWinners.map((m) => MODE_LABELS[m]).join(', ')})`
          : '';
      return [
        row.profile.name,
        `${(row.profile.writeShare * 100).toFixed(0)}%`,
        `${row.profile.snapshotEvery.toLocaleString('en-US')} ops`,
        cellText(cell('clone')),
        cellText(cell('cached')),
        cellText(cell('cow')),
        `${MODE_LABELS[row.winner]} by ${row.margin.toFixed(2)}×${rounds}`,
        `${modes(row.profile.seedRecommends)}: ${row.seedRecommendationWon ? 'won' : 'lost'}`,
        `${MODE_LABELS[row.profile.readmeRecommends]}: ${row.readmeRecommendationWon ? 'won' : 'lost'}`,
      ];
    }),
  );
  const rounds = config.rounds > 1 ? `, (lo–hi) the ratio in each of ${config.rounds} rounds` : '';
  return [
    `Workload 8 — ${report.title} (${config.mode}).`,
    `Each cell: median run time (${formatCount(config.ops)} operations on ${formatCount(config.entries)} entries, ${config.shards} shards, snapshots and their ${config.probes} gets included), ns and ops per second, and × Clone = run time ÷ Clone's in the same run${rounds}.`,
    table,
    '',
  ].join('\n');
}

const COLORS: Readonly<Record<SnapshotModeName, string>> = { clone: '#9ca3af', cached: '#60a5fa', cow: '#1d4ed8' };

/**
 * The SVG chart: run time per mode for each profile, log scale.
 *
 * @example
 * writeFileSync('workload-8.svg', renderWorkload8Chart(report));
 */
export function renderWorkload8Chart(report: Workload8Report): string {
  const { config, environment } = report;
  const order: readonly SnapshotModeName[] = ['clone', 'cached', 'cow'];
  return renderLogBarChart({
    title: `Workload 8: the seed's mixed workloads × snapshot modes (run time, lower is better)`,
    subtitle: [
      `${formatCount(config.ops)} ops on ${formatCount(config.entries)} entries, ${config.shards} shards; a snapshot every k ops, read by ${config.probes} gets; ${config.rounds} round${config.rounds > 1 ? 's' : ''}, medians; ${config.mode} run.`,
      `Node ${environment.node}, ${environment.cpu}, load ${environment.loadAverage} at start.`,
    ],
    series: order.map((mode) => ({ label: MODE_LABELS[mode], color: COLORS[mode] })),
    groups: report.rows.map((row) => {
      const cells = order.map((mode) => row.cells.find((c) => c.mode === mode));
      return {
        label: `${row.profile.name.replace(' + ', ' / ')}`,
        values: cells.map((c) => (c === undefined ? undefined : c.runMs.median * 1e6)),
        captions: cells.map((c) =>
          c === undefined
            ? undefined
            : `${formatDuration(c.runMs.median * 1e6)} · ${c.ratioVsClone.toFixed(2)}× Clone${c.mode === row.winner ? ' · fastest' : ''}`,
        ),
      };
    }),
    format: formatDuration,
    axisLabel: 'run time (log scale)',
    labelWidth: 250,
    notes: report.rows.map(
      (row) =>
        `${row.profile.name} (${(row.profile.writeShare * 100).toFixed(0)}% writes, snapshot every ${row.profile.snapshotEvery}): ${MODE_LABELS[row.winner]} won; seed recommends ${modes(row.profile.seedRecommends)} (${row.seedRecommendationWon ? 'won' : 'lost'}), snapshot README ${MODE_LABELS[row.profile.readmeRecommends]} (${row.readmeRecommendationWon ? 'won' : 'lost'}).`,
    ),
  });
}
