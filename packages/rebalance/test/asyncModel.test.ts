// The async package's model suite with a migration running: its random operation lists (every
// method, sync / async / throwing / rejecting callbacks) interleaved with migrations started,
// advanced and finished, on an AsyncShardedHashMap.with(rebalance) and a sync twin composed with
// rebalance (same seed, same migrations), against a plain Map. The async map must answer like the
// model and allocate shards exactly like its sync twin, migration included.
import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyArb } from '../../core/test/support/keys.js';
import { type AsyncRebalanceApi, rebalance } from '../src/index.js';
import { countArb } from './support/migratingOps.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 25;

/** The async package's model support, as this suite uses it. */
interface AsyncOpsSupport {
  opArbOn(keys: fc.Arbitrary<unknown>): fc.Arbitrary<AsyncOp>;
  applyAsyncOp(op: AsyncOp, targets: Targets): Promise<void>;
  checkInvariants(targets: Targets): Promise<void>;
  sameValueZero(a: unknown, b: unknown): boolean;
}
/** One of its operations (opaque here: generated and applied by the support module). */
type AsyncOp = { op: string };
interface Targets {
  readonly map: AsyncShardedHashMap<unknown, unknown>;
  readonly twin: ShardedHashMap<unknown, unknown>;
  readonly model: Map<unknown, unknown>;
}

// Loaded at run time from a computed path: a static import would put the async package's source
// (and its `declare module '@starshard/core'` merges) into this program beside the built
// `@starshard/async` these tests use, and the two sets of merges clash.
const supportPath = new URL('../../async/test/support/asyncOps.ts', import.meta.url).href;
const { opArbOn, applyAsyncOp, checkInvariants, sameValueZero } = (await import(supportPath)) as AsyncOpsSupport;

type MigrationOp = { op: 'start' | 'rebalanceTo'; count: number } | { op: 'advance'; shards: number };
const isMigrationOp = (op: AsyncOp | MigrationOp): op is MigrationOp =>
  op.op === 'start' || op.op === 'advance' || op.op === 'rebalanceTo';

const migrationOpArb: fc.Arbitrary<MigrationOp> = fc.oneof(
  fc.record({ op: fc.constantFrom('start' as const, 'rebalanceTo' as const), count: countArb }),
  fc.record({ op: fc.constant('advance' as const), shards: fc.integer({ min: 0, max: 3 }) }),
);

/** Operation lists on a small key pool (so writes meet unmoved keys), with migrations mixed in. */
const opsArb: fc.Arbitrary<(AsyncOp | MigrationOp)[]> = fc
  .uniqueArray(keyArb, { minLength: 1, maxLength: 8, comparator: sameValueZero })
  .chain((pool) =>
    fc.array(
      fc.oneof(
        {
          arbitrary: opArbOn(
            fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 5 }, { arbitrary: keyArb, weight: 1 }),
          ),
          weight: 3,
        },
        { arbitrary: migrationOpArb, weight: 1 },
      ),
      { maxLength: 40 },
    ),
  );

type SyncRebalanced = ShardedHashMap<unknown, unknown> & {
  startRebalanceOnline(n: number): boolean;
  advanceRebalance(n: number): number;
  rebalanceTo(n: number): { fromShards: number; toShards: number; movedEntries: number };
  rebalanceStatus(): object;
};

async function applyMigrationOp(op: MigrationOp, targets: Targets): Promise<void> {
  const map = targets.map as unknown as AsyncShardedHashMap<unknown, unknown> & AsyncRebalanceApi;
  const twin = targets.twin as SyncRebalanced;
  if (op.op === 'start') expect(await map.startRebalanceOnline(op.count)).toBe(twin.startRebalanceOnline(op.count));
  else if (op.op === 'advance') expect(await map.advanceRebalance(op.shards)).toBe(twin.advanceRebalance(op.shards));
  else {
    const [report, twinReport] = [await map.rebalanceTo(op.count), twin.rebalanceTo(op.count)];
    expect({ ...report, elapsedMs: 0 }).toEqual({ ...twinReport, elapsedMs: 0 });
  }
  expect(map.rebalanceStatus()).toEqual(twin.rebalanceStatus());
}

describe.each([1, 7, 64])('AsyncShardedHashMap.with(rebalance) starting with %i shard(s)', (shards) => {
  it.each(['detect', 'trust'] as const)(
    'answers like the model and allocates like its sync twin while migrations run (reentrancy: %s)',
    async (reentrancy) => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer(),
          fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 30 }),
          countArb,
          opsArb,
          async (seed, prefill, target, ops) => {
            const targets: Targets = {
              map: new (AsyncShardedHashMap.with(rebalance))<unknown, unknown>(shards, { seed, reentrancy }),
              twin: new (ShardedHashMap.with(rebalance))<unknown, unknown>(shards, { seed }),
              model: new Map(),
            };
            for (const [k, v] of prefill) {
              await targets.map.insert(k, v);
              targets.twin.insert(k, v);
              targets.model.set(k, v);
            }
            await applyMigrationOp({ op: 'start', count: target }, targets);
            await checkInvariants(targets);
            for (const op of ops) {
              if (isMigrationOp(op)) {
                await applyMigrationOp(op, targets);
                await checkInvariants(targets);
              } else await applyAsyncOp(op, targets);
              // The async map's scans (checkInvariants iterates it) copy partly moved old shards;
              // the twin scans too, so both keep moving the same entries in the same order.
              [...targets.twin.iter()];
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
  );
});
