// The seed's `examples/v210_rebalance.rs`, in TypeScript: a stop-the-world rebalance with its
// report, then an online migration driven step by step while the map keeps answering.
// Run it with `pnpm example v210-rebalance` from the repository root.
import { ShardCountError, ShardedHashMap } from '@starshard/core';
import { rebalance } from '@starshard/rebalance';

// The plugin is opt-in: only maps composed with it have the rebalance methods.
const Rebalanced = ShardedHashMap.with(rebalance);
const m = new Rebalanced<string, number>(8);
for (let i = 0; i < 10_000; i++) m.insert(`user:${i}`, i);

// Stop-the-world: every entry moves now (Rust: `m.rebalance_to(32, RebalanceOptions::default())`).
const report = m.rebalanceTo(32);
console.log(
  `rebalanceTo(32): ${report.fromShards} → ${report.toShards} shards, ${report.movedEntries} entries moved ` +
    `in ${report.elapsedMs.toFixed(1)} ms`,
);
console.assert(report.fromShards === 8 && report.toShards === 32);
console.log('rebalanceTo(32) again moves', m.rebalanceTo(32).movedEntries, 'entries (already 32 shards)');

// Online: writes go to the new layout at once, reads fall back to the old one, and each
// advanceRebalance(2) moves two of the 32 source shards (Rust: `start_rebalance_online`, then
// `advance_rebalance(2)` while `rebalance_status().state == "migrating"`).
m.startRebalanceOnline(128);
let rounds = 0;
while (m.rebalanceStatus().state === 'migrating') {
  const { progress, movedShards, totalShards, movedEntries } = m.rebalanceStatus();
  if (rounds % 4 === 0) {
    console.log(
      `  migrating: ${(progress * 100).toFixed(0).padStart(3)}% (${movedShards}/${totalShards} source shards, ` +
        `${movedEntries} entries moved); get('user:9999') = ${m.get('user:9999')}, len() = ${m.len()}`,
    );
  }
  m.insert(`user:${10_000 + rounds}`, rounds); // writes keep working mid-migration
  m.advanceRebalance(2);
  rounds++;
}
console.log(`online migration to ${m.shardCount()} shards done in ${rounds} steps:`, m.rebalanceStatus());
console.assert(m.rebalanceStatus().state === 'idle' && m.len() === 10_000 + rounds);

// Rebalancing is always strict: a bad count throws and changes nothing.
try {
  m.rebalanceTo(1_000_000);
} catch (error) {
  if (error instanceof ShardCountError) {
    console.log(
      `rebalanceTo(1_000_000): ${error.code} (maxAllowed ${error.maxAllowed}); still ${m.shardCount()} shards`,
    );
  }
}
