import { ShardedHashMap } from '@starshard/core';
import { rebalance } from '@starshard/rebalance';
import { snapshot } from '@starshard/snapshot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanced, Transaction } from '../src/index.js';

const Adv = ShardedHashMap.with(advanced);
const Full = ShardedHashMap.with(advanced, snapshot, rebalance);

type Step =
  | { kind: 'read'; key: number }
  | { kind: 'write'; key: number; value: number }
  | { kind: 'remove'; key: number }
  | { kind: 'expect'; key: number; value: number }
  | { kind: 'expectAbsent'; key: number }
  | { kind: 'update'; key: number; delta: number; fail: boolean };

const key = fc.integer({ min: 0, max: 12 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('read' as const), key }),
  fc.record({ kind: fc.constant('write' as const), key, value: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('remove' as const), key }),
  fc.record({ kind: fc.constant('expect' as const), key, value: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('expectAbsent' as const), key }),
  fc.record({
    kind: fc.constant('update' as const),
    key,
    delta: fc.integer({ min: -2, max: 2 }),
    fail: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  }),
);

function build(steps: readonly Step[]): Transaction<number, number> {
  const txn = new Transaction<number, number>();
  for (const s of steps) {
    if (s.kind === 'read') txn.read(s.key);
    else if (s.kind === 'write') txn.write(s.key, s.value);
    else if (s.kind === 'remove') txn.remove(s.key);
    else if (s.kind === 'expect') txn.expect(s.key, s.value);
    else if (s.kind === 'expectAbsent') txn.expectAbsent(s.key);
    else
      txn.update(s.key, (v) => {
        if (s.fail) throw new Error('update failed');
        const next = (v ?? 0) + s.delta;
        return next < 0 ? undefined : next;
      });
  }
  return txn;
}

/** The model: the same steps on a copy of a plain Map, all or nothing. */
function model(state: Map<number, number>, steps: readonly Step[]) {
  const view = new Map(state);
  const reads = new Map<number, number | undefined>();
  for (const s of steps) {
    if (s.kind === 'read') reads.set(s.key, view.get(s.key));
    else if (s.kind === 'write') view.set(s.key, s.value);
    else if (s.kind === 'remove') view.delete(s.key);
    else if (s.kind === 'expect') {
      if (!view.has(s.key) || view.get(s.key) !== s.value) return { status: 'conflict' as const, key: s.key, state };
    } else if (s.kind === 'expectAbsent') {
      if (view.has(s.key)) return { status: 'conflict' as const, key: s.key, state };
    } else {
      if (s.fail) return { status: 'aborted' as const, state };
      const next = (view.get(s.key) ?? 0) + s.delta;
      if (next < 0) view.delete(s.key);
      else view.set(s.key, next);
    }
  }
  return { status: 'committed' as const, reads, state: view };
}

describe('executeTransaction (sync)', () => {
  it('matches a plain-Map model, all or nothing, for random transactions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.integer({ min: 0, max: 5 })), { maxLength: 10 }),
        fc.array(fc.array(step, { maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        (initial, transactions) => {
          const map = new Full<number, number>(4);
          let state = new Map<number, number>();
          for (const [k, v] of initial) {
            map.insert(k, v);
            state.set(k, v);
          }
          for (const steps of transactions) {
            const expected = model(state, steps);
            const result = map.executeTransaction(build(steps));
            expect(result.status).toBe(expected.status);
            if (result.status === 'committed' && expected.status === 'committed') {
              expect(result.reads).toEqual(expected.reads);
            }
            if (result.status === 'conflict' && expected.status === 'conflict') expect(result.key).toBe(expected.key);
            if (result.status === 'aborted') expect((result.error as Error).message).toBe('update failed');
            state = expected.state;
            expect(new Map(map.iter())).toEqual(state);
            expect(map.len()).toBe(state.size);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reads see the transaction’s own earlier writes, and the last read of a key wins', () => {
    const map = new Adv<string, number>(8);
    map.insert('a', 1);
    const result = map.executeTransaction(
      new Transaction<string, number>().read('a').write('a', 2).read('b').write('b', 3).read('b').remove('a'),
    );
    expect(result).toEqual({
      status: 'committed',
      reads: new Map<string, number | undefined>([
        ['a', 1],
        ['b', 3],
      ]),
    });
    expect([map.get('a'), map.get('b'), map.len()]).toEqual([undefined, 3, 1]);
  });

  it('an expect that fails applies nothing, even writes staged before it', () => {
    const map = new Adv<string, number>(8);
    map.batchInsert([
      ['alice', 100],
      ['bob', 5],
    ]);
    const version = map.currentVersion();
    const transfer = new Transaction<string, number>().write('alice', 90).write('bob', 15).expect('alice', 99);
    expect(map.executeTransaction(transfer)).toEqual({ status: 'conflict', key: 'alice' });
    expect(new Map(map.iter())).toEqual(
      new Map([
        ['alice', 100],
        ['bob', 5],
      ]),
    );
    expect(map.currentVersion()).toBe(version);
    expect(map.executeTransaction(new Transaction<string, number>().expectAbsent('bob'))).toEqual({
      status: 'conflict',
      key: 'bob',
    });
    // A custom equality compares by value.
    const objects = new Adv<string, { n: number }>(8);
    objects.insert('o', { n: 1 });
    const byValue = new Transaction<string, { n: number }>().expect('o', { n: 1 }, (a, b) => a.n === b.n);
    expect(objects.executeTransaction(byValue).status).toBe('committed');
    expect(objects.executeTransaction(new Transaction<string, { n: number }>().expect('o', { n: 1 })).status).toBe(
      'conflict',
    );
  });

  it('a callback that throws aborts with its error and applies nothing', () => {
    const map = new Adv<string, number>(8);
    map.insert('a', 1);
    const boom = new Error('boom');
    const result = map.executeTransaction(
      new Transaction<string, number>()
        .write('x', 1)
        .remove('a')
        .update('y', () => {
          throw boom;
        }),
    );
    expect(result).toEqual({ status: 'aborted', error: boom });
    expect(new Map(map.iter())).toEqual(new Map([['a', 1]]));
    const eqThrows = new Transaction<string, number>().write('x', 1).expect('a', 1, () => {
      throw boom;
    });
    expect(map.executeTransaction(eqThrows)).toEqual({ status: 'aborted', error: boom });
    expect(map.contains('x')).toBe(false);
  });

  it('a hasher that throws on a write-only key aborts after undoing the writes already applied', () => {
    const bad = Symbol('bad');
    const map = new Adv<unknown, number>(8, {
      hasher: (k) => {
        if (k === bad) throw new Error('cannot hash');
        return typeof k === 'number' ? k : 7;
      },
    });
    map.insert(1, 1);
    const result = map.executeTransaction(new Transaction<unknown, number>().write(1, 10).write(2, 20).write(bad, 3));
    expect(result.status).toBe('aborted');
    expect((result as { error: Error }).error.message).toBe('cannot hash');
    expect([...map.iter()]).toEqual([[1, 1]]);
    expect(map.len()).toBe(1);
  });

  it('a promise from a sync map’s callback aborts (sync maps do not await)', () => {
    const map = new Adv<string, number>(8);
    const result = map.executeTransaction(new Transaction<string, number>().update('a', () => Promise.resolve(1)));
    expect(result.status).toBe('aborted');
    expect((result as { error: Error }).error.name).toBe('InvalidArgumentError');
    expect(map.isEmpty()).toBe(true);
  });

  it('rejects what is not a transaction, and bad callbacks when building', () => {
    const map = new Adv<string, number>(8);
    expect(() => map.executeTransaction({} as never)).toThrow(/expected a Transaction/);
    expect(() => new Transaction<string, number>().update('a', 1 as never)).toThrow(/must be a function/);
    expect(() => new Transaction<string, number>().expect('a', 1, 'eq' as never)).toThrow(/must be a function/);
    expect(new Transaction<string, number>().read('a').write('b', 1).read('a').keys()).toEqual(['a', 'b']);
    expect(map.executeTransaction(new Transaction())).toEqual({ status: 'committed', reads: new Map() });
  });

  it('steps() lists the steps in order, as a frozen copy', () => {
    const eq = (a: number, b: number) => a === b;
    const inc = (v: number | undefined) => (v ?? 0) + 1;
    const txn = new Transaction<string, number>().read('a').expect('a', 1, eq).expectAbsent('b').update('c', inc);
    const steps = txn.steps();
    expect(steps).toEqual([
      { kind: 'read', key: 'a', value: undefined, fn: undefined },
      { kind: 'expect', key: 'a', value: 1, fn: eq },
      { kind: 'expectAbsent', key: 'b', value: undefined, fn: undefined },
      { kind: 'update', key: 'c', value: undefined, fn: inc },
    ]);
    expect(Object.isFrozen(steps) && steps.every((step) => Object.isFrozen(step))).toBe(true);
    txn.write('d', 4).remove('a');
    expect([steps.length, txn.steps().length, txn.steps().at(-1)?.kind]).toEqual([4, 6, 'remove']);
  });

  it('stays atomic while an online rebalance is in progress', () => {
    const map = new Full<string, number>(4);
    for (let i = 0; i < 400; i++) map.insert(`acct:${i}`, 10);
    map.startRebalanceOnline(32);
    let moves = 0;
    for (let round = 0; map.rebalanceStatus().state === 'migrating'; round++) {
      const a = `acct:${(round * 7) % 400}`;
      const b = `acct:${(round * 13 + 1) % 400}`;
      if (a !== b) {
        const txn = new Transaction<string, number>()
          .update(a, (n = 0) => n - 1)
          .update(b, (n = 0) => n + 1)
          .expect(a, -1_000_000, () => true);
        expect(map.executeTransaction(txn).status).toBe('committed');
        moves++;
      }
      map.advanceRebalance(1);
    }
    expect(moves).toBeGreaterThan(0);
    let total = 0;
    for (const v of map.values()) total += v;
    expect(total).toBe(4000);
    expect(map.len()).toBe(400);
  });
});
