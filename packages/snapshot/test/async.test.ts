// The async facet: the same methods returning promises, the static constructors, and snapshots
// taken synchronously at the call (one point in time across all shards) while many tasks write
// concurrently: no snapshot ever sees half of an atomic transfer, and none changes afterwards.
import { AsyncShardedHashMap } from '@starshard/async';
import { MAX_SHARDS } from '@starshard/core';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { tdTally } from '../../async/test/support/tallyPlugin.js';
import { rebalance } from '../../rebalance/src/index.js';
import { type MapSnapshot, SnapshotMode, snapshot } from '../src/index.js';

const AsyncSnap = AsyncShardedHashMap.with(snapshot);
const modes = Object.values(SnapshotMode);

let emitWarning: MockInstance<typeof process.emitWarning>;
beforeAll(() => {
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => emitWarning.mockRestore());

/** A tiny seeded PRNG (mulberry32): reproducible interleavings. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Yields to the event loop: a microtask or a macrotask, at random. */
const pause = (r: () => number) =>
  r() < 0.5 ? Promise.resolve() : new Promise<void>((resolve) => setImmediate(resolve));

describe('AsyncShardedHashMap.with(snapshot)', () => {
  it.each(modes)('has the snapshot methods, returning promises (%s)', async (mode) => {
    const m = new AsyncSnap<string, number>(8, { snapshotMode: mode });
    expect(await m.snapshotMode()).toBe(mode);
    await m.insert('a', 1);
    const snap = await m.snapshot();
    await m.insert('a', 2);
    await m.insert('b', 3);
    expect([snap.get('a'), snap.has('b'), snap.size, snap.version]).toEqual([1, false, 1, 1]);
    expect(await m.snapshotVersion()).toBe(3);
    expect(new Map(await m.iter())).toEqual(
      new Map([
        ['a', 2],
        ['b', 3],
      ]),
    );
    const again = await m.snapshot();
    expect((await m.snapshot()) === again).toBe(mode !== SnapshotMode.Clone);
    expect(await new AsyncSnap().snapshotMode()).toBe(SnapshotMode.Clone);
  });

  it('has the static constructors, with the core clamping rules', async () => {
    const a = AsyncSnap.withSnapshotMode<string, number>(16, SnapshotMode.Cow);
    expect([a.shardCount(), await a.snapshotMode()]).toEqual([16, 'cow']);
    expect(a).toBeInstanceOf(AsyncSnap);
    const b = AsyncSnap.withShardsAndHasherAndSnapshotMode<string, number>(0, (k) => k.length, 'cached');
    expect([b.shardCount(), await b.snapshotMode()]).toEqual([64, 'cached']);
    await b.insert('abc', 1);
    expect((await b.snapshot()).get('abc')).toBe(1);
    const c = AsyncSnap.withShardsAndHasherCappedAndSnapshotMode(1000, undefined, 128, 'clone');
    expect([c.shardCount(), await c.snapshotMode()]).toEqual([128, 'clone']);
    expect(AsyncSnap.withSnapshotMode(MAX_SHARDS + 5, 'cow').shardCount()).toBe(MAX_SHARDS);
    expect(() => AsyncSnap.withSnapshotMode(8, 'fast' as never)).toThrow(/snapshotMode/);
    expect(AsyncShardedHashMap).not.toHaveProperty('withSnapshotMode');
  });

  it.each(modes)('takes the snapshot when called, before writes that run right after (%s)', async (mode) => {
    const m = new AsyncSnap<string, number>(4, { snapshotMode: mode });
    await m.insert('k', 1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A callback holding 'k': its value is not in a snapshot until it has returned.
    const rmw = m.computeIfPresent('k', async (v) => {
      await gate;
      return v + 10;
    });
    const pending = m.snapshot();
    const write = m.insert('other', 5); // idle key: runs now, after the snapshot was taken
    const snap = await pending;
    release();
    await Promise.all([rmw, write]);
    expect([snap.get('k'), snap.has('other')]).toEqual([1, false]);
    const after = await m.snapshot();
    expect([after.get('k'), after.get('other')]).toEqual([11, 5]);
    expect(snap.get('k')).toBe(1);
  });

  it.each(modes)(
    'under concurrent writers, every snapshot is one consistent point in time and never changes (%s)',
    async (mode) => {
      const Bank = AsyncShardedHashMap.with(snapshot, tdTally);
      const accounts = 24;
      const initial = 100;
      const m = new Bank<string, number>(8, { snapshotMode: mode });
      for (let i = 0; i < accounts; i++) await m.insert(`acct:${i}`, initial);
      const total = accounts * initial;
      const kept: { snap: MapSnapshot<string, number>; entries: Map<string, number> }[] = [];
      const sumOf = (entries: Iterable<[string, number]>) => {
        let s = 0;
        for (const [k, v] of entries) if (k.startsWith('acct:')) s += v;
        return s;
      };

      const transfers = async (seed: number) => {
        const r = rng(seed);
        for (let i = 0; i < 40; i++) {
          const from = `acct:${Math.floor(r() * accounts)}`;
          const to = `acct:${Math.floor(r() * accounts)}`;
          await m.transfer(from, to, 1 + Math.floor(r() * 5));
          await pause(r);
        }
      };
      const rmw = async (seed: number) => {
        const r = rng(seed);
        for (let i = 0; i < 30; i++) {
          // Holds the key across awaits, writes back the same value: no lost update, no change.
          await m.computeIfPresent(`acct:${Math.floor(r() * accounts)}`, async (v) => {
            await pause(r);
            return v;
          });
        }
      };
      const noise = async (seed: number) => {
        const r = rng(seed);
        for (let i = 0; i < 40; i++) {
          const key = `noise:${Math.floor(r() * 10)}`;
          if (r() < 0.6) await m.insert(key, i);
          else await m.remove(key);
          if (r() < 0.1) await m.retain((k) => !k.startsWith('noise:') || r() < 0.5);
          await pause(r);
        }
      };
      const snapshots = async (seed: number) => {
        const r = rng(seed);
        for (let i = 0; i < 40; i++) {
          // Both taken synchronously, back to back: nothing can run between them.
          const taking = m.snapshot();
          const listing = m.iter();
          const [snap, entries] = await Promise.all([taking, listing]);
          expect(sumOf(snap), 'a snapshot never sees half a transfer').toBe(total);
          expect(new Map(snap)).toEqual(new Map(entries));
          kept.push({ snap, entries: new Map(entries) });
          await pause(r);
        }
      };

      await Promise.all([
        transfers(1),
        transfers(2),
        transfers(3),
        rmw(4),
        rmw(5),
        noise(6),
        noise(7),
        snapshots(8),
        snapshots(9),
      ]);
      expect(sumOf(await m.iter())).toBe(total);
      expect(kept.length).toBe(80);
      const versions = new Set<number>();
      for (const { snap, entries } of kept) {
        expect(new Map(snap)).toEqual(entries);
        expect(snap.size).toBe(entries.size);
        for (const [k, v] of entries) expect(snap.get(k)).toBe(v);
        versions.add(snap.version);
      }
      expect(versions.size, 'the map kept changing between snapshots').toBeGreaterThan(10);
    },
  );

  it.each(modes)(
    'with rebalance: snapshots stay intact through a background rebalance while tasks write (%s)',
    async (mode) => {
      const Both = AsyncShardedHashMap.with(snapshot, rebalance);
      const m = new Both<string, number>(4, { seed: 9, snapshotMode: mode });
      await m.batchInsert(Array.from({ length: 800 }, (_, i) => [`k${i}`, i] as [string, number]));
      const kept: { snap: MapSnapshot<string, number>; entries: Map<string, number> }[] = [];
      const migration = m.rebalanceTo(64, { background: true, batchSize: 40 });
      const r = rng(3);
      let sawMigrating = false;
      for (let i = 0; m.rebalanceStatus().state === 'migrating' || i < 20; i++) {
        if (m.rebalanceStatus().state === 'migrating') sawMigrating = true;
        const key = `k${Math.floor(r() * 900)}`;
        if (r() < 0.7) await m.insert(key, -i);
        else await m.remove(key);
        const [snap, entries] = await Promise.all([m.snapshot(), m.iter()]);
        kept.push({ snap, entries: new Map(entries) });
        await pause(r);
      }
      const report = await migration;
      expect(report.toShards).toBe(64);
      expect(sawMigrating).toBe(true);
      await m.clear();
      for (const { snap, entries } of kept) {
        expect(snap.size).toBe(entries.size);
        for (const [k, v] of entries) expect(snap.get(k)).toBe(v);
        expect(new Map(snap)).toEqual(entries);
      }
    },
  );
});
