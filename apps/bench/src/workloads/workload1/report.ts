// Workload 1's tables (stdout, Markdown) and chart (SVG), both read from the report.

import { IMPLEMENTATION_LABELS, type ImplementationId } from '../../implementations/index.js';
import { KEY_KINDS, type KeyKind } from '../../keys.js';
import { formatCount, formatNs, formatRate, formatRatio } from '../../report/format.js';
import { type ChartPanel, type ChartSeries, renderGroupedBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import type { BalanceReport, CellReport, Workload1Report } from './aggregate.js';
import { OPS } from './job.js';
import { targetFor } from './targets.js';

const KIND_LABEL = new Map(KEY_KINDS.map((info) => [info.kind, info.label]));
const kindLabel = (kind: KeyKind): string => KIND_LABEL.get(kind) ?? kind;

/** Bar colours: starshard in blues, anchors in neutral and warm tones. */
const SERIES_COLORS: Readonly<Record<ImplementationId, string>> = {
  map: '#111827',
  'starshard-64': '#1d4ed8',
  'starshard-1': '#93c5fd',
  'naive-16': '#9ca3af',
  'bigmap-64': '#f59e0b',
};

function sizeLabel(size: number, sizes: readonly number[]): string {
  return `${formatCount(size)} ${size === Math.min(...sizes) ? '(hot)' : '(memory-bound)'}`;
}

function find(report: Workload1Report, impl: ImplementationId, keyKind: KeyKind, size: number, op: string) {
  return report.cells.find((c) => c.impl === impl && c.keyKind === keyKind && c.size === size && c.op === op);
}

function ratioWithRounds(cell: CellReport): string {
  if (cell.roundRatios.length < 2) return formatRatio(cell.ratio);
  const lo = Math.min(...cell.roundRatios);
  const hi = Math.max(...cell.roundRatios);
  return `${formatRatio(cell.ratio)} (${lo.toFixed(2)}–${hi.toFixed(2)})`;
}

function verdict(cell: CellReport | undefined): string {
  if (cell?.target === undefined) return 'report only';
  return `${cell.target.text} ${cell.target.met ? 'met' : 'MISSED'}`;
}

function balanceText(balance: BalanceReport | undefined): string {
  if (balance === undefined) return '–';
  const empty = balance.emptyShards > 0 ? `, ${balance.emptyShards} empty` : '';
  const hash = balance.stringHash === undefined ? '' : `, ${balance.stringHash} hash`;
  return `${balance.maxOverAvg.toFixed(2)} (${balance.maxLoad}/${balance.avgLoad.toFixed(1)}${empty}${hash})`;
}

/**
 * The summary (ratios per key kind and operation), balance and per-cell detail tables.
 *
 * @example
 * process.stdout.write(renderWorkload1Tables(report));
 */
export function renderWorkload1Tables(report: Workload1Report): string {
  const { config } = report;
  const others = config.implementations.filter((impl) => impl !== 'map');
  const parts: string[] = [];
  const rounds = config.rounds > 1 ? `; (lo–hi) = the ratio in each of ${config.rounds} rounds` : '';

  parts.push(
    `Workload 1 — ${report.title} (${config.mode}, ${config.keyForm} string keys). Ratios: median time per op ÷ Map's median in the same run${rounds}.`,
    renderTable(
      [
        { header: 'size' },
        { header: 'keys' },
        { header: 'op' },
        { header: 'Map ns/op', align: 'right' },
        ...others.map((impl) => ({ header: `${IMPLEMENTATION_LABELS[impl]} ×Map`, align: 'right' as const })),
        { header: 'starshard 64 target' },
        { header: 'starshard 1 target' },
      ],
      config.sizes.flatMap((size) =>
        config.keyKinds.flatMap((keyKind) =>
          OPS.map((op) => {
            const anchor = find(report, 'map', keyKind, size, op);
            return [
              sizeLabel(size, config.sizes),
              kindLabel(keyKind),
              op,
              anchor === undefined ? '–' : formatNs(anchor.medianNs),
              ...others.map((impl) => {
                const cell = find(report, impl, keyKind, size, op);
                return cell === undefined ? '–' : ratioWithRounds(cell);
              }),
              verdict(find(report, 'starshard-64', keyKind, size, op)),
              verdict(find(report, 'starshard-1', keyKind, size, op)),
            ];
          }),
        ),
      ),
    ),
  );

  const sharded = others.filter((impl) => impl !== 'starshard-1');
  parts.push(
    'Shard balance after a fill: max/avg load (fullest shard / entries per shard; 1.00 is perfect), worst round. "uniform" = what a perfectly random hash gives for the same count.',
    renderTable(
      [
        { header: 'size' },
        { header: 'keys' },
        ...sharded.map((impl) => ({ header: IMPLEMENTATION_LABELS[impl] })),
        { header: 'uniform 64 / 16', align: 'right' },
      ],
      config.sizes.flatMap((size) =>
        config.keyKinds.map((keyKind) => {
          const pick = (impl: ImplementationId) =>
            report.balances.find((b) => b.impl === impl && b.keyKind === keyKind && b.size === size);
          const uniform = (impl: ImplementationId) => pick(impl)?.uniformMaxOverAvg.toFixed(2) ?? '–';
          return [
            sizeLabel(size, config.sizes),
            kindLabel(keyKind),
            ...sharded.map((impl) => balanceText(pick(impl))),
            `${uniform('starshard-64')} / ${uniform('naive-16')}`,
          ];
        }),
      ),
    ),
  );

  parts.push(
    'Every cell: median ns/op, ops/s, ratio to Map, spread of the per-batch samples (p25–p75 and min–max, ns/op), samples.',
    renderTable(
      [
        { header: 'size' },
        { header: 'keys' },
        { header: 'op' },
        { header: 'impl' },
        { header: 'ns/op', align: 'right' },
        { header: 'ops/s', align: 'right' },
        { header: '×Map', align: 'right' },
        { header: 'p25–p75', align: 'right' },
        { header: 'min–max', align: 'right' },
        { header: 'n', align: 'right' },
      ],
      report.cells.map((cell) => [
        formatCount(cell.size),
        kindLabel(cell.keyKind),
        cell.op,
        IMPLEMENTATION_LABELS[cell.impl],
        formatNs(cell.medianNs),
        formatRate(cell.opsPerSecond),
        formatRatio(cell.ratio),
        `${formatNs(cell.spreadNs.p25)}–${formatNs(cell.spreadNs.p75)}`,
        `${formatNs(cell.spreadNs.min)}–${formatNs(cell.spreadNs.max)}`,
        String(cell.samples),
      ]),
    ),
  );
  return `${parts.join('\n\n')}\n`;
}

/**
 * The SVG chart: per size, grouped bars of the ratio to `Map` for each key kind and operation,
 * with the line at 1.0 (Map), the 1-shard target and each key kind's 64-shard target.
 *
 * @example
 * writeFileSync('workload-1.svg', renderWorkload1Chart(report));
 */
export function renderWorkload1Chart(report: Workload1Report): string {
  const { config, environment } = report;
  const impls = config.implementations.filter((impl) => impl !== 'map');
  const series: ChartSeries[] = impls.map((impl) => ({
    label: IMPLEMENTATION_LABELS[impl],
    color: SERIES_COLORS[impl],
  }));
  const highest = Math.max(...report.cells.map((c) => c.ratio));
  const yMax = Math.min(4, Math.max(2.5, Math.ceil(highest * 2) / 2));
  const panels: ChartPanel[] = config.sizes.map((size) => ({
    title: `${sizeLabel(size, config.sizes)}: ${formatCount(size)} keys`,
    groups: config.keyKinds.flatMap((keyKind) =>
      OPS.map((op) => ({
        label: op,
        section: kindLabel(keyKind),
        values: impls.map((impl) => find(report, impl, keyKind, size, op)?.ratio),
      })),
    ),
    lines: [
      { value: 1, label: 'Map = 1.0×', color: '#111827' },
      { value: 1.05, label: '1-shard target ≤ 1.05×', color: '#7c3aed', dash: '2 3' },
      ...config.keyKinds.flatMap((keyKind) => {
        const target = targetFor('starshard-64', keyKind);
        return target === undefined
          ? []
          : [
              {
                value: target.max,
                label: `64-shard target ${target.text.replace('aim ', '')}${target.kind === 'aim' ? ' (aim)' : ''}`,
                color: '#dc2626',
                dash: '6 4',
                section: kindLabel(keyKind),
              },
            ];
      }),
    ],
  }));
  return renderGroupedBarChart({
    title: 'Workload 1: time per operation ÷ native Map (lower is better)',
    subtitle: [
      `Median of every batched sample; each implementation in its own process, taking turns in ${config.slices} slices per cell${config.rounds > 1 ? ` × ${config.rounds} rounds` : ''}.`,
      `${config.mode === 'full' ? 'Full' : 'Quick'} run, ${config.keyForm} string keys; Node ${environment.node}, ${environment.cpu} (${environment.cores} cores, shared machine: compare bars within a run, not across runs).`,
    ],
    yLabel: 'time per op ÷ Map',
    yMax,
    series,
    panels,
    notes: [
      'get: random reads of present keys · insert: fill an empty map in random order (growth included) · mix: 98% get, 1% insert, 1% remove.',
      'UUID keys (36 chars) have no BENCH.md target. Bars cut at the top are taller than the axis; their label gives the value.',
    ],
  });
}
