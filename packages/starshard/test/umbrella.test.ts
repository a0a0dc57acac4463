// The umbrella's classes carry every plugin's API at runtime, and the package re-exports every
// feature package's public names.
import * as advancedPkg from '@starshard/advanced';
import * as asyncPkg from '@starshard/async';
import * as corePkg from '@starshard/core';
import * as lifecyclePkg from '@starshard/lifecycle';
import * as rebalancePkg from '@starshard/rebalance';
import * as serdePkg from '@starshard/serde';
import * as snapshotPkg from '@starshard/snapshot';
import { describe, expect, it } from 'vitest';
import * as starshard from '../src/index.js';
import { ALL_PLUGINS, AsyncShardedHashMap, ShardedHashMap, SnapshotMode, Transaction } from '../src/index.js';

/** Methods each plugin adds, per map kind (checked on the prototype chain of the composed class). */
const SHARED_API = {
  snapshot: ['snapshot', 'snapshotMode', 'snapshotVersion'],
  rebalance: ['rebalanceTo', 'startRebalanceOnline', 'advanceRebalance', 'rebalanceStatus'],
  lifecycle: ['perShardLoad', 'memoryStats', 'drain', 'metrics', 'resetMetrics', 'purgeExpired'],
  advanced: [
    'executeTransaction',
    'compareAndSwap',
    'compareAndRemove',
    'cowSnapshot',
    'versionedSnapshot',
    'snapshotAtVersion',
    'enableProfiling',
    'lockProfiles',
    'diagnostics',
  ],
  serde: ['toJSON'],
} as const;
const SYNC_API: Record<string, readonly string[]> = SHARED_API;
const ASYNC_API: Record<string, readonly string[]> = {
  ...SHARED_API,
  advanced: [...SHARED_API.advanced, 'insertReplicated', 'removeReplicated', 'clearReplicated'],
  serde: ['toJSON', 'asyncSnapshotSerializable'],
};

describe('starshard (umbrella)', () => {
  it('composes every plugin, in one cached class per kind', () => {
    const names = ALL_PLUGINS.map((p) => p.name).sort();
    expect(ShardedHashMap.plugins.map((p) => p.name).sort()).toEqual(names);
    expect(AsyncShardedHashMap.plugins.map((p) => p.name).sort()).toEqual(names);
    expect(corePkg.ShardedHashMap.with(...ALL_PLUGINS)).toBe(ShardedHashMap);
    expect(asyncPkg.AsyncShardedHashMap.with(...[...ALL_PLUGINS].reverse())).toBe(AsyncShardedHashMap);
  });

  it.each(Object.entries(SYNC_API))('the sync class has the %s API', (_plugin, methods) => {
    const m = new ShardedHashMap<string, number>(8);
    for (const name of methods) expect(typeof (m as unknown as Record<string, unknown>)[name], name).toBe('function');
  });

  it.each(Object.entries(ASYNC_API))('the async class has the %s API', (_plugin, methods) => {
    const m = new AsyncShardedHashMap<string, number>(8);
    for (const name of methods) expect(typeof (m as unknown as Record<string, unknown>)[name], name).toBe('function');
  });

  it('works end to end: Cow snapshot, rebalance, reads', async () => {
    const m = new ShardedHashMap<string, number>(16, { snapshotMode: SnapshotMode.Cow });
    for (let i = 0; i < 1000; i++) m.insert(`k${i}`, i);
    const before = m.snapshot();
    m.insert('k1', -1);
    m.rebalanceTo(64);
    expect([before.get('k1'), m.get('k1'), m.shardCount(), m.len()]).toEqual([1, -1, 64, 1000]);

    const a = new AsyncShardedHashMap<string, number>(16, { snapshotMode: SnapshotMode.Cow });
    await a.batchInsert([...Array(100).keys()].map((i) => [`k${i}`, i] as const));
    const snap = await a.snapshot();
    await a.insert('k2', -2);
    await a.rebalanceTo(32);
    expect([snap.get('k2'), await a.get('k2'), await a.shardCount(), await a.len()]).toEqual([2, -2, 32, 100]);
  });

  it('every plugin works on the same instance: eviction, transactions, CAS, versions, JSON', () => {
    const m = new ShardedHashMap<string, number>(4, { eviction: { policy: 'lru', maxEntries: 8 } });
    for (let i = 0; i < 100; i++) m.insert(`k${i}`, i);
    expect(m.len()).toBeLessThanOrEqual(8);
    expect(m.metrics().evictions).toBe(100 - m.len());
    const key = [...m.keys()][0] ?? '';
    const txn = new Transaction<string, number>()
      .read(key)
      .expect(key, m.get(key) ?? -1)
      .write('t', 1);
    expect(m.executeTransaction(txn).status).toBe('committed');
    expect(m.compareAndSwap('t', 1, 2)).toEqual({ success: true, value: 2 });
    const copy = ShardedHashMap.fromJSON<string, number>(JSON.stringify(m));
    expect(new Map(copy.iter())).toEqual(new Map(m.iter()));
  });

  it.each(['lru', 'lfu', 'ttl'] as const)(
    'eviction (%s) sees every other plugin write: transactions, CAS, rebalance, fromJSON',
    (policy) => {
      const eviction = policy === 'ttl' ? { policy, ttlMs: 60_000 } : { policy, maxEntries: 64 };
      const m = new ShardedHashMap<string, number>(4, { eviction });
      m.insert('a', 1);
      m.get('a');
      expect(m.executeTransaction(new Transaction<string, number>().write('a', 2)).status).toBe('committed');
      expect(m.get('a')).toBe(2);
      expect(m.compareAndSwap('a', 2, 3).success).toBe(true);
      expect(m.get('a')).toBe(3);
      m.executeTransaction(new Transaction<string, number>().remove('a'));
      expect(m.get('a')).toBeUndefined();
      m.insert('b', 1);
      m.executeTransaction(new Transaction<string, number>().update('b', (n = 0) => n + 10));
      expect(m.get('b')).toBe(11);
      m.rebalanceTo(16);
      m.computeIfPresent('b', (v) => v + 1);
      expect([m.get('b'), m.len()]).toEqual([12, 1]);
      const copy = ShardedHashMap.fromJSON<string, number>(JSON.stringify(m), { mapOptions: { eviction } });
      expect([copy.get('b'), copy.len()]).toEqual([12, 1]);
    },
  );

  it('the async map composes them too: transactions and CAS behind the shard locks', async () => {
    const a = new AsyncShardedHashMap<string, number>(8);
    await a.batchInsert([
      ['x', 10],
      ['y', 0],
    ]);
    const move = new Transaction<string, number>().expect('x', 10).write('x', 5).write('y', 5);
    const [r1, r2] = await Promise.all([a.executeTransaction(move), a.executeTransaction(move)]);
    expect([r1.status, r2.status].sort()).toEqual(['committed', 'conflict']);
    expect([await a.get('x'), await a.get('y')]).toEqual([5, 5]);
    expect(await a.compareAndRemove('y', 5)).toBe(true);
    expect(await a.asyncSnapshotSerializable()).toEqual([['x', 5]]);
  });

  it('re-exports every public name of every feature package (composed classes replace the bare ones)', () => {
    const exported = new Map(Object.entries(starshard));
    for (const pkg of [corePkg, asyncPkg, snapshotPkg, rebalancePkg, lifecyclePkg, advancedPkg, serdePkg]) {
      for (const [name, value] of Object.entries(pkg)) {
        if (name === 'ShardedHashMap' || name === 'AsyncShardedHashMap') continue;
        expect(exported.get(name), name).toBe(value);
      }
    }
    expect(ShardedHashMap.prototype instanceof corePkg.ShardedHashMap).toBe(true);
    expect(AsyncShardedHashMap.prototype instanceof asyncPkg.AsyncShardedHashMap).toBe(true);
  });
});
