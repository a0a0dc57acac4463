import { describe, expect, it } from 'vitest';
import { ShardedHashMap } from '../src/index.js';

/** Code written for a `Map`, knowing nothing of ShardedHashMap. */
function total(map: Map<string, number>): number {
  let sum = 0;
  for (const [, value] of map) sum += value;
  return sum;
}
function describeMap(map: ReadonlyMap<string, number>): string {
  return [...map.keys()].sort().join(',');
}
function bump(map: Map<string, number>, key: string): Map<string, number> {
  return map.set(key, (map.get(key) ?? 0) + 1);
}

function sample(): ShardedHashMap<string, number> {
  const map = new ShardedHashMap<string, number>(16);
  for (let i = 0; i < 50; i++) map.set(`k${i}`, i);
  return map;
}
const expected = new Map<string, number>(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
const sorted = (items: Iterable<unknown>) => [...items].sort();

describe('a ShardedHashMap used as a Map', () => {
  it('is accepted and works where a Map<string, number> is expected', () => {
    const map = sample();
    const asMap: Map<string, number> = map;
    expect(total(map)).toBe(1_225);
    expect(describeMap(asMap)).toBe(describeMap(expected));
    expect(bump(map, 'k1')).toBe(map);
    expect(bump(map, 'new').get('new')).toBe(1);
  });

  it('copies into a Map, an array, an object and a Set like a Map does', () => {
    const map = sample();
    expect(new Map(map)).toEqual(expected);
    expect(sorted([...map])).toEqual(sorted(expected));
    expect(sorted(Array.from(map.keys()))).toEqual(sorted(expected.keys()));
    expect(sorted(Array.from(map.values()))).toEqual(sorted(expected.values()));
    expect(sorted(map.entries())).toEqual(sorted(expected.entries()));
    expect(Object.fromEntries(map)).toEqual(Object.fromEntries(expected));
    expect(new Set(map.keys())).toEqual(new Set(expected.keys()));
    expect(Array.from(map, ([k, v]) => `${k}=${v}`).length).toBe(50);
  });

  it('reports itself as [object ShardedHashMap]', () => {
    const map = sample();
    expect(Object.prototype.toString.call(map)).toBe('[object ShardedHashMap]');
    expect(map[Symbol.toStringTag]).toBe('ShardedHashMap');
    expect(String(map)).toBe('[object ShardedHashMap]');
  });

  it('has size, set returning the map, has, get and delete returning whether the key was there', () => {
    const map = new ShardedHashMap<unknown, string>(4);
    expect(map.size).toBe(0);
    expect(map.set('a', 'A').set(-0, 'zero').set(Number.NaN, 'nan')).toBe(map);
    expect(map.size).toBe(3);
    expect(map.has('a')).toBe(true);
    expect(map.get(0)).toBe('zero');
    expect(map.has(Number.NaN)).toBe(true);
    expect(map.delete(0)).toBe(true);
    expect(map.delete(0)).toBe(false);
    expect(map.delete('missing')).toBe(false);
    expect(map.size).toBe(2);
    map.clear();
    expect(map.size).toBe(0);
  });

  it('calls forEach callbacks with (value, key, map) and the given thisArg', () => {
    const map = sample();
    const self = { seen: new Map<string, number>() };
    map.forEach(function (this: typeof self, value, key, owner) {
      expect(owner).toBe(map);
      expect(this).toBe(self);
      this.seen.set(key, value);
    }, self);
    expect(self.seen).toEqual(expected);
  });
});

describe('iteration over a ShardedHashMap', () => {
  const walks = [
    ['entries()', (m: ShardedHashMap<string, number>) => m.entries()],
    ['[Symbol.iterator]()', (m: ShardedHashMap<string, number>) => m[Symbol.iterator]()],
    ['iter()', (m: ShardedHashMap<string, number>) => m.iter()],
    ['keys()', (m: ShardedHashMap<string, number>) => m.keys()],
    ['values()', (m: ShardedHashMap<string, number>) => m.values()],
  ] as const;

  it.each(walks)('%s is a snapshot: writes after the call do not show', (name, walk) => {
    const map = sample();
    const iterator: Iterator<unknown> = walk(map);
    const first = iterator.next();
    map.set('late', 1_000);
    map.delete('k0');
    map.delete('k49');
    map.set('k1', -1);
    const rest: unknown[] = [];
    for (let r = iterator.next(); !r.done; r = iterator.next()) rest.push(r.value);
    const seen = [first.value, ...rest];
    const want = name === 'keys()' ? expected.keys() : name === 'values()' ? expected.values() : expected.entries();
    expect(sorted(seen)).toEqual(sorted(want));
  });

  it.each(walks)('%s is a snapshot even across clear()', (_, walk) => {
    const map = sample();
    const iterator = walk(map);
    map.clear();
    expect([...iterator].length).toBe(50);
  });

  it.each(walks)('%s returns an iterator that is itself iterable, as Map iterators are', (_, walk) => {
    const iterator = walk(sample());
    expect(iterator[Symbol.iterator]()).toBe(iterator);
    expect([...iterator].length).toBe(50);
    expect(iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('forEach visits the entries present when it was called, whatever the callback writes', () => {
    const map = sample();
    const seen = new Map<string, number>();
    map.forEach((value, key) => {
      seen.set(key, value);
      map.set(`${key}:added`, 0); // not visited
      map.delete(key === 'k0' ? 'k49' : 'k0'); // still visited: the snapshot has it
    });
    expect(seen).toEqual(expected);
  });
});
