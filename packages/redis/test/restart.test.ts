// A server restart in the middle of a run of CAS increments: calls made while Redis is down
// reject with RedisUnavailableError (nothing else), calls after the reconnect work, and the
// counter is never wrong: it holds every confirmed increment, plus at most the ones whose reply
// was lost (those may or may not have been applied), and no value read is ever ahead of that.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberCodec, RedisShardedHashMap, RedisUnavailableError } from '../src/index.js';
import { type RedisServer, startRedis } from './support/redisServer.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('a Redis server restarting mid-run', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedis({ persistent: true });
    redis = new Redis({
      port: server.port,
      host: '127.0.0.1',
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    redis.on('error', () => {}); // reconnect noise while the server is down
  });
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it('rejects clearly while down, recovers after the reconnect, and never shows a wrong value', async () => {
    const map = new RedisShardedHashMap<string, number>(redis, { prefix: 'restart:', valueCodec: numberCodec });
    await map.insert('counter', 0);
    let confirmed = 0;
    let unknown = 0;
    let rejected = 0;
    let inflight = 0;
    let stop = false;
    const others: unknown[] = [];
    const tasks = Array.from({ length: 8 }, async () => {
      while (!stop) {
        try {
          const current = await map.get('counter');
          expect(typeof current).toBe('number');
          // A read is never ahead of what can have been applied (confirmed, lost replies, in flight).
          expect(current as number).toBeLessThanOrEqual(confirmed + unknown + inflight);
          inflight++;
          try {
            if ((await map.compareAndSwap('counter', current, (current as number) + 1)).success) confirmed++;
            inflight--;
          } catch (error) {
            inflight--;
            if (!(error instanceof RedisUnavailableError)) throw error;
            unknown++; // the CAS may or may not have been applied
            throw error;
          }
        } catch (error) {
          if (error instanceof RedisUnavailableError) {
            rejected++;
            expect(error.message).toMatch(/could not reach Redis/);
            await sleep(20);
          } else others.push(error);
        }
      }
    });
    await sleep(300);
    const before = confirmed;
    await server.stop();
    await sleep(400);
    await server.start();
    // Recovery: increments confirmed after the restart.
    const deadline = Date.now() + 8000;
    while (confirmed < before + 200 && Date.now() < deadline) await sleep(20);
    stop = true;
    await Promise.all(tasks);
    expect(others).toEqual([]);
    expect(rejected).toBeGreaterThan(0);
    expect(confirmed).toBeGreaterThanOrEqual(before + 200);
    const final = (await map.get('counter')) as number;
    expect(final).toBeGreaterThanOrEqual(confirmed);
    expect(final).toBeLessThanOrEqual(confirmed + unknown);
  });
});
