// Two processes sharing one RedisShardedHashMap: a single-flight load and a CAS counter.
// Run it with `pnpm example redis-two-processes` from the repository root. It uses the Redis at
// REDIS_URL, or starts Debian's redis-server on a free loopback port (and stops it at the end).
//
// What it shows:
//   1. single flight across processes: both processes ask for the same missing key at once; the
//      slow loader runs ONCE (in whichever process took the lease) and both get its value;
//   2. no lost update across processes: 2 processes × 8 tasks × 100 compareAndSwap increments
//      of one counter end at exactly 1,600.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { numberCodec, RedisShardedHashMap } from '@starshard/redis';

const worker = fileURLToPath(new URL('./redis/twoProcessesWorker.ts', import.meta.url));
const prefix = `example:${process.pid}:`;

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Whether something accepts connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** REDIS_URL, or a redis-server of our own (stopped by its pid at the end). */
async function redisUrl(): Promise<{ url: string; stop: () => void }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => {} };
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  server.once('error', () => {
    console.error('redis-server is not installed: run `bash scripts/ensure-redis.sh`, or set REDIS_URL');
    process.exit(1);
  });
  while (!(await listening(port))) await new Promise((resolve) => setTimeout(resolve, 20));
  console.log(`started redis-server on 127.0.0.1:${port} (pid ${server.pid})`);
  return { url: `redis://127.0.0.1:${port}`, stop: () => server.kill('SIGTERM') };
}

/** Runs the worker in a child process; resolves once it exits with 0. */
function run(name: string, url: string, startAt: number): { child: ChildProcess; done: Promise<void> } {
  const child = fork(worker, [name, url, prefix, String(startAt)]);
  const done = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}`)))),
  );
  return { child, done };
}

const { url, stop } = await redisUrl();
try {
  // Both processes start their work at the same instant, once both have booted.
  const startAt = Date.now() + 3000;
  const workers = [run('A', url, startAt), run('B', url, startAt)];
  await Promise.all(workers.map((w) => w.done));

  const map = new RedisShardedHashMap<string, number>(url, { prefix, valueCodec: numberCodec });
  const loads = Number(await map.redis.get(`${prefix}loads`));
  console.log(`\nloader runs across both processes: ${loads} (expected 1)`);
  console.log(`counter: ${await map.get('counter')} (expected 1600)`);
  console.log(`entries under the prefix: ${(await map.keys()).sort().join(', ')}`);
  await map.redis.del(`${prefix}loads`);
  await map.clear();
  await map.close();
} finally {
  stop();
}
