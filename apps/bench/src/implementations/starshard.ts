import { ShardedHashMap } from '@starshard/core';
import type { Key } from '../keys.js';
import type { Balance, Implementation, ImplementationId } from './implementation.js';

type StarshardMap = ShardedHashMap<Key, number>;

/** The map's string-hash mode, read for the report only (a protected field; absent if renamed). */
function stringHash<K>(map: ShardedHashMap<K, unknown>): Balance['stringHash'] {
  const full = (map as unknown as { fullStrings?: unknown }).fullStrings;
  return typeof full === 'boolean' ? (full ? 'full' : 'sampled') : undefined;
}

/**
 * starshard's `ShardedHashMap` with `shards` shards and the default (seeded, sampled) hash,
 * through its own `insert` / `get` / `remove`.
 *
 * @example
 * const impl = starshard('starshard-64', 64);
 */
export function starshard(id: ImplementationId, shards: number): Implementation<StarshardMap> {
  return {
    id,
    create: () => new ShardedHashMap<Key, number>(shards),
    get: (map, key) => map.get(key),
    insert: (map, key, value) => {
      map.insert(key, value);
    },
    remove: (map, key) => {
      map.remove(key);
    },
    balance: starshardBalance,
  };
}

/**
 * The shard balance of a starshard map, from its `shardStats()`.
 *
 * @example
 * starshardBalance(map).maxLoad / (map.len() / map.shardCount()); // max/avg load
 */
export function starshardBalance<K>(map: ShardedHashMap<K, unknown>): Balance {
  const stats = map.shardStats();
  const hash = stringHash(map);
  return {
    shards: stats.total,
    entries: map.len(),
    maxLoad: stats.maxLoad,
    emptyShards: stats.total - stats.initialized + stats.empty,
    source: 'shardStats',
    ...(hash === undefined ? {} : { stringHash: hash }),
  };
}
