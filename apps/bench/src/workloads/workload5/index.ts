// Workload 5 (BENCH.md): a keyed read-modify-write storm. 1,000 tasks start at once, each doing
// 50 read-await-write increments one after the other on 64 hot keys; starshard's
// computeIfPresent (both reentrancy modes) against async-lock keyed and async-mutex per key.
// Throughput, and zero lost updates (every storm's sums are checked).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { openSession } from '../../runner.js';
import { takeTurns, withSessions } from '../../turns.js';
import { figuresOf, roundRatiosOf, SamplePool } from '../pool.js';
import type { Workload } from '../workload.js';
import { WORKLOAD5_IMPLS, type Workload5Impl, type Workload5Job } from './job.js';
import {
  mustBeExact,
  renderWorkload5Chart,
  renderWorkload5Tables,
  WORKLOAD5_TARGET,
  type Workload5Config,
  type Workload5Report,
  type Workload5Result,
} from './report.js';

/** Seed of round 0's key stream; round r uses `BASE_SEED + r`. */
const BASE_SEED = 0x5707;

function configFor(options: BenchOptions): Workload5Config {
  const common = { rmwPerTask: 50, hotKeys: 64, shards: 64, implementations: WORKLOAD5_IMPLS };
  return options.quick
    ? {
        ...common,
        mode: 'quick',
        tasks: 200,
        slices: 3,
        sliceTiming: { timeMs: 0, warmupMs: 0, iterations: 2, warmupIterations: 1 },
        firstWarmupStorms: 2,
        rounds: options.rounds ?? 1,
      }
    : {
        ...common,
        mode: 'full',
        tasks: 1000,
        slices: 8,
        sliceTiming: { timeMs: 0, warmupMs: 0, iterations: 3, warmupIterations: 1 },
        firstWarmupStorms: 4,
        rounds: options.rounds ?? 2,
      };
}

const METHOD = [
  'Each implementation runs in its own child process (fresh children each round); the children take turns, one slice of storms each, rotating every slice, so load drift on the shared machine falls on all alike.',
  'A storm: every task starts at once (a synchronous loop), each awaiting its RMWs one after the other; task t’s i-th RMW hits a key drawn uniformly from the hot keys (a stream fixed before timing, the same for every implementation of a round); the storm ends when every task has finished (Promise.all).',
  'One RMW reads the counter, awaits Promise.resolve() (a microtask: the await inside), then writes the value + 1. async-lock: lock.acquire(key, async () => { ... }) on a default AsyncLock, the counters in a Map. async-mutex: one Mutex per key (created on first use), mutex.runExclusive(async () => { ... }). starshard: map.computeIfPresent(key, async (v) => { await Promise.resolve(); return v + 1; }) on an AsyncShardedHashMap (64 shards), default options (reentrancy "detect") and { reentrancy: "trust" }. unlocked: the same read-await-write without any lock (a reference, expected to lose updates).',
  'Untimed around every storm (warm-up included): the counters are reset to 0 before (no forced GC: a full gc() before each storm slowed every implementation 3–7× and deoptimized the lock paths of starshard), and every key’s final value is compared with its RMW count after; lostUpdates sums the shortfalls.',
  "Timing: tinybench run() (async) with the hrtime provider; one sample = one storm, divided by its RMW count. Headline = median of every storm of every slice and round; ratio = async-lock's median time ÷ this one's (= throughput ÷ async-lock's); roundRatios = the same within each round.",
];

function publish(report: Workload5Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload5Tables(report)}`);
  const files = [writeResultFile(options.outDir, 'workload-5.svg', renderWorkload5Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-5.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** Per implementation: storms checked, lost updates and wrong keys over every slice and round. */
interface Checks {
  storms: number;
  lost: number;
  wrongKeys: number;
}

/** Workload 5: keyed read-modify-write storm against async-lock and async-mutex. */
export const workload5: Workload = {
  id: '5',
  aliases: ['workload5', 'rmw'],
  title: 'keyed read-modify-write storm against async-lock and async-mutex',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const progress = new Progress('workload 5', config.rounds);
    const pool = new SamplePool();
    const checks = new Map<Workload5Impl, Checks>(
      config.implementations.map((impl) => [impl, { storms: 0, lost: 0, wrongKeys: 0 }]),
    );
    for (let round = 0; round < config.rounds; round++) {
      progress.next(`round ${round + 1}/${config.rounds}`);
      progress.detail(`starting ${config.implementations.length} children`);
      const jobs = config.implementations.map(
        (impl): Workload5Job => ({
          kind: 'workload5',
          impl,
          tasks: config.tasks,
          rmwPerTask: config.rmwPerTask,
          hotKeys: config.hotKeys,
          shards: config.shards,
          seed: BASE_SEED + round,
        }),
      );
      await withSessions(jobs, openSession, async (sessions) => {
        const replies = await takeTurns(
          sessions,
          config.slices,
          round,
          (slice) => ({
            type: 'measure',
            timing:
              slice === 0 ? { ...config.sliceTiming, warmupIterations: config.firstWarmupStorms } : config.sliceTiming,
          }),
          (slice) => progress.detail(`slice ${slice + 1}/${config.slices}`),
        );
        jobs.forEach((job, i) => {
          const tally = checks.get(job.impl) as Checks;
          for (const reply of replies[i] ?? []) {
            pool.add(job.impl, round, reply.nsPerRmw);
            tally.storms += reply.stormsChecked;
            tally.lost += reply.lostUpdates;
            tally.wrongKeys += reply.wrongKeys;
          }
        });
      });
    }
    progress.done();

    const anchor = pool.get('async-lock');
    const mutex = pool.get('async-mutex');
    if (anchor === undefined || mutex === undefined) throw new Error('workload 5: the anchors were not measured');
    const anchorNs = figuresOf(anchor).medianNs;
    const mutexNs = figuresOf(mutex).medianNs;
    const results: Workload5Result[] = config.implementations.flatMap((impl) => {
      const pooled = pool.get(impl);
      if (pooled === undefined) return [];
      const figures = figuresOf(pooled);
      const tally = checks.get(impl) as Checks;
      const ratio = anchorNs / figures.medianNs;
      const exact = tally.lost === 0 && tally.wrongKeys === 0;
      return [
        {
          impl,
          ...figures,
          ratio,
          ratioVsAsyncMutex: mutexNs / figures.medianNs,
          roundRatios: roundRatiosOf(pooled, anchor, 'throughput'),
          stormsChecked: tally.storms,
          lostUpdates: tally.lost,
          wrongKeys: tally.wrongKeys,
          ...(impl.startsWith('starshard')
            ? { target: { text: WORKLOAD5_TARGET.text, met: ratio >= WORKLOAD5_TARGET.min && exact } }
            : {}),
        },
      ];
    });
    publish(
      {
        workload: '5',
        title: 'keyed read-modify-write storm: starshard computeIfPresent against async-lock and async-mutex',
        environment,
        config,
        method: METHOD,
        results,
      },
      options,
      true,
    );
    const broken = results.filter((r) => mustBeExact(r.impl) && (r.lostUpdates !== 0 || r.wrongKeys !== 0));
    if (broken.length > 0) {
      process.stderr.write(`workload 5: LOST UPDATES in ${broken.map((r) => r.impl).join(', ')}\n`);
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-5.json'), 'utf8')) as Workload5Report;
    publish(report, options, false);
  },
};
