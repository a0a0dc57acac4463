import type { Timing } from '../../measure.js';

/**
 * What the lru workload measures, one per child process: `lru-cache` (the anchor), mnemonist's
 * `LRUCache`, starshard with `lifecycle` and LRU eviction, and, for plain gets only, starshard
 * with `lifecycle` but no eviction and the core map (the cost of composing the plugin).
 */
export type LruImpl = 'lru-cache' | 'mnemonist' | 'starshard-lru' | 'starshard-lifecycle' | 'starshard-core';

/** Every implementation, the anchor first. */
export const LRU_IMPLS: readonly LruImpl[] = [
  'lru-cache',
  'mnemonist',
  'starshard-lru',
  'starshard-lifecycle',
  'starshard-core',
];

/** Table labels. */
export const LRU_LABELS: Readonly<Record<LruImpl, string>> = {
  'lru-cache': 'lru-cache',
  mnemonist: 'mnemonist LRUCache',
  'starshard-lru': 'starshard + lifecycle, lru',
  'starshard-lifecycle': 'starshard + lifecycle, no eviction',
  'starshard-core': 'starshard core',
};

/**
 * The cells: `get` (every key present, the cache full: pure hits) and `cache-aside` (a skewed
 * stream over twice the capacity: get, and on a miss set, which evicts).
 */
export type LruCell = 'get' | 'cache-aside';

/** Which cells an implementation runs (the unbounded maps only run `get`). */
export function cellsOf(impl: LruImpl): readonly LruCell[] {
  return impl === 'starshard-lifecycle' || impl === 'starshard-core' ? ['get'] : ['get', 'cache-aside'];
}

/** One child: one implementation at one capacity. */
export interface LruJob {
  readonly kind: 'lru';
  readonly impl: LruImpl;
  /** Entries the cache holds (its bound). */
  readonly capacity: number;
  /** Shards of the starshard maps. */
  readonly shards: number;
  /** Seed of the access streams (the same for every implementation of a round). */
  readonly seed: number;
}

/** Time one cell for one slice. */
export interface LruRequest {
  readonly cell: LruCell;
  readonly timing: Timing;
}

/** What a slice measured. */
export interface LruReply {
  /** ns per access, one per sample. */
  readonly nsPerOp: Float64Array;
  /** Gets that hit / missed during the slice (warm-up included). */
  readonly hits: number;
  readonly misses: number;
  /** Entries held after the slice (must not exceed the capacity). */
  readonly size: number;
}
