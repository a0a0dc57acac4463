import { describeValue } from './describeValue.js';
import { EvictionConfigError } from './evictionConfigError.js';

/** V8's limit on the entries of one `Map`: LRU nodes, LFU counts and TTL expiries live in one `Map` each. */
export const MAX_TRACKED_ENTRIES = 2 ** 24;

/** Sweep interval bounds when `checkIntervalMs` is not given: `ttlMs`, kept within [1 s, 60 s]. */
const MIN_DEFAULT_INTERVAL_MS = 1_000;
const MAX_DEFAULT_INTERVAL_MS = 60_000;

/** Policy codes, small integers so the hot paths branch on a number. */
export const NONE = 0;
export const LRU = 1;
export const LFU = 2;
export const TTL = 3;
export type PolicyCode = typeof NONE | typeof LRU | typeof LFU | typeof TTL;

/** @internal The `eviction` option, checked and resolved. */
export interface ResolvedEviction {
  /** Which entry a full shard gives up: `LRU`, `LFU`, `TTL` (oldest write first), or `NONE`. */
  readonly policy: PolicyCode;
  /** Bound on the whole map (`Infinity`: none given). */
  readonly maxEntries: number;
  /** Bound on every shard (`Infinity`: none given). */
  readonly maxEntriesPerShard: number;
  /** Time to live of every entry after its last write, ms; 0: entries never expire. */
  readonly ttlMs: number;
  /** How often the sweep timer runs, ms (`Infinity`: never; reads still check). */
  readonly checkIntervalMs: number;
}

const NO_EVICTION: ResolvedEviction = Object.freeze({
  policy: NONE,
  maxEntries: Number.POSITIVE_INFINITY,
  maxEntriesPerShard: Number.POSITIVE_INFINITY,
  ttlMs: 0,
  checkIntervalMs: Number.POSITIVE_INFINITY,
});

const FIELDS = new Set(['policy', 'maxEntries', 'maxEntriesPerShard', 'ttlMs', 'checkIntervalMs']);
const POLICIES: Record<string, PolicyCode> = { lru: LRU, lfu: LFU, ttl: TTL };

/**
 * @internal Reads `options.eviction` of a map with `shardCount` shards. Every mistake throws an
 * {@link EvictionConfigError} naming the field and saying what to write instead.
 */
export function readEvictionConfig(options: unknown, shardCount: number): ResolvedEviction {
  const eviction = (options as { eviction?: unknown } | undefined)?.eviction;
  if (eviction === undefined) return NO_EVICTION;
  if (typeof eviction !== 'object' || eviction === null || Array.isArray(eviction)) {
    throw new EvictionConfigError(
      'eviction',
      `options.eviction must be an object like { policy: 'lru', maxEntries: 10_000 }, got ${describeValue(eviction)}`,
    );
  }
  for (const key of Object.keys(eviction)) {
    if (!FIELDS.has(key)) {
      throw new EvictionConfigError(
        `eviction.${key}`,
        `options.eviction has an unknown field "${key}": the fields are ${[...FIELDS].join(', ')}`,
      );
    }
  }
  const e = eviction as Record<string, unknown>;
  const policy = Object.hasOwn(POLICIES, e.policy as string) ? POLICIES[e.policy as string] : undefined;
  if (policy === undefined) {
    throw new EvictionConfigError(
      'eviction.policy',
      `options.eviction.policy must be 'lru', 'lfu' or 'ttl', got ${describeValue(e.policy)}`,
    );
  }
  const maxEntries = readCount(e.maxEntries, 'maxEntries');
  const maxEntriesPerShard = readCount(e.maxEntriesPerShard, 'maxEntriesPerShard');
  const ttlMs = readDuration(e.ttlMs, 'ttlMs', false);
  const checkIntervalMs = readDuration(e.checkIntervalMs, 'checkIntervalMs', true);
  const bounded = maxEntries !== undefined || maxEntriesPerShard !== undefined;
  if ((policy === LRU || policy === LFU) && !bounded) {
    throw new EvictionConfigError(
      'eviction.maxEntries',
      `the '${e.policy}' policy evicts only when the map is full: give it a bound, e.g. { policy: '${e.policy}', maxEntries: 10_000 } (or maxEntriesPerShard)`,
    );
  }
  if (policy === TTL && ttlMs === undefined) {
    throw new EvictionConfigError(
      'eviction.ttlMs',
      "the 'ttl' policy needs ttlMs, the time an entry lives after its last write: { policy: 'ttl', ttlMs: 60_000 }",
    );
  }
  if (checkIntervalMs !== undefined && ttlMs === undefined) {
    throw new EvictionConfigError(
      'eviction.checkIntervalMs',
      'checkIntervalMs sets how often expired entries are swept, so it needs ttlMs: add ttlMs, or drop checkIntervalMs',
    );
  }
  if (maxEntries !== undefined && maxEntriesPerShard === undefined && maxEntries < shardCount) {
    throw new EvictionConfigError(
      'eviction.maxEntries',
      `maxEntries (${maxEntries}) is split over the ${shardCount} shards, so some shards could hold nothing: ` +
        `use at most ${maxEntries} shards (e.g. new Map(${Math.min(maxEntries, 16)}, ...)) or a larger maxEntries`,
    );
  }
  const total = Math.min(
    maxEntries ?? Number.POSITIVE_INFINITY,
    (maxEntriesPerShard ?? Number.POSITIVE_INFINITY) * shardCount,
  );
  if ((policy !== TTL || ttlMs !== undefined) && total > MAX_TRACKED_ENTRIES && Number.isFinite(total)) {
    throw new EvictionConfigError(
      maxEntries !== undefined ? 'eviction.maxEntries' : 'eviction.maxEntriesPerShard',
      `LRU recency, LFU counts and TTL expiries are kept in one Map each, which holds at most ${MAX_TRACKED_ENTRIES} entries: ` +
        `bound the map to at most ${MAX_TRACKED_ENTRIES} entries`,
    );
  }
  return Object.freeze({
    policy,
    maxEntries: maxEntries ?? Number.POSITIVE_INFINITY,
    maxEntriesPerShard: maxEntriesPerShard ?? Number.POSITIVE_INFINITY,
    ttlMs: ttlMs ?? 0,
    checkIntervalMs:
      checkIntervalMs ??
      (ttlMs === undefined
        ? Number.POSITIVE_INFINITY
        : Math.min(MAX_DEFAULT_INTERVAL_MS, Math.max(MIN_DEFAULT_INTERVAL_MS, ttlMs))),
  });
}

function readCount(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new EvictionConfigError(
      `eviction.${name}`,
      `options.eviction.${name} must be a positive integer, got ${describeValue(value)}; to leave the map unbounded, omit it`,
    );
  }
  return value;
}

function readDuration(value: unknown, name: string, infinite: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || (!infinite && !Number.isFinite(value))) {
    throw new EvictionConfigError(
      `eviction.${name}`,
      `options.eviction.${name} must be a positive number of milliseconds${infinite ? ' (Infinity: no timer)' : ''}, got ${describeValue(value)}`,
    );
  }
  return value;
}
