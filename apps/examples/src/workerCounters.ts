// Counters incremented from several worker threads at once: every increment is a
// computeIfPresent, whose callback runs while the counter's shard is write-locked, so no update is
// lost and the totals are exact. Run it with `pnpm example worker-counters`.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { codecs, SharedShardedHashMap } from '@starshard/shared';

const workers = Math.max(2, Math.min(4, availableParallelism()));
const increments = 50_000;
const counters = 8;

const map = new SharedShardedHashMap({ shards: 8, key: codecs.string, value: codecs.number });
for (let c = 0; c < counters; c++) map.insert(`counter:${c}`, 0);

const started = performance.now();
await Promise.all(
  Array.from({ length: workers }, () => {
    const worker = new Worker(new URL('./workers/counterWorker.mjs', import.meta.url), {
      workerData: { handle: map.handle, increments, counters },
    });
    map.watchWorker(worker); // a worker that dies holding a lock cannot hang the others
    return new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  }),
);
const ms = performance.now() - started;

let total = 0;
for (let c = 0; c < counters; c++) {
  const n = map.get(`counter:${c}`) ?? 0;
  total += n;
  console.log(`counter:${c} = ${n}`);
}
console.log(
  `${workers} workers × ${increments} increments = ${workers * increments} expected, ${total} counted: ${total === workers * increments ? 'exact' : 'LOST UPDATES'}`,
);
console.log(
  `${Math.round((workers * increments) / (ms / 1000)).toLocaleString('en-US')} increments/s over ${counters} counters in ${ms.toFixed(0)} ms`,
);
map.close();
