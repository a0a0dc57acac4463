// The child side of workload 9, after packages/rebalance/scripts/measure.ts: fill a map composed
// with `rebalance`, then rebalance it while a reader serves checked gets, a batch per event-loop
// turn, with perf_hooks.monitorEventLoopDelay recording how late the loop ran.

import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { ShardedHashMap } from '@starshard/core';
import { rebalance } from '@starshard/rebalance';
import type { Workload9Job, Workload9Result } from './job.js';

const Rebalanced = ShardedHashMap.with(rebalance);

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fills a map of `job.from` shards with `"key:" + i`, then rebalances it to `job.to`
 * (stop-the-world, or in the background with `maxPauseNs`) while a reader serves
 * `readsPerTurn` checked gets per event-loop turn; reports the event loop's delays.
 *
 * @example
 * await runWorkload9Job({ kind: 'workload9', strategy: 'background', entries: 1e6, from: 64, to: 256, maxPauseNs: 2e6, readsPerTurn: 200 }, console.error);
 */
export async function runWorkload9Job(job: Workload9Job, progress: (text: string) => void): Promise<Workload9Result> {
  const n = job.entries;
  progress(`filling ${n.toLocaleString('en-US')} entries`);
  const keys = JSON.parse(JSON.stringify(Array.from({ length: n }, (_, i) => `key:${i}`))) as string[];
  const map = new Rebalanced<string, number>(job.from);
  for (let i = 0; i < n; i++) map.insert(keys[i] as string, i);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(50);

  const pauses: { start: number; duration: number }[] = [];
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, duration: entry.duration });
  });
  gcs.observe({ entryTypes: ['gc'] });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let reads = 0;
  let wrong = 0;
  let maxGapMs = 0;
  let turns = 0;
  let longTurns = 0;
  let running = true;
  let counting = false; // turn gaps: from the rebalance's start to the end of the window
  let rebalancing = false; // gets served: while the rebalance runs
  const reader = (async () => {
    let last = performance.now();
    for (let turn = 0; running; turn++) {
      for (let j = 0; j < job.readsPerTurn; j++) {
        const i = (turn * 7919 + j * 104_729) % n;
        if (map.get(keys[i] as string) !== i) wrong++;
        if (rebalancing) reads++;
      }
      await nextTurn();
      const now = performance.now();
      if (counting) {
        maxGapMs = Math.max(maxGapMs, now - last);
        turns++;
        if (now - last > 5) longTurns++;
      }
      last = now;
    }
  })();
  await sleep(20); // the reader is running
  progress(`rebalancing ${job.from} → ${job.to} (${job.strategy})`);
  // The histogram's timer takes its first reading some turns after enable(): started right
  // before a blocking call, it would miss the block. So it runs for 20 ms first.
  histogram.enable();
  await sleep(20);
  const windowStart = performance.now();
  counting = true;
  rebalancing = true;
  const report =
    job.strategy === 'background'
      ? await map.rebalanceTo(job.to, { background: true, maxPauseNs: job.maxPauseNs })
      : await new Promise<ReturnType<typeof map.rebalanceTo>>((resolve) =>
          // On its own turn, as a request handler would run it; the reader keeps its turns around it.
          setImmediate(() => resolve(map.rebalanceTo(job.to))),
        );
  rebalancing = false;
  // More reader turns, so a pause at the end is seen by the histogram and the reader.
  await nextTurn();
  await sleep(20);
  histogram.disable();
  const windowEnd = performance.now();
  counting = false;
  running = false;
  await reader;
  await sleep(50); // the observer receives the window's GC entries
  gcs.disconnect();
  const inWindow = pauses.filter((p) => p.start >= windowStart && p.start < windowEnd);
  let complete = map.len() === n && map.shardCount() === job.to;
  for (let i = 0; i < n; i += 997) if (map.get(keys[i] as string) !== i) complete = false;
  return {
    strategy: job.strategy,
    movedEntries: report.movedEntries,
    elapsedMs: report.elapsedMs,
    maxDelayMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    meanDelayMs: histogram.mean / 1e6,
    maxGapMs,
    longTurnShare: turns === 0 ? 0 : longTurns / turns,
    readsServed: reads,
    gc: { count: inWindow.length, maxMs: inWindow.reduce((max, p) => Math.max(max, p.duration), 0) },
    verified: wrong === 0 && complete && report.movedEntries === n,
  };
}
