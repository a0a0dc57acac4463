import { definePlugin, InvalidArgumentError, ShardedHashMap, type WriteOp } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TouchCountApi, TouchCounter, touchCount } from '../src/index.js';
import { fail, MAX_KEY, Model, type Op, opArb } from './support/model.js';

type Tracked<K, V> = ShardedHashMap<K, V> & TouchCountApi<K>;

const Counted = ShardedHashMap.with(touchCount);

describe('touchCount: every write path is counted through afterWrite', () => {
  it('counts insert, set and updates of the same key', () => {
    const m = new Counted<string, number>(8);
    m.insert('a', 1);
    m.insert('a', 1);
    m.set('a', 2).set('b', 1);
    expect(m.touchCount('a')).toBe(3);
    expect(m.touchCount('b')).toBe(1);
    expect(m.touchCount('never')).toBe(0);
    expect(m.totalTouches()).toBe(4);
  });

  it('counts removals of present keys only (remove, delete, batchRemove)', () => {
    const m = new Counted<string, number>(8);
    m.batchInsert([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(m.remove('a')).toBe(1);
    expect(m.remove('a')).toBeUndefined();
    expect(m.delete('b')).toBe(true);
    expect(m.delete('missing')).toBe(false);
    expect(m.batchRemove(['c', 'c', 'missing'])).toBe(1);
    expect([m.touchCount('a'), m.touchCount('b'), m.touchCount('c'), m.touchCount('missing')]).toEqual([2, 2, 2, 0]);
    expect(m.totalTouches()).toBe(6);
  });

  it('counts batchInsert once per pair, a repeated key once per occurrence', () => {
    const m = new Counted<string, number>(8);
    expect(
      m.batchInsert([
        ['a', 1],
        ['b', 2],
        ['a', 3],
      ]),
    ).toBe(2);
    expect(m.touchCount('a')).toBe(2);
    expect(m.touchCount('b')).toBe(1);
  });

  it('counts computeIfPresent updates and removals, not calls on absent keys', () => {
    const m = new Counted<string, number>(8);
    m.insert('n', 1);
    m.computeIfPresent('n', (v) => v + 1);
    m.computeIfPresent('absent', () => 1);
    m.computeIfPresent('n', () => undefined);
    expect(m.has('n')).toBe(false);
    expect(m.touchCount('n')).toBe(3);
    expect(m.touchCount('absent')).toBe(0);
  });

  it('counts computeIfAbsent only when it inserts', () => {
    const m = new Counted<string, number>(8);
    expect(m.computeIfAbsent('k', () => 7)).toBe(7);
    expect(m.computeIfAbsent('k', () => 8)).toBe(7);
    expect(m.touchCount('k')).toBe(1);
  });

  it('counts each entry retain removes', () => {
    const m = new Counted<number, number>(8);
    for (let i = 0; i < 10; i++) m.insert(i, i);
    expect(m.retain((_, v) => v % 2 === 0)).toBe(5);
    expect(m.touchCount(1)).toBe(2);
    expect(m.touchCount(2)).toBe(1);
    expect(m.totalTouches()).toBe(15);
  });

  it('counts a clear once, keeping per-key counts (they describe traffic, not contents)', () => {
    const m = new Counted<string, number>(8);
    m.set('a', 1).set('a', 2);
    m.clear();
    expect(m.len()).toBe(0);
    expect(m.touchCount('a')).toBe(2);
    expect(m.totalTouches()).toBe(3);
  });

  it('counts nothing when a callback throws (the map is unchanged)', () => {
    const m = new Counted<string, number>(8);
    m.insert('a', 1);
    const boom = () => {
      throw new Error('boom');
    };
    expect(() => m.computeIfPresent('a', boom)).toThrow('boom');
    expect(() => m.computeIfAbsent('b', boom)).toThrow('boom');
    expect(() => m.retain(boom)).toThrow('boom');
    expect(m.touchCount('a')).toBe(1);
    expect(m.totalTouches()).toBe(1);
  });

  it('does not count reads', () => {
    const m = new Counted<string, number>(8);
    m.insert('a', 1);
    m.get('a');
    m.contains('a');
    m.batchGet(['a', 'b']);
    [...m.iter()];
    expect(m.totalTouches()).toBe(1);
  });

  it('follows Map key equality (NaN, -0, objects by identity)', () => {
    const m = new Counted<unknown, number>(8);
    const obj = {};
    m.set(Number.NaN, 1).set(Number.NaN, 2).set(-0, 1).set(0, 2).set(obj, 1).set({}, 1);
    expect(m.touchCount(Number.NaN)).toBe(2);
    expect(m.touchCount(0)).toBe(2);
    expect(m.touchCount(obj)).toBe(1);
  });
});

describe('touchCount: hottestKeys and resetTouches', () => {
  it('lists the hottest keys first; ties in first-touched order; never more than asked or touched', () => {
    const m = new Counted<string, number>(8);
    for (const k of ['x', 'y', 'z', 'y', 'z', 'z', 'w']) m.set(k, 0);
    expect(m.hottestKeys(2)).toEqual([
      ['z', 3],
      ['y', 2],
    ]);
    expect(m.hottestKeys(10)).toEqual([
      ['z', 3],
      ['y', 2],
      ['x', 1],
      ['w', 1],
    ]);
    expect(m.hottestKeys(0)).toEqual([]);
  });

  it('rejects an n that is not a non-negative integer', () => {
    const m = new Counted<string, number>(8);
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as never]) {
      expect(() => m.hottestKeys(n)).toThrow(InvalidArgumentError);
    }
  });

  it('resetTouches forgets counts and keeps entries', () => {
    const m = new Counted<string, number>(8);
    m.set('a', 1).set('a', 2);
    m.resetTouches();
    expect(m.get('a')).toBe(2);
    expect(m.touchCount('a')).toBe(0);
    expect(m.totalTouches()).toBe(0);
    expect(m.hottestKeys(5)).toEqual([]);
    m.set('a', 3);
    expect(m.touchCount('a')).toBe(1);
  });
});

describe('touchCount: touchLimit bounds memory and keeps the hot keys', () => {
  it('tracks at most touchLimit keys; the newcomer inherits the coldest count plus one', () => {
    const m = new Counted<string, number>(8, { touchLimit: 2 });
    m.set('a', 1).set('a', 1).set('b', 1).set('c', 1);
    expect(m.hottestKeys(10)).toEqual([
      ['a', 2],
      ['c', 2],
    ]);
    expect(m.touchCount('b')).toBe(0);
  });

  it('accepts a positive integer or Infinity and rejects anything else', () => {
    expect(() => new Counted(8, { touchLimit: Number.POSITIVE_INFINITY })).not.toThrow();
    expect(() => new Counted(8, { touchLimit: 1 })).not.toThrow();
    for (const touchLimit of [0, -1, 1.5, Number.NaN, '10' as never]) {
      expect(() => new Counted(8, { touchLimit })).toThrow(InvalidArgumentError);
    }
    expect(() => new Counted(8, { touchLimit: 0 })).toThrow(/options\.touchLimit must be a positive integer.*got 0/);
  });

  it('withTouchTracking(shards, touchLimit) makes an instance of the composed class', () => {
    const m = Counted.withTouchTracking<string, number>(16, 1);
    expect(m).toBeInstanceOf(Counted);
    expect(m.shardCount()).toBe(16);
    m.set('a', 1).set('b', 1);
    expect(m.hottestKeys(10)).toEqual([['b', 2]]);
    expect(Counted.withTouchTracking().shardCount()).toBe(64);
  });
});

describe('touchCount: composition', () => {
  it('adds nothing to ShardedHashMap itself', () => {
    expect('touchCount' in ShardedHashMap.prototype).toBe(false);
    expect('withTouchTracking' in ShardedHashMap).toBe(false);
    expect('touchCount' in new ShardedHashMap()).toBe(false);
    expect(Counted.prototype).toBeInstanceOf(ShardedHashMap);
  });

  it('keeps reads on the core code path', () => {
    expect(Counted.prototype.get).toBe(ShardedHashMap.prototype.get);
    expect(Counted.prototype.insert).toBe(ShardedHashMap.prototype.insert);
  });

  it('gives every instance the same own keys in the same order (one hidden class)', () => {
    const a = new Counted<string, number>();
    const b = new Counted<string, number>(8, { touchLimit: 3, seed: 1 });
    const c = Counted.withTouchTracking<string, number>(2, 5);
    a.set('x', 1);
    expect(Reflect.ownKeys(b)).toEqual(Reflect.ownKeys(a));
    expect(Reflect.ownKeys(c)).toEqual(Reflect.ownKeys(a));
  });

  it('chains with another plugin observing writes: both see every write', () => {
    const seen: WriteOp[] = [];
    const writeLog = definePlugin({
      name: 'writeLog',
      sync: (Base) =>
        class extends Base {
          protected override afterWrite(op: WriteOp, key: unknown, value: unknown, previous: unknown): void {
            seen.push(op);
            super.afterWrite(op, key, value, previous);
          }
        },
    });
    const Both = ShardedHashMap.with(writeLog, touchCount);
    expect(Both).toBe(ShardedHashMap.with(touchCount).with(writeLog));
    // Typed view: a plugin without registry entries (writeLog) erases the other plugins' types,
    // a core typing hole covered by touchCountPlugin.test-d.ts.
    const m = new Both<string, number>(4) as Tracked<string, number>;
    m.set('a', 1);
    m.delete('a');
    m.clear();
    expect(seen).toEqual(['insert', 'remove', 'clear']);
    expect(m.totalTouches()).toBe(3);
  });

  it('survives a plugin applied before it that writes from its constructor', () => {
    const prefill = definePlugin({
      name: 'aPrefill', // sorts before touchCount, so its constructor runs first
      sync: (Base) =>
        class extends Base {
          constructor(...args: any[]) {
            super(...args);
            this.insert('seeded', 1);
          }
        },
    });
    const m = new (ShardedHashMap.with(prefill, touchCount))<string, number>(4) as Tracked<string, number>; // see above
    expect(m.get('seeded')).toBe(1);
    expect(m.touchCount('seeded')).toBe(0); // written before touchCount existed on the instance
    m.set('seeded', 2);
    expect(m.touchCount('seeded')).toBe(1);
  });
});

// ---- Properties: the plugin against a model, for random sequences of operations ----

type CountedMap = InstanceType<typeof Counted<number, number>>;

function applyToMap(m: CountedMap, o: Op): void {
  switch (o.op) {
    case 'insert':
      m.insert(o.key, o.value);
      return;
    case 'set':
      m.set(o.key, o.value);
      return;
    case 'computeIfAbsent':
      m.computeIfAbsent(o.key, () => o.value);
      return;
    case 'computeIfPresent':
      m.computeIfPresent(o.key, () => o.value);
      return;
    case 'remove':
      m.remove(o.key);
      return;
    case 'delete':
      m.delete(o.key);
      return;
    case 'batchInsert':
      m.batchInsert(o.entries);
      return;
    case 'batchRemove':
      m.batchRemove(o.keys);
      return;
    case 'retain':
      m.retain((_, v) => v % o.modulo === 0);
      return;
    case 'throwing': {
      expect(() => (m.has(o.key) ? m.computeIfPresent(o.key, fail) : m.computeIfAbsent(o.key, fail))).toThrow(
        'callback failed',
      );
      return;
    }
    case 'clear':
      m.clear();
      return;
    case 'resetTouches':
      m.resetTouches();
      return;
  }
}

describe('touchCount: properties', () => {
  it('counts match a plain model for random operation sequences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(opArb, { maxLength: 60 }), (shards, ops) => {
        const m = new Counted<number, number>(shards);
        const model = new Model();
        for (const o of ops) {
          model.apply(o, [...m.keys()]);
          applyToMap(m, o);
        }
        expect(new Map(m.iter())).toEqual(model.contents);
        for (let k = 0; k <= MAX_KEY; k++) expect(m.touchCount(k)).toBe(model.touches.get(k) ?? 0);
        expect(m.totalTouches()).toBe(model.total);
        expect(m.hottestKeys(10)).toEqual(model.hottest());
      }),
      { numRuns: 300 },
    );
  });

  it('with a touchLimit: bounded, never under-counts, sums to the key touches, keeps every heavy key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(opArb, { maxLength: 80 }), (limit, ops) => {
        const m = new Counted<number, number>(4, { touchLimit: limit });
        const model = new Model();
        for (const o of ops) {
          model.apply(o, [...m.keys()]);
          applyToMap(m, o);
        }
        const tracked = new Map(m.hottestKeys(100));
        expect(tracked.size).toBeLessThanOrEqual(limit);
        expect(m.totalTouches()).toBe(model.total);
        let sum = 0;
        for (const [k, estimate] of tracked) {
          sum += estimate;
          expect(estimate).toBeGreaterThanOrEqual(model.touches.get(k) ?? 0);
        }
        expect(sum).toBe(model.keyTouches);
        for (const [k, n] of model.touches) if (n > model.keyTouches / limit) expect(tracked.has(k)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('TouchCounter matches a naive Space-Saving model exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 100 }),
        (limit, keys) => {
          const counter = new TouchCounter<number>(limit);
          // key → [count, time it reached that count]; the coldest is the least count, then the earliest.
          const naive = new Map<number, [number, number]>();
          keys.forEach((k, time) => {
            counter.touch(k);
            const entry = naive.get(k);
            if (entry !== undefined) naive.set(k, [entry[0] + 1, time]);
            else if (naive.size < limit) naive.set(k, [1, time]);
            else {
              let victim: [number, [number, number]] | undefined;
              for (const e of naive)
                if (
                  victim === undefined ||
                  e[1][0] < victim[1][0] ||
                  (e[1][0] === victim[1][0] && e[1][1] < victim[1][1])
                )
                  victim = e;
              naive.delete(victim![0]);
              naive.set(k, [victim![1][0] + 1, time]);
            }
          });
          const expected = [...naive].map(([k, [n]]): [number, number] => [k, n]).sort((a, b) => b[1] - a[1]);
          expect(counter.hottest(limit)).toEqual(expected);
          expect(counter.trackedKeys()).toBe(naive.size);
          expect(counter.totalTouches()).toBe(keys.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
