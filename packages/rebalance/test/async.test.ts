// The async facet: the same rebalance on AsyncShardedHashMap.with(rebalance), layout switches
// under the whole-map lock, and concurrent tasks that lose nothing while a background rebalance runs.
import { AsyncShardedHashMap, LockReentrancyError } from '@starshard/async';
import { InvalidArgumentError, ShardCountError } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { RebalanceSupersededError, rebalance } from '../src/index.js';

const AsyncRebalanced = AsyncShardedHashMap.with(rebalance);
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const IDLE = { shardLocks: 0, keyLocks: 0, pendingLoads: 0, waiting: 0, idle: true };

/** A tiny seeded PRNG (mulberry32), so that every run interleaves the same way. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function filled(shards: number, n: number, reentrancy: 'detect' | 'trust' = 'detect') {
  const map = new AsyncRebalanced<string, number>(shards, { seed: 2, reentrancy });
  await map.batchInsert(Array.from({ length: n }, (_, i) => [`key:${i}`, i] as [string, number]));
  return map;
}

describe('AsyncShardedHashMap.with(rebalance)', () => {
  it("rebalances stop-the-world, online and in the background, with the sync facet's results", async () => {
    const map = await filled(8, 3_000);
    expect(await map.rebalanceTo(32)).toMatchObject({ fromShards: 8, toShards: 32, movedEntries: 3_000 });
    expect(await map.rebalanceTo(32)).toMatchObject({ movedEntries: 0 });
    expect(await map.startRebalanceOnline(64)).toBe(true);
    expect(await map.startRebalanceOnline(128)).toBe(false);
    expect(map.rebalanceStatus()).toMatchObject({ state: 'migrating', totalShards: 32 }); // synchronous
    let finished = 0;
    while (map.rebalanceStatus().state === 'migrating') finished += await map.advanceRebalance(5);
    expect(finished).toBe(32);
    const report = await map.rebalanceTo(256, { background: true, batchSize: 128 });
    expect(report).toMatchObject({ fromShards: 64, toShards: 256, movedEntries: 3_000 });
    expect(map.shardCount()).toBe(256);
    expect(await map.len()).toBe(3_000);
    const entries = new Map(await map.iter());
    for (let i = 0; i < 3_000; i++) expect(entries.get(`key:${i}`)).toBe(i);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('rejects bad input (never throws), leaving the map unchanged', async () => {
    const map = await filled(8, 100);
    const calls = [
      () => map.rebalanceTo(-1),
      () => map.rebalanceTo(1e9, { background: true }),
      () => map.startRebalanceOnline(Number.NaN),
      () => map.rebalanceTo(16, { batchSize: 0 }),
      () => map.advanceRebalance(-1),
    ];
    const errors = [];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      errors.push(await promise!.catch((e: unknown) => e));
    }
    expect(errors[0]).toBeInstanceOf(ShardCountError);
    expect(errors[1]).toBeInstanceOf(ShardCountError);
    expect(errors[2]).toBeInstanceOf(ShardCountError);
    expect(errors[3]).toBeInstanceOf(InvalidArgumentError);
    expect(errors[4]).toBeInstanceOf(InvalidArgumentError);
    expect(map.shardCount()).toBe(8);
    expect(map.rebalanceStatus().state).toBe('idle');
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('switches layouts only after the callbacks in progress, and before those queued after it', async () => {
    const map = await filled(8, 500);
    const order: string[] = [];
    let release!: () => void;
    const holder = map.computeIfPresent('key:1', async (v) => {
      await new Promise<void>((resolve) => (release = resolve));
      order.push('callback');
      return v + 1;
    });
    await macrotask();
    const rebalanced = map.rebalanceTo(64).then(() => order.push('rebalance'));
    const started = map.startRebalanceOnline(16).then(() => order.push('start'));
    await macrotask();
    expect(map.shardCount()).toBe(8);
    expect(order).toEqual([]);
    release();
    await Promise.all([holder, rebalanced, started]);
    expect(order).toEqual(['callback', 'rebalance', 'start']);
    expect(await map.get('key:1')).toBe(2);
    expect(map.shardCount()).toBe(16);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('rejects a rebalance called from inside a callback with LockReentrancyError, never hangs', async () => {
    const map = await filled(8, 100);
    let inner: unknown;
    await map.computeIfPresent('key:3', async (v) => {
      inner = await map.rebalanceTo(32).catch((e: unknown) => e);
      return v;
    });
    expect(inner).toBeInstanceOf(LockReentrancyError);
    expect(map.shardCount()).toBe(8);
    // Steps and status need no lock: fine from a callback.
    expect(await map.startRebalanceOnline(16)).toBe(true);
    await map.computeIfPresent('key:4', async (v) => {
      expect(await map.advanceRebalance(1)).toBe(1);
      return v;
    });
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('aborts while waiting for the lock, leaving no trace', async () => {
    const map = await filled(8, 100);
    let release!: () => void;
    const holder = map.computeIfPresent('key:1', async (v) => {
      await new Promise<void>((resolve) => (release = resolve));
      return v;
    });
    await macrotask();
    const controller = new AbortController();
    const waiting = map.rebalanceTo(64, { background: true, signal: controller.signal });
    await macrotask();
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    await holder;
    expect(map.shardCount()).toBe(8);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it.each(['detect', 'trust'] as const)(
    'loses nothing while concurrent tasks read and write during a background rebalance (reentrancy: %s)',
    async (reentrancy) => {
      const map = await filled(16, 20_000, reentrancy);
      const expected = new Map<string, number>();
      for (let i = 0; i < 20_000; i++) expected.set(`key:${i}`, i);
      const random = prng(17);
      const done = map.rebalanceTo(512, { background: true, batchSize: 256 });
      let migrating = true;
      done.finally(() => (migrating = false));
      // Counters: read-modify-writes with awaits inside, on keys that are or are not moved yet.
      const counters = Array.from({ length: 64 }, (_, i) => `counter:${i}`);
      await Promise.all(counters.map((k) => map.insert(k, 0)));
      const plans = Array.from({ length: 200 }, () => Array.from({ length: 20 }, () => Math.floor(random() * 20_000)));
      let bumps = 0;
      let opsWhileMigrating = 0;
      await Promise.all([
        done,
        ...plans.map(async (plan, t) => {
          for (const [step, i] of plan.entries()) {
            const key = `key:${i}`;
            const kind = (t + step) % 5;
            if (map.rebalanceStatus().state === 'migrating') opsWhileMigrating++;
            if (kind === 0) {
              await map.computeIfPresent(counters[i % 64]!, async (n) => {
                await macrotask();
                return n + 1;
              });
              bumps++;
            } else if (kind === 1) {
              await map.insert(key, -i);
              expected.set(key, -i);
            } else if (kind === 2) {
              await map.remove(key);
              expected.delete(key);
            } else if (kind === 3) {
              await map.computeIfAbsent(key, async () => {
                await Promise.resolve();
                return i * 2;
              });
              if (!expected.has(key)) expected.set(key, i * 2);
            } else {
              expect(await map.get(key)).toBe(expected.get(key));
            }
            if (step % 4 === 0) await macrotask();
          }
        }),
      ]);
      expect(migrating).toBe(false);
      expect(opsWhileMigrating, 'most operations ran during the migration').toBeGreaterThan(2_000);
      expect(map.rebalanceStatus()).toMatchObject({ state: 'idle', totalShards: 16 });
      const entries = new Map(await map.iter());
      let total = 0;
      for (const k of counters) {
        total += entries.get(k)!;
        entries.delete(k);
      }
      expect(total, 'no lost update').toBe(bumps);
      expect(entries).toEqual(expected);
      expect(await map.len()).toBe(expected.size + counters.length);
      expect(map.lockStats()).toEqual(IDLE);
    },
  );

  it('a background rebalance superseded by a stop-the-world one rejects, the map consistent', async () => {
    const map = await filled(8, 2_000);
    const done = map.rebalanceTo(64, { background: true, batchSize: 50 });
    await macrotask();
    await map.rebalanceTo(4);
    await expect(done).rejects.toBeInstanceOf(RebalanceSupersededError);
    expect(map.shardCount()).toBe(4);
    expect(await map.len()).toBe(2_000);
    expect(new Map(await map.iter()).size).toBe(2_000);
  });
});
