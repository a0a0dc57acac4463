import { describe, expect, it } from 'vitest';
import { defaultHasher, InvalidArgumentError, ShardedHashMap } from '../src/index.js';
import { trickyKeys } from './support/keys.js';
import { expectUnchanged, stateOf } from './support/sameContent.js';

/** A 1024-shard map holding every tricky key and 100 strings: most shards still unallocated. */
function filledMap(options?: ConstructorParameters<typeof ShardedHashMap>[1]): ShardedHashMap<unknown, unknown> {
  const map = new ShardedHashMap<unknown, unknown>(1024, options);
  for (const [i, k] of trickyKeys.entries()) map.insert(k, i);
  for (let i = 0; i < 100; i++) map.insert(`key:${i}`, { i });
  return map;
}

/** Runs `f`, which must throw, and returns what it threw. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function expectInvalidArgument(error: unknown, mentions: string) {
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(error).toBeInstanceOf(TypeError);
  expect((error as InvalidArgumentError).code).toBe('ERR_STARSHARD_INVALID_ARGUMENT');
  expect((error as Error).message).toContain(mentions);
}

const boom = new Error('boom');

describe('a callback that throws', () => {
  it('propagates from computeIfPresent and leaves the map exactly as before', () => {
    const map = filledMap();
    const before = stateOf(map);
    for (const key of ['key:1', Number.NaN, -0, null, undefined, trickyKeys.at(-1)]) {
      let calls = 0;
      const error = thrown(() =>
        map.computeIfPresent(key, () => {
          calls++;
          throw boom;
        }),
      );
      expect(error).toBe(boom);
      expect(calls).toBe(1);
      expectUnchanged(map, before);
    }
  });

  it('propagates from computeIfAbsent, leaves the key absent and allocates no shard', () => {
    const map = filledMap();
    const before = stateOf(map);
    for (let i = 0; i < 64; i++) {
      const key = `absent:${i}`; // 64 new keys over 1024 shards: most would need a new shard
      const error = thrown(() =>
        map.computeIfAbsent(key, () => {
          throw boom;
        }),
      );
      expect(error).toBe(boom);
      expect(map.contains(key)).toBe(false);
      expectUnchanged(map, before);
    }
  });

  it('propagates from retain midway and removes nothing, even entries already judged', () => {
    const map = filledMap();
    const before = stateOf(map);
    for (const throwAt of [1, 2, 40, before.len]) {
      let calls = 0;
      const error = thrown(() =>
        map.retain(() => {
          calls++;
          if (calls === throwAt) throw boom;
          return false; // every entry seen so far is to be removed
        }),
      );
      expect(error).toBe(boom);
      expect(calls).toBe(throwAt);
      expectUnchanged(map, before);
    }
  });

  it('propagates from forEach midway and leaves the map as it was', () => {
    const map = filledMap();
    const before = stateOf(map);
    let calls = 0;
    const error = thrown(() =>
      map.forEach(() => {
        if (++calls === 10) throw boom;
      }),
    );
    expect(error).toBe(boom);
    expectUnchanged(map, before);
  });

  it('propagates from an iterable given to batchInsert or batchRemove, before anything is written', () => {
    const map = filledMap();
    const before = stateOf(map);
    function* pairs() {
      yield ['new:1', 1] as [unknown, unknown];
      yield ['new:2', 2] as [unknown, unknown];
      throw boom;
    }
    function* keys() {
      yield 'key:1';
      yield Number.NaN;
      throw boom;
    }
    expect(thrown(() => map.batchInsert(pairs()))).toBe(boom);
    expectUnchanged(map, before);
    expect(thrown(() => map.batchRemove(keys()))).toBe(boom);
    expectUnchanged(map, before);
  });
});

describe('a callback that is not a function', () => {
  const notFunctions: unknown[] = [undefined, null, 42, 'f', {}, [], Symbol('f')];

  it('is rejected with InvalidArgumentError by every method taking one, map unchanged', () => {
    const map = filledMap();
    const before = stateOf(map);
    for (const f of notFunctions) {
      for (const key of ['key:1', 'absent']) {
        expectInvalidArgument(
          thrown(() => map.computeIfPresent(key, f as never)),
          'computeIfPresent',
        );
        expectInvalidArgument(
          thrown(() => map.computeIfAbsent(key, f as never)),
          'computeIfAbsent',
        );
      }
      expectInvalidArgument(
        thrown(() => map.retain(f as never)),
        'retain',
      );
      expectInvalidArgument(
        thrown(() => map.forEach(f as never)),
        'forEach',
      );
      expectUnchanged(map, before);
    }
  });
});

describe('batchInsert given an entry that is not a [key, value] pair', () => {
  const notPairs: unknown[] = [
    null,
    undefined,
    42,
    'ab',
    ['only a key'],
    [],
    { 0: 'k', 1: 'v', length: 2 },
    new Set([1, 2]),
  ];

  it.each([0, 1, 5])('rejects it at position %i with InvalidArgumentError and inserts nothing', (at) => {
    const map = filledMap();
    const before = stateOf(map);
    for (const bad of notPairs) {
      const entries: unknown[] = Array.from({ length: 6 }, (_, i) => [`new:${i}`, i]);
      entries[at] = bad;
      expectInvalidArgument(
        thrown(() => map.batchInsert(entries as never)),
        `entries[${at}]`,
      );
      expectUnchanged(map, before);
    }
  });

  it('rejects it even as the last entry, after valid ones for new shards, and inserts nothing', () => {
    const map = new ShardedHashMap<unknown, unknown>(1024);
    const entries: unknown[] = Array.from({ length: 200 }, (_, i) => [`new:${i}`, i]);
    entries.push(['half']);
    expectInvalidArgument(
      thrown(() => map.batchInsert(entries as never)),
      'entries[200]',
    );
    expect(map.len()).toBe(0);
    expect(map.initializedShards()).toBe(0);
  });
});

describe('an argument that should be iterable but is not', () => {
  const notIterables: unknown[] = [undefined, null, 42, {}, { length: 1, 0: ['k', 1] }, true];

  it('is rejected with InvalidArgumentError by batchInsert, batchRemove and batchGet, map unchanged', () => {
    const map = filledMap();
    const before = stateOf(map);
    for (const bad of notIterables) {
      expectInvalidArgument(
        thrown(() => map.batchInsert(bad as never)),
        'batchInsert',
      );
      expectInvalidArgument(
        thrown(() => map.batchRemove(bad as never)),
        'batchRemove',
      );
      expectInvalidArgument(
        thrown(() => map.batchGet(bad as never)),
        'batchGet',
      );
      expectUnchanged(map, before);
    }
  });
});

describe('constructor options of the wrong kind', () => {
  it.each([5, 'options', true, null, () => ({})])('rejects options %o that are not an object', (options) => {
    expectInvalidArgument(
      thrown(() => new ShardedHashMap(8, options as never)),
      'options',
    );
  });

  it.each([5, 'h', {}, null])('rejects a hasher %o that is not a function', (hasher) => {
    expectInvalidArgument(
      thrown(() => new ShardedHashMap(8, { hasher: hasher as never })),
      'hasher',
    );
    expectInvalidArgument(
      thrown(() => ShardedHashMap.withShardsAndHasher(8, hasher as never)),
      'hasher',
    );
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '1', 1n])('rejects a seed %o that is not a finite number', (seed) => {
    expectInvalidArgument(
      thrown(() => new ShardedHashMap(8, { seed: seed as never })),
      'seed',
    );
  });

  it('rejects a seed next to a custom hasher, which would silently ignore it', () => {
    expectInvalidArgument(
      thrown(() => new ShardedHashMap<string, number>(8, { seed: 42, hasher: (k) => k.length })),
      'seededHasher',
    );
  });

  it('accepts a seed next to defaultHasher, which given to a map is the built-in, per-map seeded hash', () => {
    const placement = (seed: number) => {
      const map = new ShardedHashMap<string, number>(64, { seed, hasher: defaultHasher as never });
      for (let i = 0; i < 200; i++) map.insert(`key:${i}`, i);
      return JSON.stringify([...map.keys()]);
    };
    expect(placement(7)).toBe(placement(7));
    expect(placement(7)).not.toBe(placement(8));
  });
});

describe('a hasher that misbehaves', () => {
  const badResults: unknown[] = ['7', 7n, undefined, null, {}];

  it.each(badResults)('returning %o is rejected with InvalidArgumentError, map unchanged', (result) => {
    const hasher = (key: unknown) => (key === 'bad' ? result : 1) as number;
    const map = new ShardedHashMap<unknown, unknown>(16, { hasher });
    map.insert('good', 1);
    const before = stateOf(map);
    expectInvalidArgument(
      thrown(() => map.insert('bad', 2)),
      'hasher',
    );
    expectInvalidArgument(
      thrown(() => map.computeIfAbsent('bad', () => 2)),
      'hasher',
    );
    expectUnchanged(map, before);
  });

  it('returning a non-number for one key of a batchInsert is rejected before anything is inserted', () => {
    for (const result of badResults) {
      const hasher = (key: unknown) => (key === 'bad' ? result : String(key).length) as number;
      const map = new ShardedHashMap<unknown, unknown>(16, { hasher });
      map.insert('good', 1);
      const before = stateOf(map);
      const pairs: [unknown, unknown][] = [
        ['a', 1],
        ['good', 2],
        ['bad', 3],
        ['c', 4],
      ];
      expectInvalidArgument(
        thrown(() => map.batchInsert(pairs)),
        'hasher',
      );
      expectUnchanged(map, before);
    }
  });

  function throwingOn(bad: unknown) {
    const map = new ShardedHashMap<unknown, unknown>(16, {
      hasher: (key) => {
        if (key === bad) throw boom;
        return String(key).length;
      },
    });
    map.batchInsert([
      ['a', 1],
      ['bb', 2],
    ]);
    return map;
  }

  it('throwing for one key of a batchInsert propagates and leaves the map unchanged', () => {
    const map = throwingOn('bad');
    const before = stateOf(map);
    const pairs: [unknown, unknown][] = [
      ['ccc', 3],
      ['bad', 4],
    ];
    expect(thrown(() => map.batchInsert(pairs))).toBe(boom);
    expectUnchanged(map, before);
  });

  it('throwing for one key of a batchRemove propagates and leaves the map unchanged', () => {
    const map = throwingOn('bad');
    const before = stateOf(map);
    expect(thrown(() => map.batchRemove(['a', 'bad']))).toBe(boom);
    expectUnchanged(map, before);
  });
});
