// Workload 4's report: what workload-4.json holds, its tables (stdout, Markdown) and its chart.

import type { Environment } from '../../environment.js';
import { KEY_KINDS, type KeyForm } from '../../keys.js';
import type { Timing } from '../../measure.js';
import { formatCount, formatNs, formatRate, formatRatio } from '../../report/format.js';
import { type ChartPanel, renderGroupedBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import { type CellFigures, ratioWithRounds } from '../pool.js';
import { WORKLOAD4_LABELS, type Workload4Impl, type Workload4KeyKind } from './job.js';

/** BENCH.md's target: `await m.get(k)` ≤ 1.5× the awaited async function over `Map.get`. */
export const WORKLOAD4_TARGET = { max: 1.5, text: '≤ 1.5×' } as const;

/** How workload 4 was run. */
export interface Workload4Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Map sizes. */
  readonly sizes: readonly number[];
  /** Key kinds. */
  readonly keyKinds: readonly Workload4KeyKind[];
  /** Flat or rope string keys. */
  readonly keyForm: KeyForm;
  /** Implementations, the anchor first. */
  readonly implementations: readonly Workload4Impl[];
  /** Shards of the starshard maps. */
  readonly shards: number;
  /** Awaited gets per timed batch. */
  readonly batch: number;
  /** Slices per size and round. */
  readonly slices: number;
  /** Time budgets of one slice. */
  readonly sliceTiming: Timing;
  /** Warm-up before a size's first slice in each child, ms. */
  readonly firstWarmupMs: number;
  /** Rounds (fresh children each round). */
  readonly rounds: number;
}

/** One cell: an implementation on one key kind and size. */
export interface Workload4Cell extends CellFigures {
  /** Implementation. */
  readonly impl: Workload4Impl;
  /** Key kind. */
  readonly keyKind: Workload4KeyKind;
  /** Map size. */
  readonly size: number;
  /** `medianNs` ÷ the anchor's (`async-map`) for the same key kind and size. */
  readonly ratio: number;
  /** The ratio within each round. */
  readonly roundRatios: readonly number[];
  /** starshard's target and whether the ratio meets it. */
  readonly target?: { readonly text: string; readonly max: number; readonly met: boolean };
}

/** Everything `workload-4.json` holds. */
export interface Workload4Report {
  /** Workload id. */
  readonly workload: '4';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload4Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** Every cell. */
  readonly cells: readonly Workload4Cell[];
}

const KIND_LABEL = new Map<string, string>(KEY_KINDS.map((info) => [info.kind, info.label]));
const kindLabel = (kind: Workload4KeyKind): string => KIND_LABEL.get(kind) ?? kind;

const SERIES_COLORS: Readonly<Record<Workload4Impl, string>> = {
  'async-map': '#111827',
  'starshard-async': '#1d4ed8',
  'async-core': '#93c5fd',
};

function find(report: Workload4Report, impl: Workload4Impl, keyKind: Workload4KeyKind, size: number) {
  return report.cells.find((c) => c.impl === impl && c.keyKind === keyKind && c.size === size);
}

function sizeLabel(size: number, sizes: readonly number[]): string {
  return `${formatCount(size)} ${size === Math.min(...sizes) ? '(hot)' : '(memory-bound)'}`;
}

/**
 * The summary table (ratios per key kind and size) and the per-cell detail table.
 *
 * @example
 * process.stdout.write(renderWorkload4Tables(report));
 */
export function renderWorkload4Tables(report: Workload4Report): string {
  const { config } = report;
  const others = config.implementations.filter((impl) => impl !== 'async-map');
  const rounds = config.rounds > 1 ? `; (lo–hi) = the ratio in each of ${config.rounds} rounds` : '';
  const summary = renderTable(
    [
      { header: 'size' },
      { header: 'keys' },
      { header: 'anchor ns/op', align: 'right' },
      ...others.map((impl) => ({ header: `${WORKLOAD4_LABELS[impl]} ×anchor`, align: 'right' as const })),
      { header: `target ${WORKLOAD4_TARGET.text}` },
    ],
    config.sizes.flatMap((size) =>
      config.keyKinds.map((keyKind) => {
        const anchor = find(report, 'async-map', keyKind, size);
        const starshard = find(report, 'starshard-async', keyKind, size);
        return [
          sizeLabel(size, config.sizes),
          kindLabel(keyKind),
          anchor === undefined ? '–' : formatNs(anchor.medianNs),
          ...others.map((impl) => {
            const cell = find(report, impl, keyKind, size);
            return cell === undefined ? '–' : ratioWithRounds(cell.ratio, cell.roundRatios);
          }),
          starshard?.target === undefined ? '–' : starshard.target.met ? 'met' : 'MISSED',
        ];
      }),
    ),
  );
  const detail = renderTable(
    [
      { header: 'size' },
      { header: 'keys' },
      { header: 'impl' },
      { header: 'ns/op', align: 'right' },
      { header: 'ops/s', align: 'right' },
      { header: '×anchor', align: 'right' },
      { header: 'p25–p75', align: 'right' },
      { header: 'min–max', align: 'right' },
      { header: 'n', align: 'right' },
    ],
    report.cells.map((cell) => [
      formatCount(cell.size),
      kindLabel(cell.keyKind),
      WORKLOAD4_LABELS[cell.impl],
      formatNs(cell.medianNs),
      formatRate(cell.opsPerSecond),
      formatRatio(cell.ratio),
      `${formatNs(cell.spreadNs.p25)}–${formatNs(cell.spreadNs.p75)}`,
      `${formatNs(cell.spreadNs.min)}–${formatNs(cell.spreadNs.max)}`,
      String(cell.samples),
    ]),
  );
  return [
    `Workload 4 — ${report.title} (${config.mode}, ${config.shards} shards, ${config.keyForm} string keys). Ratios: median time per awaited get ÷ the anchor's (await of an async function over Map.get) in the same run${rounds}.`,
    summary,
    '',
    'Every cell: median ns per awaited get, ops/s, ratio to the anchor, spread of the per-batch samples (ns/op), samples.',
    detail,
    '',
  ].join('\n');
}

/**
 * The SVG chart: per size, bars of the time per awaited get ÷ the anchor's for each key kind,
 * with the anchor at 1.0 and the 1.5× target.
 *
 * @example
 * writeFileSync('workload-4.svg', renderWorkload4Chart(report));
 */
export function renderWorkload4Chart(report: Workload4Report): string {
  const { config, environment } = report;
  const impls = config.implementations.filter((impl) => impl !== 'async-map');
  const highest = Math.max(...report.cells.map((c) => c.ratio));
  const yMax = Math.min(4, Math.max(2, Math.ceil(highest * 2) / 2));
  // One panel: a section per key kind, a group per size (few bars: a compact chart).
  const panels: ChartPanel[] = [
    {
      title: `${config.sizes.map((size) => sizeLabel(size, config.sizes)).join(' and ')} keys`,
      groups: config.keyKinds.flatMap((keyKind) =>
        config.sizes.map((size) => ({
          label: `${formatCount(size)} keys`,
          section: kindLabel(keyKind),
          values: impls.map((impl) => find(report, impl, keyKind, size)?.ratio),
        })),
      ),
      lines: [
        { value: 1, label: 'anchor = 1.0×', color: '#111827' },
        { value: WORKLOAD4_TARGET.max, label: `target ${WORKLOAD4_TARGET.text}`, color: '#dc2626', dash: '6 4' },
      ],
    },
  ];
  return renderGroupedBarChart({
    title: 'Workload 4: await get ÷ await async fn over Map.get (lower is better)',
    subtitle: [
      `Uncontended \`await m.get(k)\` (${config.shards} shards) ÷ \`await get(k)\`, get = async (k) => map.get(k) (the anchor).`,
      `Median of every batch of ${config.batch} awaited gets; each implementation in its own process,`,
      `taking turns in ${config.slices} slices per size${config.rounds > 1 ? ` × ${config.rounds} rounds` : ''}. ${config.mode === 'full' ? 'Full' : 'Quick'} run; Node ${environment.node}, ${environment.cpu} (${environment.cores} cores).`,
    ],
    barWidth: 52,
    minPlotWidth: 800,
    yLabel: 'time per await ÷ anchor',
    yMax,
    series: impls.map((impl) => ({ label: WORKLOAD4_LABELS[impl], color: SERIES_COLORS[impl] })),
    panels,
    notes: [
      'Reference: the sync ShardedHashMap behind an async function (same hash and routing, no async layer).',
      'The gap between the two bars is the async wrapper. Keys read in a random order fixed before timing; all hit.',
    ],
  });
}
