// Workload 8 (BENCH.md): the seed's three mixed workloads (low write + high snapshot,
// medium/medium, high write + low snapshot) × the three snapshot modes; which mode wins each
// row, against the seed's recommendations and packages/snapshot/README.md's.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { runJob } from '../../runner.js';
import { median, summarize } from '../../stats.js';
import { runRotated } from '../../turns.js';
import type { Workload } from '../workload.js';
import { MODE_LABELS, SNAPSHOT_MODES, type SnapshotModeName } from '../workload7/job.js';
import { MIXED_PROFILES, type Workload8Job, type Workload8Result } from './job.js';
import {
  renderWorkload8Chart,
  renderWorkload8Tables,
  type Workload8Cell,
  type Workload8Config,
  type Workload8Report,
  type Workload8Row,
} from './report.js';

function configFor(options: BenchOptions): Workload8Config {
  const common = { entries: 100_000, shards: 64, probes: 64, profiles: MIXED_PROFILES };
  return options.quick
    ? { ...common, mode: 'quick', ops: 10_000, reps: 2, rounds: options.rounds ?? 1 }
    : { ...common, mode: 'full', ops: 20_000, reps: 4, rounds: options.rounds ?? 3 };
}

const METHOD = [
  'The seed’s three mixed workloads (its README’s recommendation table and mixed_workload_snapshot_tradeoff_demo; the same parameters as packages/snapshot/scripts/measure.mjs): on a map of "key:"+i, a precomputed plan of operations, a share of them inserts over random present keys and the rest gets, and every k operations a snapshot read by 64 gets of random keys.',
  'One child process per (workload, mode), every child once per round, the order rotated each round; each child fills its map, then runs the plan reps times (run r: seed 100 + r, the same plans for every mode), a forced GC before each run; the first run is warm-up.',
  'Figures: the median run time over every timed run of every round; ns/op = run time ÷ operations; × Clone = run time ÷ Clone’s (the default mode) in the same run, and within each round.',
  'Recommendations compared: the seed’s table (high write + low snapshot: Clone; medium/medium: Cached; low write + high snapshot: Cow or Cached) and packages/snapshot/README.md’s "Which mode" table (Cow in every row).',
];

function publish(report: Workload8Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderWorkload8Tables(report)}`);
  const files = [writeResultFile(options.outDir, 'workload-8.svg', renderWorkload8Chart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'workload-8.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** Workload 8: mixed workloads × snapshot modes. */
export const workload8: Workload = {
  id: '8',
  aliases: ['workload8', 'mixed'],
  title: "the seed's three mixed workloads × three snapshot modes",
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const plan: Workload8Job[] = config.profiles.flatMap((profile) =>
      SNAPSHOT_MODES.map(
        (mode): Workload8Job => ({
          kind: 'workload8',
          profile,
          mode,
          entries: config.entries,
          shards: config.shards,
          ops: config.ops,
          probes: config.probes,
          reps: config.reps,
        }),
      ),
    );
    const progress = new Progress('workload 8', plan.length * config.rounds);
    const results = await runRotated(
      plan,
      config.rounds,
      (job) => runJob(job, { onProgress: (text) => progress.detail(text) }),
      (job, round) =>
        progress.next(`round ${round + 1}/${config.rounds} · ${job.profile.name} · ${MODE_LABELS[job.mode]}`),
    );
    progress.done();

    const rows: Workload8Row[] = config.profiles.map((profile) => {
      const roundsOf = (mode: SnapshotModeName) =>
        results.map((round) => round.find((r) => r.profile === profile.id && r.mode === mode)) as Workload8Result[];
      const clone = roundsOf('clone');
      const cloneMs = median(clone.flatMap((r) => r.runMs));
      const cells: Workload8Cell[] = SNAPSHOT_MODES.map((mode) => {
        const rounds = roundsOf(mode);
        const runMs = summarize(rounds.flatMap((r) => r.runMs));
        return {
          mode,
          runMs,
          nsPerOp: (runMs.median * 1e6) / config.ops,
          opsPerSecond: (config.ops / runMs.median) * 1e3,
          ratioVsClone: runMs.median / cloneMs,
          roundRatiosVsClone: rounds.map((r, i) => median(r.runMs) / median((clone[i] as Workload8Result).runMs)),
          verified: rounds.every((r) => r.verified),
        };
      });
      const sorted = [...cells].sort((a, b) => a.runMs.median - b.runMs.median);
      const winner = (sorted[0] as Workload8Cell).mode;
      const roundWinners = results.map((_, i) => {
        const inRound = SNAPSHOT_MODES.map((mode) => ({
          mode,
          ms: median((roundsOf(mode)[i] as Workload8Result).runMs),
        }));
        return inRound.reduce((best, c) => (c.ms < best.ms ? c : best)).mode;
      });
      return {
        profile,
        cells,
        winner,
        margin: (sorted[1] as Workload8Cell).runMs.median / (sorted[0] as Workload8Cell).runMs.median,
        roundWinners,
        seedRecommendationWon: profile.seedRecommends.includes(winner),
        readmeRecommendationWon: profile.readmeRecommends === winner,
      };
    });
    publish(
      {
        workload: '8',
        title: "the seed's three mixed workloads × the snapshot modes of @starshard/snapshot",
        environment,
        config,
        method: METHOD,
        rows,
      },
      options,
      true,
    );
    if (rows.some((row) => row.cells.some((c) => !c.verified))) {
      process.stderr.write('workload 8: a get through a snapshot missed its key\n');
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-8.json'), 'utf8')) as Workload8Report;
    publish(report, options, false);
  },
};
