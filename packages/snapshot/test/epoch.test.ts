// The write epoch and Cached mode: the epoch counts the writes the map makes to its shards (what
// writes nothing does not count: removing an absent key, clearing an empty map, reads); Cached
// (and Cow) hand out the same snapshot object while the epoch stands still, and a new one after
// any write. Clone builds a new snapshot every time.
import { ShardedHashMap } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { SnapshotMode, snapshot } from '../src/index.js';

const Snap = ShardedHashMap.with(snapshot);

type M = InstanceType<typeof Snap<string, unknown>>;

/** Operations that write nothing, each on a map holding a: 1, b: {obj}, u: undefined. */
const noOps: [string, (m: M, obj: object) => unknown][] = [
  ['remove of an absent key', (m) => m.remove('absent')],
  ['delete of an absent key', (m) => m.delete('absent')],
  ['batchRemove of absent keys', (m) => m.batchRemove(['x', 'y'])],
  ['computeIfPresent of an absent key', (m) => m.computeIfPresent('absent', () => 2)],
  ['computeIfAbsent of a present key', (m) => m.computeIfAbsent('a', () => 2)],
  ['retain keeping everything', (m) => m.retain(() => true)],
  ['reads and iteration', (m) => [m.get('a'), m.has('b'), [...m.iter()], [...m.keys()], m.shardStats()]],
];

/** Writes, and by how many epochs each advances the map (one per write to a shard). */
const writes: [string, number, (m: M, obj: object) => unknown][] = [
  ['insert of a new key', 1, (m) => m.insert('new', 1)],
  ['insert of a new value', 1, (m) => m.insert('a', 2)],
  ['insert of the value the key holds (a write, even if it changes nothing)', 1, (m) => m.insert('a', 1)],
  ['set of the object the key holds', 1, (m, obj) => m.set('b', obj)],
  ['computeIfPresent returning the same value', 1, (m) => m.computeIfPresent('a', (v) => v)],
  ['remove of a present key', 1, (m) => m.remove('a')],
  ['clear of a non-empty map', 1, (m) => m.clear()],
  [
    'batchInsert: one epoch per pair',
    3,
    (m) =>
      m.batchInsert([
        ['a', 1],
        ['a', 5],
        ['c', 3],
      ]),
  ],
  ['retain removing two', 2, (m) => m.retain((k) => k === 'u')],
  ['computeIfPresent returning undefined (removes)', 1, (m) => m.computeIfPresent('a', () => undefined)],
];

function fresh(mode: SnapshotMode, obj: object): M {
  const m = new Snap<string, unknown>(8, { snapshotMode: mode });
  m.insert('a', 1);
  m.insert('b', obj);
  m.insert('u', undefined);
  return m;
}

describe('the write epoch', () => {
  it('starts at 0 and is the version of every snapshot', () => {
    const m = new Snap<string, number>(4);
    expect(m.snapshotVersion()).toBe(0);
    expect(m.snapshot().version).toBe(0);
    m.insert('a', 1);
    m.insert('b', 2);
    expect(m.snapshotVersion()).toBe(2);
    expect(m.snapshot().version).toBe(2);
  });

  it.each(noOps)('does not move on what writes nothing: %s', (_, op) => {
    for (const mode of Object.values(SnapshotMode)) {
      const obj = {};
      const m = fresh(mode, obj);
      const version = m.snapshotVersion();
      op(m, obj);
      expect(m.snapshotVersion(), mode).toBe(version);
    }
  });

  it('does not move on clearing an empty map, and moves on clearing a non-empty one', () => {
    const m = new Snap<string, number>(4, { snapshotMode: SnapshotMode.Cached });
    m.clear();
    expect(m.snapshotVersion()).toBe(0);
    const empty = m.snapshot();
    m.clear();
    expect(m.snapshot()).toBe(empty);
    m.insert('a', 1);
    m.clear();
    expect(m.snapshotVersion()).toBe(2);
    m.clear();
    expect(m.snapshotVersion()).toBe(2);
  });

  it.each(writes)('moves on every write to a shard: %s', (_, by, op) => {
    for (const mode of Object.values(SnapshotMode)) {
      const obj = {};
      const m = fresh(mode, obj);
      const version = m.snapshotVersion();
      op(m, obj);
      expect(m.snapshotVersion(), mode).toBe(version + by);
    }
  });
});

describe.each([SnapshotMode.Cached, SnapshotMode.Cow])('%s mode', (mode) => {
  it('returns the same snapshot object while nothing changed, a new one after a change', () => {
    const obj = {};
    const m = fresh(mode, obj);
    const first = m.snapshot();
    expect(m.snapshot()).toBe(first);
    for (const [, op] of noOps) op(m, obj);
    expect(m.snapshot(), 'what writes nothing keeps the snapshot').toBe(first);
    m.insert('a', 2);
    const second = m.snapshot();
    expect(second).not.toBe(first);
    expect(second.version).toBe(first.version + 1);
    expect(m.snapshot()).toBe(second);
    expect(first.get('a')).toBe(1);
    expect(second.get('a')).toBe(2);
  });

  it('iterates the same snapshot as snapshot() returns', () => {
    const m = fresh(mode, {});
    const snap = m.snapshot();
    m.insert('late', 1); // a new epoch: iter() takes a new snapshot, which snapshot() then returns
    const entries = new Map(m.iter());
    expect(entries.has('late')).toBe(true);
    const after = m.snapshot();
    expect(after).not.toBe(snap);
    expect(new Map(after)).toEqual(entries);
  });
});

describe('Clone mode', () => {
  it('builds a new snapshot on every call, equal while nothing changed', () => {
    const m = fresh(SnapshotMode.Clone, {});
    const a = m.snapshot();
    const b = m.snapshot();
    expect(b).not.toBe(a);
    expect(new Map(b)).toEqual(new Map(a));
    expect(b.version).toBe(a.version);
  });
});
