import { BigMap } from '@keyv/bigmap';
import type { Key } from '../keys.js';
import type { Implementation } from './implementation.js';
import { storeBalance } from './storeBalance.js';

/**
 * `@keyv/bigmap` as its README recommends for large maps: `new BigMap({ storeSize })` with the
 * default hash, used through the `Map` API. 64 stores, the same count as starshard's default.
 */
export const bigMap: Implementation<BigMap<Key, number>> = {
  id: 'bigmap-64',
  create: () => new BigMap<Key, number>({ storeSize: 64 }),
  get: (map, key) => map.get(key),
  insert: (map, key, value) => {
    map.set(key, value);
  },
  remove: (map, key) => {
    map.delete(key);
  },
  balance: (map) => storeBalance(map.store),
};
