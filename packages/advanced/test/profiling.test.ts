import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { rebalance } from '@starshard/rebalance';
import { SnapshotMode, snapshot } from '@starshard/snapshot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanced, type LockProfile, Transaction } from '../src/index.js';

const Adv = ShardedHashMap.with(advanced);
const AsyncAdv = AsyncShardedHashMap.with(advanced);

/** The core's routing for a map made with the same count and seed (the seam `indexFor`). */
class Probe extends ShardedHashMap<number, number> {
  shardOf(key: number): number {
    return this.indexFor(key);
  }
}

const sum = (profiles: LockProfile[], field: 'reads' | 'writes' | 'contentionCount') =>
  profiles.reduce((n, p) => n + p[field], 0);

describe('lock profiles (sync)', () => {
  it('count each shard’s reads and writes exactly as the test counts them', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.constantFrom('get', 'insert', 'contains', 'removeAbsent'),
            k: fc.integer({ min: 0, max: 99 }),
          }),
          { maxLength: 200 },
        ),
        (ops) => {
          const map = new Adv<number, number>(8, { seed: 42 });
          const probe = new Probe(8, { seed: 42 });
          map.enableProfiling(true);
          const reads = new Array(8).fill(0);
          const writes = new Array(8).fill(0);
          for (const { op, k } of ops) {
            const shard = probe.shardOf(k);
            if (op === 'get') {
              map.get(k);
              reads[shard]++;
            } else if (op === 'contains') {
              map.contains(k);
              reads[shard]++;
            } else if (op === 'insert') {
              map.insert(k, k);
              writes[shard]++;
            } else {
              map.remove(k + 1000); // absent: one read-only lookup, no write
              reads[probe.shardOf(k + 1000)]++;
            }
          }
          const profiles = map.lockProfiles();
          expect(profiles.map((p) => p.shardId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
          expect(profiles.map((p) => p.reads)).toEqual(reads);
          expect(profiles.map((p) => p.writes)).toEqual(writes);
          expect(profiles.every((p) => p.contentionCount === 0 && p.avgWaitTimeNs === 0 && p.maxWaitTimeNs === 0)).toBe(
            true,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('start from zero when turned on, freeze when turned off, count nothing while off', () => {
    const map = new Adv<number, number>(4);
    map.insert(1, 1);
    expect(sum(map.lockProfiles(), 'writes')).toBe(0);
    map.enableProfiling(true);
    map.insert(2, 2);
    map.get(2);
    map.enableProfiling(true); // already on: keeps counting
    map.get(1);
    map.enableProfiling(false);
    map.insert(3, 3);
    expect([sum(map.lockProfiles(), 'reads'), sum(map.lockProfiles(), 'writes')]).toEqual([2, 1]);
    expect(map.diagnostics().profiling).toBe(false);
    map.enableProfiling(true);
    expect(sum(map.lockProfiles(), 'reads')).toBe(0);
    // remove of a present key: a lookup and a write; a committed transaction writes each key once.
    map.remove(3);
    map.executeTransaction(new Transaction<number, number>().write(5, 5).write(6, 6));
    expect(sum(map.lockProfiles(), 'writes')).toBe(3);
    expect(() => map.enableProfiling('yes' as never)).toThrow(/true or false/);
  });
});

describe('lock profiles (async): contention and waits measured for real', () => {
  it('counts exactly the acquisitions that waited, with their waits', async () => {
    const map = new AsyncAdv<string, number>(8, { seed: 1 });
    await map.insert('hot', 0);
    map.enableProfiling(true);
    // Uncontended: no waits.
    for (let i = 0; i < 50; i++) await map.insert(`k${i}`, i);
    expect(sum(await map.lockProfiles(), 'contentionCount')).toBe(0);
    // One callback holds 'hot' for ~40 ms; 5 writers of 'hot' must wait for it.
    const holder = map.computeIfPresent('hot', async (v) => {
      await new Promise((r) => setTimeout(r, 40));
      return v + 1;
    });
    const waiters = Array.from({ length: 5 }, (_, i) => map.computeIfPresent('hot', (v) => v + i + 1));
    const plain = map.insert('hot', 100);
    await Promise.all([holder, ...waiters, plain]);
    const profiles = await map.lockProfiles();
    const hot = profiles.filter((p) => p.contentionCount > 0);
    expect(hot.length).toBe(1);
    expect(hot[0]?.contentionCount).toBe(6);
    expect(hot[0]?.maxWaitTimeNs).toBeGreaterThanOrEqual(30e6);
    expect(hot[0]?.avgWaitTimeNs).toBeGreaterThan(0);
    expect(hot[0]?.avgWaitTimeNs).toBeLessThanOrEqual(hot[0]?.maxWaitTimeNs as number);
    // Writes counted by the inner map: 50 inserts + holder + 5 waiters + 1 insert.
    expect(sum(profiles, 'writes')).toBe(57);
    expect(await map.get('hot')).toBe(100);
  });

  it('a transaction that waits for a held shard counts one contention per shard it touches', async () => {
    const map = new AsyncAdv<number, number>(4, { seed: 3 });
    for (let i = 0; i < 8; i++) await map.insert(i, i);
    map.enableProfiling(true);
    const started = performance.now();
    const holder = map.executeTransaction(
      new Transaction<number, number>().update(0, async (v) => {
        await new Promise((r) => setTimeout(r, 30));
        return (v ?? 0) + 1;
      }),
    );
    await new Promise((r) => setImmediate(r)); // the holder has its shard
    // The second waits for the rest of the holder's 30 ms (less what a loaded machine took to get here).
    const holderLeftMs = 30 - (performance.now() - started);
    const second = map.executeTransaction(new Transaction<number, number>().update(0, (v) => (v ?? 0) + 1));
    await Promise.all([holder, second]);
    expect(await map.get(0)).toBe(2);
    const profiles = await map.lockProfiles();
    expect(sum(profiles, 'contentionCount')).toBe(1);
    expect(Math.max(...profiles.map((p) => p.maxWaitTimeNs))).toBeGreaterThanOrEqual((holderLeftMs - 2) * 1e6);
    expect((await map.diagnostics()).shardCount).toBe(4);
  });
});

describe('diagnostics', () => {
  it('reports shards, load, imbalance and neutral plugin fields on a plain advanced map', () => {
    const map = new Adv<number, number>(4, { hasher: (k) => (k < 100 ? 0 : k) });
    for (let i = 0; i < 30; i++) map.insert(i, i); // all in one shard (hash 0)
    for (let i = 100; i < 200; i++) map.insert(i, i); // spread by their own hash
    const d = map.diagnostics();
    const stats = map.shardStats();
    expect(d.shardCount).toBe(4);
    expect(d.len).toBe(130);
    expect(d.initializedShards).toBe(stats.initialized);
    expect(d.maxLoad).toBe(stats.maxLoad);
    expect(d.maxLoad).toBeGreaterThanOrEqual(30);
    expect(d.hottestShards[0]?.entries).toBe(stats.maxLoad);
    expect(d.hottestShards.reduce((n, s) => n + s.entries, 0)).toBe(130);
    expect(d.avgLoad).toBeCloseTo(130 / stats.initialized);
    expect(d.maxImbalance).toBeCloseTo(stats.maxLoad / (130 / stats.initialized));
    expect(d.avgImbalance).toBeGreaterThan(0);
    expect(d.rebalanceComposed).toBe(false);
    expect(d.rebalanceStatus).toEqual({ state: 'idle', progress: 1, movedShards: 0, totalShards: 0, movedEntries: 0 });
    expect(d.snapshotMode).toBe('clone');
    expect(d.snapshotEpoch).toBe(map.currentVersion());
    expect(new Adv(8).diagnostics()).toMatchObject({ len: 0, maxImbalance: 0, avgImbalance: 0, hottestShards: [] });
  });

  it('reads rebalance status and snapshot mode and epoch from the composed plugins', async () => {
    const Full = ShardedHashMap.with(advanced, snapshot, rebalance);
    const map = new Full<string, number>(4, { snapshotMode: SnapshotMode.Cow });
    for (let i = 0; i < 100; i++) map.insert(`k${i}`, i);
    map.startRebalanceOnline(16);
    map.advanceRebalance(1);
    const d = map.diagnostics();
    expect(d.rebalanceComposed).toBe(true);
    expect(d.rebalanceStatus).toEqual(map.rebalanceStatus());
    expect(d.rebalanceStatus.state).toBe('migrating');
    expect(d.snapshotMode).toBe('cow');
    expect(d.snapshotEpoch).toBe(map.snapshotVersion());
    expect(d.shardCount).toBe(16);
    expect(d.len).toBe(100);
    expect(d.initializedShards).toBe(map.initializedShards());

    const AsyncFull = AsyncShardedHashMap.with(advanced, snapshot, rebalance);
    const am = new AsyncFull<string, number>(4, { snapshotMode: SnapshotMode.Cached });
    await am.insert('a', 1);
    expect(await am.diagnostics()).toMatchObject({
      len: 1,
      rebalanceComposed: true,
      snapshotMode: 'cached',
      snapshotEpoch: await am.snapshotVersion(),
      version: await am.currentVersion(),
    });
  });
});
