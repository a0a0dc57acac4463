// Quick measurements of the snapshot plugin (BENCH.md workloads 7 and 8), on the built package:
//   pnpm --filter @starshard/snapshot run build && node packages/snapshot/scripts/measure.mjs
//     [--quick] [--rounds=N] [--only=cost,reads,plain,iter,mixed]
// Every figure is a ratio against an anchor measured in the same run; each implementation runs
// in its own child process (monomorphic call sites for everyone), alternating, medians taken.
// Not a test: nothing here asserts a duration. apps/bench owns the full benchmark suite.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ShardedHashMap } from '@starshard/core';
import { SnapshotMode, snapshot } from '../dist/index.js';

const self = fileURLToPath(import.meta.url);
const quick = process.argv.includes('--quick');
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROUNDS = Number(flag('rounds')) || (quick ? 3 : 5); // child processes per implementation, alternating
const only = flag('only')?.split(',');
const section = (name) => only === undefined || only.includes(name);

// ---- Helpers (children) ----

/** mulberry32: reproducible pseudo-random numbers. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Flat (not rope) key strings: `"key:" + i` built by `+` longer than 12 chars are ropes until flattened. */
const key = (i) => `key:${i}`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const now = () => process.hrtime.bigint();
const ns = (t0) => Number(now() - t0);
const gc = () => globalThis.gc?.();

const Snap = ShardedHashMap.with(snapshot);

function filled(kind, n, shards = 64) {
  const map =
    kind === 'core' ? new ShardedHashMap(shards, { seed: 1 }) : new Snap(shards, { seed: 1, snapshotMode: kind });
  for (let i = 0; i < n; i++) map.insert(key(i), i);
  return map;
}

function lookups(n, count, seed) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) out.push(key(Math.floor(r() * n)));
  return out;
}

// ---- Cases (each runs in a child process, prints one JSON line) ----

const cases = {
  /** Time of snapshot() on a map of n entries, right after a write (so it cannot be reused). */
  snapshotCost({ mode, n }) {
    const map = filled(mode, n);
    const reps = mode === SnapshotMode.Cow ? 301 : 9;
    const times = [];
    const unchanged = [];
    const firstWrite = [];
    const laterWrite = [];
    let keep;
    for (let rep = 0; rep < reps; rep++) {
      map.insert(key(rep % n), -rep - 1);
      // No forced gc() here: the first allocations after one are slow (measured ~100 µs), which
      // would swamp an O(shards) capture. Clone's collections count: they are its cost.
      let t0 = now();
      keep = map.snapshot();
      times.push(ns(t0));
      t0 = now();
      map.snapshot();
      unchanged.push(ns(t0));
      t0 = now();
      map.insert(key((rep * 7919) % n), rep); // first write to its shard after the snapshot
      firstWrite.push(ns(t0));
      t0 = now();
      map.insert(key((rep * 7919) % n), rep + 1); // the same shard again
      laterWrite.push(ns(t0));
    }
    return {
      snapshotNs: median(times.slice(2)),
      unchangedNs: median(unchanged.slice(2)),
      firstWriteNs: median(firstWrite.slice(2)),
      laterWriteNs: median(laterWrite.slice(2)),
      size: keep.size,
    };
  },

  /** ns per get: live reads of the map, or reads through a snapshot of it. */
  reads({ mode, n, target }) {
    const map = filled(mode, n);
    const keys = lookups(n, 1_000_000, 7);
    const snap = map.snapshot();
    const source = target === 'live' ? map : snap;
    let sum = 0;
    const times = [];
    for (let rep = 0; rep < 11; rep++) {
      const t0 = now();
      for (let i = 0; i < keys.length; i++) sum += source.get(keys[i]);
      times.push(ns(t0) / keys.length);
    }
    return { nsPerOp: median(times.slice(2)), check: sum > 0 };
  },

  /** ns per op of the plain map: get, update (insert over a present key), fill (insert of new keys). */
  plain({ impl, op, n }) {
    const times = [];
    let sum = 0;
    if (op === 'fill') {
      const keys = Array.from({ length: n }, (_, i) => key(i));
      const maps = Math.max(1, Math.round(200_000 / n)); // fills per timing: enough work to time
      for (let rep = 0; rep < 12; rep++) {
        const made = [];
        gc?.();
        const t0 = now();
        for (let m = 0; m < maps; m++) {
          const map = impl === 'core' ? new ShardedHashMap(64, { seed: 1 }) : new Snap(64, { seed: 1 });
          for (let i = 0; i < keys.length; i++) map.insert(keys[i], i);
          made.push(map);
        }
        times.push(ns(t0) / (maps * keys.length));
        sum += made.length;
      }
    } else {
      const map = filled(impl === 'core' ? 'core' : SnapshotMode.Clone, n);
      const keys = lookups(n, 1_000_000, 11);
      for (let rep = 0; rep < 12; rep++) {
        const t0 = now();
        if (op === 'get') for (let i = 0; i < keys.length; i++) sum += map.get(keys[i]);
        else for (let i = 0; i < keys.length; i++) map.insert(keys[i], rep + i);
        times.push(ns(t0) / keys.length);
      }
    }
    return { nsPerOp: median(times.slice(2)), check: sum >= 0 };
  },

  /** ms to walk every entry with for...of map.iter(). */
  iterate({ impl, n }) {
    const map = filled(impl, n);
    const times = [];
    let sum = 0;
    for (let rep = 0; rep < 7; rep++) {
      map.insert(key(rep), -rep - 1); // a write: a new epoch, no reuse in Cached/Cow
      gc?.();
      const t0 = now();
      for (const [, v] of map.iter()) sum += v;
      times.push(ns(t0) / 1e6);
    }
    return { ms: median(times.slice(1)), check: sum > 0 };
  },

  /**
   * A mixed workload (BENCH.md workload 8) on a map of n entries: `ops` operations, a share
   * `writes` of them inserts over random keys (the rest gets), and a snapshot every `every`
   * operations, read by 64 gets. Total ms.
   */
  mixed({ mode, n, ops, writes, every }) {
    const map = filled(mode, n);
    const times = [];
    let sum = 0;
    for (let rep = 0; rep < 6; rep++) {
      const r = rng(100 + rep);
      const plan = Array.from({ length: ops }, () => [r() < writes, key(Math.floor(r() * n)), Math.floor(r() * 1e6)]);
      const probes = lookups(n, 64, rep);
      gc?.();
      const t0 = now();
      for (let i = 0; i < ops; i++) {
        const [write, k, v] = plan[i];
        if (write) map.insert(k, v);
        else sum += map.get(k) ?? 0;
        if (i % every === every - 1) {
          const snap = map.snapshot();
          for (const p of probes) sum += snap.get(p) ?? 0;
        }
      }
      times.push(ns(t0) / 1e6);
    }
    return { ms: median(times.slice(1)), check: sum > 0 };
  },
};

// ---- Orchestration (parent) ----

function child(name, args) {
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', self, '--case', name, JSON.stringify(args)],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`${name} ${JSON.stringify(args)} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

/**
 * Runs each variant `rounds` times, alternating; returns per variant the median of each field,
 * and in `runs` every round's result (for ratios per round and their spread).
 */
function compare(name, variants, rounds = ROUNDS) {
  const runs = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, args] of variants.entries()) runs[i].push(child(name, args));
  }
  return runs.map((list) => {
    const out = { runs: list };
    for (const field of Object.keys(list[0])) {
      out[field] = typeof list[0][field] === 'number' ? median(list.map((x) => x[field])) : list[0][field];
    }
    return out;
  });
}

/**
 * `b / a` for `field`: the ratio of the medians, the range of the per-round ratios, and the
 * ratio of the best (lowest) rounds, the least disturbed by other load on a shared machine.
 */
function ratio(a, b, field) {
  const per = a.runs.map((x, i) => b.runs[i][field] / x[field]);
  const best = (r) => Math.min(...r.runs.map((x) => x[field]));
  return `${fmt(b[field] / a[field], 2)}× (${fmt(Math.min(...per), 2)}–${fmt(Math.max(...per), 2)}); best ${fmt(best(b) / best(a), 2)}×`;
}

const fmt = (x, digits = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const us = (nanos) => `${fmt(nanos / 1e3, 1)} µs`;
const msOf = (nanos) => `${fmt(nanos / 1e6, 1)} ms`;

function main() {
  const big = quick ? 200_000 : 1_000_000;
  console.log(`# @starshard/snapshot measurements (Node ${process.versions.node}${quick ? ', --quick' : ''})\n`);

  // Workload 7a: the cost of a snapshot.
  if (section('cost')) snapshotCosts(big);
  if (section('reads')) reads(big);
  if (section('plain')) plain();
  if (section('iter')) iteration(big);
  if (section('mixed')) mixed();
}

function snapshotCosts(big) {
  const [clone, cached, cow] = compare('snapshotCost', [
    { mode: 'clone', n: big },
    { mode: 'cached', n: big },
    { mode: 'cow', n: big },
  ]);
  console.log(`## Snapshot of ${big.toLocaleString('en-US')} entries, 64 shards (right after a write)\n`);
  console.log('| mode | snapshot() | again, unchanged | 1st write to a shard after it | 2nd write there |');
  console.log('|---|---|---|---|---|');
  for (const [name, r] of [
    ['Clone', clone],
    ['Cached', cached],
    ['Cow', cow],
  ]) {
    console.log(
      `| ${name} | ${r.snapshotNs > 1e6 ? msOf(r.snapshotNs) : us(r.snapshotNs)} | ${r.unchangedNs > 1e6 ? msOf(r.unchangedNs) : us(r.unchangedNs)} | ${us(r.firstWriteNs)} | ${us(r.laterWriteNs)} |`,
    );
  }
  console.log(`\nCow snapshot is ${fmt(clone.snapshotNs / cow.snapshotNs, 0)}× faster than Clone (target ≥ 100×).\n`);
}

/** Workload 7b: reads through a snapshot vs live reads. */
function reads(big) {
  console.log('## Reads: through a snapshot vs live (ns per get, random keys)\n');
  console.log(
    '| entries | live get | Clone snapshot get | ratio (spread); best runs | Cow snapshot get | ratio (spread); best runs |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const n of [1_000, big]) {
    const [live, cloneSnap, liveCow, cowSnap] = compare('reads', [
      { mode: 'clone', n, target: 'live' },
      { mode: 'clone', n, target: 'snapshot' },
      { mode: 'cow', n, target: 'live' },
      { mode: 'cow', n, target: 'snapshot' },
    ]);
    console.log(
      `| ${n.toLocaleString('en-US')} | ${fmt(live.nsPerOp)} | ${fmt(cloneSnap.nsPerOp)} | ${ratio(live, cloneSnap, 'nsPerOp')} | ${fmt(cowSnap.nsPerOp)} | ${ratio(liveCow, cowSnap, 'nsPerOp')} |`,
    );
  }
}

/** The plain map with the plugin composed in Clone mode vs the core map. */
function plain() {
  console.log('\n## Plain map: the plugin composed in Clone mode vs the core map (ns per op, 64 shards)\n');
  console.log('| op | keys | core | with snapshot (Clone) | ratio (spread); best runs |');
  console.log('|---|---|---|---|---|');
  for (const op of ['get', 'update', 'fill']) {
    for (const n of [1_000, 100_000]) {
      const [core, snap] = compare(
        'plain',
        [
          { impl: 'core', op, n },
          { impl: 'snap', op, n },
        ],
        ROUNDS + 2,
      );
      console.log(
        `| ${op} | ${n.toLocaleString('en-US')} | ${fmt(core.nsPerOp)} | ${fmt(snap.nsPerOp)} | ${ratio(core, snap, 'nsPerOp')} |`,
      );
    }
  }
}

/** Iteration follows the mode. */
function iteration(big) {
  console.log(`\n## for...of map.iter() over ${big.toLocaleString('en-US')} entries (ms, after a write)\n`);
  const iters = compare(
    'iterate',
    ['core', 'clone', 'cached', 'cow'].map((impl) => ({ impl, n: big })),
  );
  console.log('| core | Clone | Cached | Cow |');
  console.log('|---|---|---|---|');
  console.log(`| ${iters.map((r) => fmt(r.ms)).join(' | ')} |`);
}

/** Workload 8: the seed's three mixed workloads × three modes. */
function mixed() {
  const n = 100_000;
  const ops = quick ? 10_000 : 20_000;
  const workloads = [
    { name: 'low write + high snapshot', writes: 0.01, every: 50 },
    { name: 'medium write + medium snapshot', writes: 0.2, every: 500 },
    { name: 'high write + low snapshot', writes: 0.8, every: 5_000 },
  ];
  console.log(
    `\n## Mixed workloads: ${ops.toLocaleString('en-US')} ops on ${n.toLocaleString('en-US')} entries, 64 shards (total ms; each snapshot read by 64 gets)\n`,
  );
  console.log('| workload | writes | snapshot every | Clone | Cached | Cow | fastest |');
  console.log('|---|---|---|---|---|---|---|');
  for (const w of workloads) {
    const results = compare(
      'mixed',
      ['clone', 'cached', 'cow'].map((mode) => ({ mode, n, ops, writes: w.writes, every: w.every })),
    );
    const best = results.reduce((b, r, i) => (r.ms < results[b].ms ? i : b), 0);
    console.log(
      `| ${w.name} | ${w.writes * 100}% | ${w.every} ops | ${results.map((r) => fmt(r.ms)).join(' | ')} | ${['Clone', 'Cached', 'Cow'][best]} |`,
    );
  }
}

const at = process.argv.indexOf('--case');
if (at >= 0) {
  const name = process.argv[at + 1];
  const args = JSON.parse(process.argv[at + 2]);
  console.log(JSON.stringify(cases[name](args)));
} else {
  main();
}
