// touchCount's async facet, through the public API only: `AsyncShardedHashMap.with(touchCount)`
// counts every async write path (the inner sync map's `afterWrite` does the counting), its
// reads never wait, and its counts match a model under concurrent writes with awaits inside.
import { AsyncShardedHashMap } from '@starshard/async';
import {
  definePlugin,
  InvalidArgumentError,
  PluginDependencyError,
  ShardedHashMap,
  type WriteOp,
} from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AsyncTouchCountApi, touchCount } from '../src/index.js';
import { fail, MAX_KEY, Model, type Op, opArb } from './support/model.js';

const AsyncCounted = AsyncShardedHashMap.with(touchCount);
type AsyncCountedMap = InstanceType<typeof AsyncCounted<number, number>>;

/** Yields to the event loop `n` times (a macrotask each): lets concurrent calls interleave. */
async function yieldTimes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A promise with its resolve and reject, to hold a callback open. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** mulberry32: a seeded PRNG, so the concurrent schedule is the same on every run. */
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

describe('touchCount (async): every async write path is counted', () => {
  it('counts insert, set, remove, delete, batch writes, retain and clear as the sync map does', async () => {
    const m = new AsyncCounted<string, number>(8);
    await m.insert('a', 1);
    await m.set('a', 2);
    expect(
      await m.batchInsert([
        ['b', 1],
        ['c', 2],
        ['b', 3],
      ]),
    ).toBe(2);
    expect(await m.remove('missing')).toBeUndefined();
    expect(await m.delete('c')).toBe(true);
    expect(await m.batchRemove(['b', 'b', 'missing'])).toBe(1);
    expect(await m.touchCount('a')).toBe(2);
    expect(await m.touchCount('b')).toBe(3);
    expect(await m.touchCount('c')).toBe(2);
    expect(await m.touchCount('missing')).toBe(0);
    await m.batchInsert([
      ['x', 1],
      ['y', 2],
    ]);
    expect(await m.retain(async (_, v) => v % 2 === 0)).toBe(1); // removes 'x'
    await m.clear();
    expect(await m.touchCount('x')).toBe(2);
    expect(await m.totalTouches()).toBe(2 + 3 + 2 + 2 + 1 + 1);
  });

  it('counts each committed computeIfPresent callback, async ones and removals by undefined included', async () => {
    const m = new AsyncCounted<string, number>(8);
    await m.insert('n', 0);
    expect(await m.computeIfPresent('n', async (v) => v + 1)).toBe(1);
    expect(await m.computeIfPresent('n', (v) => v + 1)).toBe(2);
    expect(await m.computeIfPresent('absent', async () => 1)).toBeUndefined();
    expect(await m.computeIfPresent('n', async () => undefined)).toBeUndefined();
    expect(await m.has('n')).toBe(false);
    expect(await m.touchCount('n')).toBe(4);
    expect(await m.touchCount('absent')).toBe(0);
  });

  it('counts a single-flight computeIfAbsent once, however many concurrent callers share the load', async () => {
    const m = new AsyncCounted<string, number>(8);
    let loads = 0;
    const callers = Array.from({ length: 1_000 }, () =>
      m.computeIfAbsent('user:1', async () => {
        loads++;
        await yieldTimes(2);
        return 42;
      }),
    );
    expect(await Promise.all(callers)).toEqual(Array(1_000).fill(42));
    expect(loads).toBe(1);
    expect(await m.touchCount('user:1')).toBe(1);
    expect(await m.computeIfAbsent('user:1', () => 0)).toBe(42); // present: no write
    expect(await m.totalTouches()).toBe(1);
  });

  it('counts nothing for a throwing callback, a rejected load or retain, or an aborted call', async () => {
    const m = new AsyncCounted<string, number>(8);
    await m.insert('a', 1);
    await expect(m.computeIfPresent('a', fail)).rejects.toThrow('callback failed');
    await expect(m.computeIfPresent('a', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(m.computeIfAbsent('b', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(m.retain(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');

    // Aborted while waiting for the key, and aborted while its callback runs: nothing is written.
    const held = deferred();
    const holder = m.computeIfPresent('a', async (v) => {
      await held.promise;
      return v + 1;
    });
    const waiting = new AbortController();
    const queued = m.computeIfPresent('a', (v) => v + 10, { signal: waiting.signal });
    waiting.abort(new Error('gave up waiting'));
    await expect(queued).rejects.toThrow('gave up waiting');
    held.resolve();
    expect(await holder).toBe(2);

    const running = new AbortController();
    const slow = deferred();
    const dropped = m.computeIfPresent(
      'a',
      async (v) => {
        await slow.promise;
        return v + 100;
      },
      { signal: running.signal },
    );
    await yieldTimes(1);
    running.abort(new Error('gave up running'));
    await expect(dropped).rejects.toThrow('gave up running');
    slow.resolve();
    while (!m.lockStats().idle) await yieldTimes(1); // the dropped callback settles, writing nothing

    expect(await m.get('a')).toBe(2);
    expect(await m.has('b')).toBe(false);
    expect(await m.touchCount('a')).toBe(2); // the insert and the one committed callback
    expect(await m.touchCount('b')).toBe(0);
    expect(await m.totalTouches()).toBe(2);
  });

  it('does not count reads', async () => {
    const m = new AsyncCounted<string, number>(8);
    await m.insert('a', 1);
    await m.get('a');
    await m.contains('a');
    await m.batchGet(['a', 'b']);
    await m.iter();
    await m.computeIfAbsent('a', () => 2);
    expect(await m.totalTouches()).toBe(1);
  });
});

describe('touchCount (async): reads and resetTouches never wait for a lock', () => {
  it('see the last committed write while a callback is pending, as get does', async () => {
    const m = new AsyncCounted<string, number>(8);
    await m.insert('a', 1);
    const gate = deferred();
    const pending = m.computeIfPresent('a', async (v) => {
      await gate.promise;
      return v + 1;
    });
    await yieldTimes(1);
    // Each of these would wait for the callback (or reject) if it took a lock; they resolve now.
    expect(await m.get('a')).toBe(1);
    expect(await m.touchCount('a')).toBe(1);
    expect(await m.hottestKeys(1)).toEqual([['a', 1]]);
    await m.resetTouches();
    expect(await m.totalTouches()).toBe(0);
    gate.resolve();
    expect(await pending).toBe(2);
    // The write committed after the reset, so it is counted after it.
    expect(await m.touchCount('a')).toBe(1);
    expect(await m.totalTouches()).toBe(1);
  });

  it('can be called from inside callbacks, even one holding the whole map', async () => {
    const m = new AsyncCounted<string, number>(8);
    await m.batchInsert([
      ['a', 1],
      ['b', 2],
    ]);
    const seen: unknown[] = [];
    await m.computeIfPresent('a', async (v) => {
      // Holds 'a': a whole-map lock here would reject with LockReentrancyError.
      seen.push(await m.touchCount('a'), await m.hottestKeys(1), await m.totalTouches());
      await m.resetTouches();
      return v + 1;
    });
    await m.retain(async (k) => {
      seen.push(await m.hottestKeys(1), await m.totalTouches()); // retain holds the whole map
      return k === 'a';
    });
    expect(seen).toEqual([1, [['a', 1]], 2, [['a', 1]], 1, [['a', 1]], 1]);
    expect(await m.touchCount('b')).toBe(1);
  });
});

describe('touchCount (async): counts match a model under concurrent writes', () => {
  it('1,000 concurrent computeIfPresent with awaits: no lost update, each one counted once', async () => {
    const keys = 10;
    const m = new AsyncCounted<number, number>(4);
    for (let k = 0; k < keys; k++) await m.insert(k, 0);
    const random = prng(7);
    const increments = new Map<number, number>();
    const mismatches: string[] = [];
    const calls = Array.from({ length: 1_000 }, () => {
      const key = Math.floor(random() ** 2 * keys); // skewed: low keys are hot
      increments.set(key, (increments.get(key) ?? 0) + 1);
      const before = Math.floor(random() * 3);
      const after = Math.floor(random() * 3);
      return m.computeIfPresent(key, async (v) => {
        await yieldTimes(before);
        // Holding the key: exactly its insert and the `v` increments committed so far are counted.
        const counted = await m.touchCount(key);
        if (counted !== v + 1) mismatches.push(`key ${key}: value ${v}, touchCount ${counted}`);
        await yieldTimes(after);
        return v + 1;
      });
    });
    await Promise.all(calls);
    expect(mismatches).toEqual([]);

    const model = new Map<number, number>();
    for (let k = 0; k < keys; k++) model.set(k, 1 + (increments.get(k) ?? 0));
    for (let k = 0; k < keys; k++) {
      expect(await m.get(k)).toBe(increments.get(k) ?? 0);
      expect(await m.touchCount(k)).toBe(model.get(k));
    }
    expect(await m.totalTouches()).toBe(keys + 1_000);
    expect(await m.hottestKeys(keys)).toEqual([...model].sort((a, b) => b[1] - a[1]));
    expect(m.lockStats().idle).toBe(true);
  });

  it('random concurrent mixes of every write: the counts are exactly the writes that happened', async () => {
    type ConcurrentOp =
      | { op: 'insert' | 'set' | 'computeIfAbsent' | 'computeIfPresent'; key: number; value: number; wait: number }
      | { op: 'remove' | 'delete' | 'throwing'; key: number; wait: number }
      | { op: 'batchInsert'; entries: [number, number][] }
      | { op: 'retain'; modulo: number; wait: number }
      | { op: 'clear' };
    const key = fc.integer({ min: 0, max: MAX_KEY });
    const value = fc.integer({ min: 0, max: 5 });
    const wait = fc.integer({ min: 0, max: 3 });
    const concurrentOp: fc.Arbitrary<ConcurrentOp> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({ op: fc.constantFrom('computeIfPresent', 'computeIfAbsent'), key, value, wait }),
      },
      { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('insert', 'set'), key, value, wait }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('remove', 'delete', 'throwing'), key, wait }) },
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant('batchInsert'),
          entries: fc.array(fc.tuple(key, value), { maxLength: 4 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('retain'), modulo: fc.integer({ min: 1, max: 3 }), wait }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('clear') }) },
    );

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(key, value), { maxLength: 10 }),
        fc.array(fc.tuple(concurrentOp, wait), { minLength: 1, maxLength: 40 }),
        async (shards, initial, ops) => {
          const m = new AsyncCounted<number, number>(shards);
          // The model is built from what each call observably did: a callback that ran and
          // returned is one committed write, a removal that found its key is one, and so on.
          const touches = new Map<number, number>();
          let total = 0;
          const touch = (k: number) => {
            touches.set(k, (touches.get(k) ?? 0) + 1);
            total++;
          };
          for (const [k, v] of initial) {
            await m.insert(k, v);
            touch(k);
          }
          const run = async (o: ConcurrentOp): Promise<void> => {
            switch (o.op) {
              case 'insert':
                await m.insert(o.key, o.value);
                touch(o.key);
                return;
              case 'set':
                await m.set(o.key, o.value);
                touch(o.key);
                return;
              case 'remove':
                if ((await m.remove(o.key)) !== undefined) touch(o.key);
                return;
              case 'delete':
                if (await m.delete(o.key)) touch(o.key);
                return;
              case 'computeIfPresent': {
                let ran = false;
                await m.computeIfPresent(o.key, async (v) => {
                  await yieldTimes(o.wait);
                  ran = true;
                  return o.value === 0 ? undefined : v + o.value; // 0: remove it
                });
                if (ran) touch(o.key);
                return;
              }
              case 'computeIfAbsent': {
                let loaded = false;
                await m.computeIfAbsent(o.key, async () => {
                  await yieldTimes(o.wait);
                  loaded = true;
                  return o.value;
                });
                if (loaded) touch(o.key);
                return;
              }
              case 'throwing':
                await (o.wait % 2 === 0
                  ? m.computeIfPresent(o.key, async () => {
                      await yieldTimes(o.wait);
                      return fail();
                    })
                  : m.computeIfAbsent(o.key, async () => {
                      await yieldTimes(o.wait);
                      return fail();
                    }));
                return;
              case 'batchInsert':
                await m.batchInsert(o.entries);
                for (const [k] of o.entries) touch(k);
                return;
              case 'retain': {
                const doomed: number[] = [];
                await m.retain(async (k, v) => {
                  await yieldTimes(o.wait);
                  if (v % o.modulo === 0) return true;
                  doomed.push(k);
                  return false;
                });
                for (const k of doomed) touch(k);
                return;
              }
              case 'clear':
                await m.clear();
                total++;
                return;
            }
          };
          // Every call starts after its own delay and runs concurrently with the others. A
          // throwing callback rejects its call, and a computeIfAbsent caller sharing its load;
          // neither wrote anything, so the model has nothing to count for them.
          await Promise.allSettled(
            ops.map(async ([o, delay]) => {
              await yieldTimes(delay);
              await run(o);
            }),
          );

          for (let k = 0; k <= MAX_KEY; k++) expect(await m.touchCount(k)).toBe(touches.get(k) ?? 0);
          expect(await m.totalTouches()).toBe(total);
          const hottest = await m.hottestKeys(MAX_KEY + 1);
          expect(new Map(hottest)).toEqual(touches);
          for (let i = 1; i < hottest.length; i++) expect(hottest[i]![1]).toBeLessThanOrEqual(hottest[i - 1]![1]);
          expect(m.lockStats().idle).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('one operation at a time, every write path matches the sync model exactly', async () => {
    const apply = async (m: AsyncCountedMap, o: Op): Promise<void> => {
      switch (o.op) {
        case 'insert':
          await m.insert(o.key, o.value);
          return;
        case 'set':
          await m.set(o.key, o.value);
          return;
        case 'computeIfAbsent':
          await m.computeIfAbsent(o.key, async () => o.value);
          return;
        case 'computeIfPresent':
          await m.computeIfPresent(o.key, async () => o.value);
          return;
        case 'remove':
          await m.remove(o.key);
          return;
        case 'delete':
          await m.delete(o.key);
          return;
        case 'batchInsert':
          await m.batchInsert(o.entries);
          return;
        case 'batchRemove':
          await m.batchRemove(o.keys);
          return;
        case 'retain':
          await m.retain(async (_, v) => v % o.modulo === 0);
          return;
        case 'throwing':
          await expect(
            (await m.has(o.key)) ? m.computeIfPresent(o.key, fail) : m.computeIfAbsent(o.key, async () => fail()),
          ).rejects.toThrow('callback failed');
          return;
        case 'clear':
          await m.clear();
          return;
        case 'resetTouches':
          await m.resetTouches();
          return;
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(opArb, { maxLength: 60 }), async (shards, ops) => {
        const m = new AsyncCounted<number, number>(shards);
        const model = new Model();
        for (const o of ops) {
          model.apply(o, await m.keys());
          await apply(m, o);
        }
        expect(new Map(await m.iter())).toEqual(model.contents);
        for (let k = 0; k <= MAX_KEY; k++) expect(await m.touchCount(k)).toBe(model.touches.get(k) ?? 0);
        expect(await m.totalTouches()).toBe(model.total);
        expect(await m.hottestKeys(MAX_KEY + 1)).toEqual(model.hottest());
      }),
      { numRuns: 200 },
    );
  });
});

// Both facets, no registry entries: its sync facet sees every write of the inner map, its async
// facet adds nothing.
const seen: WriteOp[] = [];
const writeLog = definePlugin({
  name: 'writeLog',
  sync: (Base) =>
    class extends Base {
      protected override afterWrite(op: WriteOp, key: unknown, value: unknown, previous: unknown): void {
        seen.push(op);
        super.afterWrite(op, key, value, previous);
      }
    },
  async: (Base) => class extends Base {},
});

describe('touchCount (async): composition', () => {
  it('is cached per plugin set whatever the order, apart from the sync composition', () => {
    expect(AsyncShardedHashMap.with(touchCount)).toBe(AsyncCounted);
    expect(AsyncShardedHashMap.with(writeLog, touchCount)).toBe(AsyncShardedHashMap.with(touchCount).with(writeLog));
    expect(AsyncShardedHashMap.with(touchCount, writeLog)).not.toBe(AsyncCounted);
    expect(AsyncCounted).not.toBe(ShardedHashMap.with(touchCount));
    expect(AsyncCounted.plugins).toEqual([touchCount]);
    expect(AsyncCounted.prototype).toBeInstanceOf(AsyncShardedHashMap);
  });

  it('composes onto the async map now that it has an async facet; a sync-only plugin still cannot', () => {
    const syncOnly = definePlugin({ name: 'syncOnly', sync: (Base) => class extends Base {} });
    expect(() => AsyncShardedHashMap.with(touchCount)).not.toThrow();
    expect(() => AsyncShardedHashMap.with(touchCount, syncOnly)).toThrow(PluginDependencyError);
  });

  it('adds its methods and static only to async compositions listing it', () => {
    const Other = AsyncShardedHashMap.with(writeLog);
    for (const name of ['touchCount', 'hottestKeys', 'totalTouches', 'resetTouches']) {
      expect(name in AsyncShardedHashMap.prototype).toBe(false);
      expect(name in Other.prototype).toBe(false);
      expect(name in new AsyncShardedHashMap()).toBe(false);
      expect(typeof (AsyncCounted.prototype as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    expect('withTouchTracking' in AsyncShardedHashMap).toBe(false);
    expect('withTouchTracking' in Other).toBe(false);
    expect(typeof AsyncCounted.withTouchTracking).toBe('function');
  });

  it('keeps reads and plain writes on the async map’s own code path', () => {
    expect(AsyncCounted.prototype.get).toBe(AsyncShardedHashMap.prototype.get);
    expect(AsyncCounted.prototype.insert).toBe(AsyncShardedHashMap.prototype.insert);
    expect(AsyncCounted.prototype.computeIfPresent).toBe(AsyncShardedHashMap.prototype.computeIfPresent);
  });

  it('adds no field: every instance has the base class’s own keys, in the same order', () => {
    const base = Reflect.ownKeys(new AsyncShardedHashMap<string, number>());
    expect(Reflect.ownKeys(new AsyncCounted<string, number>())).toEqual(base);
    expect(Reflect.ownKeys(new AsyncCounted<string, number>(8, { touchLimit: 3, reentrancy: 'trust' }))).toEqual(base);
    expect(Reflect.ownKeys(AsyncCounted.withTouchTracking<string, number>(2, 5))).toEqual(base);
  });

  it('withTouchTracking(shards, touchLimit) makes an instance of the composition it is called on', async () => {
    const m = AsyncCounted.withTouchTracking<string, number>(16, 1);
    expect(m).toBeInstanceOf(AsyncCounted);
    expect(m.shardCount()).toBe(16);
    await m.set('a', 1);
    await m.set('b', 1);
    expect(await m.hottestKeys(10)).toEqual([['b', 2]]);
    expect(AsyncCounted.withTouchTracking().shardCount()).toBe(64);
    const Both = AsyncShardedHashMap.with(touchCount, writeLog);
    expect(Both.withTouchTracking(4)).toBeInstanceOf(Both);
  });

  it('validates touchLimit when the map is made; a bad n rejects (never throws)', async () => {
    expect(() => new AsyncCounted(8, { touchLimit: 0 })).toThrow(InvalidArgumentError);
    expect(() => AsyncCounted.withTouchTracking(8, 1.5)).toThrow(/options\.touchLimit must be a positive integer/);
    const m = new AsyncCounted<string, number>(8);
    for (const n of [-1, 1.5, Number.NaN, '3' as never]) {
      const result = m.hottestKeys(n);
      expect(result).toBeInstanceOf(Promise);
      await expect(result).rejects.toThrow(InvalidArgumentError);
    }
  });

  it('returns promises from every member', async () => {
    const m = new AsyncCounted<string, number>(8);
    const calls = [m.touchCount('a'), m.hottestKeys(1), m.totalTouches(), m.resetTouches()];
    for (const call of calls) expect(call).toBeInstanceOf(Promise);
    expect(await Promise.all(calls)).toEqual([0, [], 0, undefined]);
  });

  it('keeps counts per instance', async () => {
    const a = new AsyncCounted<string, number>(8);
    const b = new AsyncCounted<string, number>(8);
    await a.set('k', 1);
    expect(await a.touchCount('k')).toBe(1);
    expect(await b.touchCount('k')).toBe(0);
  });

  it('chains with another plugin observing writes: both see every async write', async () => {
    const m = new (AsyncShardedHashMap.with(writeLog, touchCount))<string, number>(4);
    seen.length = 0;
    await m.set('a', 1);
    await m.computeIfPresent('a', async (v) => v + 1);
    await m.delete('a');
    await m.clear();
    expect(seen).toEqual(['insert', 'insert', 'remove', 'clear']);
    expect(await m.totalTouches()).toBe(4);
  });

  it('lets a plugin that requires touchCount use its async API from its own async facet', async () => {
    const hotKeys = definePlugin({
      name: 'hotKeys',
      requires: [touchCount],
      async: (Base) =>
        class extends Base {
          async isHot(key: unknown, threshold: number): Promise<boolean> {
            // touchCount is applied first; `Base` is typed as the plain async map, so state what is used.
            return (await (this as unknown as AsyncTouchCountApi<unknown>).touchCount(key)) >= threshold;
          }
        },
    });
    const Hot = AsyncShardedHashMap.with(hotKeys, touchCount);
    const m = new Hot<string, number>(4) as InstanceType<typeof Hot<string, number>> & {
      isHot(key: string, threshold: number): Promise<boolean>;
    };
    await m.set('a', 1);
    await m.set('a', 2);
    expect(await m.isHot('a', 2)).toBe(true);
    expect(await m.isHot('b', 1)).toBe(false);
    expect(() => AsyncShardedHashMap.with(hotKeys)).toThrow(PluginDependencyError);
  });
});
