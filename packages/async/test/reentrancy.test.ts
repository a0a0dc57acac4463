// A callback that calls back into its own map must never hang: each nested call either completes
// (as the sync map would) or rejects with LockReentrancyError. Every combination is raced
// against a timeout, so a hang fails the test instead of stalling the suite.
import { StarshardError } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { AsyncShardedHashMap, LockReentrancyError } from '../src/index.js';

type M = AsyncShardedHashMap<string, number>;
const HANG_MS = 1000;
const IDLE = { shardLocks: 0, keyLocks: 0, pendingLoads: 0, waiting: 0, idle: true };
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Settles to 'ok', the error's class name, or 'HANG' if nothing happened in time. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('HANG'), HANG_MS);
  });
  const settled = promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof Error ? error.name : String(error)),
  );
  try {
    return await Promise.race([settled, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the callback does with the map: each entry a nested call on key 'a' (held) or 'b'. */
const nested: Record<string, (m: M) => Promise<unknown>> = {
  'get(held)': (m) => m.get('a'),
  'contains(held)': (m) => m.contains('a'),
  'iter()': (m) => m.iter(),
  'len()': (m) => m.len(),
  'insert(held)': (m) => m.insert('a', 50),
  'remove(held)': (m) => m.remove('a'),
  'computeIfPresent(held)': (m) => m.computeIfPresent('a', (v) => v + 1),
  'computeIfAbsent(held)': (m) => m.computeIfAbsent('a', async () => 60),
  'insert(other)': (m) => m.insert('b', 70),
  'computeIfPresent(other)': (m) => m.computeIfPresent('b', async (v) => v + 1),
  'computeIfAbsent(other)': (m) => m.computeIfAbsent('c', async () => 80),
  'batchInsert(held)': (m) => m.batchInsert([['a', 90]]),
  'batchInsert(other)': (m) => m.batchInsert([['d', 91]]),
  'batchRemove(held)': (m) => m.batchRemove(['a']),
  'clear()': (m) => m.clear(),
  'retain()': (m) => m.retain(() => true),
};

/** The callback-taking operations, holding key 'a' (or the whole map, for retain). */
const outer: Record<string, (m: M, inner: () => Promise<unknown>) => Promise<unknown>> = {
  computeIfPresent: (m, inner) =>
    m.computeIfPresent('a', async (v) => {
      await inner();
      return v + 1;
    }),
  computeIfAbsent: async (m, inner) => {
    await m.remove('a');
    return m.computeIfAbsent('a', async () => {
      await inner();
      return 5;
    });
  },
  retain: (m, inner) =>
    m.retain(async () => {
      await inner();
      return true;
    }),
};

/** Calls that cannot proceed while their own callback holds what they need. */
const upgrades = new Set(['clear()', 'retain()']);

describe.each([1, 64])('a callback calling back into its map (%i shard(s))', (shards) => {
  for (const [outerName, run] of Object.entries(outer)) {
    for (const when of ['before any await', 'after an await'] as const) {
      it.each(Object.keys(nested))(`${outerName}, ${when}: %s completes or rejects, never hangs`, async (name) => {
        const map: M = new AsyncShardedHashMap<string, number>(shards);
        await map.batchInsert([
          ['a', 1],
          ['b', 2],
        ]);
        const call = nested[name]!;
        let innerResult = 'not called';
        const result = await outcome(
          run(map, async () => {
            if (when === 'after an await') await macrotask();
            innerResult = await outcome(call(map));
          }),
        );
        expect(innerResult).not.toBe('HANG');
        expect(['ok', 'LockReentrancyError']).toContain(innerResult);
        // Upgrades are the calls that must wait for the whole map: they are the ones refused,
        // except under retain, which already holds the whole map.
        if (upgrades.has(name) && outerName !== 'retain') expect(innerResult).toBe('LockReentrancyError');
        if (!upgrades.has(name)) expect(innerResult).toBe('ok');
        expect(result).toBe('ok');
        await macrotask();
        expect(map.lockStats()).toEqual(IDLE);
      });
    }
  }

  it('completes a nested write to the held key like the sync map: the callback result lands last', async () => {
    const map = new AsyncShardedHashMap<string, number>(shards);
    await map.insert('a', 1);
    const result = await map.computeIfPresent('a', async (v) => {
      await macrotask();
      expect(await map.insert('a', 100)).toBe(1);
      expect(await map.get('a')).toBe(100);
      return v + 1;
    });
    expect(result).toBe(2);
    expect(await map.get('a')).toBe(2);
  });

  it('runs a factory that asks for its own key once more, instead of waiting for itself', async () => {
    const map = new AsyncShardedHashMap<string, number>(shards);
    let calls = 0;
    const value = await map.computeIfAbsent('k', async () => {
      calls++;
      await macrotask();
      const inner = await map.computeIfAbsent('k', async () => {
        calls++;
        return 1;
      });
      return inner + 1;
    });
    expect(value).toBe(2);
    expect(calls).toBe(2);
    expect(await map.get('k')).toBe(2);
  });
});

describe('waits that would close a cycle', () => {
  it('rejects one of two callbacks each waiting for the key the other holds', async () => {
    const map = new AsyncShardedHashMap<string, number>(1);
    await map.batchInsert([
      ['x', 1],
      ['y', 1],
    ]);
    let arrived = 0;
    const barrier = async () => {
      arrived++;
      while (arrived < 2) await macrotask();
    };
    const p = map.computeIfPresent('x', async (v) => {
      await barrier();
      await map.computeIfPresent('y', (w) => w + 10);
      return v + 1;
    });
    const q = map.computeIfPresent('y', async (v) => {
      await barrier();
      await map.computeIfPresent('x', (w) => w + 10);
      return v + 1;
    });
    const outcomes = [await outcome(p), await outcome(q)];
    expect(outcomes.sort()).toEqual(['LockReentrancyError', 'ok']);
    const error = await Promise.allSettled([p, q]).then((r) => r.find((s) => s.status === 'rejected'));
    expect((error as PromiseRejectedResult).reason).toBeInstanceOf(LockReentrancyError);
    expect((error as PromiseRejectedResult).reason).toBeInstanceOf(StarshardError);
    expect((error as PromiseRejectedResult).reason).toMatchObject({
      code: 'ERR_STARSHARD_LOCK_REENTRANCY',
      kind: 'cycle',
    });
    // The survivor's writes all landed; the refused callback changed nothing.
    const entries = new Map(await map.iter());
    expect([...entries.values()].sort((m, n) => m - n)).toEqual([2, 11]);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('rejects one of two loads each waiting for the other', async () => {
    const map = new AsyncShardedHashMap<string, number>(64);
    let arrived = 0;
    const barrier = async () => {
      arrived++;
      while (arrived < 2) await macrotask();
    };
    const a = map.computeIfAbsent('a', async () => {
      await barrier();
      return (await map.computeIfAbsent('b', async () => 1)) + 1;
    });
    const b = map.computeIfAbsent('b', async () => {
      await barrier();
      return (await map.computeIfAbsent('a', async () => 1)) + 1;
    });
    const outcomes = [await outcome(a), await outcome(b)];
    // The refused load fails; the other awaited its result, so it may fail with the same error.
    expect(outcomes).toContain('LockReentrancyError');
    for (const o of outcomes) expect(['ok', 'LockReentrancyError']).toContain(o);
    expect(await map.len()).toBe(outcomes.filter((o) => o === 'ok').length);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('rejects a callback joining a load that is queued behind a whole-map writer waiting for that callback', async () => {
    const map = new AsyncShardedHashMap<string, number>(4);
    await map.insert('a', 1);
    let step!: () => void;
    const holder = map.computeIfPresent('a', async (v) => {
      await new Promise<void>((resolve) => (step = resolve));
      // A load of 'z' is queued behind the retain below, which waits for this callback.
      return (await map.computeIfAbsent('z', async () => 1)) + v;
    });
    await macrotask();
    const retain = map.retain(() => true); // queued: waits for the holder
    const load = map.computeIfAbsent('z', async () => 2); // queued behind the retain
    await macrotask();
    step();
    expect(await outcome(holder)).toBe('LockReentrancyError');
    expect(await outcome(retain)).toBe('ok');
    expect(await load).toBe(2);
    expect(map.lockStats()).toEqual(IDLE);
  });
});

describe("reentrancy: 'trust'", () => {
  it('still recognizes calls made before the callback first awaits', async () => {
    const map = new AsyncShardedHashMap<string, number>(1, { reentrancy: 'trust' });
    await map.insert('a', 1);
    let inner: Promise<unknown> | undefined;
    let upgrade: Promise<unknown> | undefined;
    const result = await map.computeIfPresent('a', (v) => {
      inner = map.insert('a', 10); // synchronous re-entry: under the callback's lock
      upgrade = map.clear();
      return v + 1;
    });
    expect(result).toBe(2);
    expect(await outcome(inner as Promise<unknown>)).toBe('ok');
    expect(await outcome(upgrade as Promise<unknown>)).toBe('LockReentrancyError');
    expect(await map.get('a')).toBe(2);
  });

  it('lets callbacks write other keys after an await', async () => {
    const map = new AsyncShardedHashMap<string, number>(1, { reentrancy: 'trust' });
    await map.batchInsert([
      ['a', 1],
      ['b', 1],
    ]);
    const result = await map.computeIfPresent('a', async (v) => {
      await macrotask();
      await map.computeIfPresent('b', async (w) => w + 1);
      await map.insert('c', 3);
      return v + 1;
    });
    expect(result).toBe(2);
    expect(new Map(await map.iter())).toEqual(
      new Map([
        ['a', 2],
        ['b', 2],
        ['c', 3],
      ]),
    );
  });

  it('rejects an unknown reentrancy option', () => {
    expect(() => new AsyncShardedHashMap(4, { reentrancy: 'maybe' as never })).toThrow(/reentrancy/);
  });
});
