// The MapSnapshot surface: a ReadonlyMap of the entries at one point in time, with lazy
// iterators that follow the iterator protocol, a version and toArray().
import { InvalidArgumentError, ShardedHashMap } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { type MapSnapshot, SnapshotMode, snapshot } from '../src/index.js';

const Snap = ShardedHashMap.with(snapshot);
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

describe.each(Object.values(SnapshotMode))('a MapSnapshot taken in %s mode', (mode) => {
  function taken(): [InstanceType<typeof Snap<unknown, unknown>>, MapSnapshot<unknown, unknown>] {
    const m = new Snap<unknown, unknown>(8, { snapshotMode: mode });
    m.batchInsert([
      ['a', 1],
      [Number.NaN, 'nan'],
      [0, 'zero'],
      ['u', undefined],
    ]);
    return [m, m.snapshot()];
  }

  it('reads like a Map, with SameValueZero keys, and can stand where a ReadonlyMap is read', () => {
    const [, snap] = taken();
    const readonly: ReadonlyMap<unknown, unknown> = snap;
    expect(readonly.size).toBe(4);
    expect(snap.get('a')).toBe(1);
    expect(snap.get(Number.NaN)).toBe('nan');
    expect(snap.get(-0)).toBe('zero');
    expect(snap.has('u')).toBe(true);
    expect(snap.get('u')).toBeUndefined();
    expect(snap.has('missing')).toBe(false);
    expect(new Map(snap)).toEqual(
      new Map<unknown, unknown>([
        ['a', 1],
        [Number.NaN, 'nan'],
        [0, 'zero'],
        ['u', undefined],
      ]),
    );
    expect(Object.prototype.toString.call(snap)).toBe('[object MapSnapshot]');
  });

  it('has lazy iterators that follow the protocol and inherit %IteratorPrototype%', () => {
    const [, snap] = taken();
    for (const it of [snap.entries(), snap.keys(), snap.values(), snap[Symbol.iterator]()]) {
      expect(Object.getPrototypeOf(Object.getPrototypeOf(it))).toBe(IteratorPrototype);
      expect(it[Symbol.iterator]()).toBe(it);
      const items = [it.next(), it.next(), it.next(), it.next()];
      expect(items.every((r) => r.done === false)).toBe(true);
      expect(it.next()).toEqual({ done: true, value: undefined });
      expect(it.next()).toEqual({ done: true, value: undefined });
    }
    expect(new Set(snap.keys())).toEqual(new Set(['a', Number.NaN, 0, 'u']));
    expect(new Set(snap.values())).toEqual(new Set([1, 'nan', 'zero', undefined]));
  });

  it('toArray() returns a new array of new pairs each time', () => {
    const [, snap] = taken();
    const a = snap.toArray();
    const b = snap.toArray();
    expect(a).not.toBe(b);
    expect(a[0]).not.toBe(b[0]);
    a.length = 0;
    (b[0] as unknown[])[1] = 'mutated';
    expect(snap.toArray()).toHaveLength(4);
    expect(new Map(snap.toArray()).get('a')).toBe(1);
  });

  it('forEach passes value, key, the snapshot and thisArg; rejects a non-function', () => {
    const [, snap] = taken();
    const self = { tag: 'this' };
    const seen: unknown[] = [];
    snap.forEach(function (this: unknown, value, key, owner) {
      expect(this).toBe(self);
      expect(owner).toBe(snap);
      seen.push([key, value]);
    }, self);
    expect(new Map(seen as [unknown, unknown][])).toEqual(new Map(snap));
    expect(() => snap.forEach(42 as never)).toThrow(InvalidArgumentError);
  });

  it('cannot be written through: no setter, size and version are read-only', () => {
    const [m, snap] = taken();
    expect(snap).not.toHaveProperty('set');
    expect(snap).not.toHaveProperty('delete');
    expect(snap).not.toHaveProperty('clear');
    expect(() => {
      (snap as { size: number }).size = 0;
    }).toThrow(TypeError);
    expect(() => {
      (snap as { version: number }).version = 9;
    }).toThrow(TypeError);
    expect(snap.size).toBe(4);
    expect(snap.version).toBe(m.snapshotVersion());
  });

  it('an iterator opened before writes, clear and more writes sees the entries of its snapshot', () => {
    const [m] = taken();
    const iter = m.iter();
    const first = iter.next();
    m.insert('late', 1);
    m.remove('a');
    m.clear();
    m.insert('a', 99);
    const rest = [...iter];
    expect(new Map([first.value as [unknown, unknown], ...rest])).toEqual(
      new Map<unknown, unknown>([
        ['a', 1],
        [Number.NaN, 'nan'],
        [0, 'zero'],
        ['u', undefined],
      ]),
    );
  });

  it('keys() and values() of the map walk a snapshot too', () => {
    const [m] = taken();
    const keys = m.keys();
    const values = m.values();
    m.clear();
    expect(new Set(keys)).toEqual(new Set(['a', Number.NaN, 0, 'u']));
    expect(new Set(values)).toEqual(new Set([1, 'nan', 'zero', undefined]));
    expect(m.size).toBe(0);
  });

  it('reads a custom hasher through the routing it was taken with, and an empty map', () => {
    const m = Snap.withShardsAndHasherAndSnapshotMode<{ id: number }, string>(16, (k) => k.id, mode);
    const empty = m.snapshot();
    const keys = [...Array(50)].map((_, id) => ({ id }));
    for (const k of keys) m.insert(k, `v${k.id}`);
    const snap = m.snapshot();
    m.clear();
    expect(empty.size).toBe(0);
    expect([...empty]).toEqual([]);
    expect(empty.get(keys[0] as { id: number })).toBeUndefined();
    for (const k of keys) expect(snap.get(k)).toBe(`v${k.id}`);
    expect(snap.has({ id: 1 })).toBe(false); // another object: another key
  });
});
