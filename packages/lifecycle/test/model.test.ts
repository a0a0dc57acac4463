// The backbone: random operation sequences on a bounded map against a plain-Map model. After
// every step the map holds exactly the model's entries, no shard is above its bound, every
// eviction named the key the policy names (exact per-shard LRU; LFU with LRU tie-break), and
// the metrics equal the model's counts.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycle } from '../src/index.js';
import { EvictionModel, type Policy } from './support/evictionModel.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 60;
const Life = ShardedHashMap.with(lifecycle);

type Step =
  | { kind: 'insert'; key: number; value: number }
  | { kind: 'get'; key: number }
  | { kind: 'contains'; key: number }
  | { kind: 'remove'; key: number }
  | { kind: 'batchInsert'; pairs: [number, number][] }
  | { kind: 'batchGet'; keys: number[] }
  | { kind: 'computeIfAbsent'; key: number; value: number };

const keyArb = fc.nat(40);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('insert'), key: keyArb, value: fc.integer() }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('get'), key: keyArb }), weight: 8 },
  { arbitrary: fc.record({ kind: fc.constant('contains'), key: keyArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('remove'), key: keyArb }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('batchInsert'),
      pairs: fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 6 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('batchGet'), keys: fc.array(keyArb, { maxLength: 6 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('computeIfAbsent'), key: keyArb, value: fc.integer() }), weight: 1 },
);

/** The map's routing (a protected member, reached for the model's sake). */
function routerOf(map: object): (key: number) => number {
  const seam = map as unknown as { indexFor(key: number): number };
  return (key) => seam.indexFor(key);
}

function run(policy: Policy, shards: number, maxEntries: number, steps: Step[]): void {
  const map = new Life<number, number>(shards, { eviction: { policy, maxEntries }, seed: 7 });
  const model = new EvictionModel(policy, shards, maxEntries, routerOf(map));
  for (const step of steps) {
    switch (step.kind) {
      case 'insert':
        expect(map.insert(step.key, step.value)).toBe(model.insert(step.key, step.value));
        break;
      case 'get':
        expect(map.get(step.key)).toBe(model.get(step.key));
        break;
      case 'contains':
        expect(map.contains(step.key)).toBe(model.contains(step.key));
        break;
      case 'remove':
        expect(map.remove(step.key)).toBe(model.remove(step.key));
        break;
      case 'batchInsert': {
        // New keys, counted before each insert (an eviction may make a key new again).
        let added = 0;
        for (const [k, v] of step.pairs) {
          if (!model.contains(k)) added++;
          model.insert(k, v);
        }
        expect(map.batchInsert(step.pairs)).toBe(added);
        break;
      }
      case 'batchGet':
        expect(map.batchGet(step.keys)).toEqual(step.keys.map((k) => model.get(k)));
        break;
      case 'computeIfAbsent': {
        let want = step.value;
        if (model.contains(step.key)) want = model.get(step.key) as number;
        else {
          model.misses++;
          model.insert(step.key, step.value);
        }
        expect(map.computeIfAbsent(step.key, () => step.value)).toBe(want);
        break;
      }
    }
    // The same entries: every eviction named the model's victim.
    expect(new Map(map.iter())).toEqual(new Map(model.entries()));
    expect(map.len()).toBe(model.size);
    expect(map.len()).toBeLessThanOrEqual(maxEntries);
    for (const { shardIdx, entryCount } of map.perShardLoad()) {
      expect(entryCount).toBeLessThanOrEqual(model.bound(shardIdx));
    }
    const m = map.metrics();
    expect(m).toMatchObject({
      hits: model.hits,
      misses: model.misses,
      totalGets: model.hits + model.misses,
      totalInserts: model.inserts,
      totalRemoves: model.removes,
      evictions: model.evictions,
    });
    expect(m.hitRate).toBe(model.hits + model.misses === 0 ? 0 : model.hits / (model.hits + model.misses));
  }
}

describe.each(['lru', 'lfu'] as const)('a map with %s eviction, against the model', (policy) => {
  it('one shard: the whole map is one exact order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(stepArb, { maxLength: 80 }), (max, steps) =>
        run(policy, 1, max, steps),
      ),
      { numRuns: RUNS },
    );
  });

  it('several shards: per-shard bounds summing to maxEntries, the victim exact per shard', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 4),
        fc.integer({ min: 4, max: 14 }),
        fc.array(stepArb, { maxLength: 80 }),
        (shards, max, steps) => run(policy, shards, max, steps),
      ),
      { numRuns: RUNS },
    );
  });
});
