// A background rebalance of a large map: 64 → 256 shards online, one bounded step per
// event-loop turn, while a "server" keeps answering reads (and a few writes) and a timer prints
// progress. Run it with `pnpm example background-rebalance` from the repository root
// (`ENTRIES=200000 pnpm example background-rebalance` for a smaller map).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ShardedHashMap } from '@starshard/core';
import { rebalance } from '@starshard/rebalance';

const ENTRIES = Number(process.env.ENTRIES) || 1_000_000;
const Rebalanced = ShardedHashMap.with(rebalance);
const sessions = new Rebalanced<string, number>(64);
for (let i = 0; i < ENTRIES; i++) sessions.insert(`session:${i}`, i);
console.log(`${sessions.len().toLocaleString('en')} sessions in ${sessions.shardCount()} shards`);

// The "server": every event-loop turn it answers 200 reads (each checked) and one write.
let served = 0;
let running = true;
const server = (async () => {
  for (let turn = 0; running; turn++) {
    for (let j = 0; j < 200; j++) {
      const i = (turn * 7919 + j * 104_729) % ENTRIES;
      const value = sessions.get(`session:${i}`);
      if (value !== i && value !== -i) throw new Error(`session:${i} unreachable during the rebalance`);
      served++;
    }
    sessions.insert(`session:${turn % ENTRIES}`, -(turn % ENTRIES)); // a write: lands in the new layout
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
})();

// Progress, every 50 ms, from the synchronous status.
const progress = setInterval(() => {
  const { state, progress: done, movedShards, totalShards, movedEntries } = sessions.rebalanceStatus();
  console.log(
    `  ${state}: ${(done * 100).toFixed(0).padStart(3)}%, ${movedShards}/${totalShards} source shards, ` +
      `${movedEntries.toLocaleString('en')} entries moved, ${served.toLocaleString('en')} reads served so far`,
  );
}, 50);

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const report = await sessions.rebalanceTo(256, { background: true, maxPauseNs: 2e6 });
delay.disable();
clearInterval(progress);
running = false;
await server;

console.log(
  `done: ${report.fromShards} → ${report.toShards} shards, ${report.movedEntries.toLocaleString('en')} entries moved ` +
    `in ${report.elapsedMs.toFixed(0)} ms, ${served.toLocaleString('en')} reads served meanwhile`,
);
console.log(
  `event loop while rebalancing: max delay ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
);
console.log('len() =', sessions.len().toLocaleString('en'), '| shardStats():', sessions.shardStats());

// For comparison, the same move stop-the-world: one pause for all of it.
const again = sessions.rebalanceTo(64);
console.log(`stop-the-world 256 → 64 for comparison: one pause of ${again.elapsedMs.toFixed(0)} ms`);
