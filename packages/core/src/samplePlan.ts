import { sampledStringHash } from './hashing.js';

/** How many piled keys a new sample window is chosen from (spread over the whole pile). */
const SAMPLE_KEYS = 512;
/** The farthest from the end a window may be placed. */
const MAX_SKIP = 4096;
/** A window must tell at least this share of the sampled keys apart to be used. */
const DISTINCT_SHARE = 0.5;

/**
 * Chooses where a map's string sample should look, from the keys piled into one shard: the
 * window of six characters that ends where the keys stop sharing their suffix (the first
 * position, counted from the end, at which the sampled keys differ), so `/users/${id}/profile`
 * or `${name}/package.json` are routed by the end of their varying part, its fastest-changing
 * characters. Returns that `skip`, or `-1` (hash every character) when the window would tell
 * fewer than half of the sampled keys apart or is the one already in use (`current`).
 * Cost: one pass over the pile, then at most 512 six-character hashes.
 */
export function chooseSampleSkip(pile: Map<unknown, unknown>, current: number): number {
  const keys: string[] = [];
  const stride = Math.max(1, Math.floor(pile.size / SAMPLE_KEYS));
  let i = 0;
  let longest = 0;
  for (const key of pile.keys()) {
    if (i++ % stride !== 0 || typeof key !== 'string') continue;
    keys.push(key);
    if (key.length > longest) longest = key.length;
  }
  if (keys.length < 2) return -1;
  const first = keys[0]!;
  let skip = 0;
  search: for (const last = Math.min(longest, MAX_SKIP); skip < last; skip++) {
    const c = first.charCodeAt(first.length - 1 - skip);
    for (const key of keys) if (key.charCodeAt(key.length - 1 - skip) !== c) break search;
  }
  if (skip === current) return -1;
  const seen = new Set<number>();
  for (const key of keys) seen.add(sampledStringHash(key, 0, skip));
  return seen.size >= keys.length * DISTINCT_SHARE ? skip : -1;
}
