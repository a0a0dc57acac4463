import { ShardedHashMap } from '../../src/index.js';

/**
 * A `ShardedHashMap` that shows where its entries are, through the same protected state the
 * plugins build on: the exact per-shard loads the distribution tests measure.
 */
export class LoadProbe<K, V> extends ShardedHashMap<K, V> {
  /** Entries per shard, every shard (0 for one never allocated). */
  shardLoads(): number[] {
    const loads = new Array<number>(this.shardCount()).fill(0);
    for (let i = 0; i < loads.length; i++) loads[i] = this.shards[i]?.size ?? 0;
    return loads;
  }

  /** The shard `key` routes to. */
  shardOf(key: K): number {
    return this.indexFor(key);
  }
}
