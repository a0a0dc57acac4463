import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultHasher, type Hasher, ShardedHashMap } from '../src/index.js';
import { constantHasher, wildHasher } from './support/hashers.js';
import { applyOp, checkInvariants, type Model, opArb, type Target } from './support/mapOps.js';
import { expectSameContent } from './support/sameContent.js';

/** `STARSHARD_FC_RUNS=1000 pnpm exec vitest run test/model.test.ts` for a long soak. */
const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 60;

const shardCounts = [1, 2, 7, 64, 1024] as const;

type HasherCase = { name: string; options: (seed: number) => { hasher?: Hasher<unknown>; seed?: number } };
const hasherCases: readonly HasherCase[] = [
  { name: 'the built-in hash with a random seed', options: () => ({}) },
  { name: 'the built-in hash with a given seed', options: (seed) => ({ seed }) },
  { name: 'defaultHasher', options: () => ({ hasher: defaultHasher }) },
  { name: 'a hasher that sends every key to one shard', options: () => ({ hasher: constantHasher }) },
  { name: 'a hasher returning huge, negative and fractional numbers', options: () => ({ hasher: wildHasher }) },
];

describe.each(shardCounts)('a ShardedHashMap with %i shard(s)', (shards) => {
  it.each(hasherCases)('behaves like a Map under random operations, with $name', ({ name, options }) => {
    fc.assert(
      fc.property(fc.integer(), fc.array(opArb, { maxLength: 50 }), (seed, ops) => {
        const map = new ShardedHashMap<unknown, unknown>(shards, options(seed));
        const target: Target = { map, shards, oneShard: shards === 1 || name.includes('one shard') };
        const model: Model = { entries: new Map(), written: new Set() };
        expect(Object.prototype.toString.call(map)).toBe('[object ShardedHashMap]');
        checkInvariants(model, target);
        for (const op of ops) applyOp(op, model, target);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Keys alike in their length and last four characters: the built-in string sample piles them up. */
const pathKey = (i: number) => `/app/node_modules/p${i}/package.json`;

type Step = {
  how: 'insert' | 'set' | 'computeIfAbsent' | 'batchInsert';
  andThen: 'remove' | 'get' | 'nothing';
  at: number;
};
const stepArb: fc.Arbitrary<Step> = fc.record({
  how: fc.constantFrom('insert', 'set', 'computeIfAbsent', 'batchInsert'),
  andThen: fc.constantFrom('remove', 'get', 'nothing'),
  at: fc.nat(),
});

describe('a map given keys that share their last four characters', () => {
  it('stays equal to the model across the switch to full string hashing, and ends balanced', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 64),
        fc.integer(),
        fc.integer({ min: 1_500, max: 3_000 }),
        fc.array(stepArb, { minLength: 1, maxLength: 300 }),
        (shards, seed, total, steps) => {
          const map = new ShardedHashMap<string, number>(shards, { seed });
          const model = new Map<string, number>();
          let next = 0;
          // Each step writes a chunk of new keys one way, then removes or reads an earlier key.
          for (let s = 0; next < total; s++) {
            const step = steps[s % steps.length]!;
            const chunk = Math.min(1 + (step.at % 16), total - next);
            if (step.how === 'batchInsert') {
              const pairs = Array.from({ length: chunk }, (_, j) => [pathKey(next + j), next + j] as [string, number]);
              pairs.push([pathKey(step.at % (next + chunk)), -1]); // a key seen before: not new
              let fresh = 0;
              for (const [k, v] of pairs) {
                if (!model.has(k)) fresh++;
                model.set(k, v);
              }
              expect(map.batchInsert(pairs)).toBe(fresh);
              next += chunk;
            } else {
              for (let j = 0; j < chunk; j++, next++) {
                const key = pathKey(next);
                if (step.how === 'insert') expect(map.insert(key, next)).toBeUndefined();
                else if (step.how === 'set') map.set(key, next);
                else expect(map.computeIfAbsent(key, () => next)).toBe(next);
                model.set(key, next);
              }
            }
            const old = pathKey(step.at % next);
            if (step.andThen === 'remove') {
              expect(map.remove(old)).toBe(model.get(old));
              model.delete(old);
            } else if (step.andThen === 'get') {
              expect(map.get(old)).toBe(model.get(old));
            }
          }
          expectSameContent(map as ShardedHashMap<unknown, unknown>, model);
          for (const [k, v] of model) expect(map.get(k)).toBe(v);
          const { maxLoad, avgLoad, initialized } = map.shardStats();
          expect(initialized).toBe(shards);
          // A fair spread stays well within this (about avg + 3√avg); the pile (most keys in one shard) does not.
          expect(maxLoad, `maxLoad ${maxLoad} vs avgLoad ${avgLoad.toFixed(1)}`).toBeLessThanOrEqual(
            avgLoad + 6 * Math.sqrt(avgLoad) + 10,
          );
        },
      ),
      { numRuns: Math.max(5, Math.round(RUNS / 3)) },
    );
  });
});
