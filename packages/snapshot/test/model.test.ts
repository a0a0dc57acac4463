// The core's model suite (random operation lists against a plain Map) run on maps composed with
// `snapshot`, in each mode. On top of the core's checks: after every step, every snapshot taken
// earlier still holds exactly the model's state at the time it was taken, and the write epoch
// moved by exactly the number of writes that changed the map.
import { defaultHasher, type Hasher, ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantHasher } from '../../core/test/support/hashers.js';
import { applyOp, checkInvariants, type Model, type Op, opArb, type Target } from '../../core/test/support/mapOps.js';
import { SnapshotMode, snapshot } from '../src/index.js';
import { epochDelta, expectSnapshotHolds, type Recorded } from './support/snapshotModel.js';

/** `STARSHARD_FC_RUNS=1000 pnpm exec vitest run test/model.test.ts` for a long soak. */
const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;

const Snap = ShardedHashMap.with(snapshot);
const modes = Object.values(SnapshotMode);

type HasherCase = { name: string; options: (seed: number) => { hasher?: Hasher<unknown>; seed?: number } };
const hasherCases: readonly HasherCase[] = [
  { name: 'the built-in hash', options: (seed) => ({ seed }) },
  { name: 'defaultHasher', options: () => ({ hasher: defaultHasher }) },
  { name: 'a hasher that sends every key to one shard', options: () => ({ hasher: constantHasher }) },
];

/** One step: a core operation, then (maybe) a snapshot to keep and re-check until the end. */
const stepArb = fc.record({ op: opArb, take: fc.boolean() });

describe.each(modes)('a map with the snapshot plugin in %s mode', (mode) => {
  describe.each([1, 7, 64])('with %i shard(s)', (shards) => {
    it.each(hasherCases)('behaves like a Map, and its snapshots never change, with $name', ({ name, options }) => {
      fc.assert(
        fc.property(fc.integer(), fc.array(stepArb, { maxLength: 40 }), (seed, steps) => {
          const map = new Snap<unknown, unknown>(shards, { ...options(seed), snapshotMode: mode });
          expect(map.snapshotMode()).toBe(mode);
          const target: Target = {
            map: map as unknown as Target['map'],
            shards,
            oneShard: shards === 1 || name.includes('one shard'),
          };
          const model: Model = { entries: new Map(), written: new Set() };
          const kept: Recorded[] = [];
          const everKey = new Set<unknown>();
          checkInvariants(model, target);
          for (const [step, { op, take }] of steps.entries()) {
            const version = map.snapshotVersion();
            const before = take ? map.snapshot() : undefined;
            if (before !== undefined) {
              expect(before.version).toBe(version);
              kept.push({ snap: before, entries: new Map(model.entries), version, step });
            }
            const delta = epochDelta(op, model.entries);
            applyOp(op, model, target);
            for (const k of model.entries.keys()) everKey.add(k);
            expect(map.snapshotVersion(), `${op.op} advances the epoch by the writes that changed the map`).toBe(
              version + delta,
            );
            if (before !== undefined) expectIdentity(mode, before, map.snapshot(), delta, op);
            for (const rec of kept) expectSnapshotHolds(rec, everKey, `after step ${step} (${op.op})`);
          }
        }),
        { numRuns: RUNS },
      );
    });
  });
});

/** Cached and Cow hand out the same snapshot while nothing changed; Clone never does. */
function expectIdentity(mode: SnapshotMode, before: object, after: { version: number }, delta: number, op: Op): void {
  if (mode === SnapshotMode.Clone || delta > 0) {
    expect(after, `${mode}: a new snapshot after ${op.op}`).not.toBe(before);
  } else {
    expect(after, `${mode}: the same snapshot after ${op.op}, which changed nothing`).toBe(before);
  }
}
