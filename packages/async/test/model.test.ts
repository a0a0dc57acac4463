// The fast-check model suite: random operation lists (every method, keys of every kind, sync,
// async, throwing and rejecting callbacks) against a plain Map and a sync ShardedHashMap twin.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsyncShardedHashMap } from '../src/index.js';
import { applyAsyncOp, checkInvariants, opListArb, type Targets, twinOf } from './support/asyncOps.js';

/** `STARSHARD_FC_RUNS=1000 pnpm exec vitest run test/model.test.ts` for a long soak. */
const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;

describe.each([1, 7, 64])('an AsyncShardedHashMap with %i shard(s)', (shards) => {
  it.each(['detect', 'trust'] as const)(
    'answers every method like a Map, allocates shards like the sync map (reentrancy: %s)',
    async (reentrancy) => {
      await fc.assert(
        fc.asyncProperty(fc.integer(), opListArb, async (seed, ops) => {
          const targets: Targets = {
            map: new AsyncShardedHashMap<unknown, unknown>(shards, { seed, reentrancy }),
            twin: twinOf(shards, seed),
            model: new Map(),
          };
          expect(Object.prototype.toString.call(targets.map)).toBe('[object AsyncShardedHashMap]');
          await checkInvariants(targets);
          for (const op of ops) await applyAsyncOp(op, targets);
        }),
        { numRuns: RUNS },
      );
    },
  );
});
