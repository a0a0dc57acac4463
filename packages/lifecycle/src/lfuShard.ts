import { mapBytes, mapCapacity, setBytes } from './memoryEstimate.js';

/** An LfuShard object: header words and its three fields. */
const OBJECT_BYTES = 48;

/**
 * @internal One shard's LFU order: its keys grouped by use count, each group in the order its
 * keys reached that count (so the least recently used key of the least used group comes first).
 * O(1) per use, insertion and eviction (the classic constant-time LFU), plus a lookup of the
 * next smallest count when a removal empties the smallest group.
 */
export class LfuShard<K> {
  /** Use count → the keys with that count, in the order they reached it. */
  private readonly groups: Map<number, Set<K>>;
  /** The smallest count with a group (exact unless a removal emptied it: see `victim`). */
  private least: number;
  /** Keys tracked here; the map compares it with its shard's size to spot untracked entries. */
  size: number;

  constructor() {
    this.groups = new Map();
    this.least = 0;
    this.size = 0;
  }

  /** Tracks `key`, used `count` times so far. */
  add(key: K, count: number): void {
    let group = this.groups.get(count);
    if (group === undefined) {
      group = new Set();
      this.groups.set(count, group);
    }
    group.add(key);
    if (this.size === 0 || count < this.least) this.least = count;
    this.size++;
  }

  /** Stops tracking `key` (last seen with `count` uses); whether it was tracked. */
  remove(key: K, count: number): boolean {
    const group = this.groups.get(count);
    if (group === undefined || !group.delete(key)) return false;
    if (group.size === 0) this.groups.delete(count);
    this.size--;
    return true;
  }

  /** `key` was used once more (`count` uses before); tracks it if it was not tracked. */
  bump(key: K, count: number): void {
    const group = this.groups.get(count);
    if (group !== undefined && group.delete(key)) {
      this.size--;
      if (group.size === 0) {
        this.groups.delete(count);
        if (this.least === count) this.least = count + 1;
      }
    }
    this.add(key, count + 1);
  }

  /** The key to evict: the least recently used of the least used keys, or `undefined` if none. */
  victim(): K | undefined {
    if (this.size === 0) return undefined;
    let group = this.groups.get(this.least);
    if (group === undefined) {
      // A removal emptied the smallest group: find the next one (O(distinct counts), rare).
      let least = Number.POSITIVE_INFINITY;
      for (const count of this.groups.keys()) if (count < least) least = count;
      this.least = least;
      group = this.groups.get(least) as Set<K>;
    }
    return group.values().next().value as K;
  }

  /** Estimated bytes: this object, its groups `Map` and each group's `Set` (see `memoryEstimate.ts`). */
  estimateBytes(): number {
    let bytes = OBJECT_BYTES + mapBytes(mapCapacity(this.groups.size));
    for (const group of this.groups.values()) bytes += setBytes(mapCapacity(group.size));
    return bytes;
  }
}
