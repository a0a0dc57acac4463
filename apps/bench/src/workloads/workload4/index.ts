// Workload 4 (BENCH.md): uncontended `await m.get(k)` on an AsyncShardedHashMap against the
// `await` of an async function over `Map.get`, for "key:"+i and u32 keys at a hot and a
// memory-bound size. Children of one key kind take turns slice by slice (see workload 1).

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
import { WORKLOAD4_IMPLS, type Workload4Job } from './job.js';
import {
  renderWorkload4Chart,
  renderWorkload4Tables,
  WORKLOAD4_TARGET,
  type Workload4Cell,
  type Workload4Config,
  type Workload4Report,
} from './report.js';

/** Seed of round 0's keys and orders; round r uses `BASE_SEED + r`. */
const BASE_SEED = 0x4a51c;

function configFor(options: BenchOptions): Workload4Config {
  const common = {
    keyKinds: ['short', 'u32'] as const,
    keyForm: options.keyForm,
    implementations: WORKLOAD4_IMPLS,
    shards: 64,
    batch: 1000,
  };
  return options.quick
    ? {
        ...common,
        mode: 'quick',
        sizes: [1000, 50_000],
        slices: 3,
        sliceTiming: { timeMs: 25, warmupMs: 8 },
        firstWarmupMs: 50,
        rounds: options.rounds ?? 1,
      }
    : {
        ...common,
        mode: 'full',
        sizes: [1000, 200_000],
        slices: 10,
        sliceTiming: { timeMs: 50, warmupMs: 15 },
        firstWarmupMs: 150,
        rounds: options.rounds ?? 2,
      };
}

const METHOD = [
  'Each implementation runs in its own child process (one per implementation, key kind and round); the children of a key kind take turns, rotating every slice, so load drift on the shared machine falls on all alike.',
  'Anchor (BENCH.md): `const get = async (k) => map.get(k)` over a native Map, timed as `await get(k)`. starshard: `await m.get(k)` on an AsyncShardedHashMap (64 shards). Reference: an async function over the sync ShardedHashMap (64 shards), the same hash and routing without the async layer.',
  'Keys: "key:"+i (flat unless keyForm is "rope") and distinct random u32 (about half above 2^31, heap numbers); every map holds all keys; lookups follow a random order fixed before timing (whole shuffles, at least 65,536 long) and all hit (checked after every slice).',
  'Timing: tinybench run() (async) with the hrtime provider and its timer overhead subtracted; one sample = a batch of 1,000 sequential awaited gets, divided by 1,000 (tinybench adds one microtask turn per sample, 0.1% of a batch, the same for all). A longer warm-up before a size first runs, a short one before every slice, a forced GC before every slice.',
  "Headline = median of every sample of every slice and round; ratio = that median ÷ the anchor's; roundRatios = the same within each round.",
];

function publish(report: Workload4Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload4Tables(report)}`);
  const files = [writeResultFile(options.outDir, 'workload-4.svg', renderWorkload4Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-4.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

const cellKey = (impl: string, keyKind: string, size: number): string => `${impl}|${keyKind}|${size}`;

/** Workload 4: uncontended awaited gets against an awaited async function over `Map.get`. */
export const workload4: Workload = {
  id: '4',
  aliases: ['workload4', 'async-get'],
  title: 'uncontended await get against an async function over Map.get',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const progress = new Progress('workload 4', config.rounds * config.keyKinds.length);
    const pool = new SamplePool();
    for (let round = 0; round < config.rounds; round++) {
      for (const [k, keyKind] of config.keyKinds.entries()) {
        progress.next(`round ${round + 1}/${config.rounds} · ${keyKind} keys`);
        progress.detail(`starting ${config.implementations.length} children`);
        const jobs = config.implementations.map(
          (impl): Workload4Job => ({
            kind: 'workload4',
            impl,
            keyKind,
            keyForm: config.keyForm,
            sizes: config.sizes,
            shards: config.shards,
            batch: config.batch,
            firstWarmupMs: config.firstWarmupMs,
            seed: BASE_SEED + round,
          }),
        );
        await withSessions(jobs, openSession, async (sessions) => {
          for (const size of config.sizes) {
            const replies = await takeTurns(
              sessions,
              config.slices,
              round + k,
              () => ({ type: 'measure', size, timing: config.sliceTiming }),
              (slice) => progress.detail(`${size.toLocaleString('en-US')} keys · slice ${slice + 1}/${config.slices}`),
            );
            jobs.forEach((job, i) => {
              for (const samples of replies[i] ?? []) pool.add(cellKey(job.impl, keyKind, size), round, samples);
            });
          }
        });
      }
    }
    progress.done();

    const cells: Workload4Cell[] = [];
    for (const size of config.sizes) {
      for (const keyKind of config.keyKinds) {
        const anchor = pool.get(cellKey('async-map', keyKind, size));
        if (anchor === undefined) continue;
        const anchorMedian = figuresOf(anchor).medianNs;
        for (const impl of config.implementations) {
          const pooled = pool.get(cellKey(impl, keyKind, size));
          if (pooled === undefined) continue;
          const figures = figuresOf(pooled);
          const ratio = figures.medianNs / anchorMedian;
          cells.push({
            impl,
            keyKind,
            size,
            ...figures,
            ratio,
            roundRatios: roundRatiosOf(pooled, anchor, 'time'),
            ...(impl === 'starshard-async'
              ? {
                  target: {
                    text: WORKLOAD4_TARGET.text,
                    max: WORKLOAD4_TARGET.max,
                    met: ratio <= WORKLOAD4_TARGET.max,
                  },
                }
              : {}),
          });
        }
      }
    }
    publish(
      {
        workload: '4',
        title: 'uncontended await m.get(k) against await of an async function over Map.get',
        environment,
        config,
        method: METHOD,
        cells,
      },
      options,
      true,
    );
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-4.json'), 'utf8')) as Workload4Report;
    publish(report, options, false);
  },
};
