/** The maps the memory workload fills: starshard + lifecycle without eviction, and with each policy. */
export type MemorySubject = 'plain' | 'lru' | 'lfu' | 'ttl';

/** Every subject, in table order. */
export const MEMORY_SUBJECTS: readonly MemorySubject[] = ['plain', 'lru', 'lfu', 'ttl'];

/** Key kinds: scrambled 30-bit integers, or `"key:" + i` strings (built before the measurement). */
export type MemoryKeyKind = 'u32' | 'short';

/** One child: one subject, one key kind, one size (a fresh heap each). */
export interface MemoryJob {
  readonly kind: 'memory';
  readonly subject: MemorySubject;
  readonly keyKind: MemoryKeyKind;
  /** Entries per map. */
  readonly entries: number;
  /** Maps filled side by side (small sizes: several, so the heap delta stands above the noise). */
  readonly copies: number;
  readonly shards: number;
}

/** What a child measured. */
export interface MemoryReply {
  /** `process.memoryUsage()` heapUsed + arrayBuffers after the fill minus before, forced GCs around, ÷ copies. */
  readonly heapDeltaBytes: number;
  /** `memoryStats().estimatedBytes` of one map. */
  readonly estimatedBytes: number;
  /** `memoryStats().totalCapacity` of one map. */
  readonly totalCapacity: number;
}
