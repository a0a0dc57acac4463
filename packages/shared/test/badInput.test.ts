import { InvalidArgumentError, MAX_SHARDS, ShardCountError, StarshardError } from '@starshard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CapacityError, type Codec, CodecError, codecs, SharedShardedHashMap } from '../src/index.js';

const open: SharedShardedHashMap<any, any>[] = [];
function track<T extends SharedShardedHashMap<any, any>>(map: T): T {
  open.push(map);
  return map;
}
afterEach(() => {
  for (const m of open.splice(0)) m.close();
});

function filled(): SharedShardedHashMap<string, number> {
  const map = track(new SharedShardedHashMap({ shards: 4, key: codecs.string, value: codecs.number }));
  map.batchInsert([
    ['a', 1],
    ['b', 2],
  ]);
  return map;
}
const contents = (m: SharedShardedHashMap<any, any>) => new Map(m.entries());

describe('shard counts follow the core rules', () => {
  it('0 and undefined mean 64; a count is kept as given', () => {
    expect(track(new SharedShardedHashMap()).shardCount()).toBe(64);
    expect(track(new SharedShardedHashMap({ shards: 0 })).shardCount()).toBe(64);
    expect(track(new SharedShardedHashMap({ shards: 7 })).shardCount()).toBe(7);
  });

  it.each([Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, '64'])('rejects %s with ShardCountError', (n) => {
    expect(() => new SharedShardedHashMap({ shards: n as number })).toThrow(ShardCountError);
  });

  it('clamps above the cap with a warning, or throws with strict', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(track(new SharedShardedHashMap({ shards: 100, maxShards: 10 })).shardCount()).toBe(10);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('100'),
      expect.objectContaining({ code: 'STARSHARD_SHARDS_CLAMPED' }),
    );
    warn.mockRestore();
    const e = (() => {
      try {
        new SharedShardedHashMap({ shards: 0, maxShards: 10, strict: true });
      } catch (err) {
        return err as ShardCountError;
      }
    })();
    expect(e).toBeInstanceOf(ShardCountError);
    expect(e?.requested).toBe(64);
    expect(e?.maxAllowed).toBe(10);
    expect(() => new SharedShardedHashMap({ shards: MAX_SHARDS + 1, strict: true })).toThrow(ShardCountError);
  });
});

describe('options', () => {
  it.each([
    [{ lockTimeoutMs: 0 }],
    [{ lockTimeoutMs: Number.NaN }],
    [{ maxBytes: -5 }],
    [{ maxBytes: 1.5 }],
    [{ initialBytes: 'big' }],
    [{ shards: 64, maxBytes: 1000 }],
    [{ initialBytes: 10_000, maxBytes: 1000 }],
    [{ maxThreads: 0 }],
    [{ seed: Number.NaN }],
    [{ key: { name: 'x' } }],
    [{ value: 'structured' }],
  ])('rejects %o with InvalidArgumentError', (options) => {
    expect(() => new SharedShardedHashMap(options as never)).toThrow(InvalidArgumentError);
  });

  it('rejects a non-object', () => {
    expect(() => new SharedShardedHashMap(5 as never)).toThrow(InvalidArgumentError);
  });
});

describe('codec errors change nothing', () => {
  it.each([
    ['insert', (m: SharedShardedHashMap<string, number>) => m.insert('a', 'x' as never)],
    ['insert a bad key', (m: SharedShardedHashMap<string, number>) => m.insert(5 as never, 1)],
    ['set', (m: SharedShardedHashMap<string, number>) => m.set('c', null as never)],
    ['get', (m: SharedShardedHashMap<string, number>) => m.get({} as never)],
    ['remove', (m: SharedShardedHashMap<string, number>) => m.remove(1n as never)],
    ['computeIfPresent', (m: SharedShardedHashMap<string, number>) => m.computeIfPresent('a', () => '1' as never)],
    ['computeIfAbsent', (m: SharedShardedHashMap<string, number>) => m.computeIfAbsent('z', () => true as never)],
    [
      'batchInsert (the bad pair is last)',
      (m: SharedShardedHashMap<string, number>) =>
        m.batchInsert([
          ['x', 1],
          ['y', 'no' as never],
        ]),
    ],
    ['batchRemove', (m: SharedShardedHashMap<string, number>) => m.batchRemove(['a', 7 as never])],
  ])('%s throws CodecError', (_name, call) => {
    const map = filled();
    const before = contents(map);
    let error: unknown;
    try {
      call(map);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodecError);
    expect(error).toBeInstanceOf(StarshardError);
    expect((error as CodecError).code).toBe('ERR_STARSHARD_CODEC');
    expect((error as CodecError).codec).toMatch(/string|number/);
    expect(contents(map)).toEqual(before);
  });

  it('the structured codec rejects functions and symbols', () => {
    const map = track(new SharedShardedHashMap({ key: codecs.string, value: codecs.structured }));
    expect(() => map.insert('f', () => 1)).toThrow(CodecError);
    expect(() => map.insert('s', { s: Symbol('x') })).toThrow(/cannot be structured-cloned/);
    expect(map.len()).toBe(0);
  });

  it('a custom codec that throws or returns no bytes becomes a CodecError', () => {
    const bad: Codec<string> = {
      name: 'bad',
      encode: (s) => {
        if (s === 'boom') throw new Error('nope');
        return (s === 'none' ? 'not bytes' : codecs.string.encode(s)) as Uint8Array;
      },
      decode: (b) => codecs.string.decode(b),
    };
    const map = track(new SharedShardedHashMap({ key: bad, value: codecs.number }));
    map.insert('ok', 1);
    expect(() => map.insert('boom', 2)).toThrow(CodecError);
    expect(() => map.insert('none', 2)).toThrow(/must return a Uint8Array/);
    expect([...map.keys()]).toEqual(['ok']);
  });
});

describe('callbacks', () => {
  it.each(['computeIfPresent', 'computeIfAbsent', 'retain', 'forEach'] as const)('%s rejects a non-function', (m) => {
    const map = filled();
    expect(() => (map[m] as (...a: unknown[]) => unknown)('a', 5)).toThrow(InvalidArgumentError);
  });

  it('a throwing callback leaves the map as it was', () => {
    const map = filled();
    const before = contents(map);
    const boom = () => {
      throw new Error('boom');
    };
    expect(() => map.computeIfPresent('a', boom)).toThrow('boom');
    expect(() => map.computeIfAbsent('new', boom)).toThrow('boom');
    expect(() => map.retain(boom)).toThrow('boom');
    let seen = 0;
    expect(() =>
      map.retain(() => {
        if (++seen === 2) throw new Error('late');
        return false;
      }),
    ).toThrow('late');
    expect(contents(map)).toEqual(before);
    // The locks were released: writes still go through.
    map.insert('c', 3);
    expect(map.len()).toBe(3);
  });

  it('a callback may read and write its own shard (the lock is reentrant for its holder)', () => {
    const map = track(new SharedShardedHashMap({ shards: 1, key: codecs.string, value: codecs.number }));
    map.insert('a', 1);
    map.insert('b', 10);
    expect(map.computeIfPresent('a', (v) => v + (map.get('b') ?? 0))).toBe(11);
    expect(
      map.computeIfAbsent('c', () => {
        map.insert('d', 4);
        return 3;
      }),
    ).toBe(3);
    expect(map.retain((k) => k !== map.keys().next().value || true)).toBe(0);
    expect(new Map(map.iter())).toEqual(
      new Map([
        ['a', 11],
        ['b', 10],
        ['c', 3],
        ['d', 4],
      ]),
    );
  });

  it('batch methods reject a non-iterable and a non-pair', () => {
    const map = filled();
    expect(() => map.batchInsert(5 as never)).toThrow(InvalidArgumentError);
    expect(() => map.batchInsert([['x', 1], 'y' as never])).toThrow(InvalidArgumentError);
    expect(() => map.batchGet(null as never)).toThrow(InvalidArgumentError);
    expect(map.len()).toBe(2);
  });
});

describe('capacity', () => {
  it('a value larger than its shard budget throws CapacityError and changes nothing', () => {
    const map = track(
      new SharedShardedHashMap({ shards: 2, key: codecs.string, value: codecs.string, maxBytes: 2 * 8192 }),
    );
    map.insert('small', 'x');
    const e = (() => {
      try {
        map.insert('big', 'y'.repeat(20_000));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(CapacityError);
    expect((e as CapacityError).code).toBe('ERR_STARSHARD_CAPACITY');
    expect((e as CapacityError).maxBytes).toBe(8192);
    expect([...map.iter()]).toEqual([['small', 'x']]);
  });

  it('filling a map to its budget ends in CapacityError with every earlier entry intact', () => {
    const map = track(
      new SharedShardedHashMap({ shards: 2, key: codecs.number, value: codecs.string, maxBytes: 2 * 16384 }),
    );
    let stored = 0;
    let error: unknown;
    for (let i = 0; i < 10_000; i++) {
      try {
        map.insert(i, `value-${i}`);
        stored = i + 1;
      } catch (e) {
        error = e;
        break;
      }
    }
    expect(error).toBeInstanceOf(CapacityError);
    expect(stored).toBeGreaterThan(50);
    for (let i = 0; i < stored; i++) expect(map.get(i)).toBe(`value-${i}`);
    // Removing entries makes room again (the next rebuild compacts).
    for (let i = 0; i < stored; i += 2) map.remove(i);
    map.insert(stored, 'again');
    expect(map.get(stored)).toBe('again');
  });

  it('attaching more maps than maxThreads throws CapacityError; close() frees a slot', () => {
    const map = track(new SharedShardedHashMap({ maxThreads: 2 }));
    const second = SharedShardedHashMap.attach(map.handle);
    expect(() => SharedShardedHashMap.attach(map.handle)).toThrow(CapacityError);
    second.close();
    track(SharedShardedHashMap.attach(map.handle));
  });
});

describe('handles and attach', () => {
  it('the handle survives structuredClone and attach sees the same memory', () => {
    const map = track(new SharedShardedHashMap({ shards: 3, key: codecs.number, value: codecs.structured }));
    const other = track(SharedShardedHashMap.attach<number, unknown>(structuredClone(map.handle)));
    map.insert(1, { a: 1 });
    expect(other.get(1)).toEqual({ a: 1 });
    other.insert(2, [2]);
    expect(map.get(2)).toEqual([2]);
    expect(other.shardCount()).toBe(3);
  });

  it('rejects a non-handle, a damaged handle and a wrong codec', () => {
    const map = filled();
    expect(() => SharedShardedHashMap.attach({} as never)).toThrow(InvalidArgumentError);
    expect(() => SharedShardedHashMap.attach({ ...map.handle, version: 2 } as never)).toThrow(/version/);
    expect(() => SharedShardedHashMap.attach({ ...map.handle, regions: [] })).toThrow(/damaged/);
    expect(() => SharedShardedHashMap.attach(map.handle, { key: codecs.number as never })).toThrow(/"string"/);
  });

  it('a custom codec must be passed again on attach', () => {
    const upper: Codec<string> = {
      name: 'upper',
      encode: (s) => codecs.string.encode(s.toUpperCase()),
      decode: (b) => codecs.string.decode(b),
    };
    const map = track(new SharedShardedHashMap({ key: upper, value: codecs.number }));
    expect(() => SharedShardedHashMap.attach(map.handle)).toThrow(/custom key codec "upper"/);
    const other = track(SharedShardedHashMap.attach<string, number>(map.handle, { key: upper }));
    map.insert('abc', 1);
    expect(other.get('ABC')).toBe(1);
  });

  it('a closed map throws on use', () => {
    const map = new SharedShardedHashMap();
    map.close();
    expect(() => map.get('a')).toThrow(StarshardError);
    expect(() => map.iter()).toThrow(/closed/);
  });

  it('recoverThread rejects the calling thread and bad ids', () => {
    const map = filled();
    expect(() => map.recoverThread(-1)).toThrow(InvalidArgumentError);
    expect(() => map.recoverThread(0)).toThrow(/calling thread/);
  });
});

describe('the Map surface', () => {
  it('has the Map methods and tag', () => {
    const map = filled();
    expect(Object.prototype.toString.call(map)).toBe('[object SharedShardedHashMap]');
    expect(new Map(map)).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    const seen: [string, number][] = [];
    map.forEach(function (this: unknown, v, k, m) {
      expect(m).toBe(map);
      expect(this).toBe(seen);
      seen.push([k, v]);
    }, seen);
    expect(seen.sort()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect([...map.values()].sort()).toEqual([1, 2]);
    expect(map.shardStats()).toMatchObject({
      initialized: 4,
      total: 4,
      maxLoad: expect.any(Number),
      utilizationPercent: 100,
    });
    expect(map.initializedShards()).toBe(4);
    expect(map.shardUtilization()).toBe(100);
  });
});
