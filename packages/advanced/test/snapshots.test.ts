import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { rebalance } from '@starshard/rebalance';
import { SnapshotMode, snapshot } from '@starshard/snapshot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanced } from '../src/index.js';

const Adv = ShardedHashMap.with(advanced);
const Full = ShardedHashMap.with(advanced, snapshot, rebalance);

describe('cowSnapshot / versionedSnapshot', () => {
  it('never change after they are taken, whatever is written (model: copies of a plain Map)', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('insert' as const), k: fc.integer({ min: 0, max: 30 }), v: fc.integer() }),
      fc.record({ t: fc.constant('remove' as const), k: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ t: fc.constant('snap' as const) }),
      fc.record({ t: fc.constant('clear' as const) }),
      fc.record({ t: fc.constant('rebalance' as const), n: fc.constantFrom(1, 3, 8, 16) }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.constantFrom(SnapshotMode.Clone, SnapshotMode.Cow),
        (ops, mode) => {
          const map = new Full<number, number>(4, { snapshotMode: mode, historyLimit: 100 });
          const model = new Map<number, number>();
          const taken: [ReturnType<typeof map.versionedSnapshot>, Map<number, number>][] = [];
          for (const o of ops) {
            if (o.t === 'insert') {
              map.insert(o.k, o.v);
              model.set(o.k, o.v);
            } else if (o.t === 'remove') {
              map.remove(o.k);
              model.delete(o.k);
            } else if (o.t === 'clear') {
              map.clear();
              model.clear();
            } else if (o.t === 'rebalance') {
              map.startRebalanceOnline(o.n);
              map.advanceRebalance(1);
            } else {
              taken.push([map.versionedSnapshot(), new Map(model)]);
              // the other plugin's snapshot shares the same maps in Cow mode
              map.snapshot();
            }
          }
          for (const [snap, expected] of taken) {
            expect(new Map(snap)).toEqual(expected);
            expect(snap.len()).toBe(expected.size);
            for (let k = 0; k <= 30; k++) {
              expect(snap.get(k)).toBe(expected.get(k));
              expect(snap.has(k)).toBe(expected.has(k));
            }
            expect(map.snapshotAtVersion(snap.version)).toBe(snap);
          }
          expect(new Map(map.iter())).toEqual(model);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('shares shards: taking one copies nothing, the first write to a shard copies that shard once', () => {
    const map = new Adv<number, number>(4, { hasher: (k) => k });
    for (let i = 0; i < 1000; i++) map.insert(i, i);
    const shards = (map as unknown as { shards: Map<number, number>[] }).shards;
    const before = shards.slice();
    const snap = map.cowSnapshot();
    expect(shards).toEqual(before);
    expect(shards.every((s, i) => s === before[i])).toBe(true);
    map.insert(0, -1);
    const changed = shards.filter((s, i) => s !== before[i]);
    expect(changed.length).toBe(1);
    const copied = changed[0];
    map.insert(0, -2);
    expect(shards.filter((s) => s === copied).length).toBe(1); // no second copy
    expect(snap.get(0)).toBe(0);
    expect(map.get(0)).toBe(-2);
  });

  it('versions: same object while nothing is written, the version counts writes, history is bounded', () => {
    const map = new Adv<string, number>(8, { historyLimit: 3 });
    const v0 = map.versionedSnapshot();
    expect(map.cowSnapshot()).toBe(v0);
    expect(v0.version).toBe(0);
    map.insert('a', 1);
    map.insert('a', 2);
    map.remove('missing'); // writes nothing
    expect(map.currentVersion()).toBe(2);
    const versions = [v0.version];
    for (let i = 0; i < 4; i++) {
      map.insert(`k${i}`, i);
      versions.push(map.versionedSnapshot().version);
    }
    expect(versions).toEqual([0, 3, 4, 5, 6]);
    expect(map.snapshotAtVersion(0)).toBeUndefined(); // fell out (limit 3)
    expect(map.snapshotAtVersion(3)).toBeUndefined();
    expect(map.snapshotAtVersion(4)?.get('k1')).toBe(1);
    expect(map.snapshotAtVersion(4)?.has('k2')).toBe(false);
    expect(map.snapshotAtVersion(6)?.len()).toBe(5);
    expect(map.snapshotAtVersion(99)).toBeUndefined();
    const none = new Adv<string, number>(8, { historyLimit: 0 });
    expect(none.snapshotAtVersion(none.versionedSnapshot().version)).toBeUndefined();
    expect(() => new Adv(8, { historyLimit: -1 })).toThrow(/historyLimit/);
    expect(() => new Adv(8, { historyLimit: 1.5 })).toThrow(/historyLimit/);
  });

  it('carries a timestamp and an age, and its data (entries, keys, values, toArray)', async () => {
    const map = new Adv<string, number>(8);
    map.batchInsert([
      ['a', 1],
      ['b', 2],
    ]);
    const snap = map.versionedSnapshot();
    expect(Math.abs(snap.timestamp - Date.now())).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect(snap.age()).toBeGreaterThanOrEqual(15);
    map.clear();
    expect(snap.toArray().sort()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect([...snap.keys()].sort()).toEqual(['a', 'b']);
    expect([...snap.values()].sort()).toEqual([1, 2]);
    expect(snap.size).toBe(2);
    expect(Object.prototype.toString.call(snap)).toBe('[object IsolatedSnapshot]');
  });

  it('stays frozen during an online rebalance (sync and async), with every entry', async () => {
    const map = new Full<string, number>(4, { snapshotMode: SnapshotMode.Cow });
    for (let i = 0; i < 500; i++) map.insert(`k${i}`, i);
    const before = map.versionedSnapshot();
    map.startRebalanceOnline(64);
    map.advanceRebalance(2);
    const during = map.versionedSnapshot();
    for (let i = 0; i < 500; i += 2) map.insert(`k${i}`, -i);
    while (map.rebalanceStatus().state === 'migrating') map.advanceRebalance(1);
    for (let i = 0; i < 500; i++) {
      expect(before.get(`k${i}`)).toBe(i);
      expect(during.get(`k${i}`)).toBe(i);
      expect(map.get(`k${i}`)).toBe(i % 2 === 0 ? -i : i);
    }
    expect([before.len(), during.len()]).toEqual([500, 500]);

    const AsyncFull = AsyncShardedHashMap.with(advanced, snapshot, rebalance);
    const am = new AsyncFull<string, number>(4);
    for (let i = 0; i < 2000; i++) await am.insert(`k${i}`, i);
    const snap = await am.versionedSnapshot();
    const migrating = am.rebalanceTo(128, { background: true, batchSize: 64 });
    const writers = Array.from({ length: 20 }, async (_, w) => {
      for (let i = w; i < 2000; i += 20) await am.insert(`k${i}`, -1);
    });
    await Promise.all([migrating, ...writers]);
    expect(snap.len()).toBe(2000);
    for (let i = 0; i < 2000; i++) expect(snap.get(`k${i}`)).toBe(i);
    expect((await am.values()).every((v) => v === -1)).toBe(true);
    expect(await am.snapshotAtVersion(snap.version)).toBe(snap);
  });
});
