// One redis-server and one three-node cluster for every test file (each file works under its
// own key prefix); the restart and reshard tests start their own, since they disturb theirs.
import type { TestProject } from 'vitest/node';
import { startCluster, startRedis } from './redisServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisPort: number;
    clusterNodes: { host: string; port: number }[];
  }
}

export default async function setup(project: TestProject) {
  const server = await startRedis();
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster(3);
  } catch (error) {
    await server.dispose();
    throw error;
  }
  project.provide('redisPort', server.port);
  project.provide('clusterNodes', cluster.startupNodes);
  return async () => {
    await server.dispose();
    await cluster.stop();
  };
}
