// The async facet: the same names, returning promises; drain takes the whole map.
import { AsyncShardedHashMap } from '@starshard/async';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lifecycle } from '../src/index.js';

const AsyncLife = AsyncShardedHashMap.with(lifecycle);

afterEach(() => {
  vi.useRealTimers();
});

describe('AsyncShardedHashMap.with(lifecycle)', () => {
  it('counts, bounds and reports through promises', async () => {
    const m = new AsyncLife<string, number>(1, { eviction: { policy: 'lru', maxEntries: 4 } });
    for (let k = 0; k < 10; k++) await m.insert(`k${k}`, k);
    expect(await m.len()).toBe(4);
    expect(await m.get('k9')).toBe(9);
    expect(await m.get('k0')).toBeUndefined();
    const metrics = await m.metrics();
    expect(metrics).toMatchObject({ totalInserts: 10, hits: 1, misses: 1, evictions: 6, hitRate: 0.5 });
    expect((await m.perShardLoad()).reduce((n, l) => n + l.entryCount, 0)).toBe(4);
    expect((await m.memoryStats()).shardsAllocated).toBe(1);
    await m.resetMetrics();
    expect((await m.metrics()).totalInserts).toBe(0);
    expect(await m.purgeExpired()).toBe(0);
  });

  it('drain waits for the callbacks in progress, then resolves to every entry', async () => {
    const m = new AsyncLife<string, number>(4);
    await m.batchInsert([
      ['a', 1],
      ['b', 2],
    ]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const compute = m.computeIfPresent('a', async (v) => {
      await gate;
      return v + 10;
    });
    const drained = m.drain();
    let done = false;
    void drained.then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    release();
    expect(await compute).toBe(11);
    expect(new Map(await drained)).toEqual(
      new Map([
        ['a', 11],
        ['b', 2],
      ]),
    );
    expect(await m.len()).toBe(0);
  });

  it('drain honours an aborted signal', async () => {
    const m = new AsyncLife<string, number>(4);
    await m.insert('a', 1);
    await expect(m.drain({ signal: AbortSignal.abort() })).rejects.toThrow();
    expect(await m.len()).toBe(1);
  });

  it('expires entries: never returned once expired, also through computeIfAbsent', async () => {
    vi.useFakeTimers({ now: 0 });
    const m = new AsyncLife<string, number>(4, { eviction: { policy: 'ttl', ttlMs: 50 } });
    await m.insert('a', 1);
    vi.advanceTimersByTime(50);
    expect(await m.get('a')).toBeUndefined();
    await m.insert('b', 2);
    vi.advanceTimersByTime(60);
    expect(await m.computeIfAbsent('b', () => 3)).toBe(3);
    expect((await m.metrics()).evictions).toBe(2);
    await m.clear();
  });
});
