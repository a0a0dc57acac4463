// Many tasks interleaving across awaits, aborts and rejections, checked by invariants: no lost
// update, exactly-once factories, empty lock queues at the end, no starved writer.
import { describe, expect, it } from 'vitest';
import { AsyncShardedHashMap, type AsyncShardedHashMapOptions } from '../src/index.js';

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const IDLE = { shardLocks: 0, keyLocks: 0, pendingLoads: 0, waiting: 0, idle: true };
const modes: AsyncShardedHashMapOptions<unknown>['reentrancy'][] = ['detect', 'trust'];

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

describe.each(modes)('under contention (reentrancy: %s)', (reentrancy) => {
  it('loses no update: 1,000 tasks × 50 read-modify-writes with an await inside, on 64 hot keys', async () => {
    const map = new AsyncShardedHashMap<string, number>(64, { reentrancy });
    const keys = Array.from({ length: 64 }, (_, i) => `hot:${i}`);
    await map.batchInsert(keys.map((k) => [k, 0] as [string, number]));
    const expected = new Map(keys.map((k) => [k, 0]));
    const random = prng(5);
    const plans = Array.from({ length: 1000 }, () =>
      Array.from({ length: 50 }, () => keys[Math.floor(random() * 64)]!),
    );
    for (const plan of plans) for (const k of plan) expected.set(k, expected.get(k)! + 1);
    await Promise.all(
      plans.map(async (plan, t) => {
        for (const [i, key] of plan.entries()) {
          await map.computeIfPresent(key, async (n) => {
            // Every third step waits a macrotask, the others a microtask: reads go stale if unlocked.
            if ((t + i) % 3 === 0) await macrotask();
            else await Promise.resolve();
            return n + 1;
          });
        }
      }),
    );
    expect(new Map(await map.iter())).toEqual(expected);
    expect((await map.values()).reduce((a, b) => a + b, 0)).toBe(50_000);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('calls the factory exactly 1,000 times for 100,000 concurrent computeIfAbsent over 1,000 keys', async () => {
    const map = new AsyncShardedHashMap<string, string>(64, { reentrancy });
    const calls = new Map<string, number>();
    const factory = (key: string) => {
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return new Promise<string>((resolve) => setTimeout(() => resolve(`value of ${key}`), 0));
    };
    const keys = Array.from({ length: 100_000 }, (_, i) => `key:${(i * 7919) % 1000}`);
    const results = await Promise.all(keys.map((k) => map.computeIfAbsent(k, factory)));
    expect(calls.size).toBe(1000);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    for (const [i, value] of results.entries()) expect(value).toBe(`value of ${keys[i]}`);
    expect(await map.len()).toBe(1000);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('leaves every lock queue empty after 10% of the waiters abort, and loses no surviving update', async () => {
    const map = new AsyncShardedHashMap<string, number>(8, { reentrancy });
    const keys = Array.from({ length: 16 }, (_, i) => `k${i}`);
    await map.batchInsert(keys.map((k) => [k, 0] as [string, number]));
    const random = prng(11);
    const applied = new Map(keys.map((k) => [k, 0]));
    const controllers: AbortController[] = [];
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 2000; i++) {
      const key = keys[Math.floor(random() * keys.length)]!;
      const controller = new AbortController();
      controllers.push(controller);
      const kind = random();
      const op =
        kind < 0.6
          ? map.computeIfPresent(
              key,
              async (n) => {
                await macrotask();
                return n + 1;
              },
              { signal: controller.signal },
            )
          : kind < 0.8
            ? map.insert(key, -1, { signal: controller.signal }).then(() => 'insert')
            : map.computeIfAbsent(`absent:${i % 10}`, async () => i, { signal: controller.signal });
      ops.push(
        op.then(
          (result) => {
            if (typeof result === 'number' && kind < 0.6) applied.set(key, applied.get(key)! + 1);
            return 'ok';
          },
          (error: unknown) => {
            expect((error as DOMException).name).toBe('AbortError');
            return 'aborted';
          },
        ),
      );
    }
    await sleep(1);
    // Abort 10% of the operations, most of them while they wait in a lock queue.
    for (let i = 0; i < controllers.length; i++) if (random() < 0.1) controllers[i]!.abort();
    const outcomes = await Promise.all(ops);
    expect(outcomes.filter((o) => o === 'aborted').length).toBeGreaterThan(50);
    expect(map.lockStats()).toEqual(IDLE);
    // Every key still holds a number and nothing else happened to the map than the operations that ran.
    for (const key of keys) expect(typeof (await map.get(key))).toBe('number');
    expect(await map.len()).toBeLessThanOrEqual(16 + 10);
  });

  it('lets a whole-map writer in behind a continuous stream of callbacks', async () => {
    const map = new AsyncShardedHashMap<string, number>(4, { reentrancy });
    for (let i = 0; i < 32; i++) await map.insert(`k${i}`, 0);
    let stop = false;
    let afterRetainQueued = 0;
    let retainQueued = false;
    const stream = (async () => {
      const inFlight: Promise<unknown>[] = [];
      for (let i = 0; !stop; i++) {
        // Each callback overlaps the next one: the map is never without a running callback.
        inFlight.push(
          map.computeIfPresent(`k${i % 32}`, async (n) => {
            if (retainQueued) afterRetainQueued++;
            await sleep(2);
            return n + 1;
          }),
        );
        await sleep(0);
      }
      await Promise.all(inFlight);
    })();
    await sleep(15);
    retainQueued = true;
    const removed = await Promise.race([map.retain(() => true), sleep(2000).then(() => 'starved')]);
    stop = true;
    await stream;
    expect(removed).toBe(0);
    expect(afterRetainQueued, 'callbacks queued after the retain run after it').toBeLessThanOrEqual(1);
    expect(map.lockStats()).toEqual(IDLE);
  });
});

describe('single-flight computeIfAbsent', () => {
  it('rejects every waiter with the factory error, caches nothing, and retries on a later call', async () => {
    const map = new AsyncShardedHashMap<string, number>();
    const boom = new Error('loader down');
    let calls = 0;
    const failing = async () => {
      calls++;
      await macrotask();
      throw boom;
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => map.computeIfAbsent('k', failing)));
    expect(calls).toBe(1);
    for (const o of outcomes) expect(o).toEqual({ status: 'rejected', reason: boom });
    expect(await map.contains('k')).toBe(false);
    expect(await map.len()).toBe(0);
    expect(map.lockStats()).toEqual(IDLE);
    // A factory throwing synchronously is no different.
    await expect(
      map.computeIfAbsent('k', () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await map.computeIfAbsent('k', async () => 7)).toBe(7);
    expect(await map.get('k')).toBe(7);
  });

  it('keeps the key absent while loading, other keys of its shard readable and writable, and makes writes to it wait', async () => {
    const map = new AsyncShardedHashMap<string, number>(1); // one shard: every key shares it
    let finish!: (n: number) => void;
    const loading = map.computeIfAbsent('slow', () => new Promise<number>((resolve) => (finish = resolve)));
    await macrotask();
    expect(await map.get('slow')).toBeUndefined();
    expect(await map.contains('slow')).toBe(false);
    expect(map.lockStats().pendingLoads).toBe(1);
    // Other keys of the same shard: writable and readable at once, even with callbacks.
    expect(await map.insert('other', 1)).toBeUndefined();
    expect(await map.computeIfPresent('other', async (n) => n + 1)).toBe(2);
    expect(await map.computeIfAbsent('third', async () => 3)).toBe(3);
    // A write to the loading key waits for the load to settle, then applies.
    let inserted = false;
    const write = map.insert('slow', 100).then((previous) => {
      inserted = true;
      return previous;
    });
    const update = map.computeIfPresent('slow', (n) => n + 1);
    await macrotask();
    expect(inserted).toBe(false);
    finish(5);
    expect(await loading).toBe(5);
    expect(await write).toBe(5);
    expect(await update).toBe(101);
    expect(await map.get('slow')).toBe(101);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('rejects an aborting caller at once while the others get the value', async () => {
    const map = new AsyncShardedHashMap<string, string>();
    let calls = 0;
    let factorySignal: AbortSignal | undefined;
    const factory = async (key: string, { signal }: { signal: AbortSignal | undefined }) => {
      calls++;
      factorySignal = signal;
      await sleep(20);
      return `loaded ${key}`;
    };
    const quitter = new AbortController();
    const a = map.computeIfAbsent('k', factory, { signal: quitter.signal });
    const b = map.computeIfAbsent('k', factory, { signal: new AbortController().signal });
    const c = map.computeIfAbsent('k', factory);
    await sleep(1);
    quitter.abort(new Error('user left'));
    await expect(a).rejects.toThrow('user left');
    expect(await b).toBe('loaded k');
    expect(await c).toBe('loaded k');
    expect(calls).toBe(1);
    expect(factorySignal?.aborted).toBe(false);
    expect(await map.get('k')).toBe('loaded k');
  });

  it('aborts the factory and stores nothing once every caller has aborted', async () => {
    const map = new AsyncShardedHashMap<string, string>();
    let seen: AbortSignal | undefined;
    const factory = (_key: string, { signal }: { signal: AbortSignal | undefined }) => {
      seen = signal;
      return new Promise<string>((resolve) => setTimeout(() => resolve('late'), 20));
    };
    const controllers = [new AbortController(), new AbortController()];
    const calls = controllers.map((c) => map.computeIfAbsent('k', factory, { signal: c.signal }));
    await sleep(1);
    for (const c of controllers) c.abort();
    for (const call of calls) await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen?.aborted).toBe(true);
    await sleep(30);
    expect(await map.contains('k')).toBe(false);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('leaves no trace when callers abort a load still queued behind a whole-map operation', async () => {
    const map = new AsyncShardedHashMap<string, number>();
    await map.insert('other', 1);
    let release!: () => void;
    const retain = map.retain(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return true;
    });
    await macrotask();
    let calls = 0;
    const controller = new AbortController();
    const load = map.computeIfAbsent(
      'k',
      async () => {
        calls++;
        return 2;
      },
      { signal: controller.signal },
    );
    await macrotask();
    expect(map.lockStats()).toMatchObject({ waiting: 1, pendingLoads: 1 });
    controller.abort();
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
    await macrotask();
    expect(map.lockStats()).toMatchObject({ waiting: 0, pendingLoads: 0, keyLocks: 0 });
    release();
    expect(await retain).toBe(0);
    expect(calls).toBe(0);
    expect(await map.contains('k')).toBe(false);
    expect(map.lockStats()).toEqual(IDLE);
  });
});

describe('callbacks and aborts leave the map exactly as before', () => {
  it('computeIfPresent aborted while its callback runs rejects at once and writes nothing', async () => {
    const map = new AsyncShardedHashMap<string, number>();
    await map.insert('k', 1);
    const controller = new AbortController();
    let finished = false;
    const update = map.computeIfPresent(
      'k',
      async (n) => {
        await sleep(20);
        finished = true;
        return n + 1;
      },
      { signal: controller.signal },
    );
    await sleep(1);
    const queued = map.insert('k', 10); // waits for the callback to settle, not for the abort
    controller.abort();
    await expect(update).rejects.toMatchObject({ name: 'AbortError' });
    expect(finished).toBe(false);
    expect(await map.get('k')).toBe(1);
    expect(await queued).toBe(1);
    expect(finished).toBe(true);
    expect(await map.get('k')).toBe(10);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('retain whose predicate rejects, or whose signal aborts, removes nothing', async () => {
    const map = new AsyncShardedHashMap<number, number>(4);
    await map.batchInsert(Array.from({ length: 100 }, (_, i) => [i, i] as [number, number]));
    await expect(
      map.retain(async (k) => {
        await Promise.resolve();
        if (k === 50) throw new Error('pred failed');
        return k % 2 === 0;
      }),
    ).rejects.toThrow('pred failed');
    expect(await map.len()).toBe(100);
    const controller = new AbortController();
    let seen = 0;
    await expect(
      map.retain(
        async () => {
          if (++seen === 10) controller.abort();
          await Promise.resolve();
          return false;
        },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(await map.len()).toBe(100);
    expect(await map.retain(async (k) => k < 10)).toBe(90);
    expect(await map.len()).toBe(10);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('clear waits for callbacks in progress, so none resurrects a key', async () => {
    const map = new AsyncShardedHashMap<string, number>();
    await map.insert('k', 1);
    const update = map.computeIfPresent('k', async (n) => {
      await sleep(10);
      return n + 1;
    });
    await macrotask();
    const cleared = map.clear();
    expect(await update).toBe(2);
    await cleared;
    expect(await map.len()).toBe(0);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('snapshots are one point in time: a pending callback result is not in them', async () => {
    const map = new AsyncShardedHashMap<string, number>();
    await map.batchInsert([
      ['a', 1],
      ['b', 2],
    ]);
    let release!: () => void;
    const update = map.computeIfPresent('a', async (n) => {
      await new Promise<void>((resolve) => (release = resolve));
      return n + 100;
    });
    await macrotask();
    expect(new Map(await map.iter())).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    release();
    await update;
    expect(await map.get('a')).toBe(101);
  });
});

describe('lock state', () => {
  it('is released when idle: a map that served a million keys keeps no lock object', async () => {
    const map = new AsyncShardedHashMap<number, number>(64);
    let peakKeyLocks = 0;
    let served = 0;
    for (let base = 0; base < 1_000_000; base += 50_000) {
      const ops: Promise<unknown>[] = [];
      const batch: number[] = [];
      for (let i = base; i < base + 50_000; i++) {
        batch.push(i);
        ops.push(map.computeIfAbsent(i, async (k) => k));
        if (i % 3 === 0) ops.push(map.computeIfPresent(i, (v) => v + 1));
      }
      peakKeyLocks = Math.max(peakKeyLocks, map.lockStats().keyLocks);
      await Promise.all(ops);
      expect(map.lockStats()).toEqual(IDLE);
      // Served, then dropped: the test is about lock objects, not about holding a million entries.
      served += await map.batchRemove(batch);
    }
    expect(served).toBe(1_000_000);
    expect(peakKeyLocks).toBeGreaterThan(1000); // the locks did exist while the keys were busy
    expect(map.lockStats()).toEqual(IDLE);
  });
});
