// The two deployments every suite runs against: one redis-server, and a three-node cluster.
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type RedisClusterHarness, type RedisServer, startCluster, startRedis } from './redisServer.js';

export type Deployment = 'standalone' | 'cluster';
export const deployments: Deployment[] = ['standalone', 'cluster'];

/** A running deployment: makes clients for it (closed in afterAll). */
export interface Target {
  readonly kind: Deployment;
  readonly server: RedisServer | undefined;
  readonly cluster: RedisClusterHarness | undefined;
  client(): Redis | Cluster;
}

/** Starts `kind` before the suite's tests and stops it (and every client made) after them. */
export function useDeployment(kind: Deployment): Target {
  const clients: (Redis | Cluster)[] = [];
  const target = {
    kind,
    server: undefined as RedisServer | undefined,
    cluster: undefined as RedisClusterHarness | undefined,
    client(): Redis | Cluster {
      const client =
        kind === 'standalone'
          ? new Redis({ port: target.server?.port as number, host: '127.0.0.1', autoResendUnfulfilledCommands: false })
          : new Cluster(target.cluster?.startupNodes ?? [], { redisOptions: { autoResendUnfulfilledCommands: false } });
      clients.push(client);
      return client;
    },
  };
  beforeAll(async () => {
    if (kind === 'standalone') target.server = await startRedis();
    else target.cluster = await startCluster(3);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    await target.server?.dispose();
    await target.cluster?.stop();
  }, 30_000);
  return target;
}

let counter = 0;
/** A prefix no other test of this process uses. */
export function freshPrefix(name: string): string {
  counter++;
  return `t${process.pid}:${name}:${counter}:`;
}
