/**
 * Counts touches (writes) per key, exactly, or with a `limit` on how many keys it tracks.
 *
 * Unlimited, it is a `Map<K, number>`. Limited, it runs the Space-Saving algorithm (Metwally,
 * Agrawal, El Abbadi 2005): when a new key arrives and `limit` keys are tracked, the coldest
 * tracked key is forgotten and the newcomer inherits its count plus one. Memory stays at `limit`
 * keys, every tracked count is an upper bound of the true count (exact until the limit is first
 * reached), and any key written more than `total / limit` times is guaranteed to be tracked: the
 * hot keys, which is what `hottest` is for. Keys of equal count sit in one bucket, so each touch
 * is O(1).
 *
 * @example
 * const counter = new TouchCounter<string>(2);
 * counter.touch('a'); counter.touch('a'); counter.touch('b'); counter.touch('c'); // 'b' is forgotten
 * counter.hottest(2); // [['a', 2], ['c', 2]]
 */
export class TouchCounter<K> {
  /** How many keys are tracked at most (`Infinity`: every key, exactly). */
  readonly limit: number;
  /** Count per tracked key, in the order the keys started being tracked. */
  private readonly counts: Map<K, number>;
  /** Limited mode only: the keys at each count, oldest first (the eviction order among equals). */
  private readonly buckets: Map<number, Set<K>> | undefined;
  /** Limited mode only: the smallest count of a tracked key. */
  private min: number;
  /** Every touch, plus one per `touchAll`. */
  private total: number;

  constructor(limit: number) {
    this.limit = limit;
    this.counts = new Map();
    this.buckets = limit === Number.POSITIVE_INFINITY ? undefined : new Map();
    this.min = 0;
    this.total = 0;
  }

  /** Counts one write of `key`. */
  touch(key: K): void {
    this.total++;
    const count = this.counts.get(key);
    const buckets = this.buckets;
    if (buckets === undefined) {
      this.counts.set(key, count === undefined ? 1 : count + 1);
      return;
    }
    if (count !== undefined) {
      this.counts.set(key, count + 1);
      this.move(buckets, key, count);
      return;
    }
    if (this.counts.size < this.limit) {
      this.counts.set(key, 1);
      this.bucketAt(buckets, 1).add(key);
      this.min = 1;
      return;
    }
    // Full: forget the key that reached the minimum count first; the newcomer takes its place.
    const coldest = buckets.get(this.min)!;
    const victim = coldest.values().next().value as K;
    coldest.delete(victim);
    this.counts.delete(victim);
    const inherited = this.min + 1;
    this.counts.set(key, inherited);
    this.bucketAt(buckets, inherited).add(key);
    if (coldest.size === 0) {
      buckets.delete(this.min);
      this.min = inherited;
    }
  }

  /** Counts one write of the whole map (a `clear()`): no key gains a touch. */
  touchAll(): void {
    this.total++;
  }

  /** The touches counted for `key` (0 if untracked). */
  countOf(key: K): number {
    return this.counts.get(key) ?? 0;
  }

  /** The `n` most-touched keys, hottest first; equal counts in the order they were first tracked. */
  hottest(n: number): [key: K, touches: number][] {
    const all = [...this.counts];
    all.sort((a, b) => b[1] - a[1]);
    return all.length > n ? all.slice(0, n) : all;
  }

  /** Every touch counted, one per `touchAll` included. */
  totalTouches(): number {
    return this.total;
  }

  /** How many keys are tracked now. */
  trackedKeys(): number {
    return this.counts.size;
  }

  /** Forgets every count. */
  reset(): void {
    this.counts.clear();
    this.buckets?.clear();
    this.min = 0;
    this.total = 0;
  }

  /** Moves `key` from the bucket of `count` to the bucket of `count + 1`. */
  private move(buckets: Map<number, Set<K>>, key: K, count: number): void {
    const from = buckets.get(count)!;
    from.delete(key);
    if (from.size === 0) {
      buckets.delete(count);
      if (this.min === count) this.min = count + 1;
    }
    this.bucketAt(buckets, count + 1).add(key);
  }

  private bucketAt(buckets: Map<number, Set<K>>, count: number): Set<K> {
    let bucket = buckets.get(count);
    if (bucket === undefined) {
      bucket = new Set();
      buckets.set(count, bucket);
    }
    return bucket;
  }
}
