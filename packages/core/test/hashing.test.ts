import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultHasher, type Hasher, ShardedHashMap, seededHasher } from '../src/index.js';
import { chiSquare, chiSquareCritical } from './support/chiSquare.js';
import { sameValueZeroKeys, trickyKeys } from './support/keys.js';
import { LoadProbe } from './support/loadProbe.js';

/** The realistic key families of API.md §3, each a function of the key's index. */
const families: Record<string, (i: number) => unknown> = {
  '"key:" + i': (i) => `key:${i}`,
  UUIDs: () => randomUUID(),
  'file paths': (i) => `/srv/app/node_modules/pkg-${i}/lib/index.js`,
  'URLs differing only in the middle': (i) => `https://api.example.com/v1/users/${i}/settings/profile`,
  'small integers': (i) => i,
};

/** Keys per shard count: 1000 a shard at 7 shards, 200 at 64, 100 at 1024. */
const sizes: Record<number, number> = { 7: 7_000, 64: 12_800, 1024: 102_400 };

const keyCache = new Map<string, unknown[]>();
function keysOf(family: string, n: number): unknown[] {
  const id = `${family}/${n}`;
  let keys = keyCache.get(id);
  if (keys === undefined) {
    const make = families[family]!;
    keys = Array.from({ length: n }, (_, i) => make(i));
    keyCache.set(id, keys);
  }
  return keys;
}

/** How a map routes keys: its own seeded hash, or one of the exported hashers. */
const routings: { name: string; options: () => { hasher?: Hasher<unknown>; seed?: number } }[] = [
  { name: 'its built-in hash', options: () => ({}) },
  { name: 'defaultHasher', options: () => ({ hasher: defaultHasher }) },
  { name: 'seededHasher(42)', options: () => ({ hasher: seededHasher(42) }) },
];

const cases = routings.flatMap((routing) =>
  [7, 64, 1024].flatMap((shards) => Object.keys(families).map((family) => ({ ...routing, shards, family }))),
);

describe('the spread of realistic keys', () => {
  it.each(cases)(
    'a map hashing with $name spreads $family evenly over $shards shards (chi-square)',
    ({ options, shards, family }) => {
      const map = new LoadProbe<unknown, number>(shards, options());
      const keys = keysOf(family, sizes[shards]!);
      for (let i = 0; i < keys.length; i++) map.insert(keys[i], i);
      expect(map.len()).toBe(keys.length);
      const chi = chiSquare(map.shardLoads());
      const critical = chiSquareCritical(shards);
      expect(chi, `chi-square ${chi.toFixed(0)} over ${shards - 1} degrees of freedom`).toBeLessThan(critical);
    },
  );

  // defaultHasher's seed is random per process, so only the chi-square cases above judge it.
  const reproducible = routings.filter(({ name }) => name !== 'defaultHasher');

  it.each([7, 64])('a map keeps maxLoad within 1.3 × avgLoad at 1000 keys per shard over %i shards', (shards) => {
    for (const family of Object.keys(families)) {
      for (const { options } of reproducible) {
        const map = new ShardedHashMap<unknown, number>(shards, options());
        const keys = keysOf(family, shards * 1_000);
        for (let i = 0; i < keys.length; i++) map.insert(keys[i], i);
        const { maxLoad, avgLoad, initialized } = map.shardStats();
        expect(initialized).toBe(shards);
        expect(maxLoad / avgLoad, `${family}: maxLoad ${maxLoad}, avgLoad ${avgLoad}`).toBeLessThanOrEqual(1.3);
      }
    }
  });

  it('a map hashing small integers with defaultHasher uses all of its 7 shards', () => {
    const map = ShardedHashMap.withShardsAndHasher<number, number>(7, defaultHasher);
    for (let i = 0; i < 700; i++) map.insert(i, i);
    expect(map.initializedShards()).toBe(7);
  });
});

describe('the exported hashers', () => {
  const hashers: [string, Hasher<unknown>][] = [
    ['defaultHasher', defaultHasher],
    ['seededHasher(7)', seededHasher(7)],
  ];

  it.each(hashers)('%s hashes keys Map treats as equal to the same number', (_, hash) => {
    const nan = hash(Number.NaN);
    for (const k of sameValueZeroKeys) expect(hash(k)).toBe(Number.isNaN(k) ? nan : hash(0));
    const object = {};
    expect(hash(object)).toBe(hash(object));
    expect(hash(Symbol.for('k'))).toBe(hash(Symbol.for('k')));
    expect(hash(2n ** 100n)).toBe(hash(BigInt('1267650600228229401496703205376')));
    expect(hash(5n)).toBe(hash(BigInt(5)));
    expect(hash(['a', 'b'].join(''))).toBe(hash('ab'));
  });

  it.each(hashers)('%s returns a 32-bit integer for every kind of key', (_, hash) => {
    for (const k of trickyKeys) {
      const h = hash(k);
      expect(h === (h | 0), `${String(k)} → ${h}`).toBe(true);
    }
  });

  it.each(hashers)('%s tells distinct keys apart (almost no 32-bit collisions)', (_, hash) => {
    for (const family of Object.keys(families)) {
      const keys = keysOf(family, 7_000);
      const hashes = new Set(keys.map(hash));
      expect(hashes.size, family).toBeGreaterThanOrEqual(keys.length - 2);
    }
    expect(new Set(trickyKeys.map(hash)).size).toBeGreaterThanOrEqual(trickyKeys.length - 6); // SameValueZero twins
    expect(hash(2n ** 64n)).not.toBe(hash(2n ** 64n + 1n));
    expect(hash({})).not.toBe(hash({}));
    expect(hash(Symbol('s'))).not.toBe(hash(Symbol('s')));
  });

  it('seededHasher gives the same hashes for the same seed, and others for another seed', () => {
    const keys = [...keysOf('"key:" + i', 7_000).slice(0, 1_000), ...trickyKeys];
    const a = seededHasher(42);
    const b = seededHasher(42);
    const c = seededHasher(43);
    expect(keys.map(a)).toEqual(keys.map(b));
    const differing = keys.filter((k) => a(k) !== c(k)).length;
    expect(differing).toBeGreaterThan(keys.length * 0.99);
  });
});

describe('shard placement', () => {
  /** Every key kind, plus enough keys alike at the end to make the map switch to full string hashing. */
  const keys: unknown[] = [
    ...trickyKeys,
    ...keysOf('"key:" + i', 7_000).slice(0, 2_000),
    ...Array.from({ length: 2_000 }, (_, i) => `/app/node_modules/p${i}/package.json`),
  ];

  function placement(options: { seed?: number }): number[] {
    const map = new LoadProbe<unknown, number>(64, options);
    keys.forEach((k, i) => {
      map.insert(k, i);
    });
    return [...keys.map((k) => map.shardOf(k)), ...map.shardLoads()];
  }

  it('is the same for two maps given the same seed', () => {
    expect(placement({ seed: 7 })).toEqual(placement({ seed: 7 }));
    expect(placement({ seed: -123_456_789 })).toEqual(placement({ seed: -123_456_789 }));
  });

  it('differs between maps given different seeds', () => {
    const a = placement({ seed: 7 });
    const b = placement({ seed: 8 });
    const same = a.filter((shard, i) => shard === b[i]).length;
    expect(same).toBeLessThan(a.length * 0.1); // 1/64 of them by chance
  });

  it('differs between maps given no seed (each draws its own)', () => {
    const a = placement({});
    const b = placement({});
    const same = a.filter((shard, i) => shard === b[i]).length;
    expect(same).toBeLessThan(a.length * 0.1);
  });
});

describe('string keys alike at the end', () => {
  /** Keys of several shapes at once, so the map must give up on windows and hash everything. */
  const mixed = (i: number) =>
    i % 3 === 0 ? `key:${i}` : i % 3 === 1 ? `https://api.example.com/v1/users/${i}/settings` : `${i}.tmp.json`;

  it.each([
    ['a constant URL suffix', (i: number) => `https://api.example.com/v1/users/${i}/settings/profile`],
    ['a constant file name', (i: number) => `/srv/app/node_modules/pkg-${i}/package.json`],
    ['a 2000-character constant suffix', (i: number) => `${i}:${'x'.repeat(2_000)}`],
    ['three shapes mixed', mixed],
  ])('with %s end up spread (chi-square), every key still found', (_name, make) => {
    const map = new LoadProbe<string, number>(64, { seed: 3 });
    const n = 64 * 200;
    for (let i = 0; i < n; i++) map.insert(make(i), i);
    expect(chiSquare(map.shardLoads())).toBeLessThan(chiSquareCritical(64));
    for (let i = 0; i < n; i++) expect(map.get(make(i))).toBe(i);
    expect(map.len()).toBe(n);
  });

  it('pile up without the learned window: the sample alone would route them to a handful of shards', () => {
    // Guards the test above: if the map did not adapt, these keys would share their last six characters.
    const sample = new Set(Array.from({ length: 1000 }, (_, i) => `/users/${i}/settings/profile`.slice(-6)));
    expect(sample.size).toBe(1);
  });
});

describe('a map whose layout grows from one shard', () => {
  it('starts checking the spread of its string keys once it has more than one shard', () => {
    class Regrown<K, V> extends LoadProbe<K, V> {
      growTo(count: number): void {
        this.setLayout(count, new Array<Map<K, V> | undefined>(count).fill(undefined));
      }
    }
    const map = new Regrown<string, number>(1, { seed: 5 });
    map.growTo(64); // what a rebalance from one shard does, with the map still empty
    const n = 64 * 200;
    for (let i = 0; i < n; i++) map.insert(`/srv/app/pkg-${i}/package.json`, i);
    expect(chiSquare(map.shardLoads())).toBeLessThan(chiSquareCritical(64));
  });
});
