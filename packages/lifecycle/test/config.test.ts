// Bad `eviction` options throw a typed EvictionConfigError at construction, naming the field.
import { ShardedHashMap, StarshardError } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { EvictionConfigError, lifecycle } from '../src/index.js';

const Life = ShardedHashMap.with(lifecycle);

function errorOf(make: () => unknown): EvictionConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(EvictionConfigError);
    return error as EvictionConfigError;
  }
  throw new Error('expected an EvictionConfigError');
}

describe('the eviction option', () => {
  it.each([
    [{ policy: 'lru', maxEntries: 0 }, 'eviction.maxEntries', /positive integer/],
    [{ policy: 'lru', maxEntries: -5 }, 'eviction.maxEntries', /positive integer/],
    [{ policy: 'lru', maxEntries: 1.5 }, 'eviction.maxEntries', /positive integer/],
    [{ policy: 'lru', maxEntriesPerShard: 0 }, 'eviction.maxEntriesPerShard', /positive integer/],
    [{ policy: 'ttl', ttlMs: -1 }, 'eviction.ttlMs', /positive number of milliseconds/],
    [{ policy: 'ttl', ttlMs: 0 }, 'eviction.ttlMs', /positive number/],
    [{ policy: 'ttl', ttlMs: Number.NaN }, 'eviction.ttlMs', /positive number/],
    [{ policy: 'ttl', ttlMs: Number.POSITIVE_INFINITY }, 'eviction.ttlMs', /positive number/],
    [{ policy: 'ttl', ttlMs: 10, checkIntervalMs: -1 }, 'eviction.checkIntervalMs', /positive number/],
    [{ policy: 'fifo', maxEntries: 10 }, 'eviction.policy', /'lru', 'lfu' or 'ttl', got "fifo"/],
    [{ maxEntries: 10 }, 'eviction.policy', /got undefined/],
    [{ policy: 'lru' }, 'eviction.maxEntries', /give it a bound/],
    [{ policy: 'lfu' }, 'eviction.maxEntries', /give it a bound/],
    [{ policy: 'ttl' }, 'eviction.ttlMs', /needs ttlMs/],
    [{ policy: 'lru', maxEntries: 10, checkIntervalMs: 5 }, 'eviction.checkIntervalMs', /needs ttlMs/],
    [{ policy: 'lru', maxEntrys: 10 }, 'eviction.maxEntrys', /unknown field "maxEntrys"/],
    [{ policy: 'lru', maxEntries: 2 ** 24 + 1 }, 'eviction.maxEntries', /at most 16777216/],
  ])('%j → %s', (eviction, option, message) => {
    const error = errorOf(() => new Life(8, { eviction: eviction as never }));
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
    expect(error.code).toBe('ERR_STARSHARD_EVICTION_CONFIG');
    expect(error).toBeInstanceOf(StarshardError);
  });

  it('rejects a maxEntries below the shard count (some shards could hold nothing)', () => {
    const error = errorOf(() => new Life(64, { eviction: { policy: 'lru', maxEntries: 10 } }));
    expect(error.message).toMatch(/split over the 64 shards/);
    expect(() => new Life(8, { eviction: { policy: 'lru', maxEntries: 10 } })).not.toThrow();
    expect(() => new Life(64, { eviction: { policy: 'lru', maxEntriesPerShard: 1 } })).not.toThrow();
  });

  it('must be an object', () => {
    for (const bad of [null, 'lru', 5, ['lru']]) {
      expect(errorOf(() => new Life(8, { eviction: bad as never })).option).toBe('eviction');
    }
  });

  it('accepts the valid shapes, and none at all', () => {
    for (const eviction of [
      undefined,
      { policy: 'lru', maxEntries: 100 },
      { policy: 'lfu', maxEntriesPerShard: 3 },
      { policy: 'ttl', ttlMs: 1 },
      { policy: 'ttl', ttlMs: 50, maxEntries: 8, checkIntervalMs: Number.POSITIVE_INFINITY },
      { policy: 'lru', maxEntries: 100, ttlMs: 1000, checkIntervalMs: 10 },
    ] as const) {
      expect(() => new Life(8, { eviction })).not.toThrow();
    }
  });
});
