// The child side of workload 8: one snapshot mode on one of the seed's mixed workloads, as
// packages/snapshot/scripts/measure.mjs runs it: a precomputed plan of inserts over random
// present keys and gets, and every k operations a snapshot read by 64 gets.

import { ShardedHashMap } from '@starshard/core';
import { snapshot } from '@starshard/snapshot';
import { below, mulberry32 } from '../../prng.js';
import type { Workload8Job, Workload8Result } from './job.js';

const SnapMap = ShardedHashMap.with(snapshot);

/**
 * Runs one mode on one mixed profile `job.reps` times (run r uses seed 100 + r, the same for
 * every mode) and returns the total time of each run after the first.
 *
 * @example
 * runWorkload8Job({ kind: 'workload8', profile: MIXED_PROFILES[0], mode: 'cow', entries: 1e5, shards: 64, ops: 2e4, probes: 64, reps: 4 }, console.error);
 */
export function runWorkload8Job(job: Workload8Job, progress: (text: string) => void): Workload8Result {
  const { entries, ops, probes } = job;
  const { writeShare, snapshotEvery } = job.profile;
  const keys = JSON.parse(JSON.stringify(Array.from({ length: entries }, (_, i) => `key:${i}`))) as string[];
  const map = SnapMap.withSnapshotMode<string, number>(job.shards, job.mode);
  for (let i = 0; i < entries; i++) map.insert(keys[i] as string, i);
  const gc = (globalThis as { gc?: () => void }).gc;
  const runMs: number[] = [];
  let verified = true;
  let sum = 0;
  for (let rep = 0; rep < job.reps; rep++) {
    progress(`run ${rep + 1}/${job.reps}`);
    const rng = mulberry32(100 + rep);
    const writes = new Uint8Array(ops);
    const planKeys: string[] = new Array(ops);
    const values = new Int32Array(ops);
    for (let i = 0; i < ops; i++) {
      writes[i] = rng() / 0x100000000 < writeShare ? 1 : 0;
      planKeys[i] = keys[below(rng, entries)] as string;
      values[i] = below(rng, 1e6);
    }
    const probeKeys = Array.from({ length: probes }, () => keys[below(rng, entries)] as string);
    gc?.();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) {
      if (writes[i] === 1) map.insert(planKeys[i] as string, values[i] as number);
      else sum += map.get(planKeys[i] as string) ?? 0;
      if (i % snapshotEvery === snapshotEvery - 1) {
        const snap = map.snapshot();
        for (let p = 0; p < probes; p++) {
          const v = snap.get(probeKeys[p] as string);
          if (v === undefined) verified = false;
          else sum += v;
        }
      }
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (rep > 0) runMs.push(ms);
  }
  return {
    profile: job.profile.id,
    mode: job.mode,
    runMs,
    snapshotsPerRun: Math.floor(ops / snapshotEvery),
    verified: verified && sum > 0,
  };
}
