// Bad arguments: typed errors that say what to do, and nothing sent to Redis.
import { InvalidArgumentError } from '@starshard/core';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisReplica, RedisShardedHashMap } from '../src/index.js';

describe('bad input', () => {
  // A client that never connects: any command sent would hang, so a passing test sent nothing.
  const redis = new Redis({ lazyConnect: true, autoResendUnfulfilledCommands: false });

  it('refuses a missing client, bad options and bad codecs at construction', () => {
    expect(() => new RedisShardedHashMap(undefined as never)).toThrow(InvalidArgumentError);
    expect(() => new RedisShardedHashMap({} as never)).toThrow(/ioredis Redis or Cluster client/);
    expect(() => new RedisShardedHashMap(redis, { prefix: 1 as never })).toThrow(InvalidArgumentError);
    expect(() => new RedisShardedHashMap(redis, { leaseTtlMs: 0 })).toThrow(/leaseTtlMs must be a positive integer/);
    expect(() => new RedisShardedHashMap(redis, { scanCount: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new RedisShardedHashMap(redis, { keyCodec: {} as never })).toThrow(/keyCodec must be a RedisCodec/);
    expect(() => new RedisReplica({} as never)).toThrow(InvalidArgumentError);
  });

  it('rejects callbacks that are not functions and batches that are not iterables, before sending', async () => {
    const map = new RedisShardedHashMap<string, number>(redis);
    await expect(map.computeIfAbsent('k', 1 as never)).rejects.toThrow(/f must be a function/);
    await expect(map.computeIfPresent('k', null as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.retain('x' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.forEach(undefined as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.batchInsert(5 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.batchInsert([['a', 1], 'b'] as never)).rejects.toThrow(
      /entry 1 is "b", not a \[key, value\] pair/,
    );
    await expect(map.batchGet('ab' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.batchRemove(null as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.executeTransaction(null)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(map.compareAndSwap('k', 1, 2, 'eq' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    const replica = new RedisReplica(map);
    await expect(replica.replicate({ type: 'upsert' } as never)).rejects.toThrow(/unknown operation type "upsert"/);
    expect(redis.status).toBe('wait'); // never connected: nothing was sent
  });

  it('has a toStringTag and a default prefix', () => {
    const map = new RedisShardedHashMap(redis);
    expect(Object.prototype.toString.call(map)).toBe('[object RedisShardedHashMap]');
    expect(map.prefix).toBe('starshard:');
    expect(map.entryKey('a')).toBe('starshard:=a');
  });
});
