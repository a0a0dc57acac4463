import type { Key } from '../keys.js';
import type { Implementation } from './implementation.js';
import { storeBalance } from './storeBalance.js';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over every UTF-16 unit of a string, or over the four bytes of a u32. */
function fnv1a(key: Key): number {
  let h = FNV_OFFSET;
  if (typeof key === 'string') {
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  } else {
    const v = key >>> 0;
    h = Math.imul(h ^ (v & 0xff), FNV_PRIME);
    h = Math.imul(h ^ ((v >>> 8) & 0xff), FNV_PRIME);
    h = Math.imul(h ^ ((v >>> 16) & 0xff), FNV_PRIME);
    h = Math.imul(h ^ (v >>> 24), FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * The naive port: 16 `Map`s and an FNV-1a hash of every character, modulo 16. What a first
 * translation of a sharded map into JavaScript looks like, before anyone profiles it.
 *
 * @example
 * const m = new NaiveShardedMap(); m.set('a', 1); m.get('a'); // 1
 */
export class NaiveShardedMap {
  /** The 16 shards, allocated up front. */
  readonly shards: Map<Key, number>[] = Array.from({ length: 16 }, () => new Map<Key, number>());

  /** The value of `key`, or `undefined`. */
  get(key: Key): number | undefined {
    return (this.shards[fnv1a(key) % 16] as Map<Key, number>).get(key);
  }

  /** Stores `value` under `key`. */
  set(key: Key, value: number): void {
    (this.shards[fnv1a(key) % 16] as Map<Key, number>).set(key, value);
  }

  /** Removes `key`; whether it was present. */
  delete(key: Key): boolean {
    return (this.shards[fnv1a(key) % 16] as Map<Key, number>).delete(key);
  }
}

/** The naive 16-way sharded `Map` anchor. */
export const naiveSharded: Implementation<NaiveShardedMap> = {
  id: 'naive-16',
  create: () => new NaiveShardedMap(),
  get: (map, key) => map.get(key),
  insert: (map, key, value) => {
    map.set(key, value);
  },
  remove: (map, key) => {
    map.delete(key);
  },
  balance: (map) => storeBalance(map.shards),
};
