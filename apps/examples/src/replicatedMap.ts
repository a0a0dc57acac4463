// A replicated map: an async map whose writes go through three replicas, each a map living in
// its own worker thread (the package's ready-made replica worker), with a majority quorum. One
// worker is stopped mid-run: writes keep committing with 2 of 3 acknowledgements; stopping a
// second makes them fail with QuorumError and leave the local map unchanged; restarted workers
// catch up from their fetched state. Run it with `pnpm example replicated-map` from the
// repository root.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { advanced, MessagePortReplica, QuorumConfig, QuorumError } from '@starshard/advanced';
import { AsyncShardedHashMap } from '@starshard/async';

const workerFile = createRequire(import.meta.url).resolve('@starshard/advanced/replica-worker');
const workers = [0, 1, 2].map(() => new Worker(workerFile));
const replicas = workers.map((worker, i) => new MessagePortReplica<string, number>(worker, { id: `worker-${i}` }));

const Replicated = AsyncShardedHashMap.with(advanced);
const map = new Replicated<string, number>(16, {
  replication: { replicas, quorum: QuorumConfig.majority(3, { timeoutMs: 500 }) },
});

// Workers take a moment to boot: wait until each answers before timing writes against them.
const ready = await Promise.all(replicas.map((replica) => replica.healthCheck()));
console.log(`3 replica workers started: ${ready.every(Boolean) ? 'all answering' : 'NOT ALL ANSWERING'}`);

const WRITES = 3_000;
let committed = 0;
let rejected = 0;
let workerStopped = false;
const started = performance.now();
// 20 concurrent writers; worker-1 is stopped when a third of the writes are done.
await Promise.all(
  Array.from({ length: 20 }, async (_, w) => {
    for (let i = w; i < WRITES; i += 20) {
      if (!workerStopped && committed >= WRITES / 3) {
        workerStopped = true;
        console.log(`after ${committed} writes: stopping worker-1 (terminate)`);
        await workers[1]?.terminate();
      }
      await map.insertReplicated(`key:${i}`, i);
      committed++;
    }
  }),
);
const elapsed = performance.now() - started;
console.log(
  `${committed} replicated writes committed in ${elapsed.toFixed(0)} ms (${Math.round((committed / elapsed) * 1000)} writes/s), ` +
    'worker-1 dead for the last two thirds',
);
const local = new Map(await map.iter());
for (const replica of replicas) {
  const healthy = await replica.healthCheck();
  const state = healthy ? new Map(await replica.fetchState()) : undefined;
  const same = state !== undefined && state.size === local.size && [...local].every(([k, v]) => state.get(k) === v);
  console.log(
    `  ${replica.id}: ${healthy ? `alive, ${state?.size} entries, ${same ? 'identical to the local map' : 'DIFFERENT'}` : 'dead'}`,
  );
}

console.log('stopping worker-2 as well: only 1 of 3 replicas left, below the majority');
await workers[2]?.terminate();
try {
  await map.insertReplicated('doomed', -1);
} catch (error) {
  if (!(error instanceof QuorumError)) throw error;
  rejected++;
  console.log(`  rejected: ${error.acknowledged}/${error.required} acknowledgements`);
  for (const o of error.outcomes)
    console.log(`    ${o.replica}: ${o.status}${o.status === 'failed' ? ` (${(o.error as Error).message})` : ''}`);
  console.log(`  local map unchanged: ${!(await map.contains('doomed'))} (${await map.len()} entries)`);
}

console.log('restarting worker-1 and worker-2, catching them up');
for (const i of [1, 2]) {
  const fresh = new Worker(workerFile);
  workers[i] = fresh;
  replicas[i]?.reconnect(fresh);
  await replicas[i]?.healthCheck();
  const report = await map.catchUpReplica(replicas[i] as MessagePortReplica<string, number>);
  console.log(`  worker-${i}: sent ${report.inserted} inserts and ${report.removed} removals`);
}
// worker-0 saw the rejected write (it cannot know the quorum failed): bring it back in line too.
const report = await map.catchUpReplica(replicas[0] as MessagePortReplica<string, number>);
console.log(`  worker-0: sent ${report.inserted} inserts and ${report.removed} removals (the rejected write)`);
await map.insertReplicated('after-restart', 1);
const final = new Map(await map.iter());
for (const replica of replicas) {
  const state = new Map(await replica.fetchState());
  const same = state.size === final.size && [...final].every(([k, v]) => state.get(k) === v);
  console.log(`  ${replica.id}: ${state.size} entries, ${same ? 'identical to the local map' : 'DIFFERENT'}`);
  if (!same) process.exitCode = 1;
}
if (rejected !== 1) process.exitCode = 1;
await Promise.all(workers.map((w) => w.terminate()));
