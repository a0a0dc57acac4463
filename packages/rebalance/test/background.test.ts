// Background rebalance: one bounded step per event-loop turn, the map answering in between;
// abort leaves a consistent migration that advanceRebalance finishes.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opArb } from '../../core/test/support/mapOps.js';
import { RebalanceSupersededError, rebalance } from '../src/index.js';
import {
  applyMixedOp,
  checkMigrationInvariants,
  type MigratingMap,
  type MigrationModel,
} from './support/migratingOps.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 25;
const Rebalanced = ShardedHashMap.with(rebalance);

function filled(shards: number, n: number) {
  const map = new Rebalanced<string, number>(shards, { seed: 11 }) as unknown as MigratingMap;
  const model: MigrationModel = { entries: new Map(), count: shards };
  for (let i = 0; i < n; i++) {
    map.insert(`key:${i}`, i);
    model.entries.set(`key:${i}`, i);
  }
  return { map, model };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Records `movedEntries` at every event-loop turn until `done` settles. */
async function watchTurns(map: MigratingMap, done: Promise<unknown>): Promise<number[]> {
  let settled = false;
  done.then(
    () => (settled = true),
    () => (settled = true),
  );
  const seen: number[] = [];
  while (!settled) {
    seen.push(map.rebalanceStatus().movedEntries);
    await nextTurn();
  }
  return seen;
}

describe('rebalanceTo(n, { background: true })', () => {
  it('switches layouts at once, then moves at most batchSize entries per event-loop turn', async () => {
    const { map, model } = filled(8, 5_000);
    const done = map.rebalanceTo(64, { background: true, batchSize: 300 });
    expect(map.shardCount()).toBe(64);
    expect(map.rebalanceStatus().state).toBe('migrating');
    model.count = 64;
    const seen = await watchTurns(map, done);
    const report = await done;
    expect(report).toMatchObject({ fromShards: 8, toShards: 64, movedEntries: 5_000 });
    expect(seen.length, 'it took many turns').toBeGreaterThanOrEqual(5_000 / 300 - 1);
    for (let i = 1; i < seen.length; i++) {
      const moved = (seen[i] as number) - (seen[i - 1] as number);
      expect(moved).toBeGreaterThanOrEqual(0);
      expect(moved, `turn ${i}`).toBeLessThanOrEqual(300);
    }
    expect(map.rebalanceStatus()).toMatchObject({ state: 'idle', movedShards: 8, totalShards: 8 });
    checkMigrationInvariants(model, map);
  });

  it('stops a step at maxPauseNs (the clock is read every 16 entries)', async () => {
    const { map, model } = filled(4, 2_000);
    const done = map.rebalanceTo(16, { background: true, batchSize: Number.POSITIVE_INFINITY, maxPauseNs: 1 });
    model.count = 16;
    const seen = await watchTurns(map, done);
    await done;
    for (let i = 1; i < seen.length; i++) expect((seen[i] as number) - (seen[i - 1] as number)).toBeLessThanOrEqual(16);
    checkMigrationInvariants(model, map);
  });

  it('answers reads and writes between steps, each key reachable, len exact', async () => {
    const { map, model } = filled(16, 4_000);
    const done = map.rebalanceTo(256, { background: true, batchSize: 200 });
    model.count = 256;
    let settled = false;
    done.then(() => (settled = true));
    for (let round = 0; !settled; round++) {
      for (let j = 0; j < 20; j++) {
        const k = `key:${(round * 37 + j * 101) % 5_000}`;
        expect(map.get(k)).toBe(model.entries.get(k));
        if (j % 4 === 0) {
          expect(map.insert(k, round)).toBe(model.entries.get(k));
          model.entries.set(k, round);
        } else if (j % 7 === 0) {
          expect(map.remove(k)).toBe(model.entries.get(k));
          model.entries.delete(k);
        }
      }
      expect(map.len()).toBe(model.entries.size);
      if (round % 5 === 0) checkMigrationInvariants(model, map);
      await nextTurn();
    }
    await done;
    checkMigrationInvariants(model, map);
  });

  it('rejects with the reason on abort, leaving a consistent migration that advanceRebalance finishes', async () => {
    const { map, model } = filled(8, 3_000);
    const controller = new AbortController();
    const reason = new Error('deploy window over');
    const done = map.rebalanceTo(64, { background: true, batchSize: 100, signal: controller.signal });
    model.count = 64;
    for (let i = 0; i < 5; i++) await nextTurn();
    controller.abort(reason);
    await expect(done).rejects.toBe(reason);
    const status = map.rebalanceStatus();
    expect(status.state).toBe('migrating');
    expect(status.movedEntries).toBeGreaterThan(0);
    expect(status.movedEntries).toBeLessThan(3_000);
    // Nothing moves any more by itself.
    await nextTurn();
    await nextTurn();
    expect(map.rebalanceStatus()).toEqual(status);
    checkMigrationInvariants(model, map);
    map.insert('key:1', -1);
    model.entries.set('key:1', -1);
    expect(map.advanceRebalance(Number.POSITIVE_INFINITY)).toBe(8 - status.movedShards);
    expect(map.rebalanceStatus()).toMatchObject({ state: 'idle', movedShards: 8, totalShards: 8 });
    checkMigrationInvariants(model, map);
  });

  it('rejects an already aborted signal before touching the map', async () => {
    const { map, model } = filled(8, 100);
    const reason = new Error('no');
    await expect(map.rebalanceTo(64, { background: true, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(map.rebalanceStatus().state).toBe('idle');
    checkMigrationInvariants(model, map);
  });

  it('finishes an aborted migration when asked again', async () => {
    const { map, model } = filled(8, 2_000);
    const controller = new AbortController();
    const first = map.rebalanceTo(32, { background: true, batchSize: 50, signal: controller.signal });
    await nextTurn();
    controller.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    const moved = map.rebalanceStatus().movedEntries;
    const report = await map.rebalanceTo(32, { background: true });
    expect(report).toMatchObject({ fromShards: 8, toShards: 32, movedEntries: 2_000 - moved });
    model.count = 32;
    checkMigrationInvariants(model, map);
  });

  it('carries a migration to another count to its end, then runs its own', async () => {
    const { map, model } = filled(8, 2_000);
    map.startRebalanceOnline(16);
    map.advanceRebalance(2);
    const report = await map.rebalanceTo(64, { background: true, batchSize: 500 });
    expect(report.fromShards).toBe(8);
    expect(report.toShards).toBe(64);
    expect(map.rebalanceStatus()).toMatchObject({ state: 'idle', totalShards: 16 });
    model.count = 64;
    checkMigrationInvariants(model, map);
  });

  it('resolves when clear() ends its migration', async () => {
    const { map, model } = filled(8, 2_000);
    const done = map.rebalanceTo(32, { background: true, batchSize: 100 });
    await nextTurn();
    map.clear();
    model.entries.clear();
    model.count = 32;
    await expect(done).resolves.toMatchObject({ toShards: 32 });
    checkMigrationInvariants(model, map);
  });

  it('shares one migration between concurrent calls to the same count', async () => {
    const { map, model } = filled(8, 3_000);
    const a = map.rebalanceTo(128, { background: true, batchSize: 100 });
    const b = map.rebalanceTo(128, { background: true, batchSize: 100 });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.movedEntries).toBe(3_000);
    expect(rb.movedEntries).toBe(3_000);
    expect(map.rebalanceStatus().totalShards).toBe(8);
    model.count = 128;
    checkMigrationInvariants(model, map);
  });

  it('rejects with RebalanceSupersededError when a later rebalance replaces its migration', async () => {
    const { map, model } = filled(8, 2_000);
    const done = map.rebalanceTo(64, { background: true, batchSize: 100 });
    await nextTurn();
    map.rebalanceTo(16);
    model.count = 16;
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RebalanceSupersededError);
    expect(error).toMatchObject({ code: 'ERR_STARSHARD_REBALANCE_SUPERSEDED', requested: 64, actual: 16 });
    checkMigrationInvariants(model, map);
  });

  it('equals the model under random operations between its steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.constantFrom(1, 4, 16),
        fc.constantFrom(2, 4, 7, 64),
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.array(opArb, { maxLength: 4 }), { maxLength: 30 }),
        async (seed, from, to, batchSize, turns) => {
          const map = new Rebalanced<unknown, unknown>(from, { seed }) as unknown as MigratingMap;
          const model: MigrationModel = { entries: new Map(), count: from };
          for (let i = 0; i < 200; i++) {
            map.insert(i, `v${i}`);
            model.entries.set(i, `v${i}`);
          }
          const done = map.rebalanceTo(to, { background: true, batchSize });
          model.count = to;
          for (const ops of turns) {
            for (const op of ops) applyMixedOp(op, model, map);
            await nextTurn();
          }
          await done;
          expect(map.rebalanceStatus().state).toBe('idle');
          checkMigrationInvariants(model, map);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
