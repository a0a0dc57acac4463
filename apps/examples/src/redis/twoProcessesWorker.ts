// One of the two processes of `pnpm example redis-two-processes` (see ../redisTwoProcesses.ts).
import { numberCodec, RedisShardedHashMap } from '@starshard/redis';

const [name, url, prefix, startAt] = process.argv.slice(2) as [string, string, string, string];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Config {
  loadedBy: string;
  featureFlags: string[];
}

// ---- 1. Single flight: both processes ask for the missing config at the same moment ----
const configs = new RedisShardedHashMap<string, Config>(url, { prefix });
const { redis } = configs; // the ioredis client the map made from the URL
await sleep(Number(startAt) - Date.now()); // the parent's common start instant
const started = Date.now();
const config = await configs.computeIfAbsent('config', async () => {
  await redis.incr(`${prefix}loads`); // counts loader runs across processes
  console.log(`[${name}] loading the config (slow: 300 ms)...`);
  await sleep(300);
  return { loadedBy: `process ${name} (pid ${process.pid})`, featureFlags: ['dark-mode', 'beta-search'] };
});
console.log(`[${name}] got the config loaded by ${config.loadedBy} after ${Date.now() - started} ms`);

// ---- 2. A CAS counter: 8 tasks × 100 increments in this process ----
const counters = new RedisShardedHashMap<string, number>(redis, { prefix, valueCodec: numberCodec });
await counters.compareAndSwap('counter', undefined, 0); // the first process creates it
let retries = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let i = 0; i < 100; i++) {
      let current = (await counters.get('counter')) ?? 0;
      for (;;) {
        const result = await counters.compareAndSwap('counter', current, current + 1);
        if (result.success) break;
        retries++; // another task or process got there first: retry on the value it left
        current = result.value ?? 0;
      }
    }
  }),
);
console.log(`[${name}] 800 increments done (${retries} CAS retries on contention)`);
await configs.close();
