// BENCH.md workload 9, quick check (not a test, not the bench app): rebalance 1M entries
// 64 → 256 stop-the-world (its pause) vs in the background with maxPauseNs 2e6 while reads are
// served (the event loop's max delay, perf_hooks.monitorEventLoopDelay; target ≤ 5 ms).
//
//   pnpm --filter @starshard/rebalance run measure   (after building; runs tsx from apps/examples)
//   ENTRIES=200000 ROUNDS=1 pnpm --filter @starshard/rebalance run measure
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { ShardedHashMap } from '@starshard/core';
import { rebalance } from '../src/index.js';
import type { RebalanceHost } from '../src/rebalanceHost.js';
import { rebalanceHostKey } from '../src/rebalanceHostKey.js';

const ENTRIES = Number(process.env.ENTRIES) || 1_000_000;
const ROUNDS = Number(process.env.ROUNDS) || 5;
const FROM = 64;
const TO = 256;
const Rebalanced = ShardedHashMap.with(rebalance);

function filled() {
  const map = new Rebalanced<string, number>(FROM);
  for (let i = 0; i < ENTRIES; i++) map.insert(`key:${i}`, i);
  return map;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Stop-the-world: the whole rebalance is one pause. */
function stopTheWorld(): number {
  const map = filled();
  const report = map.rebalanceTo(TO);
  if (report.movedEntries !== ENTRIES || map.len() !== ENTRIES) throw new Error('lost entries');
  return report.elapsedMs;
}

/** Background, while a reader serves 200 gets per event-loop turn (and checks each). */
async function background(batchSize: number) {
  const map = filled();
  if (globalThis.gc) globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Time each step (our own work) and each GC pause, to tell them apart from other delays.
  const steps: number[] = [];
  const own = map as unknown as { [rebalanceHostKey](): RebalanceHost };
  const hostOf = own[rebalanceHostKey].bind(map);
  own[rebalanceHostKey] = () => {
    const host = hostOf();
    const step = host.step;
    host.step = (maxEntries, maxPauseNs) => {
      const began = performance.now();
      step(maxEntries, maxPauseNs);
      steps.push(performance.now() - began);
    };
    return host;
  };
  let gcMax = 0;
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMax = Math.max(gcMax, entry.duration);
  });
  gcs.observe({ entryTypes: ['gc'] });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let reads = 0;
  let maxGapMs = 0;
  let turns = 0;
  let longTurns = 0;
  let running = true;
  const reader = (async () => {
    let last = performance.now();
    for (let turn = 0; running; turn++) {
      for (let j = 0; j < 200; j++) {
        const i = (turn * 7919 + j * 104_729) % ENTRIES;
        if (map.get(`key:${i}`) !== i) throw new Error(`key:${i} unreachable mid-migration`);
        reads++;
      }
      await nextTurn();
      const now = performance.now();
      maxGapMs = Math.max(maxGapMs, now - last);
      turns++;
      if (now - last > 5) longTurns++;
      last = now;
    }
  })();
  histogram.enable();
  const report = await map.rebalanceTo(TO, { background: true, maxPauseNs: 2e6, batchSize });
  histogram.disable();
  running = false;
  await reader;
  await new Promise((resolve) => setTimeout(resolve, 10));
  gcs.disconnect();
  steps.sort((a, b) => a - b);
  if (report.movedEntries !== ENTRIES || map.len() !== ENTRIES) throw new Error('lost entries');
  return {
    elapsedMs: report.elapsedMs,
    maxDelayMs: histogram.max / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    maxGapMs,
    longTurnShare: longTurns / turns,
    longestStepMs: steps[steps.length - 1] ?? 0,
    p99StepMs: steps[Math.floor(steps.length * 0.99)] ?? 0,
    gcMaxMs: gcMax,
    readsPerMs: reads / report.elapsedMs,
  };
}

const stw: number[] = [];
for (let r = 0; r < ROUNDS; r++) stw.push(stopTheWorld());
console.log(`${ENTRIES.toLocaleString('en')} entries, ${FROM} → ${TO} shards, Node ${process.version}`);
console.log(
  `stop-the-world: pause ${median(stw).toFixed(1)} ms (median of ${ROUNDS}: ${stw.map((x) => x.toFixed(0)).join(', ')})`,
);
for (const batchSize of [1024, Number.POSITIVE_INFINITY]) {
  const runs: Awaited<ReturnType<typeof background>>[] = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await background(batchSize));
  const pick = (f: (x: (typeof runs)[number]) => number) => median(runs.map(f));
  console.log(
    `background (maxPauseNs 2e6, batchSize ${batchSize}): total ${pick((x) => x.elapsedMs).toFixed(0)} ms, ` +
      `event-loop max delay ${pick((x) => x.maxDelayMs).toFixed(2)} ms (worst run ${Math.max(...runs.map((x) => x.maxDelayMs)).toFixed(2)}), ` +
      `p99 ${pick((x) => x.p99DelayMs).toFixed(2)} ms, longest gap between reader turns ${pick((x) => x.maxGapMs).toFixed(2)} ms ` +
      `(${(100 * pick((x) => x.longTurnShare)).toFixed(2)}% of turns over 5 ms), ${pick((x) => x.readsPerMs).toFixed(0)} reads/ms served; ` +
      `steps: p99 ${pick((x) => x.p99StepMs).toFixed(2)} ms, longest ${pick((x) => x.longestStepMs).toFixed(2)} ms; ` +
      `longest GC pause ${pick((x) => x.gcMaxMs).toFixed(2)} ms`,
  );
}
