// Round trips through JSON text: every key kind JSON carries, JSON values, and class values and
// dates through serializr prop schemas, against a plain Map model.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { createModelSchema, custom, date, list, object, primitive } from 'serializr';
import { describe, expect, it } from 'vitest';
import { deserializeMap, type SerializeOptions, serializeMap } from '../src/index.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 100;

/** A sharded map with `pairs` inserted in order, and the Map model of the same. */
function build<K, V>(pairs: readonly (readonly [K, V])[], shards = 8) {
  const map = new ShardedHashMap<K, V>(shards);
  const model = new Map<K, V>();
  for (const [k, v] of pairs) {
    map.insert(k, v);
    model.set(k, v);
  }
  return { map, model };
}

/** serializeMap → JSON text → deserializeMap, with the same schemas both ways. */
function roundTrip<K, V>(map: ShardedHashMap<K, V>, options?: SerializeOptions): ShardedHashMap<K, V> {
  const text = JSON.stringify(serializeMap(map, options));
  return deserializeMap<K, V>(text, options);
}

function expectSameEntries<K, V>(
  restored: ShardedHashMap<K, V>,
  model: Map<K, V>,
  eq = (a: V, b: V) => Object.is(a, b),
) {
  expect(restored.len()).toBe(model.size);
  for (const [k, v] of model) {
    expect(restored.contains(k)).toBe(true);
    expect(eq(restored.get(k) as V, v)).toBe(true);
  }
}

const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true });
const jsonPrimitive = fc.oneof(fc.string({ unit: 'binary' }), finiteNumber, fc.boolean(), fc.constant(null));

describe('round trip through JSON text, every key kind JSON carries', () => {
  const keyKinds = {
    'strings (any code unit, lone surrogates too)': fc.string({ unit: 'binary', maxLength: 12 }),
    integers: fc.integer(),
    'finite doubles (-0 is 0, as in Map)': finiteNumber,
    booleans: fc.boolean(),
    null: fc.constant(null),
    'a mix of all of them': jsonPrimitive,
  } as const;
  for (const [name, keyArb] of Object.entries(keyKinds)) {
    it(`keys: ${name}, with JSON values (no schema, and primitive())`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(keyArb as fc.Arbitrary<unknown>, fc.jsonValue()), { maxLength: 40 }),
          fc.integer({ min: 1, max: 300 }),
          (pairs, shards) => {
            const { map, model } = build(pairs, shards);
            const restored = roundTrip(map);
            expect(restored.shardCount()).toBe(shards);
            expectSameEntries(restored, model, (a, b) => JSON.stringify(a) === JSON.stringify(b));
            const scalars = build(
              pairs.map(([k, v]) => [k, JSON.stringify(v)] as const),
              shards,
            );
            expectSameEntries(roundTrip(scalars.map, { key: primitive(), value: primitive() }), scalars.model);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }

  it('keeps the last pair of a key given twice (the entries are inserted in order)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer()), { maxLength: 50 }), (pairs) => {
        const model = new Map(pairs);
        const restored = deserializeMap<number, number>({ shard_count: 4, entries: pairs });
        expectSameEntries(restored, model);
      }),
      { numRuns: RUNS },
    );
  });
});

class Address {
  street = '';
  zip = 0;
}
class User {
  name = '';
  born: Date = new Date(0);
  address: Address = new Address();
  tags: string[] = [];
  greet(): string {
    return `hello ${this.name}`;
  }
}
createModelSchema(Address, { street: primitive(), zip: primitive() });
createModelSchema(User, { name: primitive(), born: date(), address: object(Address), tags: list(primitive()) });

const dateArb = fc.date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) });
const userArb = fc
  .record({
    name: fc.string({ unit: 'binary' }),
    born: dateArb,
    street: fc.string(),
    zip: fc.integer(),
    tags: fc.array(fc.string(), { maxLength: 3 }),
  })
  .map(({ name, born, street, zip, tags }) => {
    const user = new User();
    user.name = name;
    user.born = born;
    user.address = Object.assign(new Address(), { street, zip });
    user.tags = tags;
    return user;
  });

function sameUser(a: User, b: User): boolean {
  return (
    a instanceof User &&
    a.address instanceof Address &&
    a.born instanceof Date &&
    a.name === b.name &&
    a.born.getTime() === b.born.getTime() &&
    a.address.street === b.address.street &&
    a.address.zip === b.address.zip &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags)
  );
}

describe('round trip of class values through serializr prop schemas', () => {
  it('object(schema): class instances (nested class, date and list props) come back as instances', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), userArb), { maxLength: 20 }), (pairs) => {
        const { map, model } = build(pairs);
        const restored = roundTrip(map, { value: object(User) });
        expectSameEntries(restored, model, sameUser);
        for (const user of restored.values()) expect(user.greet()).toBe(`hello ${user.name}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('date(): Date values, and Date keys (found again by time, since keys compare by identity)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer(), dateArb), { maxLength: 30 }), (pairs) => {
        const { map, model } = build(pairs);
        expectSameEntries(roundTrip(map, { value: date() }), model, (a, b) => a.getTime() === b.getTime());
        // Distinct Date objects with one time are distinct keys in the map but one entry of `times`:
        // keep one key per time so the lookup by time below is unambiguous.
        const oneKeyPerTime = [...new Map(pairs.map(([n, d]) => [d.getTime(), [d, n] as const])).values()];
        const byDate = build(oneKeyPerTime);
        const restored = roundTrip(byDate.map, { key: date(), value: primitive() });
        const times = new Map([...restored.iter()].map(([d, n]) => [d.getTime(), n]));
        expect(restored.len()).toBe(byDate.model.size);
        for (const [d, n] of byDate.model) expect(times.get(d.getTime())).toBe(n);
      }),
      { numRuns: RUNS },
    );
  });

  it('custom(): bigint keys and values written as strings', () => {
    const big = custom(
      (v: bigint) => v.toString(),
      (json: unknown) => BigInt(json as string),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt(), fc.bigInt()), { maxLength: 30 }), (pairs) => {
        const { map, model } = build(pairs);
        expectSameEntries(roundTrip(map, { key: big, value: big }), model);
      }),
      { numRuns: RUNS },
    );
  });

  it('writes what the schemas write: the JSON form of a class value is its model schema', () => {
    const user = Object.assign(new User(), { name: 'Ada', born: new Date(1000), tags: ['x'] });
    user.address = Object.assign(new Address(), { street: 'Main', zip: 7 });
    const { map } = build([['u1', user]], 4);
    expect(serializeMap(map, { value: object(User) })).toEqual({
      shard_count: 4,
      entries: [['u1', { name: 'Ada', born: 1000, address: { street: 'Main', zip: 7 }, tags: ['x'] }]],
    });
  });
});
