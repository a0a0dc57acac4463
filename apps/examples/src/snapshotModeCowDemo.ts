// SnapshotMode.Cow: a snapshot captures the shard references only (O(shards), whatever the
// size); the first write to a shard after a snapshot copies that one shard, and later writes to
// it pay nothing until the next snapshot. Port of the seed's `snapshot_mode_cow_demo`.
// Run it with `pnpm example snapshot-mode-cow-demo` from the repository root.
import { ShardedHashMap } from '@starshard/core';
import { SnapshotMode, snapshot } from '@starshard/snapshot';

const SnapMap = ShardedHashMap.with(snapshot);
const n = 1_000_000;

const time = <T>(f: () => T): [T, number] => {
  const t0 = process.hrtime.bigint();
  const out = f();
  return [out, Number(process.hrtime.bigint() - t0) / 1e6];
};
const fill = (mode: SnapshotMode) => {
  const m = SnapMap.withSnapshotMode<string, number>(64, mode);
  for (let i = 0; i < n; i++) m.insert(`key:${i}`, i);
  return m;
};

const cow = fill(SnapshotMode.Cow);
console.log(
  'mode:',
  cow.snapshotMode(),
  `— ${cow.len().toLocaleString('en-US')} entries in ${cow.shardCount()} shards`,
);

cow.snapshot(); // warm up the code path once (a first call runs unoptimized code)
cow.insert('key:0', 0); // a write: the next snapshot() is a new capture, not the same object
const [snap, takeMs] = time(() => cow.snapshot());
console.log(`Cow snapshot: ${takeMs.toFixed(3)} ms (captures ${cow.shardCount()} shard references)`);

// The first write to a shard copies it (about n / 64 entries); the next writes there are plain writes.
const [, firstMs] = time(() => cow.insert('key:1', -1));
const [, secondMs] = time(() => cow.insert('key:1', -2));
console.log(
  `first write after the snapshot: ${firstMs.toFixed(3)} ms (copies one shard), second: ${secondMs.toFixed(3)} ms`,
);
console.log(`the snapshot still reads key:1 = ${snap.get('key:1')}; the map reads ${cow.get('key:1')}`);

// Even clear() leaves the snapshot alone.
cow.clear();
console.log(`after clear(): map size ${cow.len()}, snapshot size ${snap.size.toLocaleString('en-US')}`);

// The same snapshot in Clone mode copies every entry.
const clone = fill(SnapshotMode.Clone);
const [, cloneMs] = time(() => clone.snapshot());
console.log(
  `Clone snapshot of the same map: ${cloneMs.toFixed(1)} ms — Cow is ${(cloneMs / takeMs).toFixed(0)}x faster`,
);
