// perShardLoad, memoryStats, drain, metrics on a map without eviction (and what it costs: the
// core's routing, no per-key bookkeeping).
import { ShardedHashMap } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { lifecycle } from '../src/index.js';
import { mapBytes, mapCapacity } from '../src/memoryEstimate.js';

const Life = ShardedHashMap.with(lifecycle);

describe('perShardLoad', () => {
  it('lists the initialized shards of the current layout with their size and estimated capacity', () => {
    const m = new Life<number, number>(8);
    expect(m.perShardLoad()).toEqual([]);
    for (let k = 0; k < 100; k++) m.insert(k, k);
    const loads = m.perShardLoad();
    expect(loads.map((l) => l.shardIdx)).toEqual([...loads.map((l) => l.shardIdx)].sort((a, b) => a - b));
    expect(loads.reduce((n, l) => n + l.entryCount, 0)).toBe(100);
    for (const l of loads) expect(l.capacity).toBe(mapCapacity(l.entryCount));
    expect(loads.length).toBe(m.initializedShards());
  });
});

describe('memoryStats', () => {
  it('sums the shards: allocated count, capacities, load factor, bytes', () => {
    const m = new Life<number, number>(4);
    expect(m.memoryStats()).toEqual({
      shardsAllocated: 0,
      totalCapacity: 0,
      loadFactor: 0,
      estimatedBytes: 48 + 4 * 8,
    });
    for (let k = 0; k < 1000; k++) m.insert(k, k);
    const stats = m.memoryStats();
    const loads = m.perShardLoad();
    expect(stats.shardsAllocated).toBe(4);
    expect(stats.totalCapacity).toBe(loads.reduce((n, l) => n + l.capacity, 0));
    expect(stats.loadFactor).toBeCloseTo(1000 / stats.totalCapacity, 10);
    expect(stats.estimatedBytes).toBe(48 + 32 + loads.reduce((n, l) => n + mapBytes(l.capacity), 0));
  });

  it('counts the eviction bookkeeping of the configured features', () => {
    const plain = new Life<number, number>(4);
    const lru = new Life<number, number>(4, { eviction: { policy: 'lru', maxEntries: 1000 } });
    const ttl = new Life<number, number>(4, { eviction: { policy: 'ttl', ttlMs: 60_000 } });
    const lfu = new Life<number, number>(4, { eviction: { policy: 'lfu', maxEntries: 1000 } });
    for (const m of [plain, lru, ttl, lfu]) for (let k = 0; k < 500; k++) m.insert(k, k);
    const base = plain.memoryStats().estimatedBytes;
    for (const m of [lru, ttl, lfu]) expect(m.memoryStats().estimatedBytes).toBeGreaterThan(base + 500 * 20);
    ttl.clear();
  });

  it('matches the capacity rule V8 follows: powers of two from 4', () => {
    expect([0, 1, 4, 5, 8, 9, 1000, 1024, 1025].map(mapCapacity)).toEqual([4, 4, 4, 8, 8, 16, 1024, 1024, 2048]);
    expect(mapBytes(4)).toBe(184);
  });
});

describe('drain', () => {
  it('empties the map at once and yields every removed entry lazily', () => {
    const m = new Life<string, number>(8);
    for (let k = 0; k < 50; k++) m.insert(`k${k}`, k);
    const it = m.drain();
    expect(m.len()).toBe(0);
    expect(m.isEmpty()).toBe(true);
    m.insert('after', 1); // later writes are not in what was drained
    const out = new Map(it);
    expect(out.size).toBe(50);
    expect(out.get('k7')).toBe(7);
    expect(out.has('after')).toBe(false);
    expect(m.get('k7')).toBeUndefined();
    expect(m.metrics().totalRemoves).toBe(50);
    expect([...m.drain()]).toEqual([['after', 1]]);
    expect([...m.drain()]).toEqual([]);
  });
});

describe('metrics', () => {
  it('count gets, hits, misses, inserts and removes as they happen; reset sets them to 0', () => {
    const m = new Life<string, number | undefined>(4);
    expect(m.metrics()).toEqual({
      totalInserts: 0,
      totalRemoves: 0,
      totalGets: 0,
      hits: 0,
      misses: 0,
      evictions: 0,
      hitRate: 0,
      lastEvictTime: undefined,
    });
    m.insert('a', 1);
    m.set('u', undefined); // a stored undefined is a hit
    m.batchInsert([
      ['b', 2],
      ['a', 3],
    ]);
    m.get('a');
    m.get('u');
    m.get('zz');
    m.batchGet(['a', 'nope']);
    m.computeIfAbsent('c', () => 4); // a miss, then an insert
    m.computeIfAbsent('c', () => 5); // a hit
    m.contains('a'); // not a lookup
    m.computeIfPresent('b', () => undefined); // a remove
    m.remove('a');
    m.delete('nope');
    m.batchRemove(['c', 'missing']);
    m.retain(() => false); // removes 'u'
    expect(m.metrics()).toEqual({
      totalInserts: 5,
      totalRemoves: 4,
      totalGets: 7,
      hits: 4,
      misses: 3,
      evictions: 0,
      hitRate: 4 / 7,
      lastEvictTime: undefined,
    });
    m.resetMetrics();
    expect(m.metrics().totalGets).toBe(0);
    expect(m.metrics().hitRate).toBe(0);
  });

  it('count evictions with the time of the last one', () => {
    const m = new Life<number, number>(1, { eviction: { policy: 'lru', maxEntries: 2 } });
    const before = Date.now();
    for (let k = 0; k < 5; k++) m.insert(k, k);
    const { evictions, lastEvictTime } = m.metrics();
    expect(evictions).toBe(3);
    expect(lastEvictTime).toBeGreaterThanOrEqual(before);
    expect(lastEvictTime).toBeLessThanOrEqual(Date.now());
  });
});

describe('a map without eviction', () => {
  it('keeps no per-key bookkeeping and never evicts', () => {
    const m = new Life<number, number>(2);
    for (let k = 0; k < 10_000; k++) m.insert(k, k);
    expect(m.len()).toBe(10_000);
    const state = (m as unknown as { lifecycleState: Record<string, unknown> }).lifecycleState;
    expect([state.managed, state.lru, state.freq, state.expiry, state.timer]).toEqual([
      false,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(m.purgeExpired()).toBe(0);
  });
});
