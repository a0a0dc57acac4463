// Workload 9 (BENCH.md): rebalance 1M entries 64 → 256 shards, stop-the-world `rebalanceTo`
// against a background rebalance (`maxPauseNs: 2e6`) of @starshard/rebalance, while a reader
// serves gets; how late the event loop runs (perf_hooks.monitorEventLoopDelay).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { runJob } from '../../runner.js';
import { overRounds } from '../../stats.js';
import { runRotated } from '../../turns.js';
import type { Workload } from '../workload.js';
import { WORKLOAD9_STRATEGIES, type Workload9Job, type Workload9Result } from './job.js';
import {
  renderWorkload9Chart,
  renderWorkload9Tables,
  WORKLOAD9_TARGET,
  type Workload9Config,
  type Workload9Figures,
  type Workload9Report,
  workload9Label,
} from './report.js';

function configFor(options: BenchOptions): Workload9Config {
  const common = { from: 64, to: 256, maxPauseNs: 2e6, readsPerTurn: 200 };
  return options.quick
    ? { ...common, mode: 'quick', entries: 200_000, rounds: options.rounds ?? 1 }
    : { ...common, mode: 'full', entries: 1_000_000, rounds: options.rounds ?? 5 };
}

const METHOD = [
  'One child process per strategy and round (node --expose-gc), the two alternating, the order rotated each round (after packages/rebalance/scripts/measure.ts).',
  'Each child fills ShardedHashMap.with(rebalance) at 64 shards with "key:"+i, forces a GC, and starts a reader: readsPerTurn gets per event-loop turn (each checked against its value), then setImmediate. Once the reader runs, it enables monitorEventLoopDelay({ resolution: 1 }) and rebalances to 256 shards: stop-the-world rebalanceTo(256) on its own turn (setImmediate), or await rebalanceTo(256, { background: true, maxPauseNs: 2e6 }) (batchSize: the default 1024); then one more turn, and the histogram is read.',
  'Reported: the histogram max and p99 (how late the event loop ran), the rebalance’s own elapsedMs, gets served while it ran, the longest gap between reader turns, and the longest GC pause in the window (PerformanceObserver "gc"). Medians over rounds; the ratio is the max delay ÷ stop-the-world’s (medians, and within each round).',
];

function publish(report: Workload9Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload9Tables(report)}`);
  const files = [writeResultFile(options.outDir, 'workload-9.svg', renderWorkload9Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-9.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** Workload 9: stop-the-world against background rebalance. */
export const workload9: Workload = {
  id: '9',
  aliases: ['workload9', 'rebalance'],
  title: 'rebalance 1M entries 64 → 256: stop-the-world against background, event-loop delay while serving gets',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const plan: Workload9Job[] = WORKLOAD9_STRATEGIES.map((strategy) => ({
      kind: 'workload9',
      strategy,
      entries: config.entries,
      from: config.from,
      to: config.to,
      maxPauseNs: config.maxPauseNs,
      readsPerTurn: config.readsPerTurn,
    }));
    const progress = new Progress('workload 9', plan.length * config.rounds);
    const results = await runRotated(
      plan,
      config.rounds,
      (job) => runJob(job, { heapMb: 4096, onProgress: (text) => progress.detail(text) }),
      (job, round) =>
        progress.next(`round ${round + 1}/${config.rounds} · ${workload9Label(job.strategy, config.maxPauseNs)}`),
    );
    progress.done();

    const roundsOf = (i: number) => results.map((round) => round[i] as Workload9Result);
    const stw = roundsOf(0);
    const stwMax = overRounds(stw.map((r) => r.maxDelayMs)).median;
    const figures: Workload9Figures[] = WORKLOAD9_STRATEGIES.map((strategy, i) => {
      const rounds = roundsOf(i);
      const maxDelayMs = overRounds(rounds.map((r) => r.maxDelayMs));
      return {
        strategy,
        maxDelayMs,
        p99DelayMs: overRounds(rounds.map((r) => r.p99DelayMs)),
        elapsedMs: overRounds(rounds.map((r) => r.elapsedMs)),
        entriesPerSecond: overRounds(rounds.map((r) => (r.movedEntries / r.elapsedMs) * 1e3)),
        readsPerMs: overRounds(rounds.map((r) => r.readsServed / r.elapsedMs)),
        gcMaxMs: overRounds(rounds.map((r) => r.gc.maxMs)),
        longTurnShare: overRounds(rounds.map((r) => r.longTurnShare)),
        maxDelayVsStopTheWorld: maxDelayMs.median / stwMax,
        roundRatiosVsStopTheWorld: rounds.map((r, k) => r.maxDelayMs / (stw[k] as Workload9Result).maxDelayMs),
        rounds,
      };
    });
    const background = figures.find((f) => f.strategy === 'background') as Workload9Figures;
    publish(
      {
        workload: '9',
        title: `rebalance ${config.entries.toLocaleString('en-US')} entries ${config.from} → ${config.to} shards while serving gets: stop-the-world against background (maxPauseNs ${config.maxPauseNs.toExponential(0).replace('+', '')})`,
        environment,
        config,
        method: METHOD,
        results: figures,
        target: {
          text: WORKLOAD9_TARGET.text,
          met: background.maxDelayMs.median <= WORKLOAD9_TARGET.maxDelayMs,
          worstRoundMet: background.maxDelayMs.max <= WORKLOAD9_TARGET.maxDelayMs,
        },
      },
      options,
      true,
    );
    const broken = results.flat().filter((r) => !r.verified);
    if (broken.length > 0) {
      process.stderr.write(
        `workload 9: a get missed its value or entries were lost (${broken.map((r) => r.strategy).join(', ')})\n`,
      );
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-9.json'), 'utf8')) as Workload9Report;
    publish(report, options, false);
  },
};
