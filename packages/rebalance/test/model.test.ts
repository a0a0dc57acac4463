// The model-based suite with a migration running: random operations of the core API interleaved
// with random migration steps, migrations started mid-migration, stop-the-world rebalances and
// clear(), against a plain Map. The map must equal the model after every operation.
import { defaultHasher, type Hasher, ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantHasher, wildHasher } from '../../core/test/support/hashers.js';
import { rebalance } from '../src/index.js';
import { rebalanceHostKey } from '../src/rebalanceHostKey.js';
import {
  applyMixedOp,
  checkMigrationInvariants,
  countArb,
  keyArb,
  type MigratingMap,
  type MigrationModel,
  mixedOpArb,
  valueArb,
} from './support/migratingOps.js';

/** `STARSHARD_FC_RUNS=1000 pnpm exec vitest run test/model.test.ts` for a long soak. */
const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;

const Rebalanced = ShardedHashMap.with(rebalance);

type HasherCase = { name: string; options: (seed: number) => { hasher?: Hasher<unknown>; seed?: number } };
const hasherCases: readonly HasherCase[] = [
  { name: 'the built-in hash with a given seed', options: (seed) => ({ seed }) },
  { name: 'defaultHasher', options: () => ({ hasher: defaultHasher }) },
  { name: 'a hasher that sends every key to one shard', options: () => ({ hasher: constantHasher }) },
  { name: 'a hasher returning huge, negative and fractional numbers', options: () => ({ hasher: wildHasher }) },
];

describe.each([1, 7, 64])('a rebalanced map starting with %i shard(s)', (shards) => {
  it.each(hasherCases)('equals the model while migrations run under random operations, with $name', ({ options }) => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.tuple(keyArb, valueArb), { maxLength: 40 }),
        countArb,
        fc.array(mixedOpArb, { maxLength: 60 }),
        (seed, prefill, firstTarget, ops) => {
          const map = new Rebalanced<unknown, unknown>(shards, options(seed)) as unknown as MigratingMap;
          const model: MigrationModel = { entries: new Map(), count: shards };
          for (const [k, v] of prefill) {
            map.insert(k, v);
            model.entries.set(k, v);
          }
          if (map.startRebalanceOnline(firstTarget)) model.count = firstTarget;
          checkMigrationInvariants(model, map);
          for (const op of ops) applyMixedOp(op, model, map);
          map.advanceRebalance(Number.POSITIVE_INFINITY);
          expect(map.rebalanceStatus().state).toBe('idle');
          checkMigrationInvariants(model, map);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** Keys alike in their length and last characters: the built-in string sample piles them up. */
const pathKey = (i: number) => `/app/node_modules/p${String(i).padStart(5, '0')}/package.json`;

/** The core's count of sample-window switches (each one re-routes every entry through `scanShards`). */
const resamplesOf = (map: unknown) => (map as { resamples: number }).resamples;

describe("the core's automatic re-layout of piled-up string keys", () => {
  it('happens mid-migration, sees every entry (old layout included) and ends the migration', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(8, 16),
        fc.constantFrom(32, 64, 24),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 64 }), fc.nat()), { minLength: 1, maxLength: 30 }),
        (seed, from, to, stepEvery, plan) => {
          const map = new Rebalanced<string, number>(from, { seed }) as unknown as MigratingMap;
          const model: MigrationModel = { entries: new Map(), count: from };
          // Distinct keys first (a spread that does not pile), then a migration...
          for (let i = 0; i < 300; i++) {
            map.insert(`spread-${i}`, i);
            model.entries.set(`spread-${i}`, i);
          }
          map.startRebalanceOnline(to);
          model.count = to;
          map.advanceRebalance(1);
          // ...then keys with a constant suffix pour in, with steps, reads, removals and rewrites
          // of old keys, until the core notices the pile and re-routes every entry.
          const before = resamplesOf(map);
          let next = 0;
          let migratingBefore = false;
          for (let round = 0; resamplesOf(map) === before && round < 400; round++) {
            const [chunk, pick] = plan[round % plan.length]!;
            migratingBefore = map.rebalanceStatus().state === 'migrating';
            for (let j = 0; j < chunk; j++, next++) {
              map.insert(pathKey(next), next);
              model.entries.set(pathKey(next), next);
            }
            if (round % stepEvery === 0) map[rebalanceHostKey]().step(chunk, Number.POSITIVE_INFINITY);
            const old = `spread-${pick % 300}`;
            if (pick % 3 === 0) {
              expect(map.remove(old)).toBe(model.entries.get(old));
              model.entries.delete(old);
            } else if (pick % 3 === 1) {
              expect(map.insert(old, -pick)).toBe(model.entries.get(old));
              model.entries.set(old, -pick);
            } else expect(map.get(old)).toBe(model.entries.get(old));
          }
          expect(resamplesOf(map), 'the pile triggered the re-layout').toBeGreaterThan(before);
          expect(migratingBefore, 'the re-layout came while migrating').toBe(true);
          expect(map.rebalanceStatus().state, 'the re-layout ended the migration').toBe('idle');
          checkMigrationInvariants(model, map);
          for (let i = 0; i < 50; i++) {
            map.insert(pathKey(next), next);
            model.entries.set(pathKey(next), next);
            next++;
          }
          checkMigrationInvariants(model, map);
        },
      ),
      { numRuns: Math.max(5, Math.round(RUNS / 4)) },
    );
  });
});
