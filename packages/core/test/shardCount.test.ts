import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  DEFAULT_SHARDS,
  definePlugin,
  type Hasher,
  MAX_SHARDS,
  ShardCountError,
  ShardedHashMap,
  StarshardError,
} from '../src/index.js';

const hasher: Hasher<unknown> = (key) => String(key).length;

/** The core class and a composed one: every constructor must exist, and behave alike, on both. */
const Composed = ShardedHashMap.with(definePlugin({ name: 'shardCountProbe', sync: (B) => class extends B {} }));
const classes = [
  { name: 'ShardedHashMap', Map: ShardedHashMap as typeof ShardedHashMap },
  { name: 'a composed class', Map: Composed as unknown as typeof ShardedHashMap },
];

/** One way to make a map from a shard count, with the cap it applies and whether it is strict. */
type Maker = {
  name: string;
  /** The cap in force: `maxAllowed` of the errors it throws. */
  cap: number;
  make: (M: typeof ShardedHashMap, n: unknown) => ShardedHashMap<unknown, unknown>;
};
const lenient: Maker[] = [
  { name: 'new (n)', cap: MAX_SHARDS, make: (M, n) => new M(n as number) },
  { name: 'new (n, { strict: false })', cap: MAX_SHARDS, make: (M, n) => new M(n as number, { strict: false }) },
  { name: 'withShardsAndHasher', cap: MAX_SHARDS, make: (M, n) => M.withShardsAndHasher(n as number, hasher) },
];
const strict: Maker[] = [
  { name: 'new (n, { strict: true })', cap: MAX_SHARDS, make: (M, n) => new M(n as number, { strict: true }) },
  { name: 'tryWithShardsAndHasher', cap: MAX_SHARDS, make: (M, n) => M.tryWithShardsAndHasher(n as number, hasher) },
];
const capped = (max: number): { lenient: Maker[]; strict: Maker[] } => {
  const cap = Math.min(Math.max(max, 1), MAX_SHARDS);
  return {
    lenient: [
      {
        name: `withShardsAndHasherCapped(n, h, ${max})`,
        cap,
        make: (M, n) => M.withShardsAndHasherCapped(n as number, hasher, max),
      },
      { name: `new (n, { maxShards: ${max} })`, cap, make: (M, n) => new M(n as number, { maxShards: max }) },
    ],
    strict: [
      {
        name: `tryWithShardsAndHasherCapped(n, h, ${max})`,
        cap,
        make: (M, n) => M.tryWithShardsAndHasherCapped(n as number, hasher, max),
      },
      {
        name: `new (n, { maxShards: ${max}, strict: true })`,
        cap,
        make: (M, n) => new M(n as number, { maxShards: max, strict: true }),
      },
    ],
  };
};
const uncapped = [...lenient, ...strict];
const all = [...uncapped, ...capped(100_000).lenient, ...capped(100_000).strict];

let emitWarning: MockInstance<typeof process.emitWarning>;
beforeEach(() => {
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterEach(() => {
  emitWarning.mockRestore();
});

/** The `code` of each warning emitted, whichever `emitWarning` signature was used. */
function warningCodes(): unknown[] {
  return emitWarning.mock.calls.map((args: unknown[]) => {
    const [, options, code] = args;
    return typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : code;
  });
}

function thrown(f: () => unknown): ShardCountError {
  try {
    f();
  } catch (error) {
    return error as ShardCountError;
  }
  throw new Error('expected a ShardCountError');
}

function expectShardCountError(error: ShardCountError, requested: unknown, maxAllowed: number) {
  expect(error).toBeInstanceOf(ShardCountError);
  expect(error).toBeInstanceOf(RangeError);
  expect(error.name).toBe('ShardCountError');
  expect(error.code).toBe('ERR_STARSHARD_SHARD_COUNT');
  expect(Object.is(error.requested, requested), `requested: ${String(error.requested)}`).toBe(true);
  expect(error.maxAllowed).toBe(maxAllowed);
  // Says what was wrong, with the value, and what to do instead.
  expect(error.message).toContain(typeof requested === 'string' ? JSON.stringify(requested) : String(requested));
  expect(error.message).toContain(String(maxAllowed));
  expect(error.message).toMatch(/\b(pass|ask for|use)\b/);
}

describe('the shard-count constants', () => {
  it('are 64 by default and 262 144 at most, as in the Rust crate', () => {
    expect(DEFAULT_SHARDS).toBe(64);
    expect(MAX_SHARDS).toBe(262_144);
  });

  it('make ShardCountError a RangeError that is not a StarshardError subclass but has its code', () => {
    const error = new ShardCountError(5, 4);
    expect(error).toBeInstanceOf(RangeError);
    expect(error).not.toBeInstanceOf(StarshardError);
    expect(error.code).toBe('ERR_STARSHARD_SHARD_COUNT');
  });
});

describe.each(classes)('the constructors of $name', ({ Map: M }) => {
  it.each(all)('$name makes 64 shards from 0, -0 or undefined', ({ make }) => {
    expect(make(M, 0).shardCount()).toBe(DEFAULT_SHARDS);
    expect(make(M, -0).shardCount()).toBe(DEFAULT_SHARDS);
    expect(make(M, undefined).shardCount()).toBe(DEFAULT_SHARDS);
    expect(emitWarning).not.toHaveBeenCalled();
  });

  it.each(all)('$name keeps any count from 1 to the cap, with no warning', ({ make }) => {
    for (const n of [1, 2, 7, 64, 1_000, 65_536]) {
      const map = make(M, n);
      expect(map.shardCount()).toBe(n);
      expect(map).toBeInstanceOf(M);
      expect(map.initializedShards()).toBe(0);
    }
    expect(emitWarning).not.toHaveBeenCalled();
  });

  it.each(uncapped)('$name accepts exactly MAX_SHARDS', ({ make }) => {
    expect(make(M, MAX_SHARDS).shardCount()).toBe(MAX_SHARDS);
    expect(emitWarning).not.toHaveBeenCalled();
  });

  it.each(all)('$name rejects a count that is not a non-negative safe integer, lenient or not', ({ make, cap }) => {
    for (const bad of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '64', 2 ** 53, -0.5]) {
      expectShardCountError(
        thrown(() => make(M, bad)),
        bad,
        cap,
      );
    }
    expect(emitWarning).not.toHaveBeenCalled();
  });

  it.each(lenient)('$name clamps MAX_SHARDS + 1 to MAX_SHARDS with a STARSHARD_SHARDS_CLAMPED warning', ({ make }) => {
    expect(make(M, MAX_SHARDS + 1).shardCount()).toBe(MAX_SHARDS);
    expect(warningCodes()).toEqual(['STARSHARD_SHARDS_CLAMPED']);
    const message = String(emitWarning.mock.calls[0]?.[0]);
    expect(message).toContain(String(MAX_SHARDS + 1));
    expect(message).toContain(String(MAX_SHARDS));
  });

  it.each(strict)('$name rejects MAX_SHARDS + 1 with ShardCountError', ({ make }) => {
    expectShardCountError(
      thrown(() => make(M, MAX_SHARDS + 1)),
      MAX_SHARDS + 1,
      MAX_SHARDS,
    );
    expect(emitWarning).not.toHaveBeenCalled();
  });

  describe('with a cap', () => {
    it.each(capped(10).lenient)('$name clamps a count above it, warning once', ({ make }) => {
      expect(make(M, 100).shardCount()).toBe(10);
      expect(warningCodes()).toEqual(['STARSHARD_SHARDS_CLAMPED']);
      expect(String(emitWarning.mock.calls[0]?.[0])).toContain('100');
    });

    it.each(capped(10).lenient)('$name clamps 0 (meaning 64) to the cap, warning that 64 was asked', ({ make }) => {
      expect(make(M, 0).shardCount()).toBe(10);
      expect(warningCodes()).toEqual(['STARSHARD_SHARDS_CLAMPED']);
      expect(String(emitWarning.mock.calls[0]?.[0])).toContain('64');
    });

    it.each(capped(10).strict)(
      '$name rejects 0 as a request for 64 shards: { requested: 64, maxAllowed: 10 }',
      ({ make }) => {
        expectShardCountError(
          thrown(() => make(M, 0)),
          64,
          10,
        );
        expectShardCountError(
          thrown(() => make(M, 11)),
          11,
          10,
        );
        expect(make(M, 10).shardCount()).toBe(10);
      },
    );

    it.each([...capped(0).lenient, ...capped(-5).lenient])('$name treats a cap below 1 as 1', ({ make }) => {
      expect(make(M, 100).shardCount()).toBe(1);
      expect(make(M, 1).shardCount()).toBe(1);
      expect(warningCodes()).toEqual(['STARSHARD_SHARDS_CLAMPED']);
    });

    it.each([...capped(0).strict, ...capped(-5).strict])('$name treats a cap below 1 as 1', ({ make }) => {
      expectShardCountError(
        thrown(() => make(M, 5)),
        5,
        1,
      );
      expect(make(M, 1).shardCount()).toBe(1);
    });

    it.each(capped(10 * MAX_SHARDS).lenient)('$name never goes beyond MAX_SHARDS', ({ make }) => {
      expect(make(M, MAX_SHARDS + 1).shardCount()).toBe(MAX_SHARDS);
    });
  });

  it('passes the hasher of every factory on to the map', () => {
    const seen: unknown[] = [];
    const spy: Hasher<unknown> = (key) => {
      seen.push(key);
      return 0;
    };
    M.withShardsAndHasher(8, spy).insert('a', 1);
    M.withShardsAndHasherCapped(8, spy, 4).insert('b', 1);
    M.tryWithShardsAndHasher(8, spy).insert('c', 1);
    M.tryWithShardsAndHasherCapped(8, spy, 8).insert('d', 1);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('the spec example', () => {
  it('tryWithShardsAndHasherCapped(0, h, 10) throws { requested: 64, maxAllowed: 10 }', () => {
    expectShardCountError(
      thrown(() => ShardedHashMap.tryWithShardsAndHasherCapped(0, hasher, 10)),
      64,
      10,
    );
  });

  it('withShardsAndHasherCapped(100, undefined, 0) makes a one-shard map', () => {
    expect(ShardedHashMap.withShardsAndHasherCapped(100, undefined, 0).shardCount()).toBe(1);
  });
});
