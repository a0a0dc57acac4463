// A worker for the worker-counters example: increments shared counters with computeIfPresent.
// Plain JavaScript: worker threads do not inherit tsx's loader.
import { parentPort, workerData } from 'node:worker_threads';
import { SharedShardedHashMap } from '@starshard/shared';

/** @type {{ handle: import('@starshard/shared').SharedShardedHashMapHandle, increments: number, counters: number }} */
const { handle, increments, counters } = workerData;
/** @type {SharedShardedHashMap<string, number>} */
const map = SharedShardedHashMap.attach(handle);
for (let i = 0; i < increments; i++) map.computeIfPresent(`counter:${i % counters}`, (n) => n + 1);
map.close();
parentPort?.postMessage(increments);
