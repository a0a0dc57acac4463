// A second (third, ...) process for the cross-process tests: opens the same map through the built
// package and runs one job, printing one JSON line per event. argv: job, connection JSON, prefix, args.
import { Cluster, Redis } from 'ioredis';
import { numberCodec, RedisShardedHashMap } from '../../dist/index.js';

const [job, connection, prefix, ...args] = process.argv.slice(2);
const { kind, port, nodes } = JSON.parse(connection);
const redis =
  kind === 'cluster'
    ? new Cluster(nodes, { redisOptions: { autoResendUnfulfilledCommands: false } })
    : new Redis({ port, host: '127.0.0.1', autoResendUnfulfilledCommands: false });
const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (job === 'cas') {
  // tasks × increments of one counter, each a compareAndSwap retry loop.
  const [key, tasks, increments] = [args[0], Number(args[1]), Number(args[2])];
  const map = new RedisShardedHashMap(redis, { prefix, valueCodec: numberCodec });
  let retries = 0;
  await Promise.all(
    Array.from({ length: tasks }, async () => {
      for (let i = 0; i < increments; i++) {
        let current = (await map.get(key)) ?? 0;
        for (;;) {
          const result = await map.compareAndSwap(key, current, current + 1);
          if (result.success) break;
          retries++;
          current = result.value ?? 0;
        }
      }
    }),
  );
  say({ done: true, retries });
} else if (job === 'load') {
  // computeIfAbsent on every key; the factory logs its run in Redis (RPUSH) and takes 30 ms.
  const keys = args[0].split(',');
  const map = new RedisShardedHashMap(redis, { prefix });
  const values = await Promise.all(
    keys.flatMap((key) =>
      Array.from({ length: 10 }, () =>
        map.computeIfAbsent(key, async (k) => {
          await redis.rpush(`${prefix}calls:{${k}}`, String(process.pid));
          await sleep(30);
          return `${k} loaded by ${process.pid}`;
        }),
      ),
    ),
  );
  say({ done: true, values });
} else if (job === 'hold') {
  // Takes the lease for a key and never finishes the factory: the parent kills this process.
  const map = new RedisShardedHashMap(redis, { prefix, leaseTtlMs: Number(args[1]) });
  void map.computeIfAbsent(args[0], () => {
    say({ holding: true });
    return new Promise(() => {});
  });
} else throw new Error(`unknown job ${job}`);
if (job !== 'hold') await redis.quit();
