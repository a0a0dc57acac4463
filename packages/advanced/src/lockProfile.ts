/**
 * Lock activity of one shard, from `lockProfiles()` (one per shard of the current layout, by
 * `shardId`), counted while profiling is on (`enableProfiling(true)`).
 *
 * - `reads`: shard lookups that only read (`get`, `contains`/`has`, each key of `batchGet`, and
 *   the lookup `remove`, `computeIfPresent`, `computeIfAbsent`, CAS and transactions make first).
 * - `writes`: shard mutations (`insert`/`set`, the removal of a present key, each entry a batch,
 *   compute, CAS or transaction writes, each entry an online rebalance moves in).
 * - `contentionCount`, `avgWaitTimeNs`, `maxWaitTimeNs`: on the async map, acquisitions of a
 *   key's or shard's lock (`insert`, `remove`, `delete`, `computeIfPresent`, a `computeIfAbsent`
 *   that runs its factory, CAS, replicated writes, and each shard of a transaction) that had to
 *   wait, and how long they waited (the average is over those that waited). On the sync map
 *   nothing ever waits (it runs on one thread, to completion): they are 0, which is the truth.
 *
 * @example
 * map.enableProfiling(true);
 * // ...workload...
 * const hottest = map.lockProfiles().sort((a, b) => b.writes - a.writes)[0];
 */
export interface LockProfile {
  /** The shard's index in the current layout. */
  readonly shardId: number;
  /** Read-only shard lookups. */
  readonly reads: number;
  /** Shard mutations. */
  readonly writes: number;
  /** Lock acquisitions that had to wait (always 0 on the sync map). */
  readonly contentionCount: number;
  /** Average wait of the acquisitions that waited, in nanoseconds (0 when none did). */
  readonly avgWaitTimeNs: number;
  /** Longest wait, in nanoseconds. */
  readonly maxWaitTimeNs: number;
}

/** @internal Per-shard counters, indexed by shard id. */
export class ProfileCounters {
  readonly reads: Float64Array;
  readonly writes: Float64Array;
  readonly contended: Float64Array;
  readonly waitNs: Float64Array;
  readonly maxWaitNs: Float64Array;

  constructor(count: number) {
    this.reads = new Float64Array(count);
    this.writes = new Float64Array(count);
    this.contended = new Float64Array(count);
    this.waitNs = new Float64Array(count);
    this.maxWaitNs = new Float64Array(count);
  }

  get count(): number {
    return this.reads.length;
  }

  /** Records an acquisition of shard `index` that waited `ns` nanoseconds. */
  waited(index: number, ns: number): void {
    if (index < 0 || index >= this.contended.length) return;
    this.contended[index] = (this.contended[index] as number) + 1;
    this.waitNs[index] = (this.waitNs[index] as number) + ns;
    if (ns > (this.maxWaitNs[index] as number)) this.maxWaitNs[index] = ns;
  }

  /** The profiles, one per shard; `contention` supplies the wait figures when kept elsewhere. */
  profiles(contention: ProfileCounters = this): LockProfile[] {
    const out: LockProfile[] = [];
    for (let i = 0; i < this.reads.length; i++) {
      const waited = i < contention.count ? (contention.contended[i] as number) : 0;
      out.push({
        shardId: i,
        reads: this.reads[i] as number,
        writes: this.writes[i] as number,
        contentionCount: waited,
        avgWaitTimeNs: waited === 0 ? 0 : (contention.waitNs[i] as number) / waited,
        maxWaitTimeNs: i < contention.count ? (contention.maxWaitNs[i] as number) : 0,
      });
    }
    return out;
  }
}

/** @internal Nanoseconds since an arbitrary origin (sub-microsecond resolution). */
export function nowNs(): number {
  return performance.now() * 1e6;
}
