// Saving: what the wire format cannot carry is a typed SerializeError naming the key, never a
// silently changed entry; schemas that fail, skip or yield undefined are refused the same way.
import { InvalidArgumentError, ShardedHashMap, StarshardError } from '@starshard/core';
import { createModelSchema, custom, object, primitive, SKIP } from 'serializr';
import { describe, expect, it } from 'vitest';
import { SerializeError, type SerializeOptions, serializeMap } from '../src/index.js';

function mapOf<K, V>(...pairs: [K, V][]): ShardedHashMap<K, V> {
  const map = new ShardedHashMap<K, V>(4);
  for (const [k, v] of pairs) map.insert(k, v);
  return map;
}

function refusal(map: ShardedHashMap<any, any>, options?: SerializeOptions): SerializeError {
  try {
    serializeMap(map, options);
  } catch (error) {
    if (error instanceof SerializeError) return error;
    throw error;
  }
  throw new Error('expected a SerializeError');
}

describe('keys without a key schema: only what JSON carries exactly', () => {
  const bad: [string, unknown][] = [
    ['a bigint', 10n],
    ['an object', { id: 1 }],
    ['an array', [1, 2]],
    ['a Date', new Date(0)],
    ['a symbol', Symbol('s')],
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a function', () => 1],
  ];
  for (const [name, key] of bad) {
    it(`${name} key → SerializeError naming the key, with the remedy`, () => {
      const error = refusal(mapOf<unknown, number>([key, 1]));
      expect(error).toBeInstanceOf(StarshardError);
      expect(error.code).toBe('ERR_STARSHARD_SERIALIZE');
      expect(error.key).toBe(key);
      expect(error.path).toBe('entries[0][0]');
      expect(error.message).toMatch(/pass a key prop schema/);
    });
  }

  it('also under primitive(), which serializr alone would let through (bigint, undefined)', () => {
    expect(refusal(mapOf<unknown, number>([10n, 1]), { key: primitive() }).key).toBe(10n);
    expect(refusal(mapOf<unknown, number>([undefined, 1]), { key: primitive() }).key).toBe(undefined);
  });

  it('strings, finite numbers, booleans and null are written as they are', () => {
    const map = mapOf<unknown, number>(['s', 1], [2.5, 2], [true, 3], [null, 4]);
    expect(new Map(serializeMap(map).entries)).toEqual(
      new Map<unknown, number>([
        ['s', 1],
        [2.5, 2],
        [true, 3],
        [null, 4],
      ]),
    );
  });
});

describe('values', () => {
  it('without a schema: undefined, bigint, symbol, function and non-finite numbers are refused', () => {
    for (const value of [undefined, 1n, Symbol('v'), () => 1, Number.NaN, Number.NEGATIVE_INFINITY]) {
      const error = refusal(mapOf<string, unknown>(['k', value]));
      expect(error.key).toBe('k');
      expect(error.path).toBe('entries[0][1]');
    }
  });

  it('without a schema: objects are JSON data, written as they are (not walked)', () => {
    const value = { a: [1, { b: null }] };
    expect(serializeMap(mapOf(['k', value])).entries[0]?.[1]).toBe(value);
  });

  it('under primitive(): an object is refused', () => {
    expect(refusal(mapOf<string, unknown>(['k', {}]), { value: primitive() }).path).toBe('entries[0][1]');
  });

  it('a schema that throws, skips or yields undefined is refused, with the cause', () => {
    class Thing {
      n = 1;
    }
    createModelSchema(Thing, { n: primitive() });
    const throwing = refusal(mapOf<string, unknown>(['k', 'not a Thing']), { value: object(Thing) });
    expect(throwing.cause).toBeInstanceOf(Error);
    expect(
      refusal(mapOf(['k', 1]), {
        value: custom(
          () => SKIP,
          (j: unknown) => j,
        ),
      }).message,
    ).toMatch(/SKIP/);
    expect(
      refusal(mapOf(['k', 1]), {
        value: custom(
          () => undefined,
          (j: unknown) => j,
        ),
      }).message,
    ).toMatch(/undefined/);
  });
});

describe('arguments', () => {
  it('options that are not prop schemas, and maps that are not sync maps, are InvalidArgumentError', () => {
    const map = mapOf(['a', 1]);
    expect(() => serializeMap(map, { value: 'primitive' as never })).toThrow(InvalidArgumentError);
    expect(() => serializeMap(map, { key: {} as never })).toThrow(InvalidArgumentError);
    expect(() => serializeMap(new Map() as never)).toThrow(InvalidArgumentError);
    expect(() => serializeMap(null as never)).toThrow(InvalidArgumentError);
  });

  it('writes the shard count and every entry, each as a new pair', () => {
    const map = new ShardedHashMap<string, number>(128);
    for (let i = 0; i < 1000; i++) map.insert(`k${i}`, i);
    const wire = serializeMap(map);
    expect(wire.shard_count).toBe(128);
    expect(wire.entries).toHaveLength(1000);
    expect(new Map(wire.entries)).toEqual(new Map(map.iter()));
  });
});
