// Workload 1 (BENCH.md): get / insert / 98-1-1 mix against native Map, per key kind and size,
// starshard at 64 and 1 shards beside the naive port and @keyv/bigmap.
//
// Interleaving: for each key kind, one child per implementation is started and set up; then
// every cell is measured in short slices, the children taking turns (rotated each slice). On
// a shared machine the background load drifts over seconds; taking turns every ~70 ms puts
// every implementation under the same drift, so the ratios to Map hold even when the absolute
// figures move. Each child still runs alone while it measures (the others wait on IPC).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment } from '../../environment.js';
import { IMPLEMENTATION_IDS, type ImplementationId } from '../../implementations/index.js';
import { KEY_KINDS } from '../../keys.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { openSession, type Session } from '../../runner.js';
import type { Workload } from '../workload.js';
import { aggregate, type RoundResult, type Workload1Config, type Workload1Report } from './aggregate.js';
import { OPS, type SizedBalance, type Workload1Cell, type Workload1Job } from './job.js';
import { renderWorkload1Chart, renderWorkload1Tables } from './report.js';

/** Seed of round 0's keys and orders; round r uses `BASE_SEED + r`. */
const BASE_SEED = 0x5ca1ab1e;

function configFor(options: BenchOptions): Workload1Config {
  const common = {
    keyKinds: KEY_KINDS.map((info) => info.kind),
    keyForm: options.keyForm,
    implementations: IMPLEMENTATION_IDS,
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

/** What the JSON says about how the figures were taken. */
const METHOD = [
  'Each implementation runs in its own child process (one per implementation, key kind and round), so V8 sees one map class and one key type per call site.',
  'Children of the same key kind take turns: each cell is measured in short slices, the implementations rotating every slice, so background load on the shared machine falls on all of them alike.',
  'Keys are built before timing: "key:"+i, v4-shaped UUIDs, URL-like keys differing only in the middle, distinct random u32 numbers (about half above 2^31, so heap numbers rather than Smis).',
  'String keys are flattened with JSON.parse(JSON.stringify(keys)) unless keyForm is "rope"; lookups reuse the stored key strings, whose hash V8 caches in the string header (the best case for Map).',
  'get: batches of 1,000 lookups of present keys in a precomputed random order. mix: batches of 1,000 steps of a precomputed stream, each block of 100 being 98 gets, 1 remove of a present key and 1 insert of it back. insert: one iteration fills an empty map with every key in random order (growth included), divided by the key count.',
  "Timing: tinybench runSync with the hrtime provider and its timer overhead subtracted; a longer warm-up before a cell first runs and a short one before every slice; one sample per batch, divided by the batch size. Headline = median of every sample of every slice and round; ratio = that median over Map's; roundRatios = the same ratio within each round.",
  'Balance: max load / (entries / shards) after a fill, from shardStats() for starshard and from the stores for bigmap and the naive port; worst round.',
];

function publish(report: Workload1Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload1Tables(report)}\n`);
  const files = [writeResultFile(options.outDir, 'workload-1.svg', renderWorkload1Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-1.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** Measures every cell of one key kind in one round, the implementations taking turns. */
async function measureKeyKind(
  config: Workload1Config,
  jobs: readonly Workload1Job[],
  offset: number,
  detail: (text: string) => void,
): Promise<RoundResult['result'][]> {
  detail(`starting ${jobs.length} children`);
  const sessions = await Promise.all(jobs.map((job) => openSession(job)));
  try {
    const cells = jobs.map(() => new Map<string, { size: number; op: Workload1Cell['op']; samples: number[] }>());
    for (const size of config.sizes) {
      for (const op of OPS) {
        for (let slice = 0; slice < config.slices; slice++) {
          detail(`${size.toLocaleString('en-US')} keys · ${op} · slice ${slice + 1}/${config.slices}`);
          for (let turn = 0; turn < sessions.length; turn++) {
            const i = (turn + slice + offset) % sessions.length;
            const session = sessions[i] as Session<Workload1Job>;
            const reply = await session.call({ type: 'measure', size, op, timing: config.sliceTiming });
            if (!(reply instanceof Float64Array)) throw new Error('a measure request must return samples');
            const cellsOfImpl = cells[i] as (typeof cells)[number];
            const key = `${size}:${op}`;
            const cell = cellsOfImpl.get(key) ?? { size, op, samples: [] };
            for (const ns of reply) cell.samples.push(ns);
            cellsOfImpl.set(key, cell);
          }
        }
      }
    }
    const balances = await Promise.all(sessions.map((s) => s.call({ type: 'balances' })));
    return jobs.map((job, i) => ({
      impl: job.impl,
      keyKind: job.keyKind,
      cells: [...(cells[i] as (typeof cells)[number]).values()].map((c) => ({
        size: c.size,
        op: c.op,
        opsPerIteration: c.op === 'insert' ? c.size : config.batch,
        nsPerOp: Float64Array.from(c.samples),
      })),
      balances: balances[i] as readonly SizedBalance[],
    }));
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
}

/** Workload 1: map operations against native `Map`. */
export const workload1: Workload = {
  id: '1',
  aliases: ['workload1', 'map'],
  title: 'get / insert / 98-1-1 mix against native Map',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const progress = new Progress('workload 1', config.rounds * config.keyKinds.length);
    const results: RoundResult[] = [];
    for (let round = 0; round < config.rounds; round++) {
      for (const [k, keyKind] of config.keyKinds.entries()) {
        progress.next(`round ${round + 1}/${config.rounds} · ${keyKind} keys`);
        const jobs = config.implementations.map(
          (impl: ImplementationId): Workload1Job => ({
            kind: 'workload1',
            impl,
            keyKind,
            keyForm: config.keyForm,
            sizes: config.sizes,
            batch: config.batch,
            firstWarmupMs: config.firstWarmupMs,
            seed: BASE_SEED + round,
          }),
        );
        const measured = await measureKeyKind(config, jobs, round + k, (text) => progress.detail(text));
        for (const result of measured) results.push({ round, result });
      }
    }
    progress.done();

    publish(aggregate(results, config, environment, METHOD), options, true);
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-1.json'), 'utf8')) as Workload1Report;
    publish(report, options, false);
  },
};
