// A tinypool task for the worker-memo-cache example: the memo cache is one SharedShardedHashMap
// shared by every worker of the pool (attached once per worker, from the pool's workerData).
// Plain JavaScript: worker threads do not inherit tsx's loader.
import { SharedShardedHashMap } from '@starshard/shared';
import Tinypool from 'tinypool';

/** @type {SharedShardedHashMap<number, string>} */
const cache = SharedShardedHashMap.attach(Tinypool.workerData.cache);

/** A deliberately slow pure function: a digest of the first `n` primes (a few ms each). */
function primeDigest(n) {
  let found = 0;
  let h = 0x811c9dc5;
  for (let candidate = 2; found < n; candidate++) {
    let prime = true;
    for (let d = 2; d * d <= candidate; d++) {
      if (candidate % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) {
      found++;
      h = Math.imul(h ^ candidate, 0x01000193);
    }
  }
  return `${n}:${(h >>> 0).toString(16)}`;
}

/**
 * One request: answer from the shared cache, computing (once, across all workers) on a miss.
 * @param {{ n: number, useCache: boolean }} request
 */
export default function task({ n, useCache }) {
  if (!useCache) return { value: primeDigest(n), computed: true };
  let computed = false;
  const value = cache.computeIfAbsent(n, (key) => {
    computed = true;
    return primeDigest(key);
  });
  return { value, computed };
}
