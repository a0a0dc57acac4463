// Concurrent operations, interleaved by fast-check's scheduler at every await of their callbacks,
// must be linearizable: some order of the same operations, run one at a time on a plain Map,
// gives every operation the answer it got and leaves the same final content.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsyncShardedHashMap } from '../src/index.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 150;
const IDLE = { shardLocks: 0, keyLocks: 0, pendingLoads: 0, waiting: 0, idle: true };

type Key = 'a' | 'b' | 'c';
type Op =
  | { op: 'insert'; key: Key; value: number }
  | { op: 'remove' | 'get'; key: Key }
  | { op: 'computeIfPresent'; key: Key; delta: number | 'remove' | 'throw' }
  | { op: 'computeIfAbsent'; key: Key; value: number | 'throw' }
  | { op: 'retain'; parity: 0 | 1 }
  | { op: 'clear' }
  | { op: 'batchInsert'; value: number };

const keyArb = fc.constantFrom<Key>('a', 'b', 'c');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), key: keyArb, value: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ op: fc.constantFrom('remove' as const, 'get' as const), key: keyArb }),
  fc.record({
    op: fc.constant('computeIfPresent' as const),
    key: keyArb,
    delta: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom<'remove' | 'throw'>('remove', 'throw')),
  }),
  fc.record({
    op: fc.constant('computeIfAbsent' as const),
    key: keyArb,
    value: fc.oneof(fc.integer({ min: 10, max: 19 }), fc.constant<'throw'>('throw')),
  }),
  fc.record({ op: fc.constant('retain' as const), parity: fc.constantFrom<0 | 1>(0, 1) }),
  fc.record({ op: fc.constant('clear' as const) }),
  fc.record({ op: fc.constant('batchInsert' as const), value: fc.integer({ min: 20, max: 29 }) }),
);

type Outcome = { ok: unknown } | { error: true };

class Failure extends Error {}

/** The answer of `op` applied alone to `state` (mutated), or `undefined` if `observed` is impossible there. */
function step(op: Op, state: Map<Key, number>, observed: Outcome): boolean {
  const same = (expected: unknown) => 'ok' in observed && Object.is(observed.ok, expected);
  switch (op.op) {
    case 'insert': {
      const ok = same(state.get(op.key));
      state.set(op.key, op.value);
      return ok;
    }
    case 'remove': {
      const ok = same(state.get(op.key));
      state.delete(op.key);
      return ok;
    }
    case 'get':
      return same(state.get(op.key));
    case 'computeIfPresent': {
      const current = state.get(op.key);
      if (current === undefined) return same(undefined);
      if (op.delta === 'throw') return 'error' in observed;
      if (op.delta === 'remove') {
        state.delete(op.key);
        return same(undefined);
      }
      state.set(op.key, current + op.delta);
      return same(current + op.delta);
    }
    case 'computeIfAbsent': {
      const current = state.get(op.key);
      if (current !== undefined) return same(current);
      // Absent: its own load, or a failed load it shared (single-flight): either way no effect on failure.
      if ('error' in observed) return true;
      if (op.value === 'throw') return false;
      state.set(op.key, op.value);
      return same(op.value);
    }
    case 'retain': {
      let removed = 0;
      for (const [k, v] of [...state]) {
        if (v % 2 !== op.parity) {
          state.delete(k);
          removed++;
        }
      }
      return same(removed);
    }
    case 'clear':
      state.clear();
      return same(undefined);
    case 'batchInsert': {
      let fresh = 0;
      for (const k of ['a', 'b'] as const) {
        if (!state.has(k)) fresh++;
        state.set(k, op.value);
      }
      return same(fresh);
    }
  }
}

/** Whether some order of `ops` explains every outcome and the final content. */
function linearizable(initial: Map<Key, number>, ops: Op[], outcomes: Outcome[], final: Map<Key, number>): boolean {
  const used = new Array<boolean>(ops.length).fill(false);
  const search = (state: Map<Key, number>, depth: number): boolean => {
    if (depth === ops.length) {
      return state.size === final.size && [...state].every(([k, v]) => final.get(k) === v);
    }
    for (let i = 0; i < ops.length; i++) {
      if (used[i]) continue;
      const next = new Map(state);
      if (!step(ops[i] as Op, next, outcomes[i] as Outcome)) continue;
      used[i] = true;
      if (search(next, depth + 1)) return true;
      used[i] = false;
    }
    return false;
  };
  return search(new Map(initial), 0);
}

describe.each([1, 4])('concurrent operations on a %i-shard map', (shards) => {
  it.each(['detect', 'trust'] as const)(
    'are linearizable under every interleaving of their awaits (%s)',
    async (reentrancy) => {
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.record({ a: fc.option(fc.nat(9)), b: fc.option(fc.nat(9)) }),
          fc.array(opArb, { minLength: 2, maxLength: 5 }),
          async (s, start, ops) => {
            const map = new AsyncShardedHashMap<Key, number>(shards, { reentrancy });
            const initial = new Map<Key, number>();
            if (start.a !== null) initial.set('a', start.a);
            if (start.b !== null) initial.set('b', start.b);
            await map.batchInsert(initial);
            // Every callback awaits a point the scheduler releases in a random order.
            const pause = <T>(value: T) => s.schedule(Promise.resolve(value));
            const run = (op: Op): Promise<unknown> => {
              switch (op.op) {
                case 'insert':
                  return map.insert(op.key, op.value);
                case 'remove':
                  return map.remove(op.key);
                case 'get':
                  return map.get(op.key);
                case 'computeIfPresent':
                  return map.computeIfPresent(op.key, async (v) => {
                    await pause(v);
                    if (op.delta === 'throw') throw new Failure();
                    return op.delta === 'remove' ? undefined : v + op.delta;
                  });
                case 'computeIfAbsent':
                  return map.computeIfAbsent(op.key, async () => {
                    await pause(0);
                    if (op.value === 'throw') throw new Failure();
                    return op.value;
                  });
                case 'retain':
                  return map.retain(async (_k, v) => (await pause(v)) % 2 === op.parity);
                case 'clear':
                  return map.clear();
                case 'batchInsert':
                  return map.batchInsert([
                    ['a', op.value],
                    ['b', op.value],
                  ]);
              }
            };
            const outcomes: Outcome[] = new Array(ops.length);
            const all = ops.map((op, i) =>
              s.schedule(Promise.resolve()).then(() =>
                run(op).then(
                  (ok) => {
                    outcomes[i] = { ok };
                  },
                  (error: unknown) => {
                    expect(error).toBeInstanceOf(Failure);
                    outcomes[i] = { error: true };
                  },
                ),
              ),
            );
            await s.waitFor(Promise.all(all));
            const final = new Map(await map.iter());
            expect(linearizable(initial, ops, outcomes, final), JSON.stringify({ outcomes, final: [...final] })).toBe(
              true,
            );
            expect(map.lockStats()).toEqual(IDLE);
          },
        ),
        { numRuns: RUNS },
      );
    },
  );
});
