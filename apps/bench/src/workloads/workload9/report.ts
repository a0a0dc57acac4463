// Workload 9's report: what workload-9.json holds, its table (stdout, Markdown) and its chart.

import type { Environment } from '../../environment.js';
import { formatCount, formatDuration, formatOverRounds } from '../../report/format.js';
import { renderLogBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import type { OverRounds } from '../../stats.js';
import type { Workload9Result, Workload9Strategy } from './job.js';

/** BENCH.md's target: the background rebalance's event-loop max delay ≤ 5 ms while reads are served. */
export const WORKLOAD9_TARGET = {
  maxDelayMs: 5,
  text: 'background: event-loop max delay ≤ 5 ms while serving reads',
} as const;

/** How workload 9 was run. */
export interface Workload9Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Entries in the map. */
  readonly entries: number;
  /** Shards before. */
  readonly from: number;
  /** Shards after. */
  readonly to: number;
  /** Background step bound, ns. */
  readonly maxPauseNs: number;
  /** Gets served per event-loop turn. */
  readonly readsPerTurn: number;
  /** Rounds (fresh children each, alternating). */
  readonly rounds: number;
}

/** One strategy's figures over the rounds. */
export interface Workload9Figures {
  /** The strategy. */
  readonly strategy: Workload9Strategy;
  /** Event-loop max delay, ms. */
  readonly maxDelayMs: OverRounds;
  /** Event-loop delay p99, ms. */
  readonly p99DelayMs: OverRounds;
  /** Time of the rebalance, ms. */
  readonly elapsedMs: OverRounds;
  /** Entries moved per second. */
  readonly entriesPerSecond: OverRounds;
  /** Gets served per millisecond of rebalance. */
  readonly readsPerMs: OverRounds;
  /** Longest GC pause during the rebalance, ms. */
  readonly gcMaxMs: OverRounds;
  /** Share of reader turns more than 5 ms apart. */
  readonly longTurnShare: OverRounds;
  /** Max delay ÷ stop-the-world's, within each round (the headline: the ratio of the medians). */
  readonly roundRatiosVsStopTheWorld: readonly number[];
  /** Max delay ÷ stop-the-world's, from the medians. */
  readonly maxDelayVsStopTheWorld: number;
  /** Every round's raw result. */
  readonly rounds: readonly Workload9Result[];
}

/** Everything `workload-9.json` holds. */
export interface Workload9Report {
  /** Workload id. */
  readonly workload: '9';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload9Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** Stop-the-world, then background. */
  readonly results: readonly Workload9Figures[];
  /** The target and whether it was met (the median over rounds of the background max delay). */
  readonly target: { readonly text: string; readonly met: boolean; readonly worstRoundMet: boolean };
}

/** Table and chart labels. */
export function workload9Label(strategy: Workload9Strategy, maxPauseNs: number): string {
  return strategy === 'stop-the-world'
    ? 'stop-the-world rebalanceTo'
    : `background, maxPauseNs ${maxPauseNs.toExponential(0).replace('+', '')}`;
}

const ms = (v: number): string => formatDuration(v * 1e6);

/**
 * The table and verdict printed on stdout.
 *
 * @example
 * process.stdout.write(renderWorkload9Tables(report));
 */
export function renderWorkload9Tables(report: Workload9Report): string {
  const { config } = report;
  const n = config.rounds;
  const table = renderTable(
    [
      { header: 'rebalance' },
      { header: 'event-loop max delay', align: 'right' },
      { header: '× stop-the-world', align: 'right' },
      { header: 'delay p99', align: 'right' },
      { header: 'total time', align: 'right' },
      { header: 'entries moved/s', align: 'right' },
      { header: 'gets served/ms', align: 'right' },
      { header: 'turns > 5 ms', align: 'right' },
      { header: 'longest GC', align: 'right' },
    ],
    report.results.map((r) => [
      workload9Label(r.strategy, config.maxPauseNs),
      formatOverRounds(r.maxDelayMs, ms, n),
      r.roundRatiosVsStopTheWorld.length > 1
        ? `${r.maxDelayVsStopTheWorld.toFixed(3)}× (${Math.min(...r.roundRatiosVsStopTheWorld).toFixed(3)}–${Math.max(...r.roundRatiosVsStopTheWorld).toFixed(3)})`
        : `${r.maxDelayVsStopTheWorld.toFixed(3)}×`,
      formatOverRounds(r.p99DelayMs, ms, n),
      formatOverRounds(r.elapsedMs, ms, n),
      formatOverRounds(r.entriesPerSecond, (v) => `${(v / 1e6).toFixed(2)}M`, n),
      formatOverRounds(r.readsPerMs, (v) => v.toFixed(0), n),
      formatOverRounds(r.longTurnShare, (v) => `${(v * 100).toFixed(1)}%`, n),
      formatOverRounds(r.gcMaxMs, ms, n),
    ]),
  );
  const background = report.results.find((r) => r.strategy === 'background');
  return [
    `Workload 9 — ${report.title} (${config.mode}; ${n} round${n > 1 ? 's' : ''}, medians over rounds, (lo–hi) the range).`,
    table,
    `Target (${WORKLOAD9_TARGET.text}): ${report.target.met ? 'met' : 'MISSED'} (median ${background === undefined ? '–' : ms(background.maxDelayMs.median)}; worst round ${background === undefined ? '–' : ms(background.maxDelayMs.max)}${report.target.worstRoundMet ? ', within the target too' : ''}).`,
    '',
  ].join('\n');
}

/**
 * The SVG chart: event-loop max delay and p99 per strategy, and the total time, log scale.
 *
 * @example
 * writeFileSync('workload-9.svg', renderWorkload9Chart(report));
 */
export function renderWorkload9Chart(report: Workload9Report): string {
  const { config, environment } = report;
  const order = ['stop-the-world', 'background'] as const;
  const pick = (f: (r: Workload9Figures) => number) =>
    order.map((s) => {
      const r = report.results.find((x) => x.strategy === s);
      return r === undefined ? undefined : f(r);
    });
  const group = (label: string, f: (r: Workload9Figures) => number, vsStopTheWorld = false) => {
    const values = pick((r) => f(r) * 1e6);
    const anchor = values[0];
    return {
      label,
      values,
      captions: values.map((v, i) =>
        v === undefined
          ? undefined
          : `${formatDuration(v)}${vsStopTheWorld && i > 0 && anchor !== undefined ? ` · ${(v / anchor).toFixed(3)}× stop-the-world` : ''}`,
      ),
    };
  };
  return renderLogBarChart({
    title: `Workload 9: rebalance ${formatCount(config.entries)} entries ${config.from} → ${config.to} shards while serving gets`,
    subtitle: [
      `Event-loop delay (perf_hooks.monitorEventLoopDelay) while a reader serves ${config.readsPerTurn} checked gets per turn; lower is better; ${config.rounds} round${config.rounds > 1 ? 's' : ''}, medians; ${config.mode} run.`,
      `Node ${environment.node}, ${environment.cpu}, load ${environment.loadAverage} at start.`,
    ],
    series: [
      { label: workload9Label('stop-the-world', config.maxPauseNs), color: '#9ca3af' },
      { label: workload9Label('background', config.maxPauseNs), color: '#1d4ed8' },
    ],
    groups: [
      group('event-loop max delay', (r) => r.maxDelayMs.median, true),
      group('event-loop delay p99', (r) => r.p99DelayMs.median),
      group('total rebalance time', (r) => r.elapsedMs.median),
      group('longest GC pause', (r) => r.gcMaxMs.median),
    ],
    format: formatDuration,
    axisLabel: 'time (log scale)',
    labelWidth: 190,
    markers: [
      {
        value: WORKLOAD9_TARGET.maxDelayMs * 1e6,
        label: `target ≤ ${WORKLOAD9_TARGET.maxDelayMs} ms`,
        color: '#dc2626',
      },
    ],
    notes: [
      `Target: background max delay ≤ ${WORKLOAD9_TARGET.maxDelayMs} ms (${report.target.met ? 'met' : 'missed'}). Stop-the-world serves no get while it runs; background keeps serving them.`,
      'A delay is how late a 1 ms timer fired: the longest time the thread did not return to the event loop.',
    ],
  });
}
