// The child side of workload 7: one snapshot mode's `snapshot()` cost, or gets on one read
// target (the live map, a snapshot, an immutable.Map), per process. The cost measurement follows
// packages/snapshot/scripts/measure.mjs: a write before every snapshot (so Cached and Cow cannot
// hand back the previous one), no forced GC between reps (Clone's collections are its cost).

import { ShardedHashMap } from '@starshard/core';
import { snapshot } from '@starshard/snapshot';
import { Map as ImmutableMap } from 'immutable';
import { measureNsPerOp } from '../../measure.js';
import { below, mulberry32 } from '../../prng.js';
import { median } from '../../stats.js';
import type {
  SnapshotModeName,
  Workload7CostJob,
  Workload7CostResult,
  Workload7Job,
  Workload7ReadsJob,
  Workload7ReadsResult,
  Workload7Result,
} from './job.js';

const SnapMap = ShardedHashMap.with(snapshot);
type SnapMapOf = InstanceType<typeof SnapMap<string, number>>;

function keysOf(n: number): string[] {
  // "key:" + i, flattened (keys of 13+ characters built by a template literal are ropes).
  return JSON.parse(JSON.stringify(Array.from({ length: n }, (_, i) => `key:${i}`))) as string[];
}

function filled(mode: SnapshotModeName, keys: readonly string[], shards: number): SnapMapOf {
  const map = SnapMap.withSnapshotMode<string, number>(shards, mode);
  for (let i = 0; i < keys.length; i++) map.insert(keys[i] as string, i);
  return map;
}

const now = (): bigint => process.hrtime.bigint();
const since = (t0: bigint): number => Number(process.hrtime.bigint() - t0);

function measureCost(job: Workload7CostJob, progress: (text: string) => void): Workload7CostResult {
  progress(`filling ${job.entries.toLocaleString('en-US')} entries`);
  const keys = keysOf(job.entries);
  const map = filled(job.mode, keys, job.shards);
  const n = keys.length;
  const times: number[] = [];
  const unchanged: number[] = [];
  const firstWrite: number[] = [];
  const laterWrite: number[] = [];
  let kept = map.snapshot();
  for (let rep = 0; rep < job.reps; rep++) {
    if ((rep & 15) === 0) progress(`snapshot ${rep + 1}/${job.reps}`);
    map.insert(keys[rep % n] as string, -rep - 1); // a write: nothing to reuse
    let t0 = now();
    kept = map.snapshot();
    times.push(since(t0));
    t0 = now();
    map.snapshot();
    unchanged.push(since(t0));
    const k = keys[(rep * 7919) % n] as string;
    t0 = now();
    map.insert(k, rep); // the first write to its shard after the snapshot
    firstWrite.push(since(t0));
    t0 = now();
    map.insert(k, rep + 1); // the same shard again
    laterWrite.push(since(t0));
  }
  const timed = (xs: number[]) => xs.slice(2);
  return {
    task: 'cost',
    mode: job.mode,
    entries: n,
    snapshotNs: timed(times),
    unchangedNs: median(timed(unchanged)),
    firstWriteNs: median(timed(firstWrite)),
    laterWriteNs: median(timed(laterWrite)),
    snapshotSize: kept.size,
  };
}

/** A lookup order: `count` random present keys (the stored strings, so V8 has their hash cached). */
function lookupOrder(keys: readonly string[], count: number, seed: number): string[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => keys[below(rng, keys.length)] as string);
}

function measureReads(job: Workload7ReadsJob, progress: (text: string) => void): Workload7ReadsResult {
  progress(`building ${job.entries.toLocaleString('en-US')} entries`);
  const keys = keysOf(job.entries);
  const order = lookupOrder(keys, 1 << 16, job.seed);
  const mask = order.length - 1;
  // One source type per child: the get call site below stays monomorphic.
  let source: { get(key: string): number | undefined };
  switch (job.target) {
    case 'live':
      source = filled('clone', keys, job.shards);
      break;
    case 'clone-snapshot':
      source = filled('clone', keys, job.shards).snapshot();
      break;
    case 'cached-snapshot':
      source = filled('cached', keys, job.shards).snapshot();
      break;
    case 'cow-snapshot':
      source = filled('cow', keys, job.shards).snapshot();
      break;
    case 'immutable':
      // immutable's documented way to build a large Map: one batch of mutations.
      source = ImmutableMap<string, number>().withMutations((m) => {
        for (let i = 0; i < keys.length; i++) m.set(keys[i] as string, i);
      });
      break;
  }
  let verified = true;
  for (const key of order) if (source.get(key) === undefined) verified = false;
  let pos = 0;
  let sum = 0;
  const batch = job.batch;
  progress(`timing gets (${job.target})`);
  const nsPerOp = measureNsPerOp(
    `workload7 ${job.target}`,
    () => {
      for (let j = 0; j < batch; j++) sum += source.get(order[pos++ & mask] as string) as number;
    },
    batch,
    job.timing,
  );
  return { task: 'reads', target: job.target, entries: keys.length, nsPerOp, verified: verified && sum > 0 };
}

/**
 * Runs one workload-7 child: a snapshot-cost measurement or a read measurement.
 *
 * @example
 * runWorkload7Job({ kind: 'workload7', task: 'cost', mode: 'cow', entries: 1e6, shards: 64, reps: 301 }, console.error);
 */
export function runWorkload7Job(job: Workload7Job, progress: (text: string) => void): Workload7Result {
  return job.task === 'cost' ? measureCost(job, progress) : measureReads(job, progress);
}
