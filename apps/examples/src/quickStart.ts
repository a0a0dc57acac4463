// The quick start: the seed README's basic sync usage, in TypeScript.
// Run it with `pnpm start` from the repository root (or `pnpm example quick-start`).
import { DEFAULT_SHARDS, ShardCountError, ShardedHashMap } from '@starshard/core';

// Start with the default sync map (64 shards, allocated lazily on first write).
const m = new ShardedHashMap<string, number>(DEFAULT_SHARDS);
m.insert('k1', 10);
console.log("m.get('k1') =", m.get('k1')); // 10
console.log('m.len() =', m.len()); // 1

// Batch and compute operations, named after the Rust crate's.
const added = m.batchInsert([
  ['k2', 20],
  ['k3', 30],
]);
console.log('batchInsert added', added, 'keys; batchGet =', m.batchGet(['k1', 'k2', 'missing']));
console.log(
  "computeIfPresent('k1', v => v + 1) =",
  m.computeIfPresent('k1', (v) => v + 1),
); // 11
console.log(
  "computeIfAbsent('k4', () => 40) =",
  m.computeIfAbsent('k4', () => 40),
); // 40
console.log(
  'retain(v >= 20) removed',
  m.retain((_k, v) => v >= 20),
  'entries',
); // k1 (11) goes
console.log("remove('k2') =", m.remove('k2')); // 20

// It stands where a Map is used: set / has / delete / size / iteration (snapshots).
m.set('k5', 50).set('k6', 60);
console.log('as a Map:', new Map(m), 'size', m.size);

// Shards are allocated on the first write routed to them; stats show the spread.
const stats = m.shardStats();
console.log(
  `shards: ${stats.initialized} of ${stats.total} allocated (${m.shardUtilization().toFixed(1)}%),`,
  `max load ${stats.maxLoad}, avg ${stats.avgLoad.toFixed(2)}`,
);

// Strict constructors reject shard counts from untrusted input instead of clamping them.
try {
  ShardedHashMap.tryWithShardsAndHasherCapped(0, undefined, 10);
} catch (error) {
  if (error instanceof ShardCountError) {
    console.log(`strict constructor: ${error.code} requested=${error.requested} maxAllowed=${error.maxAllowed}`);
  }
}

// A map is not bounded by V8's 2^24-entry Map limit: this one holds 100k keys in 64 Maps.
const big = new ShardedHashMap<number, number>(64);
for (let i = 0; i < 100_000; i++) big.insert(i, i * 2);
console.log(`big map: ${big.len()} entries, get(99_999) = ${big.get(99_999)}`);
