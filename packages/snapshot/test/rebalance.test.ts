// With the real `rebalance` plugin (imported from its workspace source: an integration test, not
// a dependency): every snapshot holds the state it was taken in, in every mode, while migrations
// start, advance, finish, are superseded by stop-the-world rebalances or cleared, and while
// autoExpand grows the map by itself.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rebalance } from '../../rebalance/src/index.js';
import { SnapshotMode, snapshot } from '../src/index.js';
import { expectSnapshotHolds, type Recorded } from './support/snapshotModel.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 30;
const modes = Object.values(SnapshotMode);
const Both = ShardedHashMap.with(snapshot, rebalance);

type Step =
  | { kind: 'insert'; key: number; value: number }
  | { kind: 'remove'; key: number }
  | { kind: 'batchInsert'; pairs: [number, number][] }
  | { kind: 'clear' }
  | { kind: 'retain'; mod: number }
  | { kind: 'snapshot' }
  | { kind: 'start'; shards: number }
  | { kind: 'advance'; shards: number }
  | { kind: 'rebalanceTo'; shards: number };

const keyArb = fc.nat(80);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('insert'), key: keyArb, value: fc.integer() }), weight: 8 },
  { arbitrary: fc.record({ kind: fc.constant('remove'), key: keyArb }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('batchInsert'),
      pairs: fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 8 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('clear') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('retain'), mod: fc.integer({ min: 2, max: 5 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('snapshot') }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('start'), shards: fc.constantFrom(1, 3, 8, 16, 64) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('advance'), shards: fc.constantFrom(1, 2, 100) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('rebalanceTo'), shards: fc.constantFrom(2, 7, 32) }), weight: 1 },
);

describe.each(modes)('snapshot with rebalance, in %s mode', (mode) => {
  it('every snapshot holds its state through online and stop-the-world rebalances', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 4, 8),
        fc.integer(),
        fc.boolean(),
        fc.array(stepArb, { maxLength: 50 }),
        (shards, seed, grow, steps) => {
          const map = new Both<number, number>(shards, {
            seed,
            snapshotMode: mode,
            ...(grow ? { autoExpand: { maxLoadPerShard: 6 } } : {}),
          });
          const model = new Map<number, number>();
          const kept: Recorded[] = [];
          const keys = [...Array(81).keys()];
          for (const [step, s] of steps.entries()) {
            switch (s.kind) {
              case 'insert':
                expect(map.insert(s.key, s.value)).toBe(model.get(s.key));
                model.set(s.key, s.value);
                break;
              case 'remove':
                expect(map.remove(s.key)).toBe(model.get(s.key));
                model.delete(s.key);
                break;
              case 'batchInsert':
                map.batchInsert(s.pairs);
                for (const [k, v] of s.pairs) model.set(k, v);
                break;
              case 'clear':
                map.clear();
                model.clear();
                break;
              case 'retain':
                map.retain((k) => k % s.mod !== 0);
                for (const k of [...model.keys()]) if (k % s.mod === 0) model.delete(k);
                break;
              case 'snapshot': {
                const snap = map.snapshot();
                kept.push({ snap, entries: new Map(model), version: snap.version, step });
                break;
              }
              case 'start':
                map.startRebalanceOnline(s.shards);
                break;
              case 'advance':
                map.advanceRebalance(s.shards);
                break;
              case 'rebalanceTo':
                map.rebalanceTo(s.shards);
                break;
            }
            expect(map.len()).toBe(model.size);
            expect(new Map(map.iter())).toEqual(model);
            for (const k of keys) expect(map.get(k)).toBe(model.get(k));
            for (const rec of kept) expectSnapshotHolds(rec, keys, `after step ${step} (${s.kind})`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('a Cow snapshot and a rebalance', () => {
  it('stays intact while the map migrates to another shard count, writes going on', () => {
    const map = new Both<string, number>(8, { seed: 5, snapshotMode: SnapshotMode.Cow });
    for (let i = 0; i < 5_000; i++) map.insert(`k${i}`, i);
    const before = map.snapshot();
    map.startRebalanceOnline(32);
    for (let i = 0; i < 5_000; i += 3) map.insert(`k${i}`, -i);
    const during = map.snapshot(); // taken mid-migration
    map.advanceRebalance(3);
    for (let i = 1; i < 5_000; i += 3) map.remove(`k${i}`);
    map.advanceRebalance(Number.POSITIVE_INFINITY);
    expect(map.rebalanceStatus().state).toBe('idle');
    map.clear();
    for (let i = 0; i < 5_000; i++) {
      expect(before.get(`k${i}`)).toBe(i);
      expect(during.get(`k${i}`)).toBe(i % 3 === 0 ? -i : i);
    }
    expect([before.size, during.size, map.len()]).toEqual([5_000, 5_000, 0]);
  });
});
