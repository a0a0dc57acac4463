// Measurements of @starshard/redis against bare ioredis on loopback, on the built package:
//   pnpm --filter @starshard/redis run build && node packages/redis/scripts/measure.mjs [--quick] [--rounds=N]
// Starts its own redis-server (Debian's) on a free loopback port and stops it at the end.
// - get / insert: sequential `await map.get(k)` / `await map.insert(k, v)` vs bare ioredis
//   `await redis.get(k)` / `await redis.set(k, v)` (and `SET k v GET`, what insert sends).
// - batches: `batchInsert` / `batchGet` of N entries vs N sequential `insert` / `get`.
// Every op here is a loopback round trip (tens of µs), so the implementations of one section share
// a child process and alternate in blocks (rotating order): on a shared, noisy machine that
// cancels the drift that separate processes would measure at different minutes. `rounds`
// children per section; ratios are taken per child, medians reported. Not a test: nothing
// asserts a duration.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const quick = process.argv.includes('--quick');
const flag = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const ROUNDS = Number(flag('rounds')) || (quick ? 3 : 7);
const OPS = quick ? 4_000 : 10_000; // sequential ops per implementation per child
const BATCH = quick ? 2_000 : 5_000; // entries per batch

const speedUp = (samples, slow, fast) => median(samples[slow].map((x, r) => x / samples[fast][r])).toFixed(1);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const spread = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${((s[s.length - 1] / s[0] - 1) * 100).toFixed(0)}%`;
};

// ---- Child: one section, its implementations alternating in blocks, prints ns/op of each ----

async function child(section, port) {
  const { Redis } = await import('ioredis');
  const { RedisShardedHashMap, stringCodec } = await import('../dist/index.js');
  const redis = new Redis({ port, host: '127.0.0.1', autoResendUnfulfilledCommands: false });
  const prefix = `measure:${process.pid}:`;
  const map = new RedisShardedHashMap(redis, { prefix, valueCodec: stringCodec });
  const json = new RedisShardedHashMap(redis, { prefix: `${prefix}json:` });
  const raw = (i) => `${prefix}=key:${i}`; // the Redis key the map uses, so both touch the same data
  const value = 'v'.repeat(32);
  const jsonValue = { id: 1, name: 'v'.repeat(20) };
  const keyCount = 1000;
  await map.batchInsert(Array.from({ length: keyCount }, (_, i) => [`key:${i}`, value]));
  await json.batchInsert(Array.from({ length: keyCount }, (_, i) => [`key:${i}`, jsonValue]));
  const entries = Array.from({ length: BATCH }, (_, i) => [`batch:${i}`, value]);
  const keys = entries.map(([k]) => k);
  const single = (op) => async (n) => {
    for (let i = 0; i < n; i++) await op(i % keyCount);
  };
  const sections = {
    get: {
      'bare GET': single((i) => redis.get(raw(i))),
      'map.get': single((i) => map.get(`key:${i}`)),
      'map.get (json)': single((i) => json.get(`key:${i}`)),
    },
    insert: {
      'bare SET': single((i) => redis.set(raw(i), value)),
      'bare SET GET': single((i) => redis.set(raw(i), value, 'GET')),
      'map.insert': single((i) => map.insert(`key:${i}`, value)),
      'map.insert (json)': single((i) => json.insert(`key:${i}`, jsonValue)),
    },
    batchInsert: {
      'sequential insert': async () => {
        for (const [k, v] of entries) await map.insert(k, v);
      },
      batchInsert: () => map.batchInsert(entries),
    },
    batchGet: {
      'sequential get': async () => {
        for (const k of keys) await map.get(k);
      },
      batchGet: () => map.batchGet(keys),
    },
  }[section];
  const batched = section.startsWith('batch');
  if (batched) await map.batchInsert(entries);
  const impls = Object.keys(sections);
  const total = Object.fromEntries(impls.map((i) => [i, 0]));
  const count = Object.fromEntries(impls.map((i) => [i, 0]));
  const BLOCK = batched ? BATCH : 250;
  const blocks = batched ? 3 : Math.ceil(OPS / BLOCK);
  for (const impl of impls) await sections[impl](batched ? BATCH : 500); // warm-up
  // Blocks alternate (and rotate their order), so the drift of a shared machine hits all alike.
  for (let b = 0; b < blocks; b++)
    for (let j = 0; j < impls.length; j++) {
      const impl = impls[(b + j) % impls.length];
      const start = process.hrtime.bigint();
      await sections[impl](BLOCK);
      total[impl] += Number(process.hrtime.bigint() - start);
      count[impl] += BLOCK;
    }
  await redis.flushdb();
  await redis.quit();
  process.stdout.write(`${JSON.stringify(Object.fromEntries(impls.map((i) => [i, total[i] / count[i]])))}\n`);
}

// ---- Parent ----

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function parent() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'starshard-measure-'));
  const server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  try {
    for (
      let i = 0;
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .trim() !== 'PONG';
      i++
    ) {
      if (i > 200) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
    const version = spawnSync('redis-server', ['--version']).stdout.toString().trim().split(' ')[2];
    console.log(
      `node ${process.version}, redis ${version}, loopback, ${ROUNDS} rounds (child process each), median ns/op, ratios per child then median\n`,
    );
    const measure = (section) => {
      const samples = {};
      for (let r = 0; r < ROUNDS; r++) {
        const out = spawnSync(process.execPath, [self, '--child', section, String(port)], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`${section}: ${out.stderr}`);
        for (const [impl, ns] of Object.entries(JSON.parse(out.stdout))) {
          samples[impl] ??= [];
          samples[impl].push(ns);
        }
      }
      return samples;
    };
    const table = (title, samples, anchor) => {
      console.log(title);
      for (const [impl, xs] of Object.entries(samples)) {
        // The ratio is taken per child (same process, same minute), then the median of those.
        const ratio = median(xs.map((x, r) => x / samples[anchor][r]));
        console.log(
          `  ${impl.padEnd(20)} ${median(xs).toFixed(0).padStart(8)} ns/op  ${(1e9 / median(xs)).toFixed(0).padStart(7)} ops/s  ${ratio.toFixed(2)}× ${anchor}  (spread ${spread(xs)})`,
        );
      }
      console.log('');
    };
    table('get (sequential awaits, 32-byte values)', measure('get'), 'bare GET');
    table('insert (sequential awaits, 32-byte values)', measure('insert'), 'bare SET');
    const inserts = measure('batchInsert');
    table(
      `batchInsert of ${BATCH} entries vs ${BATCH} sequential inserts (ns per entry)`,
      inserts,
      'sequential insert',
    );
    const gets = measure('batchGet');
    table(`batchGet of ${BATCH} keys vs ${BATCH} sequential gets (ns per key)`, gets, 'sequential get');
    console.log(
      `pipelined speed-up (median of per-child ratios): batchInsert ${speedUp(inserts, 'sequential insert', 'batchInsert')}×, ` +
        `batchGet ${speedUp(gets, 'sequential get', 'batchGet')}×`,
    );
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]));
else await parent();
