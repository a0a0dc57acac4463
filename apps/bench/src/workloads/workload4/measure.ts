// The child side of workload 4: one implementation's maps (one per size), awaited gets timed in
// batches slice by slice.

import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { buildKeys, type Key } from '../../keys.js';
import { measureNsPerOpAsync } from '../../measure.js';
import { mulberry32 } from '../../prng.js';
import { accessStream } from '../workload1/streams.js';
import type { Workload4Impl, Workload4Job, Workload4Reply, Workload4Request } from './job.js';

/** Lookup streams are at least this long, so a 1k-key set is read in many different orders. */
const MIN_STREAM = 1 << 16;

/** An awaited lookup, as the implementation's user writes it. */
type Getter = (key: Key) => Promise<number | undefined>;

/** Hits and lookups seen by the timed loops: checked after each slice, and keeps results live. */
const tally = { hits: 0, ops: 0 };

/**
 * A map of `impl` holding `fillOrder[i] → i`, and its awaited get. The anchor is BENCH.md's:
 * `await` of an async function over `Map.get`. starshard's get already returns a promise.
 */
async function buildGetter(impl: Workload4Impl, shards: number, fillOrder: readonly Key[]): Promise<Getter> {
  switch (impl) {
    case 'async-map': {
      const map = new Map<Key, number>();
      for (let i = 0; i < fillOrder.length; i++) map.set(fillOrder[i] as Key, i);
      return async (key) => map.get(key);
    }
    case 'starshard-async': {
      const map = new AsyncShardedHashMap<Key, number>(shards);
      for (let i = 0; i < fillOrder.length; i++) await map.insert(fillOrder[i] as Key, i);
      return (key) => map.get(key);
    }
    case 'async-core': {
      const map = new ShardedHashMap<Key, number>(shards);
      for (let i = 0; i < fillOrder.length; i++) map.insert(fillOrder[i] as Key, i);
      return async (key) => map.get(key);
    }
  }
}

/** A batch of `batch` awaited lookups, resuming where the previous batch stopped. */
function getBatch(get: Getter, stream: readonly Key[], batch: number): () => Promise<void> {
  const length = stream.length;
  let cursor = 0;
  return async () => {
    let i = cursor;
    let hits = 0;
    for (let j = 0; j < batch; j++) {
      if ((await get(stream[i] as Key)) !== undefined) hits++;
      if (++i === length) i = 0;
    }
    cursor = i;
    tally.hits += hits;
    tally.ops += batch;
  };
}

/** Runs `batch` for about `ms` milliseconds, untimed. */
async function spin(batch: () => Promise<void>, ms: number): Promise<void> {
  const end = performance.now() + ms;
  do await batch();
  while (performance.now() < end);
}

/**
 * Opens a workload-4 session in this process: builds every size's keys, lookup stream and filled
 * map, and returns the request handler. A request times one slice of one size (after a longer
 * warm-up the first time) and checks that every get found its key.
 *
 * @example
 * const handle = await openWorkload4Session(job, console.error);
 * await handle({ type: 'measure', size: 1000, timing: { timeMs: 50, warmupMs: 15 } });
 */
export async function openWorkload4Session(
  job: Workload4Job,
  progress: (text: string) => void,
): Promise<(request: Workload4Request) => Promise<Workload4Reply>> {
  const cells = new Map<number, { batch: () => Promise<void>; warmed: boolean }>();
  for (const size of job.sizes) {
    progress(`building ${size.toLocaleString('en-US')} keys`);
    const rng = mulberry32(job.seed ^ size);
    const keys = buildKeys(job.keyKind, size, rng, job.keyForm);
    const fillOrder = accessStream(keys, size, rng);
    const lookups = accessStream(keys, Math.max(size, MIN_STREAM), rng);
    const get = await buildGetter(job.impl, job.shards, fillOrder);
    cells.set(size, { batch: getBatch(get, lookups, job.batch), warmed: false });
  }

  return async (request) => {
    const cell = cells.get(request.size);
    if (cell === undefined) throw new Error(`no cell at size ${request.size}`);
    if (!cell.warmed) {
      await spin(cell.batch, job.firstWarmupMs);
      cell.warmed = true;
    }
    (globalThis as { gc?: () => void }).gc?.();
    tally.hits = 0;
    tally.ops = 0;
    const samples = await measureNsPerOpAsync('await get', cell.batch, job.batch, request.timing);
    if (tally.hits !== tally.ops) {
      throw new Error(
        `${job.impl} (${request.size} ${job.keyKind} keys): ${tally.ops - tally.hits} of ${tally.ops} gets missed`,
      );
    }
    return samples;
  };
}
