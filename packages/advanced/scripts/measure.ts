// Quick figures for the README (not a test, not the bench app), each against an anchor measured
// in the same run:
//   1. `get` on a map composed with `advanced` (profiling off, then on) vs the core map:
//      1k and 100k string keys, CPU time, 64 shards, random order; each variant in its own child process, the
//      rounds interleaving the variants.
//   2. 10k concurrent random transfers on the async map: transactions vs the same two updates
//      made without atomicity (two computeIfPresent calls), and on the sync map.
//   3. CAS contention: 100 tasks × 100 CAS increments of one key vs 100 tasks × 100
//      computeIfPresent increments (lock-based read-modify-write).
//
//   pnpm --filter @starshard/advanced run measure      (after building; runs tsx from apps/examples)
//   ROUNDS=3 pnpm --filter @starshard/advanced run measure
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { advanced, Transaction } from '../src/index.js';

const ROUNDS = Number(process.env.ROUNDS) || 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

type GetVariant = 'core' | 'advanced-off' | 'advanced-on';

/**
 * In a child process: CPU nanoseconds per `get` of one variant over `size` keys (3 figures after
 * 2 warm-up rounds). CPU time (`process.cpuUsage`), not wall time: on a shared, loaded machine
 * the time the process spends descheduled would otherwise swamp a difference of a few ns.
 */
function measureGets(variant: GetVariant, size: number): number[] {
  const map =
    variant === 'core'
      ? new ShardedHashMap<string, number>(64)
      : new (ShardedHashMap.with(advanced))<string, number>(64);
  if (variant === 'advanced-on') (map as unknown as { enableProfiling(on: boolean): void }).enableProfiling(true);
  const keys = Array.from({ length: size }, (_, i) => `key:${i}`);
  for (let i = 0; i < size; i++) map.insert(keys[i] as string, i);
  let seed = 1;
  const order = keys.map(() => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return keys[seed % size] as string;
  });
  const reps = Math.max(1, Math.round(2_000_000 / size));
  const out: number[] = [];
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const began = process.cpuUsage();
    for (let rep = 0; rep < reps; rep++)
      for (let i = 0; i < order.length; i++) sink += map.get(order[i] as string) ?? 0;
    const cpu = process.cpuUsage(began);
    if (round >= 2) out.push(((cpu.user + cpu.system) * 1000) / (reps * order.length)); // two warm-up rounds
  }
  if (sink === 42) console.log('');
  return out;
}

function getSection(): void {
  const script = fileURLToPath(import.meta.url);
  const variants = ['core', 'advanced-off', 'advanced-on'] as const;
  for (const size of [1_000, 100_000]) {
    const results = new Map<GetVariant, number[]>(variants.map((v) => [v, []]));
    // Rounds interleave the variants (a rotating order), so that load on the machine hits them alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (let j = 0; j < variants.length; j++) {
        const variant = variants[(round + j) % variants.length] as GetVariant;
        const child = spawnSync(process.execPath, [...process.execArgv, script, 'get', variant, String(size)], {
          encoding: 'utf8',
          env: process.env,
        });
        if (child.status !== 0) throw new Error(`child ${variant} failed: ${child.stderr}`);
        results.get(variant)?.push(median(JSON.parse(child.stdout.trim().split('\n').at(-1) as string)));
      }
    }
    const core = results.get('core') as number[];
    console.log(
      `\n1. get, ${size.toLocaleString('en')} "key:" + i keys, 64 shards, random order ` +
        `(CPU ns/op over ${ROUNDS} child processes per variant: median, min, max)`,
    );
    for (const [variant, xs] of results) {
      console.log(
        `   ${variant.padEnd(13)} median ${median(xs).toFixed(1).padStart(6)}  min ${Math.min(...xs)
          .toFixed(1)
          .padStart(6)}  ` +
          `max ${Math.max(...xs)
            .toFixed(1)
            .padStart(6)}   ratio to core: median ${(median(xs) / median(core)).toFixed(3)}×, ` +
          `min ${(Math.min(...xs) / Math.min(...core)).toFixed(3)}×`,
      );
    }
  }
}

/** Deterministic random numbers (xorshift32). */
function rng(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const ACCOUNTS = 256;
const TRANSFERS = 10_000;

function pairs(seed: number): [string, string, number][] {
  const random = rng(seed);
  return Array.from({ length: TRANSFERS }, () => {
    const a = random(ACCOUNTS);
    return [`acct:${a}`, `acct:${(a + 1 + random(ACCOUNTS - 1)) % ACCOUNTS}`, 1 + random(50)];
  });
}

async function transferRound(kind: 'txn' | 'txn-trust' | 'two-computes' | 'sync-txn', seed: number): Promise<number> {
  const work = pairs(seed);
  if (kind === 'sync-txn') {
    const map = new (ShardedHashMap.with(advanced))<string, number>(64);
    for (let i = 0; i < ACCOUNTS; i++) map.insert(`acct:${i}`, 1000);
    const began = performance.now();
    for (const [from, to, amount] of work) {
      map.executeTransaction(
        new Transaction<string, number>().update(from, (v = 0) => v - amount).update(to, (v = 0) => v + amount),
      );
    }
    const ms = performance.now() - began;
    check([...map.values()]);
    return (TRANSFERS / ms) * 1000;
  }
  const map = new (AsyncShardedHashMap.with(advanced))<string, number>(64, {
    reentrancy: kind === 'txn-trust' ? 'trust' : 'detect',
  });
  for (let i = 0; i < ACCOUNTS; i++) await map.insert(`acct:${i}`, 1000);
  const began = performance.now();
  await Promise.all(
    work.map(([from, to, amount]) =>
      kind !== 'two-computes'
        ? map.executeTransaction(
            new Transaction<string, number>().update(from, (v = 0) => v - amount).update(to, (v = 0) => v + amount),
          )
        : Promise.all([map.computeIfPresent(from, (v) => v - amount), map.computeIfPresent(to, (v) => v + amount)]),
    ),
  );
  const ms = performance.now() - began;
  check(await map.values());
  return (TRANSFERS / ms) * 1000;
}

function check(values: number[]): void {
  if (values.reduce((a, b) => a + b, 0) !== ACCOUNTS * 1000) throw new Error('total not conserved');
}

async function casRound(kind: 'cas' | 'compute'): Promise<{ opsPerS: number; attempts: number }> {
  const map = new (AsyncShardedHashMap.with(advanced))<string, number>(64);
  await map.insert('counter', 0);
  let attempts = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      let current = (await map.get('counter')) as number;
      for (let i = 0; i < 100; i++) {
        if (kind === 'compute') {
          attempts++;
          await map.computeIfPresent('counter', (v) => v + 1);
          continue;
        }
        for (;;) {
          attempts++;
          const r = await map.compareAndSwap('counter', current, current + 1);
          current = r.value as number;
          if (r.success) break;
        }
      }
    }),
  );
  const ms = performance.now() - began;
  if ((await map.get('counter')) !== 10_000) throw new Error('lost increments');
  return { opsPerS: (10_000 / ms) * 1000, attempts };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'get') {
    console.log(JSON.stringify(measureGets(process.argv[3] as GetVariant, Number(process.argv[4]))));
    return;
  }
  console.log(
    `node ${process.version}, ${ROUNDS} rounds each, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  getSection();

  console.log(
    `\n2. ${TRANSFERS / 1000}k concurrent random transfers, ${ACCOUNTS} accounts (transfers/s: median, min–max)`,
  );
  const transfers: Record<string, number[]> = { 'sync-txn': [], txn: [], 'txn-trust': [], 'two-computes': [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['sync-txn', 'txn', 'txn-trust', 'two-computes'] as const)
      transfers[kind]?.push(await transferRound(kind, round + 1));
  }
  const anchor = median(transfers['two-computes'] as number[]);
  const labels: Record<string, string> = {
    'sync-txn': 'sync map, executeTransaction',
    txn: 'async map, executeTransaction',
    'txn-trust': "async map, executeTransaction, reentrancy 'trust'",
    'two-computes': 'async map, 2 × computeIfPresent (not atomic)',
  };
  for (const [kind, xs] of Object.entries(transfers)) {
    console.log(
      `   ${(labels[kind] as string).padEnd(46)} ${Math.round(median(xs)).toLocaleString('en').padStart(9)}/s  ` +
        `(${Math.round(Math.min(...xs)).toLocaleString('en')}–${Math.round(Math.max(...xs)).toLocaleString('en')})  ` +
        `${(median(xs) / anchor).toFixed(2)}× the non-atomic pair`,
    );
  }

  console.log('\n3. 100 tasks × 100 increments of one key, async map (increments/s: median, min–max)');
  for (const kind of ['cas', 'compute'] as const) {
    const rounds: { opsPerS: number; attempts: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await casRound(kind));
    const xs = rounds.map((r) => r.opsPerS);
    const attempts = median(rounds.map((r) => r.attempts));
    console.log(
      `   ${(kind === 'cas' ? 'compareAndSwap retry loop' : 'computeIfPresent (key lock)').padEnd(28)} ` +
        `${Math.round(median(xs)).toLocaleString('en').padStart(9)}/s  (${Math.round(Math.min(...xs)).toLocaleString('en')}–` +
        `${Math.round(Math.max(...xs)).toLocaleString('en')})  ${attempts.toLocaleString('en')} attempts for 10,000 increments`,
    );
  }
}

await main();
