// RedisReplica under @starshard/advanced's quorum replication: an in-process async map writes
// through to Redis, a Redis that is down fails the quorum (local map unchanged), fetchState and
// healthCheck answer for real.
import { advanced, QuorumConfig, QuorumError, type Replica } from '@starshard/advanced';
import { AsyncShardedHashMap } from '@starshard/async';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisReplica, RedisShardedHashMap } from '../src/index.js';
import { type RedisServer, startRedis } from './support/redisServer.js';
import { freshPrefix, useDeployment } from './support/targets.js';

const Replicated = AsyncShardedHashMap.with(advanced);

describe('RedisReplica', () => {
  const target = useDeployment('standalone');
  let down: RedisServer;
  let downClient: Redis;
  beforeAll(async () => {
    down = await startRedis();
    downClient = new Redis({
      port: down.port,
      host: '127.0.0.1',
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    });
    downClient.on('error', () => {});
    await down.stop(); // this replica's server is down for the whole suite
  });
  afterAll(async () => {
    downClient.disconnect();
    await down.dispose();
  });

  it('replicates inserts, removes and clears to Redis before the local map changes', async () => {
    const mirror = new RedisShardedHashMap<string, number>(target.client(), { prefix: freshPrefix('mirror') });
    const replica: Replica<string, number> = new RedisReplica(mirror, { id: 'redis' });
    const map = new Replicated<string, number>(16, {
      replication: { replicas: [replica], quorum: QuorumConfig.strict(1) },
    });
    await map.insertReplicated('a', 1);
    await map.insertReplicated('b', 2);
    await map.removeReplicated('a');
    expect(await mirror.iter()).toEqual([['b', 2]]);
    expect(await map.iter()).toEqual([['b', 2]]);
    expect([...(await replica.fetchState())]).toEqual([['b', 2]]);
    expect(await replica.healthCheck?.()).toBe(true);
    await map.clearReplicated();
    expect(await mirror.len()).toBe(0);
    expect(await map.len()).toBe(0);
  });

  it('fails the quorum when Redis is down, leaving the local map unchanged; a majority still writes', async () => {
    const up = new RedisReplica(
      new RedisShardedHashMap<string, number>(target.client(), { prefix: freshPrefix('up') }),
      {
        id: 'up',
      },
    );
    const gone = new RedisReplica(new RedisShardedHashMap<string, number>(downClient, { prefix: 'gone:' }), {
      id: 'gone',
    });
    expect(await gone.healthCheck()).toBe(false);
    const strict = new Replicated<string, number>(16, {
      replication: { replicas: [up, gone], quorum: QuorumConfig.strict(2, { timeoutMs: 2000 }) },
    });
    const failure = await strict.insertReplicated('k', 1).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QuorumError);
    expect((failure as QuorumError).outcomes.find((o) => o.replica === 'gone')?.status).toBe('failed');
    expect(await strict.contains('k')).toBe(false);
    const majority = new Replicated<string, number>(16, {
      replication: { replicas: [up, gone, up], quorum: QuorumConfig.majority(3, { timeoutMs: 2000 }) },
    });
    await majority.insertReplicated('m', 7);
    expect(await majority.get('m')).toBe(7);
    expect(await up.map.get('m')).toBe(7);
  });
});
