// Strict loading: every malformed input throws DeserializeError naming the path, never anything
// else, and never returns a partial map. Hand-picked cases, then fuzzed inputs.
import { readFileSync } from 'node:fs';
import { ShardedHashMap, StarshardError } from '@starshard/core';
import fc from 'fast-check';
import { createModelSchema, custom, date, object, primitive } from 'serializr';
import { describe, expect, it } from 'vitest';
import { DeserializeError, deserializeMap, type SerializeOptions, serde } from '../src/index.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 200;

/** The DeserializeError `f` throws (fails the test if it throws anything else, or nothing). */
function caught(f: () => unknown): DeserializeError {
  try {
    f();
  } catch (error) {
    if (!(error instanceof DeserializeError)) throw error;
    return error;
  }
  throw new Error('expected a DeserializeError, nothing was thrown');
}

class Point {
  x = 0;
  y = 0;
}
createModelSchema(Point, { x: primitive(), y: primitive() });
class Stamped {
  at = new Date(0);
}
createModelSchema(Stamped, { at: date() });

describe('DeserializeError', () => {
  it('is a StarshardError with a stable code, the path, and a message that says what to do', () => {
    const error = caught(() => deserializeMap({ shard_count: 8, entries: [['a', 1], ['b']] }));
    expect(error).toBeInstanceOf(StarshardError);
    expect(error.code).toBe('ERR_STARSHARD_DESERIALIZE');
    expect(error.name).toBe('DeserializeError');
    expect(error.path).toBe('entries[1]');
    expect(error.message).toMatch(/^entries\[1\]: must be a \[key, value\] pair .*nothing was loaded/);
  });
});

describe('malformed input, case by case', () => {
  const cases: [string, unknown, string, SerializeOptions?][] = [
    ['not JSON text', '{"shard_count": 64, "entries": [', ''],
    ['JSON text of a number', '42', ''],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['an array', [['a', 1]], ''],
    ['a number', 5, ''],
    ['missing shard_count', { entries: [] }, 'shard_count'],
    ['shard_count a string', { shard_count: '64', entries: [] }, 'shard_count'],
    ['shard_count fractional', { shard_count: 1.5, entries: [] }, 'shard_count'],
    ['shard_count negative', { shard_count: -1, entries: [] }, 'shard_count'],
    ['shard_count NaN', { shard_count: Number.NaN, entries: [] }, 'shard_count'],
    ['shard_count Infinity', { shard_count: Number.POSITIVE_INFINITY, entries: [] }, 'shard_count'],
    ['missing entries', { shard_count: 64 }, 'entries'],
    ['entries an object', { shard_count: 64, entries: { a: 1 } }, 'entries'],
    ['entries a string', { shard_count: 64, entries: 'a,1' }, 'entries'],
    ['an entry not an array', { shard_count: 64, entries: [['a', 1], { 0: 'b', 1: 2 }] }, 'entries[1]'],
    ['an entry of one', { shard_count: 64, entries: [['a']] }, 'entries[0]'],
    ['an entry of three', { shard_count: 64, entries: [['a', 1, 2]] }, 'entries[0]'],
    ['a null entry', { shard_count: 64, entries: [null] }, 'entries[0]'],
    [
      'an object key',
      {
        shard_count: 64,
        entries: [
          ['a', 1],
          ['b', 2],
          ['c', 3],
          [{ id: 1 }, 4],
        ],
      },
      'entries[3][0]',
    ],
    ['an array key', { shard_count: 64, entries: [[[1], 4]] }, 'entries[0][0]'],
    ['an undefined value', { shard_count: 64, entries: [['a', undefined]] }, 'entries[0][1]'],
    ['a NaN key (object input)', { shard_count: 64, entries: [[Number.NaN, 1]] }, 'entries[0][0]'],
    ['a bigint value (object input)', { shard_count: 64, entries: [['a', 1n]] }, 'entries[0][1]'],
    [
      'an object value under primitive()',
      { shard_count: 64, entries: [['a', {}]] },
      'entries[0][1]',
      { value: primitive() },
    ],
    ['an object key under primitive()', { shard_count: 64, entries: [[{}, 1]] }, 'entries[0][0]', { key: primitive() }],
    [
      'a string value under object()',
      {
        shard_count: 64,
        entries: [
          ['p', { x: 1, y: 2 }],
          ['q', 'nope'],
        ],
      },
      'entries[1][1]',
      { value: object(Point) },
    ],
    [
      'a number value under object()',
      { shard_count: 64, entries: [['p', 5]] },
      'entries[0][1]',
      { value: object(Point) },
    ],
    ['garbage under date()', { shard_count: 64, entries: [['d', 'not a date']] }, 'entries[0][1]', { value: date() }],
    ['an object under date()', { shard_count: 64, entries: [['d', {}]] }, 'entries[0][1]', { value: date() }],
    [
      'garbage under a date() prop of an object() value',
      {
        shard_count: 64,
        entries: [
          ['p', { at: 5 }],
          ['q', { at: 'yesterday' }],
        ],
      },
      'entries[1][1]',
      { value: object(Stamped) },
    ],
    [
      'a key schema that throws',
      {
        shard_count: 64,
        entries: [
          ['1', 1],
          ['x', 2],
        ],
      },
      'entries[1][0]',
      {
        key: custom(String, (j: string) => {
          if (!/^\d+$/.test(j)) throw new Error('not digits');
          return Number(j);
        }),
      },
    ],
    [
      'a value schema that reports an error',
      { shard_count: 64, entries: [['a', 1]] },
      'entries[0][1]',
      {
        value: custom(String, (_j: unknown, _c: unknown, _o: unknown, done: (e: unknown, v?: unknown) => void) =>
          done(new Error('refused')),
        ),
      },
    ],
    [
      'an asynchronous deserializer',
      { shard_count: 64, entries: [['a', 1]] },
      'entries[0][1]',
      {
        value: custom(String, (j: unknown, _c: unknown, _o: unknown, done: (e: unknown, v?: unknown) => void) => {
          setTimeout(() => done(null, j));
        }),
      },
    ],
  ];
  for (const [name, input, path, options] of cases) {
    it(`${name} → DeserializeError at ${JSON.stringify(path)}`, () => {
      expect(caught(() => deserializeMap(input, options)).path).toBe(path);
    });
  }

  it('names the property of a nested invalid Date', () => {
    const error = caught(() =>
      deserializeMap({ shard_count: 1, entries: [['q', { at: 'yesterday' }]] }, { value: object(Stamped) }),
    );
    expect(error.message).toMatch(/invalid Date at \.at/);
  });

  it('names the cause: a schema error or JSON.parse SyntaxError is kept as the cause', () => {
    expect(caught(() => deserializeMap('{')).cause).toBeInstanceOf(SyntaxError);
    const thrower = custom(String, () => {
      throw new RangeError('bad');
    });
    expect(
      caught(() => deserializeMap({ shard_count: 1, entries: [['a', 1]] }, { value: thrower })).cause,
    ).toBeInstanceOf(RangeError);
  });

  it('returns no partial map: with a bad last entry the map class is never even constructed', () => {
    let constructed = 0;
    class Counting extends ShardedHashMap<string, number> {
      constructor(shards?: number) {
        super(shards);
        constructed++;
      }
    }
    const entries = [...Array.from({ length: 100 }, (_, i) => [`k${i}`, i]), ['bad', { not: 'primitive' }]];
    const error = caught(() => deserializeMap({ shard_count: 8, entries }, { Map: Counting, value: primitive() }));
    expect(error.path).toBe('entries[100][1]');
    expect(constructed).toBe(0);
    expect(() => deserializeMap({ shard_count: 8, entries: entries.slice(0, 100) }, { Map: Counting })).not.toThrow();
    expect(constructed).toBe(1);
  });

  it('a shard count the map options refuse (strict) is a DeserializeError at shard_count', () => {
    const error = caught(() =>
      deserializeMap({ shard_count: 1000, entries: [] }, { mapOptions: { strict: true, maxShards: 10 } }),
    );
    expect(error.path).toBe('shard_count');
  });
});

describe('lenient where the Rust crate is: shard counts', () => {
  it('0 → 64; above the cap clamped with the core warning; beyond safe integers clamped too', () => {
    expect(deserializeMap({ shard_count: 0, entries: [] }).shardCount()).toBe(64);
    expect(deserializeMap({ shard_count: 1000, entries: [] }, { mapOptions: { maxShards: 16 } }).shardCount()).toBe(16);
    expect(deserializeMap({ shard_count: 1e300, entries: [['a', 1]] }).shardCount()).toBe(262_144);
  });
});

// ---- Fuzzing ----

const valid = {
  shard_count: 8,
  entries: [
    ['a', 1],
    ['b', { x: [1, 2] }],
    [3, null],
    [true, 'v'],
  ],
};

/** A random edit of the valid input: a value somewhere replaced by anything. */
const mutated = fc
  .tuple(
    fc.constantFrom('root', 'shard_count', 'entries', 'entry', 'key', 'value', 'extraSide', 'drop'),
    fc.nat(3),
    fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withNullPrototype: true,
    }),
  )
  .map(([where, i, junk]) => {
    const data = structuredClone(valid) as { shard_count: unknown; entries: unknown[][] | unknown };
    const entries = data.entries as unknown[][];
    switch (where) {
      case 'root':
        return junk;
      case 'shard_count':
        data.shard_count = junk;
        break;
      case 'entries':
        data.entries = junk;
        break;
      case 'entry':
        entries[i] = junk as unknown[];
        break;
      case 'key':
        (entries[i] as unknown[])[0] = junk;
        break;
      case 'value':
        (entries[i] as unknown[])[1] = junk;
        break;
      case 'extraSide':
        (entries[i] as unknown[]).push(junk);
        break;
      case 'drop':
        (entries[i] as unknown[]).pop();
        break;
    }
    return data;
  });

/** Loads `input` with each option set: success, or a DeserializeError, nothing else. */
function loadsOrRefuses(input: unknown): void {
  for (const options of [
    undefined,
    { key: primitive(), value: primitive() },
    { value: object(Point) },
    { value: date() },
  ]) {
    try {
      const map = deserializeMap(input, options);
      expect(map).toBeInstanceOf(ShardedHashMap);
    } catch (error) {
      if (!(error instanceof DeserializeError)) throw error;
      expect(typeof error.path).toBe('string');
    }
  }
}

describe('fuzzed malformed input: DeserializeError and nothing else', () => {
  it('anything at all as the input', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }),
        loadsOrRefuses,
      ),
      { numRuns: RUNS },
    );
  });

  it('the valid input with one part replaced by anything', () => {
    fc.assert(fc.property(mutated, loadsOrRefuses), { numRuns: RUNS * 2 });
  });

  it('JSON text: random strings, and the valid text cut or corrupted anywhere', () => {
    const text = JSON.stringify(valid);
    const corrupted = fc
      .tuple(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 3 }))
      .map(([a, b, s]) => text.slice(0, Math.min(a, b)) + s + text.slice(Math.max(a, b)));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), corrupted), loadsOrRefuses), {
      numRuns: RUNS,
    });
  });

  it('the composed class static fromJSON refuses the same way', () => {
    const Composed = ShardedHashMap.with(serde);
    fc.assert(
      fc.property(mutated, (input) => {
        try {
          Composed.fromJSON(input);
        } catch (error) {
          if (!(error instanceof DeserializeError)) throw error;
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the Rust crate’s wire format', () => {
  it('loads the fixture the crate writes ({"shard_count":64,"entries":[["k1",10],...]})', () => {
    const text = readFileSync(new URL('./fixtures/rust-map.json', import.meta.url), 'utf8');
    const map = deserializeMap<string, number>(text);
    expect(map.shardCount()).toBe(64);
    expect(map.len()).toBe(6);
    expect(map.get('k1')).toBe(10);
    expect(map.get('user:42')).toBe(2147483647);
    expect(map.get('ключ')).toBe(-2147483648);
    expect(map.get('')).toBe(0);
    const again = JSON.parse(JSON.stringify(ShardedHashMap.with(serde).fromJSON(text)));
    expect(again.shard_count).toBe(64);
    expect(new Map(again.entries)).toEqual(new Map(JSON.parse(text).entries));
  });
});
