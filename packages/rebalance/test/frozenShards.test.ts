// The invariant shared with the snapshot plugin: a shard Map is only ever mutated after the whole
// `shardForWrite` chain handed it out for the current layout, so a copy-on-write snapshot that
// captured it (old layout included) keeps it intact. Checked with a probe plugin that captures
// like a snapshot, placed before and after `rebalance` in the chain.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rebalance } from '../src/index.js';
import { rebalanceHostKey } from '../src/rebalanceHostKey.js';
import { type CowProbeApi, cowProbe } from './support/cowProbe.js';
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

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;

const opOrCapture = fc.oneof(
  { arbitrary: mixedOpArb, weight: 5 },
  { arbitrary: fc.constant({ op: 'capture' as const }), weight: 1 },
);

describe.each([
  ['before rebalance in the chain', cowProbe('aaCowProbe')],
  ['after rebalance in the chain', cowProbe('zzCowProbe')],
])('with a copy-on-write probe %s', (_, probe) => {
  const Probed = ShardedHashMap.with(rebalance, probe);

  it('no captured shard Map ever changes, while migrations run under random operations', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(1, 4, 16),
        fc.array(fc.tuple(keyArb, valueArb), { maxLength: 40 }),
        countArb,
        fc.array(opOrCapture, { maxLength: 60 }),
        (seed, shards, prefill, target, ops) => {
          const map = new Probed<unknown, unknown>(shards, { seed }) as unknown as MigratingMap & CowProbeApi;
          const model: MigrationModel = { entries: new Map(), count: shards };
          for (const [k, v] of prefill) {
            map.insert(k, v);
            model.entries.set(k, v);
          }
          map.capture();
          if (map.startRebalanceOnline(target)) model.count = target;
          map.capture();
          for (const op of ops) {
            if (op.op === 'capture') map.capture();
            else applyMixedOp(op, model, map);
            expect(map.mutatedCaptures(), `after ${op.op}`).toBe(0);
          }
          map.advanceRebalance(Number.POSITIVE_INFINITY);
          expect(map.mutatedCaptures()).toBe(0);
          checkMigrationInvariants(model, map);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('moves a big shard in steps, with captures between them, leaving every capture intact', () => {
    const map = new Probed<string, number>(2, { seed: 9 }) as unknown as MigratingMap & CowProbeApi;
    const model: MigrationModel = { entries: new Map(), count: 2 };
    for (let i = 0; i < 3_000; i++) {
      map.insert(`k${i}`, i);
      model.entries.set(`k${i}`, i);
    }
    map.startRebalanceOnline(16);
    model.count = 16;
    for (let round = 0; map.rebalanceStatus().state === 'migrating'; round++) {
      map.capture();
      map[rebalanceHostKey]().step(97, Number.POSITIVE_INFINITY);
      map.insert(`k${round * 13}`, -round);
      model.entries.set(`k${round * 13}`, -round);
      expect(map.remove(`k${round * 29 + 1}`)).toBe(model.entries.get(`k${round * 29 + 1}`));
      model.entries.delete(`k${round * 29 + 1}`);
      expect(map.len()).toBe(model.entries.size);
      expect(map.mutatedCaptures()).toBe(0);
    }
    expect(map.captures()).toBeGreaterThan(30);
    checkMigrationInvariants(model, map);
  });
});
