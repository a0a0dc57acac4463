// The three snapshot modes side by side on the seed's three mixed workloads (low write + high
// snapshot, medium + medium, high write + low snapshot): total time per mode, lower is better.
// Port of the seed's `mixed_workload_snapshot_tradeoff_demo`. A quick, single-process run: see
// packages/snapshot/scripts/measure.mjs and the package README for the careful figures.
// Run it with `pnpm example mixed-workload-snapshot-tradeoff-demo` from the repository root.
import { ShardedHashMap } from '@starshard/core';
import { SnapshotMode, snapshot } from '@starshard/snapshot';

const SnapMap = ShardedHashMap.with(snapshot);
const entries = 100_000;
const ops = 10_000;

const workloads = [
  { name: 'low write + high snapshot', writeShare: 0.01, snapshotEvery: 50 },
  { name: 'medium write + medium snapshot', writeShare: 0.2, snapshotEvery: 500 },
  { name: 'high write + low snapshot', writeShare: 0.8, snapshotEvery: 5_000 },
];
const modes = [SnapshotMode.Clone, SnapshotMode.Cached, SnapshotMode.Cow];

/** A reproducible pseudo-random sequence (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function run(mode: SnapshotMode, writeShare: number, snapshotEvery: number): number {
  const m = SnapMap.withSnapshotMode<string, number>(64, mode);
  for (let i = 0; i < entries; i++) m.insert(`key:${i}`, i);
  const r = rng(42);
  let sum = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= ops; i++) {
    const key = `key:${Math.floor(r() * entries)}`;
    if (r() < writeShare) m.insert(key, i);
    else sum += m.get(key) ?? 0;
    if (i % snapshotEvery === 0) {
      const snap = m.snapshot(); // a consistent view, e.g. for a report
      for (let j = 0; j < 64; j++) sum += snap.get(`key:${j}`) ?? 0;
    }
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (sum < 0) console.log(sum); // keep the work observable
  return ms;
}

console.log(
  `${ops.toLocaleString('en-US')} ops on ${entries.toLocaleString('en-US')} entries, 64 shards (ms, lower is better)\n`,
);
console.log(`${'workload'.padEnd(32)}${modes.map((m) => m.padStart(10)).join('')}   fastest`);
for (const w of workloads) {
  run(SnapshotMode.Clone, w.writeShare, w.snapshotEvery); // warm-up
  const times = modes.map((mode) => run(mode, w.writeShare, w.snapshotEvery));
  const best = modes[times.indexOf(Math.min(...times))];
  console.log(`${w.name.padEnd(32)}${times.map((t) => t.toFixed(1).padStart(10)).join('')}   ${best}`);
}
