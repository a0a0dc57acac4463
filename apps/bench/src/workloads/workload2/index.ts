// Workload 2 (BENCH.md): fill an empty map to 10M entries, timing every insert: the worst
// single-insert pause (a native Map rehashes everything at once when its table doubles; a
// starshard map grows one shard at a time), p99.9, and heap bytes per entry.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { formatCount } from '../../report/format.js';
import { runJob } from '../../runner.js';
import { overRounds } from '../../stats.js';
import { runRotated } from '../../turns.js';
import type { Workload } from '../workload.js';
import { WORKLOAD2_SUBJECTS, type Workload2Job, type Workload2Result } from './job.js';
import {
  renderWorkload2Chart,
  renderWorkload2Tables,
  WORKLOAD2_TARGET,
  type Workload2Config,
  type Workload2Figures,
  type Workload2Ratio,
  type Workload2Report,
  workload2Label,
} from './report.js';

function configFor(options: BenchOptions): Workload2Config {
  return options.quick
    ? { mode: 'quick', entries: 1_000_000, shards: 64, rounds: options.rounds ?? 1, heapMb: 2048 }
    : { mode: 'full', entries: 10_000_000, shards: 64, rounds: options.rounds ?? 3, heapMb: 6144 };
}

const METHOD = [
  'Each fill runs in its own child process (node --expose-gc), the two maps alternating, the order rotated each round; keys "key:0".."key:<n-1>" (flat strings, built before the fill), inserted in order into an empty map, value = i.',
  'Latency per insert: a performance.now() read after every insert into a preallocated Float64Array (off the JS heap); insert i takes stamp[i+1] - stamp[i], so each latency includes one timer read and the loop (timerNs: the same loop without the insert).',
  'GC pauses come from PerformanceObserver "gc" entries; "worst minus GC in it" is the longest insert once the GC pauses overlapping it are subtracted: its own work (table growth, and the machine).',
  'bytes/entry: process.memoryUsage().heapUsed after two forced GCs with the map filled, minus the same before the fill (keys and timestamps already allocated), ÷ entries.',
  'Figures per map are medians over the rounds (each round one fill); ratios are taken between the medians, and within each round for the range.',
];

function publish(report: Workload2Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload2Tables(report)}`);
  const files = [writeResultFile(options.outDir, 'workload-2.svg', renderWorkload2Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-2.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

function figures(rounds: readonly Workload2Result[]): Workload2Figures {
  const over = (pick: (r: Workload2Result) => number) => overRounds(rounds.map(pick));
  return {
    subject: (rounds[0] as Workload2Result).subject,
    medianNs: over((r) => r.latency.medianNs),
    insertsPerSecond: over((r) => (r.entries / r.fillMs) * 1e3),
    p99Ns: over((r) => r.latency.p99Ns),
    p999Ns: over((r) => r.latency.p999Ns),
    maxNs: over((r) => r.latency.maxNs),
    maxExcludingGcNs: over((r) => r.latency.maxExcludingGcNs),
    gcMaxMs: over((r) => r.gc.maxMs),
    bytesPerEntry: over((r) => r.bytesPerEntry),
    rounds,
  };
}

/** `a ÷ b` of a figure, from the medians and within each round. */
function ratioOf(
  a: Workload2Figures,
  b: Workload2Figures,
  pick: (r: Workload2Result) => number,
  median: (f: Workload2Figures) => number,
): Workload2Ratio {
  return {
    ratio: median(a) / median(b),
    roundRatios: a.rounds.map((r, i) => pick(r) / pick(b.rounds[i] as Workload2Result)),
  };
}

/** Workload 2: insert latency and memory of a 10M-entry fill against native `Map`. */
export const workload2: Workload = {
  id: '2',
  aliases: ['workload2', 'fill', 'pauses'],
  title: 'fill to 10M entries: worst insert pause, p99.9 and bytes/entry against native Map',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const plan: Workload2Job[] = WORKLOAD2_SUBJECTS.map((subject) => ({
      kind: 'workload2',
      subject,
      entries: config.entries,
      shards: config.shards,
    }));
    const progress = new Progress('workload 2', plan.length * config.rounds);
    const results = await runRotated(
      plan,
      config.rounds,
      (job) => runJob(job, { heapMb: config.heapMb, onProgress: (text) => progress.detail(text) }),
      (job, round) =>
        progress.next(
          `round ${round + 1}/${config.rounds} · ${workload2Label(job.subject, config.shards)} · ${formatCount(config.entries)} inserts`,
        ),
    );
    progress.done();
    const map = figures(results.map((round) => round[0] as Workload2Result));
    const sharded = figures(results.map((round) => round[1] as Workload2Result));
    const worst = ratioOf(
      map,
      sharded,
      (r) => r.latency.maxNs,
      (f) => f.maxNs.median,
    );
    const bytesPerEntry = ratioOf(
      sharded,
      map,
      (r) => r.bytesPerEntry,
      (f) => f.bytesPerEntry.median,
    );
    const report: Workload2Report = {
      workload: '2',
      title: `fill ${formatCount(config.entries)} "key:"+i, every insert timed: native Map against starshard ${config.shards}`,
      environment,
      config,
      method: METHOD,
      results: [map, sharded],
      pausesShorter: {
        worst,
        worstExcludingGc: ratioOf(
          map,
          sharded,
          (r) => r.latency.maxExcludingGcNs,
          (f) => f.maxExcludingGcNs.median,
        ),
        p999: ratioOf(
          map,
          sharded,
          (r) => r.latency.p999Ns,
          (f) => f.p999Ns.median,
        ),
        p99: ratioOf(
          map,
          sharded,
          (r) => r.latency.p99Ns,
          (f) => f.p99Ns.median,
        ),
      },
      relative: {
        medianInsert: ratioOf(
          sharded,
          map,
          (r) => r.latency.medianNs,
          (f) => f.medianNs.median,
        ),
        bytesPerEntry,
      },
      target: {
        text: WORKLOAD2_TARGET.text,
        worstPause: worst.ratio >= WORKLOAD2_TARGET.worstPause,
        bytesPerEntry: bytesPerEntry.ratio <= WORKLOAD2_TARGET.bytesPerEntry,
      },
    };
    publish(report, options, true);
    const unverified = [...map.rounds, ...sharded.rounds].filter((r) => !r.verified);
    if (unverified.length > 0) {
      process.stderr.write(`workload 2: spot checks failed for ${unverified.map((r) => r.subject).join(', ')}\n`);
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-2.json'), 'utf8')) as Workload2Report;
    publish(report, options, false);
  },
};
