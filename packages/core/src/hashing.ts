// Key hashing for shard routing. Constraints, in order: one hash per operation, no allocation
// for strings and numbers, monomorphic small functions V8 inlines, every hash seeded.

/**
 * A key hasher: maps a key to any 32-bit integer. Keys that are equal (SameValueZero) must hash
 * equal. The map mixes the result once more before choosing a shard, so a simple hasher such as
 * `(k) => k.id` still spreads well.
 *
 * @example
 * const byTenant: Hasher<{ tenant: string }> = (k) => k.tenant.length;
 */
export type Hasher<K> = (key: K) => number;

const GOLDEN = 0x9e3779b1 | 0;
const M1 = 0x85ebca6b | 0;
const M2 = 0xc2b2ae35 | 0;

/** Final avalanche (murmur3 fmix32): every input bit reaches the high bits routing uses. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, M1);
  h ^= h >>> 13;
  h = Math.imul(h, M2);
  return h ^ (h >>> 16);
}

/**
 * Hash of every UTF-16 unit of `s`, two units per multiply: the seeded, full-spread string hash.
 * About 2–4 ns per character in V8, which is why maps start with {@link sampledStringHash}.
 */
export function fullStringHash(s: string, seed: number): number {
  const n = s.length;
  let h = seed ^ Math.imul(n, GOLDEN);
  let i = 0;
  for (; i + 1 < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), GOLDEN) ^ (h >>> 15);
  if (i < n) h = Math.imul(h ^ s.charCodeAt(i), GOLDEN);
  return fmix(h);
}

/**
 * Hash of the length and six UTF-16 units: those ending `skip` units before the end (the map
 * learns `skip` when keys share a constant suffix, see `chooseSampleSkip`), or the first six
 * when the string is shorter than `skip + 6`. What a shard choice needs from keys that vary in
 * one place (counters, ids, UUIDs, file names, ids inside URLs), at the cost of six character
 * reads instead of one per character. Keys alike in those six places pile up; the map notices
 * the pile on insert and learns another window, or hashes every character.
 */
export function sampledStringHash(s: string, seed: number, skip: number): number {
  const len = s.length;
  const n = len - skip;
  let x: number;
  if (n >= 6) {
    x =
      Math.imul(len ^ (s.charCodeAt(n - 5) << 8) ^ (s.charCodeAt(n - 6) << 20), GOLDEN) ^
      s.charCodeAt(n - 1) ^
      (s.charCodeAt(n - 2) << 7) ^
      (s.charCodeAt(n - 3) << 14) ^
      (s.charCodeAt(n - 4) << 21);
  } else {
    x = Math.imul(len, GOLDEN);
    for (let i = 0, m = Math.min(len, 6); i < m; i++) x ^= s.charCodeAt(i) << (7 * i);
  }
  let h = Math.imul(x ^ seed, M1);
  h ^= h >>> 15;
  return Math.imul(h, M2);
}

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/**
 * Hash of a number under SameValueZero: `-0` and `0` hash alike, every `NaN` alike. Int32 keys
 * and uint32 keys take one multiply (Fibonacci hashing spreads sequential integers over the high bits).
 */
export function numberHash(k: number, seed: number): number {
  if ((k | 0) === k || k >>> 0 === k) return Math.imul(k ^ seed, GOLDEN);
  if (Number.isNaN(k)) return fmix(seed ^ 0x7ff80000);
  float[0] = k;
  return fmix(Math.imul((words[0] as number) ^ seed, GOLDEN) ^ Math.imul((words[1] as number) ^ 0x5bd1e995, M1));
}

// Identity hashes for objects, functions and unregistered symbols. One process-wide table, so a
// key used by many maps is numbered once; each map mixes the number with its own seed.
const identities = new WeakMap<WeakKey, number>();
let nextIdentity = 1;

function identityOf(key: WeakKey): number {
  let id = identities.get(key);
  if (id === undefined) {
    id = nextIdentity++ | 0;
    identities.set(key, id);
  }
  return id;
}

/** Hash of a key that is neither a string nor a number: bigint, boolean, null, undefined, symbol, object. */
export function otherHash(k: unknown, seed: number): number {
  switch (typeof k) {
    case 'bigint':
      if (k >= -0x80000000n && k <= 0x7fffffffn) return fmix(Number(k) ^ seed ^ 0x2d358dcc);
      return fullStringHash(k.toString(36), seed ^ 0x2d358dcc);
    case 'boolean':
      return fmix(seed ^ (k ? 0x1b873593 : 0x3c6ef372));
    case 'undefined':
      return fmix(seed ^ 0x510e527f);
    case 'symbol': {
      const registered = Symbol.keyFor(k);
      if (registered !== undefined) return fullStringHash(registered, seed ^ 0x6a09e667);
      return fmix(Math.imul(identityOf(k) ^ seed, GOLDEN));
    }
    case 'object':
      if (k === null) return fmix(seed ^ 0x9b05688c);
      return fmix(Math.imul(identityOf(k) ^ seed, GOLDEN));
    default:
      return fmix(Math.imul(identityOf(k as WeakKey) ^ seed, GOLDEN));
  }
}

/** Hash of any key with every character of a string counted: the spread-safe hash. */
function fullHash(key: unknown, seed: number): number {
  if (typeof key === 'string') return fullStringHash(key, seed);
  // The map multiplies a custom hasher's output by the golden ratio again; without the
  // avalanche, consecutive integers would cancel out (0x9e3779b1² ≈ -2^32/2600).
  if (typeof key === 'number') return fmix(numberHash(key, seed));
  return otherHash(key, seed);
}

/** A random 32-bit seed (crypto-strong where available), so that shard placement is not guessable. */
export function randomSeed(): number {
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint32Array): Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint32Array(1))[0]! | 0;
  return (Math.random() * 0x100000000) | 0;
}

/**
 * A hasher with a fixed seed: the same function `defaultHasher` is, for reproducible placement
 * across processes (tests, fixtures). Prefer a map's `seed` option, which keeps the map's own
 * fast string sampling.
 *
 * @example
 * const h = seededHasher(42);
 * h('key:1') === seededHasher(42)('key:1'); // true in every process
 */
export function seededHasher(seed: number): Hasher<unknown> {
  const s = seed | 0;
  return (key: unknown) => fullHash(key, s);
}

/**
 * The default key hasher: strings (every character), numbers (`NaN`, `-0` under SameValueZero),
 * bigints, booleans, `null`/`undefined`, symbols and objects (by identity). Called directly it
 * uses a seed drawn once per process; given to a map (or no hasher given at all), the map uses
 * the same hash family with a seed of its own (`options.seed`, else random), starting with a
 * cheaper sample of each string (see `ShardedHashMap`).
 *
 * @example
 * const m = ShardedHashMap.withShardsAndHasher<string, number>(64, defaultHasher);
 * defaultHasher('key:1') === defaultHasher('key:1'); // true
 */
export const defaultHasher: Hasher<unknown> = seededHasher(randomSeed());
