import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Codec, codecs, SharedShardedHashMap } from '../src/index.js';

/** `STARSHARD_FC_RUNS=1000 pnpm exec vitest run test/model.test.ts` for a long soak. */
const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 25;

type Op<K, V> =
  | { op: 'insert' | 'set' | 'computeIfAbsent'; key: K; value: V }
  | { op: 'get' | 'contains' | 'remove' | 'delete' | 'computeIfPresentDrop'; key: K }
  | { op: 'computeIfPresent'; key: K; value: V }
  | { op: 'batchInsert'; entries: [K, V][] }
  | { op: 'batchGet' | 'batchRemove'; keys: K[] }
  | { op: 'retain'; keep: number }
  | { op: 'clear' | 'iter' };

function opArb<K, V>(key: fc.Arbitrary<K>, value: fc.Arbitrary<V>): fc.Arbitrary<Op<K, V>> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('insert', 'set', 'computeIfAbsent'), key, value }) },
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constantFrom('get', 'contains', 'remove', 'delete', 'computeIfPresentDrop'),
        key,
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('computeIfPresent'), key, value }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('batchInsert'),
        entries: fc.array(fc.tuple(key, value), { maxLength: 8 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constantFrom('batchGet', 'batchRemove'), keys: fc.array(key, { maxLength: 8 }) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('retain'), keep: fc.nat(3) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('clear', 'iter') }) },
  ) as fc.Arbitrary<Op<K, V>>;
}

/** Canonical form of a key for the model: what the codec makes equal is equal in the model. */
type Canon<K> = (key: K) => unknown;

function run<K, V>(map: SharedShardedHashMap<K, V>, ops: Op<K, V>[], canon: Canon<K>): void {
  const model = new Map<unknown, [K, V]>();
  const get = (k: K) => model.get(canon(k))?.[1];
  for (const step of ops) {
    switch (step.op) {
      case 'insert':
        expect(map.insert(step.key, step.value)).toEqual(get(step.key));
        model.set(canon(step.key), [step.key, step.value]);
        break;
      case 'set':
        expect(map.set(step.key, step.value)).toBe(map);
        model.set(canon(step.key), [step.key, step.value]);
        break;
      case 'computeIfAbsent': {
        const had = model.get(canon(step.key));
        let called = 0;
        const got = map.computeIfAbsent(step.key, () => {
          called++;
          return step.value;
        });
        expect(called).toBe(had ? 0 : 1);
        expect(got).toEqual(had ? had[1] : step.value);
        if (!had) model.set(canon(step.key), [step.key, step.value]);
        break;
      }
      case 'computeIfPresent': {
        const had = model.get(canon(step.key));
        const got = map.computeIfPresent(step.key, (v) => {
          expect(v).toEqual(had?.[1]);
          return step.value;
        });
        expect(got).toEqual(had ? step.value : undefined);
        if (had) model.set(canon(step.key), [had[0], step.value]);
        break;
      }
      case 'computeIfPresentDrop':
        expect(map.computeIfPresent(step.key, () => undefined)).toBeUndefined();
        model.delete(canon(step.key));
        break;
      case 'get':
        expect(map.get(step.key)).toEqual(get(step.key));
        break;
      case 'contains':
        expect(map.contains(step.key)).toBe(model.has(canon(step.key)));
        expect(map.has(step.key)).toBe(model.has(canon(step.key)));
        break;
      case 'remove':
        expect(map.remove(step.key)).toEqual(get(step.key));
        model.delete(canon(step.key));
        break;
      case 'delete':
        expect(map.delete(step.key)).toBe(model.delete(canon(step.key)));
        break;
      case 'batchInsert': {
        const fresh = new Set<unknown>();
        for (const [k] of step.entries) if (!model.has(canon(k))) fresh.add(canon(k));
        expect(map.batchInsert(step.entries)).toBe(fresh.size);
        for (const [k, v] of step.entries) model.set(canon(k), [model.get(canon(k))?.[0] ?? k, v]);
        break;
      }
      case 'batchGet':
        expect(map.batchGet(step.keys)).toEqual(step.keys.map(get));
        break;
      case 'batchRemove': {
        let removed = 0;
        for (const k of step.keys) if (model.delete(canon(k))) removed++;
        expect(map.batchRemove(step.keys)).toBe(removed);
        break;
      }
      case 'retain': {
        // Keep every entry whose position in the model is not a multiple of keep + 2.
        const doomed = new Set<unknown>();
        let i = 0;
        for (const c of model.keys()) if (i++ % (step.keep + 2) === 0) doomed.add(c);
        expect(map.retain((k) => !doomed.has(canon(k)))).toBe(doomed.size);
        for (const c of doomed) model.delete(c);
        break;
      }
      case 'clear':
        map.clear();
        model.clear();
        break;
      case 'iter': {
        const seen = new Map([...map.iter()].map(([k, v]) => [canon(k), v]));
        expect(seen).toEqual(new Map([...model].map(([c, [, v]]) => [c, v])));
        break;
      }
    }
    expect(map.len()).toBe(model.size);
    expect(map.size).toBe(model.size);
    expect(map.isEmpty()).toBe(model.size === 0);
  }
  expect(new Map([...map.entries()].map(([k, v]) => [canon(k), v]))).toEqual(
    new Map([...model].map(([c, [, v]]) => [c, v])),
  );
  expect(map.shardStats().avgLoad * map.shardCount()).toBeCloseTo(model.size);
}

/** A custom codec: dates as their time, through the public interface only. */
const dateCodec: Codec<Date> = {
  name: 'date',
  encode: (d) => codecs.number.encode(d.getTime()),
  decode: (bytes) => new Date(codecs.number.decode(bytes)),
};

const smallString = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', 'k', 'é', '😀', '\ud800'),
);
const smallNumber = fc.oneof(
  fc.integer({ min: -20, max: 20 }),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1.5, 2 ** 40),
);
const plainValue = fc.jsonValue({ maxDepth: 2 });

type Case = {
  name: string;
  make: (shards: number, seed: number) => SharedShardedHashMap<any, any>;
  key: fc.Arbitrary<any>;
  value: fc.Arbitrary<any>;
  canon: Canon<any>;
};

const cases: Case[] = [
  {
    name: 'string keys, number values',
    make: (shards, seed) => new SharedShardedHashMap({ shards, seed, key: codecs.string, value: codecs.number }),
    key: smallString,
    value: smallNumber,
    canon: (k) => k,
  },
  {
    name: 'number keys, string values',
    make: (shards, seed) => new SharedShardedHashMap({ shards, seed, key: codecs.number, value: codecs.string }),
    key: smallNumber,
    value: fc.string({ unit: 'binary', maxLength: 80 }),
    canon: (k) => k,
  },
  {
    name: 'bigint keys, boolean values',
    make: (shards, seed) => new SharedShardedHashMap({ shards, seed, key: codecs.bigint, value: codecs.boolean }),
    key: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => b % 40n),
    value: fc.boolean(),
    canon: (k) => k,
  },
  {
    name: 'boolean keys, bigint values',
    make: (shards, seed) => new SharedShardedHashMap({ shards, seed, key: codecs.boolean, value: codecs.bigint }),
    key: fc.boolean(),
    value: fc.bigInt(),
    canon: (k) => k,
  },
  {
    name: 'string keys, structured values',
    make: (shards, seed) => new SharedShardedHashMap({ shards, seed, key: codecs.string, value: codecs.structured }),
    key: smallString,
    value: plainValue,
    canon: (k) => k,
  },
  {
    name: 'structured keys (by value), number values',
    make: (shards, seed) => new SharedShardedHashMap({ shards, seed, key: codecs.structured, value: codecs.number }),
    key: fc.oneof(
      fc.integer({ min: 0, max: 5 }).map((i) => ({ id: i })),
      fc.constantFrom('a', 1, [1, 2]),
    ),
    value: smallNumber,
    canon: (k) => JSON.stringify(k),
  },
  {
    name: 'number keys, custom date values',
    make: (shards, seed) => new SharedShardedHashMap({ shards, seed, key: codecs.number, value: dateCodec }),
    key: smallNumber,
    value: fc.date({ noInvalidDate: true }),
    canon: (k) => k,
  },
];

describe.each(cases)('a SharedShardedHashMap with $name', ({ make, key, value, canon }) => {
  it.each([1, 3, 64])('behaves like a Map under random operations, with %i shard(s)', (shards) => {
    fc.assert(
      fc.property(fc.integer(), fc.array(opArb(key, value), { maxLength: 60 }), (seed, ops) => {
        const map = make(shards, seed);
        try {
          run(map, ops, canon);
        } finally {
          map.close();
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('a map that grows', () => {
  it('keeps every entry through many rebuilds, with small initial shards', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(opArb(fc.nat(300), fc.string({ maxLength: 40 })), { minLength: 100, maxLength: 400 }),
        (shards, ops) => {
          const map = new SharedShardedHashMap({ shards, key: codecs.number, value: codecs.string, initialBytes: 1 });
          try {
            run(map, ops, (k) => k);
          } finally {
            map.close();
          }
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('holds 50 000 entries in 4 shards that started at their minimum size', () => {
    const map = new SharedShardedHashMap({ shards: 4, key: codecs.string, value: codecs.number, initialBytes: 1 });
    const before = map.shardBytes();
    for (let i = 0; i < 50_000; i++) map.insert(`key:${i}`, i);
    for (let i = 0; i < 50_000; i += 2) map.remove(`key:${i}`);
    for (let i = 0; i < 50_000; i++) expect(map.get(`key:${i}`)).toBe(i % 2 ? i : undefined);
    expect(map.len()).toBe(25_000);
    const after = map.shardBytes();
    for (let s = 0; s < 4; s++) expect(after[s]).toBeGreaterThan(before[s] as number);
    // Another map over the same memory sees the grown shards without a new handle.
    const other = SharedShardedHashMap.attach<string, number>(map.handle);
    expect(other.get('key:49999')).toBe(49_999);
    expect(other.len()).toBe(25_000);
    other.close();
    map.close();
  });
});
