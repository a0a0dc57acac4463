// A plain-Map model of a bounded map: per shard, the keys in the order the policy evicts them,
// and the metrics the map must report.

import { shardBound } from '../../src/shardBound.js';

export type Policy = 'lru' | 'lfu';

interface Slot {
  value: number;
  /** LFU: uses so far. */
  count: number;
  /** When the key last reached its count (LFU) or was last used (LRU). */
  tick: number;
}

/** What a map exposes to the model: its routing. */
export type Router = (key: number) => number;

export class EvictionModel {
  readonly shards: Map<number, Slot>[];
  hits = 0;
  misses = 0;
  inserts = 0;
  removes = 0;
  evictions = 0;
  private clock = 0;

  constructor(
    readonly policy: Policy,
    readonly count: number,
    readonly maxEntries: number,
    readonly route: Router,
  ) {
    this.shards = Array.from({ length: count }, () => new Map());
  }

  bound(index: number): number {
    return shardBound(index, this.count, this.maxEntries, Number.POSITIVE_INFINITY);
  }

  get size(): number {
    let n = 0;
    for (const s of this.shards) n += s.size;
    return n;
  }

  entries(): [number, number][] {
    return this.shards.flatMap((s) => [...s].map(([k, slot]): [number, number] => [k, slot.value]));
  }

  private shardOf(key: number): Map<number, Slot> {
    return this.shards[this.route(key)] as Map<number, Slot>;
  }

  /** The victim the policy names in `shard`. */
  victim(shard: Map<number, Slot>): number {
    let best: number | undefined;
    let bestSlot: Slot | undefined;
    for (const [k, slot] of shard) {
      if (
        bestSlot === undefined ||
        (this.policy === 'lfu' &&
          (slot.count < bestSlot.count || (slot.count === bestSlot.count && slot.tick < bestSlot.tick))) ||
        (this.policy === 'lru' && slot.tick < bestSlot.tick)
      ) {
        best = k;
        bestSlot = slot;
      }
    }
    return best as number;
  }

  insert(key: number, value: number): number | undefined {
    this.inserts++;
    const shard = this.shardOf(key);
    const slot = shard.get(key);
    if (slot !== undefined) {
      const previous = slot.value;
      slot.value = value;
      slot.count++;
      slot.tick = ++this.clock;
      return previous;
    }
    while (shard.size >= this.bound(this.route(key))) {
      const victim = this.victim(shard);
      shard.delete(victim);
      this.evictions++;
    }
    shard.set(key, { value, count: 1, tick: ++this.clock });
    return undefined;
  }

  get(key: number): number | undefined {
    const slot = this.shardOf(key).get(key);
    if (slot === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    slot.count++;
    slot.tick = ++this.clock;
    return slot.value;
  }

  contains(key: number): boolean {
    return this.shardOf(key).has(key);
  }

  remove(key: number): number | undefined {
    const shard = this.shardOf(key);
    const slot = shard.get(key);
    if (slot === undefined) return undefined;
    shard.delete(key);
    this.removes++;
    return slot.value;
  }
}
