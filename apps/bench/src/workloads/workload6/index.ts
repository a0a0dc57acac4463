// Workload 6 (BENCH.md): a thundering herd. 100k calls over 1k keys start at once on an empty
// cache, the factory resolving after a macrotask; starshard's single-flight computeIfAbsent
// (both reentrancy modes) against a hand-rolled Map<key, Promise> and lru-cache's fetch().
// Throughput, and exactly one factory call per key (every herd is checked).

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
import { WORKLOAD6_IMPLS, type Workload6Impl, type Workload6Job } from './job.js';
import {
  renderWorkload6Chart,
  renderWorkload6Tables,
  WORKLOAD6_TARGET,
  type Workload6Config,
  type Workload6Report,
  type Workload6Result,
} from './report.js';

/** Seed of round 0's call order; round r uses `BASE_SEED + r`. */
const BASE_SEED = 0x6e4d;

function configFor(options: BenchOptions): Workload6Config {
  const common = { keys: 1000, shards: 64, implementations: WORKLOAD6_IMPLS };
  return options.quick
    ? {
        ...common,
        mode: 'quick',
        calls: 50_000,
        slices: 3,
        sliceTiming: { timeMs: 0, warmupMs: 0, iterations: 3, warmupIterations: 1 },
        firstWarmupHerds: 3,
        rounds: options.rounds ?? 1,
      }
    : {
        ...common,
        mode: 'full',
        calls: 100_000,
        slices: 8,
        sliceTiming: { timeMs: 0, warmupMs: 0, iterations: 4, warmupIterations: 1 },
        firstWarmupHerds: 4,
        rounds: options.rounds ?? 2,
      };
}

const METHOD = [
  'Each implementation runs in its own child process (fresh children each round); the children take turns, one slice of herds each, rotating every slice, so load drift on the shared machine falls on all alike.',
  'A herd: on an empty cache, a synchronous loop issues every call (each key calls/keys times, in an order shuffled before timing, the same for every implementation of a round), then awaits them all (Promise.all). The factory counts its calls and resolves with the key’s number after setImmediate (a macrotask), so every call is issued before the first load settles.',
  'hand-rolled: a Map<key, Promise>: get; on a miss call the factory, store its promise, drop it if it rejects. lru-cache: new LRUCache({ max: keys, fetchMethod: (key) => factory(key) }), cache.fetch(key) (concurrent fetches share one fetchMethod call). starshard: map.computeIfAbsent(key, factory) on an AsyncShardedHashMap (64 shards), default options (reentrancy "detect") and { reentrancy: "trust" }. The same factory function for all, no closure per call.',
  'Untimed around every herd (warm-up included): a fresh cache before (no forced GC, see workload 5); after, the factory call count (must equal keys) and every call’s value are checked.',
  "Timing: tinybench run() (async) with the hrtime provider; one sample = one herd, divided by its calls. Headline = median of every herd of every slice and round; ratio = the anchor's median time ÷ this one's (= throughput ÷ the anchor's); roundRatios = the same within each round.",
];

function publish(report: Workload6Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload6Tables(report)}`);
  const files = [writeResultFile(options.outDir, 'workload-6.svg', renderWorkload6Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-6.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** Per implementation: herds checked, factory-call range and wrong values over every slice and round. */
interface Checks {
  herds: number;
  minFactory: number;
  maxFactory: number;
  wrong: number;
}

/** Workload 6: thundering herd against a hand-rolled single-flight and lru-cache. */
export const workload6: Workload = {
  id: '6',
  aliases: ['workload6', 'herd'],
  title: 'thundering herd against a hand-rolled single-flight and lru-cache fetch()',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const progress = new Progress('workload 6', config.rounds);
    const pool = new SamplePool();
    const checks = new Map<Workload6Impl, Checks>(
      config.implementations.map((impl) => [
        impl,
        { herds: 0, minFactory: Number.POSITIVE_INFINITY, maxFactory: 0, wrong: 0 },
      ]),
    );
    for (let round = 0; round < config.rounds; round++) {
      progress.next(`round ${round + 1}/${config.rounds}`);
      progress.detail(`starting ${config.implementations.length} children`);
      const jobs = config.implementations.map(
        (impl): Workload6Job => ({
          kind: 'workload6',
          impl,
          calls: config.calls,
          keys: config.keys,
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
              slice === 0 ? { ...config.sliceTiming, warmupIterations: config.firstWarmupHerds } : config.sliceTiming,
          }),
          (slice) => progress.detail(`slice ${slice + 1}/${config.slices}`),
        );
        jobs.forEach((job, i) => {
          const tally = checks.get(job.impl) as Checks;
          for (const reply of replies[i] ?? []) {
            pool.add(job.impl, round, reply.nsPerCall);
            tally.herds += reply.herdsChecked;
            tally.minFactory = Math.min(tally.minFactory, reply.minFactoryCalls);
            tally.maxFactory = Math.max(tally.maxFactory, reply.maxFactoryCalls);
            tally.wrong += reply.wrongValues;
          }
        });
      });
    }
    progress.done();

    const anchor = pool.get('hand-rolled');
    const lru = pool.get('lru-cache');
    if (anchor === undefined || lru === undefined) throw new Error('workload 6: the anchors were not measured');
    const anchorNs = figuresOf(anchor).medianNs;
    const lruNs = figuresOf(lru).medianNs;
    const results: Workload6Result[] = config.implementations.flatMap((impl) => {
      const pooled = pool.get(impl);
      if (pooled === undefined) return [];
      const figures = figuresOf(pooled);
      const tally = checks.get(impl) as Checks;
      const ratio = anchorNs / figures.medianNs;
      const ratioVsLruCache = lruNs / figures.medianNs;
      const exactLoads = tally.minFactory === config.keys && tally.maxFactory === config.keys && tally.wrong === 0;
      const vsHandRolled = ratio >= WORKLOAD6_TARGET.handRolled;
      const vsLruCache = ratioVsLruCache >= WORKLOAD6_TARGET.lruCache;
      return [
        {
          impl,
          ...figures,
          ratio,
          ratioVsLruCache,
          roundRatios: roundRatiosOf(pooled, anchor, 'throughput'),
          roundRatiosVsLruCache: roundRatiosOf(pooled, lru, 'throughput'),
          herdsChecked: tally.herds,
          minFactoryCalls: tally.minFactory,
          maxFactoryCalls: tally.maxFactory,
          wrongValues: tally.wrong,
          ...(impl.startsWith('starshard')
            ? {
                target: {
                  text: WORKLOAD6_TARGET.text,
                  exactLoads,
                  vsHandRolled,
                  vsLruCache,
                  met: exactLoads && vsHandRolled && vsLruCache,
                },
              }
            : {}),
        },
      ];
    });
    publish(
      {
        workload: '6',
        title:
          'thundering herd: starshard computeIfAbsent against a hand-rolled Map<key, Promise> and lru-cache fetch()',
        environment,
        config,
        method: METHOD,
        results,
      },
      options,
      true,
    );
    const broken = results.filter(
      (r) => r.minFactoryCalls !== config.keys || r.maxFactoryCalls !== config.keys || r.wrongValues !== 0,
    );
    if (broken.length > 0) {
      process.stderr.write(
        `workload 6: factory calls other than one per key, or wrong values, in ${broken.map((r) => r.impl).join(', ')}\n`,
      );
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-6.json'), 'utf8')) as Workload6Report;
    publish(report, options, false);
  },
};
