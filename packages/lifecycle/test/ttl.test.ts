// TTL: an expired entry is never returned (reads, scans, snapshots of the scans), is swept by an
// unref'd timer, counts as an eviction exactly once, and the timer never keeps a process alive.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lifecycle } from '../src/index.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;
const Life = ShardedHashMap.with(lifecycle);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TTL expiry', () => {
  it('never returns an entry once expired, by any read, and counts one eviction for it', () => {
    const map = new Life<string, number>(4, { eviction: { policy: 'ttl', ttlMs: 100, checkIntervalMs: Infinity } });
    map.insert('a', 1);
    vi.advanceTimersByTime(99);
    expect(map.get('a')).toBe(1);
    vi.advanceTimersByTime(1);
    expect(map.get('a')).toBeUndefined();
    expect(map.metrics()).toMatchObject({ hits: 1, misses: 1, evictions: 1, lastEvictTime: Date.now() });

    for (const read of [
      (m: typeof map) => m.contains('b'),
      (m: typeof map) => m.has('b'),
      (m: typeof map) => m.batchGet(['b'])[0] !== undefined,
      (m: typeof map) => [...m.keys()].includes('b'),
      (m: typeof map) => [...m.iter()].length > 0,
      (m: typeof map) => m.len() > 0,
      (m: typeof map) => m.size > 0,
      (m: typeof map) => !m.isEmpty(),
      (m: typeof map) => m.computeIfPresent('b', (v) => v + 1) !== undefined,
      (m: typeof map) => m.computeIfAbsent('b', () => 7) !== 7,
      (m: typeof map) => m.remove('b') !== undefined,
      (m: typeof map) => [...m.drain()].length > 0,
      (m: typeof map) => m.perShardLoad().some((s) => s.entryCount > 0),
    ]) {
      map.clear();
      map.resetMetrics();
      map.insert('b', 2);
      vi.advanceTimersByTime(100);
      expect(read(map)).toBe(false);
      expect(map.metrics().evictions).toBe(1);
    }
  });

  it('an insert refreshes the TTL; the sweep removes expired entries in write order', () => {
    const map = new Life<number, number>(4, { eviction: { policy: 'ttl', ttlMs: 100, checkIntervalMs: 10 } });
    for (let i = 0; i < 10; i++) {
      map.insert(i, i);
      vi.advanceTimersByTime(5);
    }
    map.insert(0, 100); // refreshed at t = 50
    vi.advanceTimersByTime(60); // t = 110: keys 1..9 written at 5..45 are due at 105..145
    const left = (map as unknown as { shards: (Map<number, number> | undefined)[] }).shards.reduce(
      (n, s) => n + (s?.size ?? 0),
      0,
    );
    // The sweep ran at t = 110 without any read: keys written at t <= 10 are gone.
    expect(left).toBe(8);
    vi.advanceTimersByTime(40); // t = 150: every key is due, key 0 (refreshed at t = 50) too
    expect(map.len()).toBe(0);
    expect(map.metrics().evictions).toBe(10);
  });

  it('stops its timer when nothing can expire, and restarts it with the next entry', () => {
    const map = new Life<number, number>(4, { eviction: { policy: 'ttl', ttlMs: 50, checkIntervalMs: 20 } });
    expect(vi.getTimerCount()).toBe(0); // a map never written holds no timer
    map.insert(1, 1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(60);
    expect(vi.getTimerCount()).toBe(0); // swept empty
    map.insert(2, 2);
    expect(vi.getTimerCount()).toBe(1);
    map.remove(2);
    expect(vi.getTimerCount()).toBe(0);
    map.insert(3, 3);
    map.clear();
    expect(vi.getTimerCount()).toBe(0);
    map.insert(4, 4);
    [...map.drain()];
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with a bound: expired entries go first, then the oldest insertion of the full shard', () => {
    const map = new Life<number, number>(1, { eviction: { policy: 'ttl', ttlMs: 100, maxEntries: 3 } });
    map.insert(1, 1);
    vi.advanceTimersByTime(10);
    map.insert(2, 2);
    map.insert(3, 3);
    map.insert(4, 4); // full: 1 is the oldest insertion
    expect([...map.keys()].sort()).toEqual([2, 3, 4]);
    vi.advanceTimersByTime(95); // 2, 3, 4 written at t = 10: due at 110; now 105
    map.insert(2, 20); // refreshes 2's TTL (not its place)
    vi.advanceTimersByTime(10); // t = 115: 3 and 4 expired
    map.insert(5, 5);
    expect([...map.keys()].sort()).toEqual([2, 5]);
    expect(map.metrics().evictions).toBe(3);
  });

  it('matches a model of expiry times over random inserts, reads and clock steps', () => {
    type Step = { kind: 'insert' | 'get' | 'remove'; key: number } | { kind: 'tick'; ms: number };
    const stepArb = fc.oneof(
      fc.record({ kind: fc.constantFrom('insert', 'get', 'remove'), key: fc.nat(12) }),
      fc.record({ kind: fc.constant('tick'), ms: fc.integer({ min: 1, max: 60 }) }),
    ) as fc.Arbitrary<Step>;
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.boolean(), (steps, timer) => {
        vi.setSystemTime(1_000_000);
        const ttl = 50;
        const map = new Life<number, number>(4, {
          eviction: { policy: 'ttl', ttlMs: ttl, checkIntervalMs: timer ? 7 : Infinity },
        });
        const expiresAt = new Map<number, number>();
        let expired = 0;
        let hits = 0;
        let misses = 0;
        const live = (k: number) => {
          const t = expiresAt.get(k);
          if (t === undefined) return false;
          if (t > Date.now()) return true;
          expiresAt.delete(k);
          expired++;
          return false;
        };
        for (const step of steps) {
          if (step.kind === 'tick') {
            vi.advanceTimersByTime(step.ms);
            continue;
          }
          const k = step.key;
          if (step.kind === 'insert') {
            live(k);
            map.insert(k, k);
            expiresAt.set(k, Date.now() + ttl);
          } else if (step.kind === 'get') {
            const want = live(k) ? k : undefined;
            if (want === undefined) misses++;
            else hits++;
            expect(map.get(k)).toBe(want);
          } else {
            const want = live(k) ? k : undefined;
            if (want !== undefined) expiresAt.delete(k);
            expect(map.remove(k)).toBe(want);
          }
        }
        // Every expired entry is swept by now, and counted once.
        for (const k of [...expiresAt.keys()]) live(k);
        expect(new Set(map.keys())).toEqual(new Set(expiresAt.keys()));
        expect(map.metrics()).toMatchObject({ evictions: expired, hits, misses });
        map.clear();
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the sweep timer', () => {
  it('never keeps the process alive (unref), even with entries still to expire', () => {
    vi.useRealTimers();
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      const { ShardedHashMap } = await import('@starshard/core');
      const { lifecycle } = await import(${JSON.stringify(dist)});
      const m = new (ShardedHashMap.with(lifecycle))(4, { eviction: { policy: 'ttl', ttlMs: 60000, checkIntervalMs: 1000 } });
      m.insert('a', 1);
      globalThis.keep = m;
      console.log('inserted');
    `;
    const began = Date.now();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(out.trim()).toBe('inserted');
    expect(Date.now() - began).toBeLessThan(5_000);
  });
});
