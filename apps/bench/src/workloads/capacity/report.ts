// The capacity workload's report: what capacity.json holds, its table and its chart.

import type { Environment } from '../../environment.js';
import { formatCount, formatMiB, formatNs } from '../../report/format.js';
import { renderHorizontalBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import type { CapacityResult } from './job.js';

/** V8's per-Map entry limit. */
export const MAP_LIMIT = 2 ** 24;

/** Everything `capacity.json` holds. */
export interface CapacityReport {
  /** Workload id. */
  readonly workload: 'capacity';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: {
    readonly mode: 'quick' | 'full';
    readonly entries: number;
    readonly shards: number;
    readonly heapMb: number;
    readonly mapLimit: number;
  };
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** The native Map's fill, then starshard's. */
  readonly results: readonly [CapacityResult, CapacityResult];
  /** starshard's bytes/entry over Map's (Map measured at its limit). */
  readonly bytesPerEntryRatio: number;
  /** starshard's ns/insert over Map's. */
  readonly nsPerInsertRatio: number;
}

/** V8's `Map` table capacity for `n` entries: the power of two at or above `n` (it doubles when full). */
function tableCapacity(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(n, 4)));
}

/**
 * Why the two bytes/entry figures differ: how full each table is (an estimate from V8's
 * doubling rule).
 *
 * @example
 * tableFillNote(50_000_000, 64);
 */
export function tableFillNote(entries: number, shards: number): string {
  const perShard = Math.round(entries / shards);
  const fill = (100 * perShard) / tableCapacity(perShard);
  return `Table fill (estimate): Map's 2^24 entries fill its 2^24-slot table (its best case); each starshard shard holds ${perShard.toLocaleString('en-US')} entries in ${tableCapacity(perShard).toLocaleString('en-US')} slots (${fill.toFixed(0)}%).`;
}

function label(result: CapacityResult, shards: number): string {
  return result.subject === 'map' ? 'native Map' : `starshard ${shards}`;
}

/**
 * The table and summary lines printed on stdout.
 *
 * @example
 * process.stdout.write(renderCapacityTable(report));
 */
export function renderCapacityTable(report: CapacityReport): string {
  const { shards } = report.config;
  const table = renderTable(
    [
      { header: 'map' },
      { header: 'requested', align: 'right' },
      { header: 'held', align: 'right' },
      { header: 'outcome' },
      { header: 'fill s', align: 'right' },
      { header: 'ns/insert', align: 'right' },
      { header: 'heap Δ', align: 'right' },
      { header: 'bytes/entry', align: 'right' },
      { header: 'balance max/avg' },
    ],
    report.results.map((r) => [
      label(r, shards),
      r.requested.toLocaleString('en-US'),
      r.held.toLocaleString('en-US'),
      r.error ?? (r.verified ? 'completed, spot checks pass' : 'completed, SPOT CHECKS FAILED'),
      (r.fillMs / 1000).toFixed(2),
      formatNs(r.nsPerInsert),
      formatMiB(r.heapDeltaBytes),
      r.bytesPerEntry.toFixed(1),
      r.balance === undefined
        ? '–'
        : `${(r.balance.maxLoad / (r.balance.entries / r.balance.shards)).toFixed(3)} (${r.balance.emptyShards} empty)`,
    ]),
  );
  return [
    `Capacity — ${report.title} (${report.config.mode}).`,
    table,
    tableFillNote(report.config.entries, shards),
    `starshard bytes/entry ÷ Map's (at its limit): ${report.bytesPerEntryRatio.toFixed(2)}×; ns/insert ÷ Map's: ${report.nsPerInsertRatio.toFixed(2)}×`,
    '',
  ].join('\n');
}

/**
 * The SVG chart: entries held by each map, against the 2^24 line.
 *
 * @example
 * writeFileSync('capacity.svg', renderCapacityChart(report));
 */
export function renderCapacityChart(report: CapacityReport): string {
  const { entries, shards } = report.config;
  return renderHorizontalBarChart({
    title: `Capacity: entries held after inserting ${formatCount(entries)} number keys`,
    subtitle: `Node ${report.environment.node}, ${report.environment.cpu}; each map in its own process with an 8 GiB heap.`,
    max: Math.max(entries, MAP_LIMIT) * 1.02,
    bars: report.results.map((r) => ({
      label: label(r, shards),
      value: r.held,
      caption: `${r.held.toLocaleString('en-US')} · ${r.bytesPerEntry.toFixed(1)} B/entry${r.error ? ' · threw' : ''}`,
      color: r.subject === 'map' ? '#9ca3af' : '#1d4ed8',
    })),
    markers: [{ value: MAP_LIMIT, label: '2^24 = 16,777,216 (V8 Map limit)', color: '#dc2626' }],
    notes: [
      ...report.results.flatMap((r) =>
        r.error ? [`${label(r, shards)}: ${r.error} at ${r.held.toLocaleString('en-US')} entries.`] : [],
      ),
      'bytes/entry: heapUsed growth after forced GC ÷ entries held.',
      tableFillNote(entries, shards),
    ],
  });
}
