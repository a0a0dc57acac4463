// The child side of the capacity workload: one fill per process, so the heap figures are the
// map's alone. The child runs with `--expose-gc` and a large old space.

import { ShardedHashMap } from '@starshard/core';
import { starshardBalance } from '../../implementations/starshard.js';
import { heapAfterGc } from '../../stats.js';
import type { CapacityJob, CapacityResult } from './job.js';

/** Progress is reported every 2^20 inserts (a mask test: nothing measurable in the loop). */
const REPORT_MASK = (1 << 20) - 1;

/**
 * Fills a native `Map` or a starshard map with number keys `0..entries-1` (values equal to the
 * keys), timing the fill and the heap growth. A `Map` is expected to throw at 2^24 entries; the
 * error is recorded, not rethrown.
 *
 * @example
 * runCapacityJob({ kind: 'capacity', subject: 'starshard', entries: 20_000_000, shards: 64 }, console.error);
 */
export function runCapacityJob(job: CapacityJob, progress: (text: string) => void): CapacityResult {
  const n = job.entries;
  const before = heapAfterGc();
  let error: string | undefined;
  let held: number;
  let fillMs: number;
  let after: number;
  let verified: boolean;
  let balance: CapacityResult['balance'];
  if (job.subject === 'map') {
    const map = new Map<number, number>();
    const start = performance.now();
    try {
      for (let i = 0; i < n; i++) {
        map.set(i, i);
        if ((i & REPORT_MASK) === 0) progress(`${(i / 1e6).toFixed(0)}M entries`);
      }
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    fillMs = performance.now() - start;
    held = map.size;
    after = heapAfterGc();
    verified = map.get(0) === 0 && map.get(held - 1) === held - 1;
  } else {
    const map = new ShardedHashMap<number, number>(job.shards);
    const start = performance.now();
    try {
      for (let i = 0; i < n; i++) {
        map.insert(i, i);
        if ((i & REPORT_MASK) === 0) progress(`${(i / 1e6).toFixed(0)}M entries`);
      }
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    fillMs = performance.now() - start;
    held = map.len();
    after = heapAfterGc();
    const mid = Math.floor(held / 2);
    verified = held === n && map.get(0) === 0 && map.get(mid) === mid && map.get(held - 1) === held - 1;
    balance = starshardBalance(map);
  }
  const heapDeltaBytes = after - before;
  return {
    subject: job.subject,
    requested: n,
    held,
    ...(error === undefined ? {} : { error }),
    fillMs,
    nsPerInsert: (fillMs * 1e6) / held,
    heapDeltaBytes,
    bytesPerEntry: heapDeltaBytes / held,
    ...(balance === undefined ? {} : { balance }),
    verified,
  };
}
