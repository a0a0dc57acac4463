// Workload 7 (BENCH.md): snapshots of a 1M-entry map in each SnapshotMode of
// @starshard/snapshot (the time of snapshot() and of the first write after it), and reads
// through a snapshot against live reads and against immutable.Map, whose versions are free
// snapshots.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { formatCount } from '../../report/format.js';
import { runJob } from '../../runner.js';
import { median, summarize } from '../../stats.js';
import { runRotated } from '../../turns.js';
import { figuresOf, roundRatiosOf, SamplePool } from '../pool.js';
import type { Workload } from '../workload.js';
import {
  MODE_LABELS,
  READ_LABELS,
  READ_TARGETS,
  SNAPSHOT_MODES,
  type Workload7CostResult,
  type Workload7Job,
} from './job.js';
import {
  renderWorkload7Chart,
  renderWorkload7Tables,
  WORKLOAD7_TARGET,
  type Workload7Config,
  type Workload7Cost,
  type Workload7Read,
  type Workload7Report,
} from './report.js';

/** Seed of round 0's lookup order; round r uses `BASE_SEED + r`. */
const BASE_SEED = 0x7a11;

function configFor(options: BenchOptions): Workload7Config {
  return options.quick
    ? {
        mode: 'quick',
        entries: 100_000,
        readSizes: [1000, 100_000],
        shards: 64,
        rounds: options.rounds ?? 1,
        costReps: { clone: 7, cached: 7, cow: 101 },
        batch: 1000,
        readTiming: { timeMs: 200, warmupMs: 60 },
      }
    : {
        mode: 'full',
        entries: 1_000_000,
        readSizes: [1000, 1_000_000],
        shards: 64,
        rounds: options.rounds ?? 4,
        costReps: { clone: 9, cached: 9, cow: 301 },
        batch: 1000,
        readTiming: { timeMs: 1000, warmupMs: 200 },
      };
}

const METHOD = [
  'Each measurement runs in its own child process (node --expose-gc): one per mode for snapshot(), one per read target and map size for gets; every child of the plan runs once per round, the order rotated each round.',
  'snapshot() cost (after packages/snapshot/scripts/measure.mjs): a map of "key:"+i in the mode; each rep writes one key (so Cached and Cow cannot hand back the previous snapshot), times snapshot(), times snapshot() again with no write between, then times the first write to a shard after the snapshot (Cow copies that shard there) and the next write to the same shard. hrtime around each call; the first two reps are warm-up; no forced GC (Clone’s collections are part of its cost).',
  'Reads: batches of gets of random present keys (a precomputed order of the stored key strings, the same in every child of a round) on the live map (composed with snapshot, Clone mode: the core’s own get), on a snapshot taken right after the fill in each mode, and on an immutable.Map built with withMutations (immutable’s documented way to build a large map); tinybench runSync, hrtime, timer overhead subtracted; ns per get = batch time ÷ batch size.',
  'Ratios: snapshot speed = Clone’s median snapshot() time ÷ the mode’s; reads = ns per get ÷ the live map’s in the same run; roundRatios / roundSpeedups = the same within each round.',
];

function publish(report: Workload7Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload7Tables(report)}`);
  const files = [writeResultFile(options.outDir, 'workload-7.svg', renderWorkload7Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-7.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

function label(job: Workload7Job): string {
  return job.task === 'cost'
    ? `${MODE_LABELS[job.mode]} snapshot() of ${formatCount(job.entries)}`
    : `gets on ${READ_LABELS[job.target]}, ${formatCount(job.entries)} entries`;
}

/** Workload 7: snapshot cost per mode, and reads through snapshots. */
export const workload7: Workload = {
  id: '7',
  aliases: ['workload7', 'snapshot'],
  title: 'snapshot of 1M entries in each mode; reads through a snapshot against live reads and immutable.Map',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const plan: Workload7Job[] = [
      ...SNAPSHOT_MODES.map(
        (mode): Workload7Job => ({
          kind: 'workload7',
          task: 'cost',
          mode,
          entries: config.entries,
          shards: config.shards,
          reps: config.costReps[mode],
        }),
      ),
      ...config.readSizes.flatMap((entries) =>
        READ_TARGETS.map(
          (target): Workload7Job => ({
            kind: 'workload7',
            task: 'reads',
            target,
            entries,
            shards: config.shards,
            batch: config.batch,
            timing: config.readTiming,
            seed: BASE_SEED,
          }),
        ),
      ),
    ];
    const progress = new Progress('workload 7', plan.length * config.rounds);
    const results = await runRotated(
      plan,
      config.rounds,
      (job, round) =>
        runJob(job.task === 'reads' ? { ...job, seed: BASE_SEED + round } : job, {
          heapMb: 4096,
          onProgress: (text) => progress.detail(text),
        }),
      (job, round) => progress.next(`round ${round + 1}/${config.rounds} · ${label(job)}`),
    );
    progress.done();

    // Snapshot cost per mode.
    const costRounds = (mode: string) =>
      results.map((round) =>
        round.find((r): r is Workload7CostResult => r.task === 'cost' && r.mode === mode),
      ) as Workload7CostResult[];
    const clone = costRounds('clone');
    const cloneMedian = median(clone.flatMap((r) => r.snapshotNs));
    const costs: Workload7Cost[] = SNAPSHOT_MODES.map((mode) => {
      const rounds = costRounds(mode);
      const all = summarize(rounds.flatMap((r) => r.snapshotNs));
      return {
        mode,
        snapshot: all,
        unchangedNs: median(rounds.map((r) => r.unchangedNs)),
        firstWriteNs: median(rounds.map((r) => r.firstWriteNs)),
        laterWriteNs: median(rounds.map((r) => r.laterWriteNs)),
        speedupVsClone: cloneMedian / all.median,
        roundSpeedups: rounds.map(
          (r, i) => median((clone[i] as Workload7CostResult).snapshotNs) / median(r.snapshotNs),
        ),
      };
    });

    // Reads per size and target.
    const pool = new SamplePool();
    const verified = new Map<string, boolean>();
    results.forEach((round, r) => {
      for (const result of round) {
        if (result.task !== 'reads') continue;
        const key = `${result.entries}|${result.target}`;
        pool.add(key, r, result.nsPerOp);
        verified.set(key, (verified.get(key) ?? true) && result.verified);
      }
    });
    const reads: Workload7Read[] = config.readSizes.flatMap((entries) => {
      const live = pool.get(`${entries}|live`);
      if (live === undefined) throw new Error('workload 7: live reads were not measured');
      const liveNs = figuresOf(live).medianNs;
      return READ_TARGETS.flatMap((target) => {
        const cell = pool.get(`${entries}|${target}`);
        if (cell === undefined) return [];
        const figures = figuresOf(cell);
        return [
          {
            target,
            entries,
            ...figures,
            ratio: figures.medianNs / liveNs,
            roundRatios: roundRatiosOf(cell, live, 'time'),
            verified: verified.get(`${entries}|${target}`) ?? false,
          },
        ];
      });
    });
    const cow = costs.find((c) => c.mode === 'cow');
    const snapshotReads = reads.filter((r) => r.target.endsWith('-snapshot'));
    const report: Workload7Report = {
      workload: '7',
      title: `snapshot() of ${formatCount(config.entries)} entries in each mode of @starshard/snapshot; reads through a snapshot against live reads and immutable.Map`,
      environment,
      config,
      method: METHOD,
      costs,
      reads,
      target: {
        text: WORKLOAD7_TARGET.text,
        cowSpeedup: cow !== undefined && cow.speedupVsClone >= WORKLOAD7_TARGET.cowSpeedup,
        snapshotReads: snapshotReads.every((r) => r.ratio <= WORKLOAD7_TARGET.snapshotReads),
      },
    };
    publish(report, options, true);
    const broken = [
      ...reads.filter((r) => !r.verified).map((r) => `${READ_LABELS[r.target]} (${r.entries})`),
      ...SNAPSHOT_MODES.flatMap((mode) =>
        costRounds(mode).some((r) => r.snapshotSize !== config.entries) ? [`${MODE_LABELS[mode]} snapshot size`] : [],
      ),
    ];
    if (broken.length > 0) {
      process.stderr.write(`workload 7: checks failed: ${broken.join(', ')}\n`);
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-7.json'), 'utf8')) as Workload7Report;
    publish(report, options, false);
  },
};
