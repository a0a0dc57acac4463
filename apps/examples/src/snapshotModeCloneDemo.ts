// SnapshotMode.Clone (the default): every snapshot is a fresh copy of the entries, O(n) to take;
// writes pay nothing extra. Port of the seed's `snapshot_mode_clone_demo`.
// Run it with `pnpm example snapshot-mode-clone-demo` from the repository root.
import { ShardedHashMap } from '@starshard/core';
import { SnapshotMode, snapshot } from '@starshard/snapshot';

const SnapMap = ShardedHashMap.with(snapshot);
const m = SnapMap.withSnapshotMode<string, number>(64, SnapshotMode.Clone);
console.log('mode:', m.snapshotMode()); // 'clone'

for (let i = 0; i < 10; i++) m.insert(`k${i}`, i);

// A snapshot is a read-only view of the entries as they are now.
const snap = m.snapshot();
console.log(`snapshot: size ${snap.size}, version ${snap.version}, k3 = ${snap.get('k3')}`);

// The map keeps changing; the snapshot does not.
m.insert('k3', 300);
m.remove('k4');
m.insert('k10', 10);
console.log(`after writes: live k3 = ${m.get('k3')}, snapshot k3 = ${snap.get('k3')}`);
console.log(`live has k4: ${m.contains('k4')}, snapshot has k4: ${snap.has('k4')}`);
console.log(
  `live size ${m.len()} (version ${m.snapshotVersion()}), snapshot size ${snap.size} (version ${snap.version})`,
);

// Clone rebuilds on every call, even when nothing changed: two calls, two copies.
const a = m.snapshot();
const b = m.snapshot();
console.log('two snapshots without a write in between are the same object:', a === b); // false
console.log('...but hold the same entries, same version:', a.version === b.version);

// Iteration (iter/keys/values/for...of) copies the entries the same way.
const total = [...m.values()].reduce((x, y) => x + y, 0);
console.log('sum of values:', total);
console.log('first entries of the snapshot, exported:', snap.toArray().slice(0, 3));
