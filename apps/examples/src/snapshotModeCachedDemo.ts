// SnapshotMode.Cached: the snapshot is built once and handed out again (the very same object)
// until a write changes the map. Port of the seed's `snapshot_mode_cached_demo`.
// Run it with `pnpm example snapshot-mode-cached-demo` from the repository root.
import { ShardedHashMap } from '@starshard/core';
import { SnapshotMode, snapshot } from '@starshard/snapshot';

const SnapMap = ShardedHashMap.with(snapshot);
const m = SnapMap.withSnapshotMode<string, number>(64, SnapshotMode.Cached);
console.log('mode:', m.snapshotMode()); // 'cached'

for (let i = 0; i < 100_000; i++) m.insert(`k${i}`, i);

const time = <T>(f: () => T): [T, string] => {
  const t0 = process.hrtime.bigint();
  const out = f();
  return [out, `${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(3)} ms`];
};

const [first, t1] = time(() => m.snapshot());
const [second, t2] = time(() => m.snapshot());
console.log(`first snapshot: ${t1} (builds a copy of ${first.size} entries)`);
console.log(`second snapshot: ${t2}, same object: ${first === second}`); // true

// What writes nothing keeps the cache: reads, removing an absent key, computeIfAbsent of a present key.
m.get('k1');
m.remove('no such key');
m.computeIfAbsent('k1', () => -1);
console.log('after operations that write nothing, still the same object:', m.snapshot() === first);

// A write advances the write epoch; the next snapshot is rebuilt.
m.insert('k1', 111);
const [third, t3] = time(() => m.snapshot());
console.log(`after a real write: new object ${third !== first}, version ${first.version} -> ${third.version}, ${t3}`);
console.log(`old snapshot still says k1 = ${first.get('k1')}, new one says ${third.get('k1')}`);
