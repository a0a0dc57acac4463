// The test harness: Debian's redis-server on free loopback ports (one node, or a three-node
// cluster made with `redis-cli --cluster create`), each stopped by its pid. A watchdog shell per
// server kills it if the test process dies first, so a crashed run leaves no orphan.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs redis-cli; on failure the error carries what it printed (it reports errors on stdout). */
async function runCli(args: string[]): Promise<string> {
  try {
    return (await run('redis-cli', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redis-cli ${args.slice(0, 2).join(' ')} failed: ${`${stdout}\n${stderr}`.trim().slice(-800)}`);
  }
}
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `port` can be bound on the loopback interface right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port (and, for a cluster node, a free bus port at +10000). */
export async function freePort(cluster = false): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if ((await portFree(port)) && (!cluster || (await portFree(port + 10000)))) return port;
  }
  throw new Error('no free loopback port found');
}

/** Answers true once the server on `port` replies +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** One redis-server process. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  pid(): number;
  /** Stops the process (SIGTERM, then SIGKILL after 3 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts the process again on the same port and directory (after `stop`). */
  start(): Promise<void>;
  /** Stops the process and removes its directory. */
  dispose(): Promise<void>;
  /** `redis-cli -p port ...args`, resolving to its output. */
  cli(...args: string[]): Promise<string>;
}

export interface ServerOptions {
  cluster?: boolean;
  /** Keeps data across a restart (appendonly, fsync always). */
  persistent?: boolean;
  port?: number;
}

/** Starts redis-server on a free loopback port and waits for PING. */
export async function startRedis(options: ServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort(options.cluster));
  const dir = mkdtempSync(join(tmpdir(), `starshard-redis-${port}-`));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--daemonize',
    'no',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.persistent ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--logfile',
    join(dir, 'redis.log'),
  ];
  if (options.cluster)
    args.push(
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '2000',
    );
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const proc = spawn('redis-server', args, { stdio: 'ignore' });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const pid = proc.pid;
    if (pid === undefined) throw new Error('redis-server did not start (is it installed? run scripts/ensure-redis.sh)');
    // The watchdog: kills the server if this process dies without stopping it.
    spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; kill -9 ${pid} 2>/dev/null`,
      ],
      {
        stdio: 'ignore',
        detached: true,
      },
    ).unref();
    const deadline = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode} (see ${dir}/redis.log)`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
      await sleep(20);
    }
  };

  const stop = async () => {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    pid: () => child?.pid ?? -1,
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    cli: async (...cliArgs) => (await run('redis-cli', ['-p', String(port), ...cliArgs])).stdout,
  };
}

/** A Redis Cluster of separate redis-server processes. */
export interface RedisClusterHarness {
  readonly nodes: RedisServer[];
  /** Startup nodes for ioredis's `Cluster`. */
  readonly startupNodes: { host: string; port: number }[];
  /** Starts a node, joins it to the cluster as an empty master; resolves to it. */
  addNode(): Promise<RedisServer>;
  /** Moves `slots` slots from every other master to `to` (`redis-cli --cluster reshard`). */
  reshard(to: RedisServer, slots: number): Promise<void>;
  /** Waits until every node reports `cluster_state:ok`. */
  waitOk(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `count` cluster-enabled nodes and joins them with `redis-cli --cluster create`. */
export async function startCluster(count = 3): Promise<RedisClusterHarness> {
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < count; i++) nodes.push(await startRedis({ cluster: true }));
    await runCli([
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
  const waitOk = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const infos = await Promise.all(nodes.map((n) => n.cli('cluster', 'info')));
      if (infos.every((info) => info.includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error(`the cluster did not reach state ok: ${infos.join('\n')}`);
      await sleep(100);
    }
  };
  await waitOk();
  const nodeId = async (node: RedisServer) => (await node.cli('cluster', 'myid')).trim();
  const harness: RedisClusterHarness = {
    nodes,
    get startupNodes() {
      return nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
    },
    async addNode() {
      const node = await startRedis({ cluster: true });
      nodes.push(node);
      await runCli(['--cluster', 'add-node', `127.0.0.1:${node.port}`, `127.0.0.1:${nodes[0]?.port}`]);
      // Wait until every node knows the newcomer.
      const deadline = Date.now() + 20_000;
      const id = await nodeId(node);
      for (;;) {
        const views = await Promise.all(nodes.map((n) => n.cli('cluster', 'nodes')));
        const knows = (view: string) =>
          view.split('\n').filter((line) => line.includes(' connected') && !line.includes('handshake')).length ===
          nodes.length;
        if (views.every((v) => v.includes(id) && knows(v))) break;
        if (Date.now() > deadline) throw new Error('the new node did not join the cluster');
        await sleep(100);
      }
      await waitOk();
      return node;
    },
    async reshard(to, slots) {
      await runCli([
        '--cluster',
        'reshard',
        `127.0.0.1:${nodes[0]?.port}`,
        '--cluster-from',
        'all',
        '--cluster-to',
        await nodeId(to),
        '--cluster-slots',
        String(slots),
        '--cluster-yes',
        '--cluster-pipeline',
        '100',
      ]);
    },
    waitOk,
    async stop() {
      await Promise.all(nodes.map((n) => n.dispose()));
    },
  };
  return harness;
}
