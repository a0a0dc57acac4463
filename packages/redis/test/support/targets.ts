// The two deployments every suite runs against: one redis-server, and a three-node cluster.
import { Cluster, Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';

export type Deployment = 'standalone' | 'cluster';
export const deployments: Deployment[] = ['standalone', 'cluster'];

/** A running deployment (started once per run by globalSetup): makes clients for it. */
export interface Target {
  readonly kind: Deployment;
  /** The standalone server's port. */
  readonly port: number;
  /** The cluster's startup nodes. */
  readonly nodes: { host: string; port: number }[];
  client(): Redis | Cluster;
}

/** The deployment `kind` of this run; every client made is closed after the suite. */
export function useDeployment(kind: Deployment): Target {
  const clients: (Redis | Cluster)[] = [];
  const port = inject('redisPort');
  const nodes = inject('clusterNodes');
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  });
  return {
    kind,
    port,
    nodes,
    client() {
      const client =
        kind === 'standalone'
          ? new Redis({ port, host: '127.0.0.1', autoResendUnfulfilledCommands: false })
          : new Cluster(nodes, { redisOptions: { autoResendUnfulfilledCommands: false } });
      clients.push(client);
      return client;
    },
  };
}

let counter = 0;
/** A prefix no other test of this process uses. */
export function freshPrefix(name: string): string {
  counter++;
  return `t${process.pid}:${name}:${counter}:`;
}
