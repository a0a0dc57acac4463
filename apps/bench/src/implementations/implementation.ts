import type { Key } from '../keys.js';

/** Identifiers of the measured implementations (anchors and starshard). */
export type ImplementationId = 'map' | 'starshard-64' | 'starshard-1' | 'naive-16' | 'bigmap-64';

/** How entries spread over an implementation's shards (stores), read after a fill. */
export interface Balance {
  /** Shard (store) count. */
  readonly shards: number;
  /** Entries held. */
  readonly entries: number;
  /** Entries in the fullest shard. */
  readonly maxLoad: number;
  /** Shards holding nothing (never allocated, or emptied). */
  readonly emptyShards: number;
  /** Where the figures come from: starshard's `shardStats()` or the anchor's own stores. */
  readonly source: 'shardStats' | 'stores';
  /** starshard only: whether the map hashes every character of string keys (`full`) or a sample. */
  readonly stringHash?: 'sampled' | 'full';
}

/**
 * One map implementation behind a uniform face. Each child process loads exactly one, so the
 * calls below stay monomorphic and V8 inlines them into the timed loops: the adapter costs
 * every implementation the same (nothing, once inlined).
 */
export interface Implementation<M> {
  /** Identifier, used on the command line and in JSON. */
  readonly id: ImplementationId;
  /** An empty map. */
  create(): M;
  /** The value of `key`, or `undefined`. */
  get(map: M, key: Key): number | undefined;
  /** Stores `value` under `key` (the implementation's own insert: `set` or `insert`). */
  insert(map: M, key: Key, value: number): void;
  /** Removes `key` (the implementation's own remove: `delete` or `remove`). */
  remove(map: M, key: Key): void;
  /** Shard balance of `map`, or `undefined` for an unsharded map. */
  balance(map: M): Balance | undefined;
}

/** An implementation of any map type, as the registry hands it out. */
export type AnyImplementation = Implementation<any>;
