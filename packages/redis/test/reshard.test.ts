// A node added to the cluster and slots migrated to it (redis-cli --cluster reshard) while
// writers, CAS counters, batches and single-flight loads run: no key is lost, no count is wrong.
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberCodec, RedisShardedHashMap } from '../src/index.js';
import { type RedisClusterHarness, type RedisServer, startCluster } from './support/redisServer.js';

/** `STARSHARD_STRESS=1` migrates 6,000 slots over 30,000 seeded keys instead of 1,500 over 3,000. */
const STRESS = Boolean(process.env.STARSHARD_STRESS);
const SEEDED = STRESS ? 30_000 : 3000;
const MOVED = STRESS ? 6000 : 1500;

describe('a cluster resharded mid-run', () => {
  let cluster: RedisClusterHarness;
  let redis: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(3);
    redis = new Cluster(cluster.startupNodes, { redisOptions: { autoResendUnfulfilledCommands: false } });
  }, 60_000);
  afterAll(async () => {
    redis.disconnect();
    await cluster.stop();
  }, 30_000);

  it(`loses no key while a new node takes ${MOVED} slots`, { timeout: 600_000 }, async () => {
    const map = new RedisShardedHashMap<string, number>(redis, { prefix: 'reshard:', valueCodec: numberCodec });
    const initial = Array.from({ length: SEEDED }, (_, i) => [`seed:${i}`, i] as [string, number]);
    expect(await map.batchInsert(initial)).toBe(SEEDED);
    const counters = Array.from({ length: 16 }, (_, i) => `counter:${i}`);
    await map.batchInsert(counters.map((c) => [c, 0]));
    let stop = false;
    let written = 0;
    let increments = 0;
    let loads = 0;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        await map.insert(`live:${w}:${i}`, i);
        written++;
        if (i % 10 === 0) {
          const batch = Array.from({ length: 20 }, (_, j) => [`batch:${w}:${i}:${j}`, j] as [string, number]);
          expect(await map.batchInsert(batch)).toBe(20);
          written += 20;
        }
      }
    });
    const casTasks = Array.from({ length: 4 }, async (_, t) => {
      for (let i = 0; !stop; i++) {
        const key = counters[(t + i) % 16] as string;
        let current = (await map.get(key)) as number;
        while (!(await map.compareAndSwap(key, current, current + 1)).success) current = (await map.get(key)) as number;
        increments++;
      }
    });
    const loaders = (async () => {
      for (let i = 0; !stop; i++) {
        expect(await map.computeIfAbsent(`loaded:${i}`, async () => i)).toBe(i);
        loads++;
      }
    })();
    const running = Promise.all([...writers, ...casTasks, loaders]);
    let node: RedisServer;
    try {
      node = await cluster.addNode();
      await cluster.reshard(node, MOVED);
      await cluster.waitOk();
    } finally {
      stop = true;
      await running;
    }
    // The new node serves slots and holds keys of the map.
    expect(Number((await node.cli('dbsize')).trim())).toBeGreaterThan(0);
    expect(await map.batchGet(initial.map(([k]) => k))).toEqual(initial.map(([, v]) => v));
    const total = (await map.batchGet(counters)).reduce((a = 0, b = 0) => a + b, 0);
    expect(total).toBe(increments);
    expect(await map.len()).toBe(SEEDED + 16 + written + loads);
  });
});
