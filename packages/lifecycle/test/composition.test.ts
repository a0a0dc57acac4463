// Composed with snapshot and rebalance, as the umbrella package composes every plugin: no member
// clash, Cow snapshots never change under LRU use, evictions and expiry, and a rebalance keeps
// the bound, the recency and the TTLs.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rebalance } from '../../rebalance/src/index.js';
import { SnapshotMode, snapshot } from '../../snapshot/src/index.js';
import { lifecycle } from '../src/index.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;
const All = ShardedHashMap.with(lifecycle, snapshot, rebalance);

afterEach(() => {
  vi.useRealTimers();
});

describe('ShardedHashMap.with(lifecycle, snapshot, rebalance)', () => {
  it('composes without a member clash, in any order, into one class', () => {
    expect(ShardedHashMap.with(rebalance, snapshot, lifecycle)).toBe(All);
    const m = new All<string, number>(4, {
      snapshotMode: SnapshotMode.Cow,
      eviction: { policy: 'lru', maxEntries: 8 },
    });
    expect(typeof m.metrics).toBe('function');
    expect(typeof m.snapshot).toBe('function');
    expect(typeof m.rebalanceTo).toBe('function');
  });

  it('adds its members to the prototype only under its public names or a symbol', () => {
    const Life = ShardedHashMap.with(lifecycle);
    const own = Reflect.ownKeys(Life.prototype).filter((k) => !(k in ShardedHashMap.prototype));
    expect(own.filter((k) => typeof k === 'string').sort()).toEqual(
      ['drain', 'memoryStats', 'metrics', 'perShardLoad', 'purgeExpired', 'resetMetrics'].sort(),
    );
  });

  it('keeps one hidden class: the same own keys, in the same order, however the map is made and used', () => {
    const reference = Reflect.ownKeys(new All());
    for (const m of [
      new All(1),
      new All(8, { eviction: { policy: 'lfu', maxEntries: 16 }, snapshotMode: SnapshotMode.Cached }),
      All.withSnapshotMode(4, SnapshotMode.Cow),
      All.tryWithShardsAndHasher(16),
    ]) {
      m.insert('a', 1);
      m.get('a');
      m.rebalanceTo(32);
      m.clear();
      expect(Reflect.ownKeys(m)).toEqual(reference);
    }
  });

  for (const policy of ['lru', 'lfu'] as const) {
    it(`${policy}: a Cow snapshot never changes under uses, evictions, rebalances (model)`, () => {
      type Step =
        | { kind: 'insert'; key: number }
        | { kind: 'get'; key: number }
        | { kind: 'snapshot' }
        | { kind: 'rebalanceTo'; shards: number }
        | { kind: 'start'; shards: number }
        | { kind: 'advance' };
      const stepArb = fc.oneof(
        { arbitrary: fc.record({ kind: fc.constant('insert'), key: fc.nat(60) }), weight: 6 },
        { arbitrary: fc.record({ kind: fc.constant('get'), key: fc.nat(60) }), weight: 6 },
        { arbitrary: fc.record({ kind: fc.constant('snapshot') }), weight: 2 },
        { arbitrary: fc.record({ kind: fc.constant('rebalanceTo'), shards: fc.constantFrom(2, 4, 8, 12) }), weight: 1 },
        { arbitrary: fc.record({ kind: fc.constant('start'), shards: fc.constantFrom(2, 4, 8, 16) }), weight: 1 },
        { arbitrary: fc.record({ kind: fc.constant('advance') }), weight: 1 },
      ) as fc.Arbitrary<Step>;
      fc.assert(
        fc.property(fc.array(stepArb, { maxLength: 70 }), (steps) => {
          const maxEntries = 20;
          const m = new All<number, number>(4, { snapshotMode: SnapshotMode.Cow, eviction: { policy, maxEntries } });
          const taken: [ReturnType<typeof m.snapshot>, [number, number][]][] = [];
          let n = 0;
          for (const step of steps) {
            if (step.kind === 'insert') m.insert(step.key, n++);
            else if (step.kind === 'get') m.get(step.key);
            else if (step.kind === 'snapshot') {
              const snap = m.snapshot();
              taken.push([snap, [...m.iter()].sort((a, b) => a[0] - b[0])]);
            } else if (step.kind === 'rebalanceTo') m.rebalanceTo(step.shards);
            else if (step.kind === 'start') m.startRebalanceOnline(step.shards);
            else m.advanceRebalance(1);
            expect(m.len()).toBeLessThanOrEqual(maxEntries);
            expect([...m.iter()].length).toBe(m.len());
            for (const [snap, entries] of taken) {
              expect([...snap].sort((a, b) => a[0] - b[0])).toEqual(entries);
            }
          }
          // Once idle, every shard gets back within its re-split bound as inserts arrive.
          m.rebalanceTo(m.shardCount());
          for (let k = 100; k < 100 + 40 * maxEntries; k++) m.insert(k, k);
          expect(m.len()).toBe(maxEntries);
          const count = m.shardCount();
          for (const { shardIdx, entryCount } of m.perShardLoad()) {
            expect(entryCount).toBeLessThanOrEqual(
              Math.floor(maxEntries / count) + (shardIdx < maxEntries % count ? 1 : 0),
            );
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('lru: recency survives a stop-the-world rebalance (victims by last use across the merge)', () => {
    const m = new All<number, number>(1, { eviction: { policy: 'lru', maxEntries: 8 } });
    for (let k = 0; k < 8; k++) m.insert(k, k);
    for (const k of [0, 1, 2, 3]) m.get(k); // 4..7 are now the least recently used
    m.rebalanceTo(4); // no insert meanwhile: nothing is evicted by the re-split bounds
    m.get(2);
    m.rebalanceTo(1);
    for (let k = 10; k < 14; k++) m.insert(k, k); // one shard of bound 8: evicts 4, 5, 6, 7
    expect([...m.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 10, 11, 12, 13]);
  });

  it('ttl: a rebalance keeps every expiry (no entry lives longer or shorter)', () => {
    vi.useFakeTimers({ now: 0 });
    const m = new All<number, number>(4, { eviction: { policy: 'ttl', ttlMs: 100, checkIntervalMs: Infinity } });
    for (let k = 0; k < 20; k++) {
      m.insert(k, k);
      vi.advanceTimersByTime(1);
    }
    m.rebalanceTo(16);
    m.startRebalanceOnline(3);
    m.advanceRebalance(1);
    vi.advanceTimersByTime(80); // t = 100: keys written at t < 1 are due (key 0)
    expect(m.get(0)).toBeUndefined();
    expect(m.get(1)).toBe(1);
    vi.advanceTimersByTime(10); // t = 110: keys 0..10 due
    expect([...m.keys()].sort((a, b) => a - b)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(m.rebalanceStatus().state).toBe('migrating');
    m.advanceRebalance(Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(5); // t = 115: 11..15 due too
    expect([...m.keys()].sort((a, b) => a - b)).toEqual([16, 17, 18, 19]);
    expect(m.metrics().evictions).toBe(16);
  });

  it('drain during an online migration returns every live entry once, and Cow snapshots keep theirs', () => {
    const m = new All<number, number>(4, { snapshotMode: SnapshotMode.Cow });
    for (let k = 0; k < 100; k++) m.insert(k, k);
    const snap = m.snapshot();
    m.startRebalanceOnline(16);
    m.advanceRebalance(2);
    m.insert(5, 500);
    const drained = [...m.drain()].sort((a, b) => a[0] - b[0]);
    expect(drained).toHaveLength(100);
    expect(drained[5]).toEqual([5, 500]);
    expect(m.len()).toBe(0);
    expect([...m.iter()]).toEqual([]);
    expect(snap.size).toBe(100);
    expect(snap.get(5)).toBe(5);
    expect(m.metrics().totalRemoves).toBe(100);
  });
});
