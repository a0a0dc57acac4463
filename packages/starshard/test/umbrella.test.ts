// The umbrella's classes carry every plugin's API at runtime, and the package re-exports every
// feature package's public names.
import * as asyncPkg from '@starshard/async';
import * as corePkg from '@starshard/core';
import * as rebalancePkg from '@starshard/rebalance';
import * as snapshotPkg from '@starshard/snapshot';
import { describe, expect, it } from 'vitest';
import * as starshard from '../src/index.js';
import { ALL_PLUGINS, AsyncShardedHashMap, ShardedHashMap, SnapshotMode } from '../src/index.js';

/** Methods each plugin adds, per map kind (checked on the prototype chain of the composed class). */
const SYNC_API: Record<string, readonly string[]> = {
  snapshot: ['snapshot', 'snapshotMode', 'snapshotVersion'],
  rebalance: ['rebalanceTo', 'startRebalanceOnline', 'advanceRebalance', 'rebalanceStatus'],
};
const ASYNC_API = SYNC_API;

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

  it('re-exports every public name of every feature package (composed classes replace the bare ones)', () => {
    const exported = new Map(Object.entries(starshard));
    for (const pkg of [corePkg, asyncPkg, snapshotPkg, rebalancePkg]) {
      for (const [name, value] of Object.entries(pkg)) {
        if (name === 'ShardedHashMap' || name === 'AsyncShardedHashMap') continue;
        expect(exported.get(name), name).toBe(value);
      }
    }
    expect(ShardedHashMap.prototype instanceof corePkg.ShardedHashMap).toBe(true);
    expect(AsyncShardedHashMap.prototype instanceof asyncPkg.AsyncShardedHashMap).toBe(true);
  });
});
