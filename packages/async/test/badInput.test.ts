// Bad input gets a typed error and leaves the map exactly as it was; the constructors follow the
// sync map's shard-count rules because they build one.
import {
  DEFAULT_SHARDS,
  InvalidArgumentError,
  MAX_SHARDS,
  ShardCountError,
  ShardedHashMap,
  StarshardError,
} from '@starshard/core';
import { describe, expect, it, vi } from 'vitest';
import { AsyncShardedHashMap, LockReentrancyError, LockTimeoutError } from '../src/index.js';

const IDLE = { shardLocks: 0, keyLocks: 0, pendingLoads: 0, waiting: 0, idle: true };

/** Runs `f`, which must throw; returns what it threw. */
function thrown(f: () => unknown): any {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('shard counts: exactly the sync map rules', () => {
  const bad: unknown[] = [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, '64', 2 ** 53, null, {}];

  it.each(bad)('rejects %s with ShardCountError, lenient or strict', (n) => {
    for (const make of [
      () => new AsyncShardedHashMap(n as number),
      () => new AsyncShardedHashMap(n as number, { strict: true }),
      () => AsyncShardedHashMap.withShardsAndHasher(n as number),
      () => AsyncShardedHashMap.withShardsAndHasherCapped(n as number, undefined, 10),
      () => AsyncShardedHashMap.tryWithShardsAndHasher(n as number),
      () => AsyncShardedHashMap.tryWithShardsAndHasherCapped(n as number, undefined, 10),
    ]) {
      const error = thrown(make);
      expect(error).toBeInstanceOf(ShardCountError);
      expect(error).toBeInstanceOf(RangeError);
      expect(error.code).toBe('ERR_STARSHARD_SHARD_COUNT');
    }
  });

  it('turns 0 and undefined into 64, like the sync map', () => {
    expect(new AsyncShardedHashMap().shardCount()).toBe(DEFAULT_SHARDS);
    expect(new AsyncShardedHashMap(0).shardCount()).toBe(DEFAULT_SHARDS);
    expect(AsyncShardedHashMap.tryWithShardsAndHasher(0).shardCount()).toBe(64);
  });

  it('throws { requested: 64, maxAllowed: 10 } for tryWithShardsAndHasherCapped(0, h, 10)', () => {
    const error = thrown(() => AsyncShardedHashMap.tryWithShardsAndHasherCapped(0, undefined, 10));
    expect(error).toBeInstanceOf(ShardCountError);
    expect(error).toMatchObject({ requested: 64, maxAllowed: 10 });
  });

  it('clamps in the lenient constructors with a STARSHARD_SHARDS_CLAMPED warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(AsyncShardedHashMap.withShardsAndHasher(MAX_SHARDS + 1).shardCount()).toBe(MAX_SHARDS);
      expect(AsyncShardedHashMap.withShardsAndHasherCapped(1000, undefined, 128).shardCount()).toBe(128);
      expect(AsyncShardedHashMap.withShardsAndHasherCapped(5, undefined, 0).shardCount()).toBe(1);
      expect(new AsyncShardedHashMap(300, { maxShards: 100 }).shardCount()).toBe(100);
      expect(warn).toHaveBeenCalledWith(
        expect.any(String),
        expect.objectContaining({ code: 'STARSHARD_SHARDS_CLAMPED' }),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('rejects in the strict constructors', () => {
    expect(thrown(() => AsyncShardedHashMap.tryWithShardsAndHasher(MAX_SHARDS + 1))).toMatchObject({
      requested: MAX_SHARDS + 1,
      maxAllowed: MAX_SHARDS,
    });
    expect(thrown(() => new AsyncShardedHashMap(300, { maxShards: 100, strict: true }))).toBeInstanceOf(
      ShardCountError,
    );
  });

  it('agrees with the sync map on every count, for every constructor', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      for (const n of [0, 1, 2, 7, 64, 100, 1000, MAX_SHARDS, MAX_SHARDS + 5]) {
        for (const max of [1, 10, 500, MAX_SHARDS]) {
          const pairs: [() => { shardCount(): number }, () => { shardCount(): number }][] = [
            [() => new AsyncShardedHashMap(n), () => new ShardedHashMap(n)],
            [
              () => AsyncShardedHashMap.withShardsAndHasherCapped(n, undefined, max),
              () => ShardedHashMap.withShardsAndHasherCapped(n, undefined, max),
            ],
            [
              () => AsyncShardedHashMap.tryWithShardsAndHasherCapped(n, undefined, max),
              () => ShardedHashMap.tryWithShardsAndHasherCapped(n, undefined, max),
            ],
          ];
          for (const [a, s] of pairs) {
            let expected: unknown;
            try {
              expected = s().shardCount();
            } catch (error) {
              expected = (error as Error).constructor;
            }
            let actual: unknown;
            try {
              actual = a().shardCount();
            } catch (error) {
              actual = (error as Error).constructor;
            }
            expect(actual).toBe(expected);
          }
        }
      }
    } finally {
      warn.mockRestore();
    }
  });

  it('rejects bad options like the sync map', () => {
    expect(thrown(() => new AsyncShardedHashMap(4, 'fast' as never))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => new AsyncShardedHashMap(4, { hasher: 5 as never }))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => new AsyncShardedHashMap(4, { seed: Number.NaN }))).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('bad arguments reject with typed errors and leave the map unchanged', () => {
  const notFunctions: unknown[] = [undefined, null, 1, 'f', {}, [], Symbol('f')];

  async function filled() {
    const map = new AsyncShardedHashMap<string, number>(8);
    await map.batchInsert([
      ['a', 1],
      ['b', 2],
    ]);
    return map;
  }

  async function expectUnchanged(map: AsyncShardedHashMap<string, number>) {
    expect(new Map(await map.iter())).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    expect(map.lockStats()).toEqual(IDLE);
  }

  it.each(notFunctions)('callback %s: rejects (never throws synchronously) with InvalidArgumentError', async (f) => {
    const map = await filled();
    const calls: (() => Promise<unknown>)[] = [
      () => map.computeIfPresent('a', f as never),
      () => map.computeIfPresent('missing', f as never),
      () => map.computeIfAbsent('a', f as never),
      () => map.computeIfAbsent('missing', f as never),
      () => map.retain(f as never),
      () => map.forEach(f as never),
    ];
    for (const call of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }).not.toThrow();
      const error = await promise?.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).code).toBe('ERR_STARSHARD_INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(/must be a function/);
    }
    await expectUnchanged(map);
  });

  it.each([null, 5, 'x', { signal: 'abort' }, { signal: {} }])(
    'options %s: rejects with InvalidArgumentError',
    async (options) => {
      const map = await filled();
      const calls: (() => Promise<unknown>)[] = [
        () => map.insert('a', 9, options as never),
        () => map.remove('a', options as never),
        () => map.delete('a', options as never),
        () => map.set('a', 9, options as never),
        () => map.clear(options as never),
        () => map.batchInsert([['a', 9]], options as never),
        () => map.batchRemove(['a'], options as never),
        () => map.computeIfPresent('a', () => 9, options as never),
        () => map.computeIfAbsent('z', () => 9, options as never),
        () => map.retain(() => false, options as never),
        // biome-ignore lint/suspicious/useIterableCallbackReturn: the async forEach awaits what its callback returns.
        () => map.forEach(() => undefined, options as never),
      ];
      for (const call of calls) await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
      await expectUnchanged(map);
    },
  );

  it('rejects malformed batches before writing anything', async () => {
    const map = await filled();
    await expect(map.batchInsert([['c', 3], 'd' as never])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.batchInsert(5 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.batchRemove(null as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.batchGet(7 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    // The same under contention (the slow path): a callback holds 'a'.
    let release!: () => void;
    const holder = map.computeIfPresent('a', async (v) => {
      await new Promise<void>((resolve) => (release = resolve));
      return v;
    });
    await expect(map.batchInsert([['c', 3], ['d'] as never], {})).rejects.toBeInstanceOf(InvalidArgumentError);
    release();
    await holder;
    await expectUnchanged(map);
  });

  it('rejects with the signal reason, changing nothing, when the signal is already aborted', async () => {
    const map = await filled();
    const reason = new Error('too late');
    const signal = AbortSignal.abort(reason);
    let called = false;
    const f = () => {
      called = true;
      return 9;
    };
    for (const call of [
      () => map.insert('a', 9, { signal }),
      () => map.remove('a', { signal }),
      () => map.clear({ signal }),
      () => map.batchInsert([['a', 9]], { signal }),
      () => map.batchRemove(['a'], { signal }),
      () => map.computeIfPresent('a', f, { signal }),
      () => map.computeIfAbsent('z', f, { signal }),
      () => map.retain(() => false, { signal }),
    ]) {
      await expect(call()).rejects.toBe(reason);
    }
    expect(called).toBe(false);
    await expectUnchanged(map);
  });

  it('rejects a hasher that returns a non-number, leaving the map unchanged', async () => {
    const map = new AsyncShardedHashMap<string, number>(8, {
      hasher: (k) => (k === 'bad' ? ('x' as never) : k.length),
    });
    await map.insert('a', 1);
    for (const call of [
      () => map.get('bad'),
      () => map.insert('bad', 1),
      () => map.computeIfPresent('bad', () => 1),
      () => map.computeIfAbsent('bad', () => 1),
      () => map.remove('bad'),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(await map.len()).toBe(1);
    expect(map.lockStats()).toEqual(IDLE);
  });
});

describe('errors', () => {
  it('are StarshardErrors with stable codes and messages that say what to do', () => {
    const reentrancy = new LockReentrancyError('clear', 'upgrade');
    expect(reentrancy).toBeInstanceOf(StarshardError);
    expect(reentrancy).toBeInstanceOf(Error);
    expect(reentrancy).toMatchObject({
      name: 'LockReentrancyError',
      code: 'ERR_STARSHARD_LOCK_REENTRANCY',
      method: 'clear',
      kind: 'upgrade',
    });
    expect(reentrancy.message).toMatch(/after the callback/);
    expect(new LockReentrancyError('insert', 'cycle').message).toMatch(/deadlock/);
    const timeout = new LockTimeoutError(50, 'write');
    expect(timeout).toBeInstanceOf(StarshardError);
    expect(timeout).toMatchObject({ name: 'LockTimeoutError', code: 'ERR_STARSHARD_LOCK_TIMEOUT', timeoutMs: 50 });
    expect(timeout.message).toMatch(/50 ms/);
  });
});
