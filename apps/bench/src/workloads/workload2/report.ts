// Workload 2's report: what workload-2.json holds, its tables (stdout, Markdown) and its chart.

import type { Environment } from '../../environment.js';
import { formatCount, formatDuration, formatOverRounds, formatRate } from '../../report/format.js';
import { renderLogBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import { type OverRounds, summarize } from '../../stats.js';
import type { Workload2Result, Workload2Subject } from './job.js';

/** BENCH.md's targets: the worst insert ≥ 20× shorter than Map's; bytes/entry ≤ 1.1× Map's. */
export const WORKLOAD2_TARGET = {
  worstPause: 20,
  bytesPerEntry: 1.1,
  text: 'worst pause ≥ 20× smaller than Map’s; memory/entry ≤ 1.1× Map’s',
} as const;

/** How workload 2 was run. */
export interface Workload2Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Entries per fill. */
  readonly entries: number;
  /** starshard's shard count. */
  readonly shards: number;
  /** Fills per map (a fresh child each, alternating). */
  readonly rounds: number;
  /** V8 old-space limit of each child, MiB. */
  readonly heapMb: number;
}

/** One map's figures over the rounds. */
export interface Workload2Figures {
  /** The map. */
  readonly subject: Workload2Subject;
  /** Median insert latency (timer read included), ns. */
  readonly medianNs: OverRounds;
  /** Inserts per second over the whole fill (entries ÷ fill time). */
  readonly insertsPerSecond: OverRounds;
  /** 99th-percentile insert, ns. */
  readonly p99Ns: OverRounds;
  /** 99.9th-percentile insert, ns. */
  readonly p999Ns: OverRounds;
  /** The worst single insert, ns. */
  readonly maxNs: OverRounds;
  /** The worst single insert with the GC pauses inside it subtracted, ns. */
  readonly maxExcludingGcNs: OverRounds;
  /** Longest GC pause during the fill, ms. */
  readonly gcMaxMs: OverRounds;
  /** Heap bytes per entry after the fill (forced GC). */
  readonly bytesPerEntry: OverRounds;
  /** Every round's raw result, in round order. */
  readonly rounds: readonly Workload2Result[];
}

/** A ratio of starshard to Map: the ratio of the rounds' medians and each round's own ratio. */
export interface Workload2Ratio {
  /** From the medians over the rounds. */
  readonly ratio: number;
  /** Within each round. */
  readonly roundRatios: readonly number[];
}

/** Everything `workload-2.json` holds. */
export interface Workload2Report {
  /** Workload id. */
  readonly workload: '2';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload2Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** Map's figures, then starshard's. */
  readonly results: readonly [Workload2Figures, Workload2Figures];
  /** Map's figure ÷ starshard's (how many times shorter starshard's is): worst, worst without GC, p99.9, p99. */
  readonly pausesShorter: {
    readonly worst: Workload2Ratio;
    readonly worstExcludingGc: Workload2Ratio;
    readonly p999: Workload2Ratio;
    readonly p99: Workload2Ratio;
  };
  /** starshard's figure ÷ Map's: median insert time, bytes per entry. */
  readonly relative: { readonly medianInsert: Workload2Ratio; readonly bytesPerEntry: Workload2Ratio };
  /** The targets and whether each was met. */
  readonly target: { readonly text: string; readonly worstPause: boolean; readonly bytesPerEntry: boolean };
}

/** Table and chart labels. */
export function workload2Label(subject: Workload2Subject, shards: number): string {
  return subject === 'map' ? 'native Map' : `starshard ${shards}`;
}

function ratioText(r: Workload2Ratio): string {
  const text = `${r.ratio.toFixed(2)}×`;
  if (r.roundRatios.length < 2) return text;
  return `${text} (${Math.min(...r.roundRatios).toFixed(2)}–${Math.max(...r.roundRatios).toFixed(2)})`;
}

/**
 * The tables and verdict lines printed on stdout.
 *
 * @example
 * process.stdout.write(renderWorkload2Tables(report));
 */
export function renderWorkload2Tables(report: Workload2Report): string {
  const { config } = report;
  const n = config.rounds;
  const table = renderTable(
    [
      { header: 'map' },
      { header: 'median insert', align: 'right' },
      { header: 'inserts/s', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'p99.9', align: 'right' },
      { header: 'worst insert', align: 'right' },
      { header: 'worst minus GC in it', align: 'right' },
      { header: 'longest GC', align: 'right' },
      { header: 'bytes/entry', align: 'right' },
      { header: 'balance max/avg' },
    ],
    report.results.map((r) => {
      const last = r.rounds[r.rounds.length - 1];
      const balance = last?.balance;
      return [
        workload2Label(r.subject, config.shards),
        formatOverRounds(r.medianNs, formatDuration, n),
        formatOverRounds(r.insertsPerSecond, formatRate, n),
        formatOverRounds(r.p99Ns, formatDuration, n),
        formatOverRounds(r.p999Ns, formatDuration, n),
        formatOverRounds(r.maxNs, formatDuration, n),
        formatOverRounds(r.maxExcludingGcNs, formatDuration, n),
        formatOverRounds(r.gcMaxMs, (ms) => formatDuration(ms * 1e6), n),
        formatOverRounds(r.bytesPerEntry, (b) => b.toFixed(1), n),
        balance === undefined
          ? '–'
          : `${(balance.maxLoad / (balance.entries / balance.shards)).toFixed(3)} (${balance.emptyShards} empty)`,
      ];
    }),
  );
  const p = report.pausesShorter;
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const timer = report.results.map((r) => summarize(r.rounds.map((x) => x.timerNs)).median);
  return [
    `Workload 2 — ${report.title} (${config.mode}; ${n} fill${n > 1 ? 's' : ''} per map, alternating; figures are the median over fills, (lo–hi) the range).`,
    table,
    `Every latency includes one performance.now() read and the loop (about ${timer.map((t) => t.toFixed(0)).join(' / ')} ns in these children).`,
    `Map's figure ÷ starshard's (how many times shorter): worst insert ${ratioText(p.worst)}; worst minus the GC pauses inside it ${ratioText(p.worstExcludingGc)}; p99.9 ${ratioText(p.p999)}; p99 ${ratioText(p.p99)}.`,
    `starshard ÷ Map: median insert ${ratioText(report.relative.medianInsert)}; bytes/entry ${ratioText(report.relative.bytesPerEntry)}.`,
    `Targets: worst pause ≥ ${WORKLOAD2_TARGET.worstPause}× smaller: ${verdict(report.target.worstPause)}; memory/entry ≤ ${WORKLOAD2_TARGET.bytesPerEntry}×: ${verdict(report.target.bytesPerEntry)}.`,
    '',
  ].join('\n');
}

/**
 * The SVG chart: insert latencies (median, p99, p99.9, worst, worst minus GC) of both maps on
 * a log scale, with bytes per entry in the notes.
 *
 * @example
 * writeFileSync('workload-2.svg', renderWorkload2Chart(report));
 */
export function renderWorkload2Chart(report: Workload2Report): string {
  const { config, environment } = report;
  const [map, sharded] = report.results;
  const p = report.pausesShorter;
  const rows: { label: string; pick: (f: Workload2Figures) => number }[] = [
    { label: 'median insert', pick: (f) => f.medianNs.median },
    { label: 'p99', pick: (f) => f.p99Ns.median },
    { label: 'p99.9', pick: (f) => f.p999Ns.median },
    { label: 'worst insert', pick: (f) => f.maxNs.median },
    { label: 'worst, GC time taken out', pick: (f) => f.maxExcludingGcNs.median },
  ];
  return renderLogBarChart({
    title: `Workload 2: insert latency while filling ${formatCount(config.entries)} "key:"+i (lower is better)`,
    subtitle: [
      `Every insert timed (performance.now() after each); median over ${config.rounds} fill${config.rounds > 1 ? 's' : ''} per map, each in its own process; ${config.mode} run.`,
      `Node ${environment.node}, ${environment.cpu}, load ${environment.loadAverage} at start.`,
    ],
    series: [
      { label: workload2Label('map', config.shards), color: '#9ca3af' },
      { label: workload2Label('starshard', config.shards), color: '#1d4ed8' },
    ],
    groups: rows.map((row) => ({
      label: row.label,
      values: [row.pick(map), row.pick(sharded)],
      captions: [
        formatDuration(row.pick(map)),
        `${formatDuration(row.pick(sharded))} · ${(row.pick(sharded) / row.pick(map)).toFixed(2)}× Map's`,
      ],
    })),
    format: formatDuration,
    axisLabel: 'time per insert (log scale)',
    notes: [
      `Memory: ${map.bytesPerEntry.median.toFixed(1)} bytes/entry for Map, ${sharded.bytesPerEntry.median.toFixed(1)} for starshard (${report.relative.bytesPerEntry.ratio.toFixed(2)}×; heapUsed after forced GC).`,
      `Targets: worst pause ≥ ${WORKLOAD2_TARGET.worstPause}× shorter than Map's (${report.target.worstPause ? 'met' : 'missed'}: ${p.worst.ratio.toFixed(1)}×); memory ≤ ${WORKLOAD2_TARGET.bytesPerEntry}× (${report.target.bytesPerEntry ? 'met' : 'missed'}).`,
      'A worst insert is a table growth (Map rehashes all its entries at once; a starshard map one shard) or a GC pause landing on it.',
    ],
  });
}
