import type { Balance } from './implementation.js';

/**
 * Balance of an anchor whose stores (an array of `Map`s) are reachable.
 *
 * @example
 * storeBalance(bigMap.store);
 */
export function storeBalance(stores: readonly Map<unknown, unknown>[]): Balance {
  let entries = 0;
  let maxLoad = 0;
  let emptyShards = 0;
  for (const store of stores) {
    entries += store.size;
    if (store.size > maxLoad) maxLoad = store.size;
    if (store.size === 0) emptyShards++;
  }
  return { shards: stores.length, entries, maxLoad, emptyShards, source: 'stores' };
}
