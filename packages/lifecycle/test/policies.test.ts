// Each policy's rules on small, hand-checked cases: LFU ties, per-shard bounds, LRU with a TTL,
// and the total bound while a rebalance re-splits the bounds or a migration still holds entries.
import { ShardedHashMap } from '@starshard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rebalance } from '../../rebalance/src/index.js';
import { lifecycle } from '../src/index.js';

const Life = ShardedHashMap.with(lifecycle);
const LifeRebalance = ShardedHashMap.with(lifecycle, rebalance);

afterEach(() => {
  vi.useRealTimers();
});

const sorted = (keys: Iterable<number>) => [...keys].sort((a, b) => a - b);

describe('lfu', () => {
  it('evicts the least used key; among equals, the one that reached that count first', () => {
    const m = new Life<number, number>(1, { eviction: { policy: 'lfu', maxEntries: 3 } });
    m.insert(1, 1);
    m.insert(2, 2);
    m.insert(3, 3);
    m.get(1); // 1: 2 uses
    m.get(3); // 3: 2 uses, reached after 1
    m.insert(4, 4); // 2 (1 use) goes
    expect(sorted(m.keys())).toEqual([1, 3, 4]);
    m.get(4); // 4: 2 uses, the last to reach 2
    m.insert(5, 5); // ties at 2: 1 reached it first
    expect(sorted(m.keys())).toEqual([3, 4, 5]);
    m.remove(5); // the only key with 1 use leaves: the least count moves up
    m.insert(6, 6);
    m.insert(7, 7); // 6 (1 use) goes, not 3 or 4
    expect(sorted(m.keys())).toEqual([3, 4, 7]);
    expect(m.metrics().evictions).toBe(3);
  });
});

describe('maxEntriesPerShard', () => {
  it('bounds every shard, the map at that times the shard count', () => {
    const m = new Life<number, number>(4, { eviction: { policy: 'lru', maxEntriesPerShard: 3 } });
    for (let k = 0; k < 200; k++) m.insert(k, k);
    expect(m.len()).toBe(12);
    for (const { entryCount } of m.perShardLoad()) expect(entryCount).toBe(3);
  });

  it('with maxEntries too, each shard gets the smaller of its share and the per-shard bound', () => {
    const m = new Life<number, number>(4, { eviction: { policy: 'lru', maxEntries: 40, maxEntriesPerShard: 5 } });
    for (let k = 0; k < 200; k++) m.insert(k, k);
    expect(m.len()).toBe(20);
  });
});

describe('lru with ttlMs', () => {
  it('drops expired entries before any live one, and never returns them', () => {
    vi.useFakeTimers({ now: 0 });
    const m = new Life<number, number>(1, {
      eviction: { policy: 'lru', maxEntries: 3, ttlMs: 100, checkIntervalMs: Number.POSITIVE_INFINITY },
    });
    m.insert(1, 1);
    vi.advanceTimersByTime(50);
    m.insert(2, 2);
    m.insert(3, 3);
    m.get(1); // 1 is the most recently used, but written first
    vi.advanceTimersByTime(60); // t = 110: 1 has expired
    m.insert(4, 4); // the expired 1 goes, not the least recently used 2
    expect(sorted(m.keys())).toEqual([2, 3, 4]);
    expect(m.get(1)).toBeUndefined();
    m.insert(5, 5); // now the LRU victim: 2
    expect(sorted(m.keys())).toEqual([3, 4, 5]);
    expect(m.metrics()).toMatchObject({ evictions: 2, hits: 1, misses: 1 });
  });
});

describe('the total bound across re-layouts', () => {
  it('after a rebalance re-splits the bounds, inserts never take the map past maxEntries', () => {
    const m = new LifeRebalance<number, number>(1, { eviction: { policy: 'lru', maxEntries: 8 } });
    for (let k = 0; k < 8; k++) m.insert(k, k);
    m.rebalanceTo(4); // bounds 2 each: some shards now hold more
    for (let k = 100; k < 400; k++) {
      m.insert(k, k);
      expect(m.len()).toBeLessThanOrEqual(8);
    }
    expect(m.len()).toBe(8);
    for (const { entryCount } of m.perShardLoad()) expect(entryCount).toBeLessThanOrEqual(2);
  });

  it('while an online migration still holds entries in the old layout', () => {
    for (const policy of ['lru', 'lfu', 'ttl'] as const) {
      const m = new LifeRebalance<number, number>(2, {
        eviction: { policy, maxEntries: 10, ...(policy === 'ttl' ? { ttlMs: 60_000 } : {}) },
      });
      for (let k = 0; k < 50; k++) m.insert(k, k);
      expect(m.len()).toBe(10);
      m.startRebalanceOnline(8);
      for (let k = 100; k < 130; k++) {
        m.insert(k, k);
        expect(m.len()).toBeLessThanOrEqual(10);
        if (k % 7 === 0) m.advanceRebalance(1);
      }
      expect([...m.iter()].length).toBe(m.len());
      m.clear();
    }
  });
});
