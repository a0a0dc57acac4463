// The child side of the lru workload: one implementation's cache at one capacity, and two
// access streams built before timing (no allocation or randomness in a timed loop).

import { ShardedHashMap } from '@starshard/core';
import { lifecycle } from '@starshard/lifecycle';
import { LRUCache } from 'lru-cache';
import { LRUCache as MnemonistLru } from 'mnemonist';
import { measureNsPerOp } from '../../measure.js';
import { below, mulberry32 } from '../../prng.js';
import type { LruCell, LruImpl, LruJob, LruReply, LruRequest } from './job.js';

/** Accesses per timed batch. */
const BATCH = 1000;
/** Accesses in each precomputed stream (cycled through; long enough that the cache-aside stream meets more distinct keys than the largest capacity, so it evicts). */
const STREAM = 1 << 20;

/** A cache the way its documentation recommends: get, set. */
interface Cache {
  get(key: string): number | undefined;
  set(key: string, value: number): unknown;
  readonly size: number;
}

function cacheFor(impl: LruImpl, capacity: number, shards: number): Cache {
  switch (impl) {
    case 'lru-cache':
      return new LRUCache<string, number>({ max: capacity });
    case 'mnemonist':
      return new MnemonistLru<string, number>(capacity);
    case 'starshard-lru': {
      const Cache = ShardedHashMap.with(lifecycle);
      return new Cache<string, number>(shards, { eviction: { policy: 'lru', maxEntries: capacity } });
    }
    case 'starshard-lifecycle':
      return new (ShardedHashMap.with(lifecycle))<string, number>(shards);
    case 'starshard-core':
      return new ShardedHashMap<string, number>(shards);
  }
}

/** Sets up `job`'s cache and streams; returns the slice handler. */
export function openLruSession(job: LruJob): (request: LruRequest) => LruReply {
  const { capacity } = job;
  const universe = 2 * capacity;
  // Flat strings (not ropes), as in workload 1; lookups reuse the stored strings.
  const keys: string[] = JSON.parse(JSON.stringify(Array.from({ length: universe }, (_, i) => `key:${i}`)));
  const rng = mulberry32(job.seed);
  // get: uniform over the capacity keys, all present.
  const getStream = new Uint32Array(STREAM);
  for (let i = 0; i < STREAM; i++) getStream[i] = below(rng, capacity);
  // cache-aside: 80% of accesses to a hot fifth of the universe (which fits), 20% uniform.
  const hot = Math.floor(universe / 5);
  const asideStream = new Uint32Array(STREAM);
  for (let i = 0; i < STREAM; i++) asideStream[i] = below(rng, 10) < 8 ? below(rng, hot) : below(rng, universe);

  // Per-shard bounds cannot hold exactly `capacity` keys spread by a hash: the get cell's
  // starshard LRU gets room for twice as many, so every get hits there too (and still reorders).
  const getCache = cacheFor(job.impl, job.impl === 'starshard-lru' ? 2 * capacity : capacity, job.shards);
  for (let i = 0; i < capacity; i++) getCache.set(keys[i] as string, i);
  const asideCache =
    job.impl === 'starshard-lifecycle' || job.impl === 'starshard-core'
      ? undefined
      : cacheFor(job.impl, capacity, job.shards);
  if (asideCache !== undefined)
    for (let i = 0; i < STREAM; i++) asideCache.set(keys[asideStream[i] as number] as string, i);

  let at = 0;
  let hits = 0;
  let misses = 0;
  const batches: Record<LruCell, () => void> = {
    get: () => {
      let p = at;
      let found = 0;
      for (let i = 0; i < BATCH; i++) {
        if (getCache.get(keys[getStream[p] as number] as string) !== undefined) found++;
        p = (p + 1) & (STREAM - 1);
      }
      at = p;
      hits += found;
      misses += BATCH - found;
    },
    'cache-aside': () => {
      const cache = asideCache as Cache;
      let p = at;
      let found = 0;
      for (let i = 0; i < BATCH; i++) {
        const key = keys[asideStream[p] as number] as string;
        if (cache.get(key) === undefined) cache.set(key, p);
        else found++;
        p = (p + 1) & (STREAM - 1);
      }
      at = p;
      hits += found;
      misses += BATCH - found;
    },
  };
  return (request) => {
    hits = 0;
    misses = 0;
    const nsPerOp = measureNsPerOp(`${job.impl} ${request.cell}`, batches[request.cell], BATCH, request.timing);
    const size = (request.cell === 'get' ? getCache : (asideCache as Cache)).size;
    return { nsPerOp, hits, misses, size };
  };
}
