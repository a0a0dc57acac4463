// The child side of workload 2: one fill per process, every insert timed. The latencies are the
// differences of consecutive `performance.now()` reads taken after each insert (one timer read
// per insert, stored in a preallocated Float64Array outside the JS heap), so each latency
// includes one timer read and the loop; the child reports that cost, measured on the same loop
// without the insert. GC pauses are taken from `gc` performance entries, so a pause can be split
// into the collection's share and the insert's own work.

import { PerformanceObserver } from 'node:perf_hooks';
import { ShardedHashMap } from '@starshard/core';
import { starshardBalance } from '../../implementations/starshard.js';
import { heapAfterGc, quantile } from '../../stats.js';
import type { Workload2Job, Workload2Latency, Workload2Pause, Workload2Result } from './job.js';

/** Progress is reported every 2^20 inserts (a mask test: nothing measurable in the loop). */
const REPORT_MASK = (1 << 20) - 1;
/** How many of the longest inserts the result lists. */
const WORST_LISTED = 10;

/** Median ns of one timer read in the fill's loop shape, without the insert. */
function timerCost(stamps: Float64Array): number {
  const n = Math.min(1_000_000, stamps.length - 1);
  stamps[0] = performance.now();
  for (let i = 0; i < n; i++) stamps[i + 1] = performance.now();
  const deltas = new Float64Array(n);
  for (let i = 0; i < n; i++) deltas[i] = ((stamps[i + 1] as number) - (stamps[i] as number)) * 1e6;
  deltas.sort();
  return quantile(deltas, 0.5);
}

interface GcPause {
  readonly start: number;
  readonly end: number;
}

function overlapsGc(gcs: readonly GcPause[], start: number, end: number): boolean {
  for (const gc of gcs) if (gc.start < end && gc.end > start) return true;
  return false;
}

/** The latency figures of a fill from its timestamps (`stamps[i + 1] - stamps[i]`: insert i). */
function latencyOf(stamps: Float64Array, n: number, gcs: readonly GcPause[]): Workload2Latency {
  const latencies = new Float64Array(n);
  for (let i = 0; i < n; i++) latencies[i] = ((stamps[i + 1] as number) - (stamps[i] as number)) * 1e6;
  // The longest inserts, found before sorting (their index is their place in the fill): a
  // small array kept in descending order.
  let over1ms = 0;
  const worst: number[] = [];
  for (let i = 0; i < n; i++) {
    const ns = latencies[i] as number;
    if (ns >= 1e6) over1ms++;
    if (worst.length < WORST_LISTED || ns > (latencies[worst[worst.length - 1] as number] as number)) {
      let at = worst.length;
      while (at > 0 && (latencies[worst[at - 1] as number] as number) < ns) at--;
      worst.splice(at, 0, i);
      if (worst.length > WORST_LISTED) worst.pop();
    }
  }
  const pauses: Workload2Pause[] = worst.map((i) => ({
    atEntry: i,
    ns: latencies[i] as number,
    duringGc: overlapsGc(gcs, stamps[i] as number, stamps[i + 1] as number),
  }));
  // The longest insert with the GC pauses inside it taken out (its own work: table growth,
  // and the machine), by one sweep over inserts and pauses, both in time order.
  let maxExcludingGcNs = 0;
  let g = 0;
  for (let i = 0; i < n; i++) {
    const start = stamps[i] as number;
    const end = stamps[i + 1] as number;
    while (g < gcs.length && (gcs[g] as GcPause).end <= start) g++;
    let inGc = 0;
    for (let k = g; k < gcs.length && (gcs[k] as GcPause).start < end; k++) {
      const pause = gcs[k] as GcPause;
      inGc += Math.min(end, pause.end) - Math.max(start, pause.start);
    }
    const own = (latencies[i] as number) - inGc * 1e6;
    if (own > maxExcludingGcNs) maxExcludingGcNs = own;
  }
  latencies.sort();
  return {
    medianNs: quantile(latencies, 0.5),
    p99Ns: quantile(latencies, 0.99),
    p999Ns: quantile(latencies, 0.999),
    p9999Ns: quantile(latencies, 0.9999),
    maxNs: latencies[n - 1] as number,
    maxExcludingGcNs,
    over1ms,
    worst: pauses,
  };
}

/** Fills a native `Map`, a timestamp after every insert. */
function fillMap(keys: readonly string[], stamps: Float64Array, progress: (text: string) => void): Map<string, number> {
  const map = new Map<string, number>();
  const n = keys.length;
  stamps[0] = performance.now();
  for (let i = 0; i < n; i++) {
    map.set(keys[i] as string, i);
    stamps[i + 1] = performance.now();
    if ((i & REPORT_MASK) === REPORT_MASK) progress(`${((i + 1) / 1e6).toFixed(0)}M entries`);
  }
  return map;
}

/** Fills a starshard map, a timestamp after every insert. */
function fillStarshard(
  keys: readonly string[],
  shards: number,
  stamps: Float64Array,
  progress: (text: string) => void,
): ShardedHashMap<string, number> {
  const map = new ShardedHashMap<string, number>(shards);
  const n = keys.length;
  stamps[0] = performance.now();
  for (let i = 0; i < n; i++) {
    map.insert(keys[i] as string, i);
    stamps[i + 1] = performance.now();
    if ((i & REPORT_MASK) === REPORT_MASK) progress(`${((i + 1) / 1e6).toFixed(0)}M entries`);
  }
  return map;
}

/**
 * Fills an empty native `Map` or starshard map with `"key:" + i`, timing every insert, and
 * measures the heap the filled map holds.
 *
 * @example
 * await runWorkload2Job({ kind: 'workload2', subject: 'starshard', entries: 1_000_000, shards: 64 }, console.error);
 */
export async function runWorkload2Job(job: Workload2Job, progress: (text: string) => void): Promise<Workload2Result> {
  const n = job.entries;
  progress('building keys');
  // "key:" + i is under 13 characters: V8 builds it flat (no rope to flatten).
  const keys = Array.from({ length: n }, (_, i) => `key:${i}`);
  const stamps = new Float64Array(n + 1);
  const timerNs = timerCost(stamps);
  stamps.fill(0);

  const gcs: GcPause[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });
  const before = heapAfterGc();
  observer.observe({ entryTypes: ['gc'] });
  let held: number;
  let verified: boolean;
  let balance: Workload2Result['balance'];
  let filled: unknown; // the map, kept reachable until the heap is read
  const mid = n >> 1;
  if (job.subject === 'map') {
    const map = fillMap(keys, stamps, progress);
    filled = map;
    held = map.size;
    verified =
      held === n && map.get('key:0') === 0 && map.get(`key:${mid}`) === mid && map.get(`key:${n - 1}`) === n - 1;
  } else {
    const map = fillStarshard(keys, job.shards, stamps, progress);
    filled = map;
    held = map.len();
    verified =
      held === n && map.get('key:0') === 0 && map.get(`key:${mid}`) === mid && map.get(`key:${n - 1}`) === n - 1;
    balance = starshardBalance(map);
  }
  const fillMs = (stamps[n] as number) - (stamps[0] as number);
  // The observer receives the fill's GC entries some milliseconds after the synchronous loop.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const fillGcs = gcs.filter((gc) => gc.start < (stamps[n] as number)).sort((a, b) => a.start - b.start);
  const heapDeltaBytes = heapAfterGc() - before;
  progress('latencies');
  const latency = latencyOf(stamps, n, fillGcs);
  return {
    subject: job.subject,
    entries: held,
    fillMs,
    timerNs,
    latency,
    gc: {
      count: fillGcs.length,
      totalMs: fillGcs.reduce((sum, gc) => sum + (gc.end - gc.start), 0),
      maxMs: fillGcs.reduce((max, gc) => Math.max(max, gc.end - gc.start), 0),
    },
    heapDeltaBytes,
    bytesPerEntry: heapDeltaBytes / held,
    ...(balance === undefined ? {} : { balance }),
    // Reading `filled` here keeps the map alive until the heap was read.
    verified: verified && filled !== undefined,
  };
}
