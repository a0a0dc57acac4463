import type { Key } from '../keys.js';
import type { Implementation } from './implementation.js';

/** The anchor of every ratio: a plain `Map`. */
export const nativeMap: Implementation<Map<Key, number>> = {
  id: 'map',
  create: () => new Map<Key, number>(),
  get: (map, key) => map.get(key),
  insert: (map, key, value) => {
    map.set(key, value);
  },
  remove: (map, key) => {
    map.delete(key);
  },
  balance: () => undefined,
};
