// Word offsets of the shared structures. Every thread reads these through Int32Array views.

/** Bytes of a shard region's header (one cache line), before its first table image. */
export const REGION_HEADER_BYTES = 64;
/** Shard header: slot index + 1 of the write-lock owner (0: unlocked). */
export const H_OWNER = 0;
/** Shard header: slot index + 1 of the writer first in line (0: none); readers wait while set. */
export const H_INTENT = 1;
/** Shard header: threads waiting on `H_SEQ` (releases only notify when there are some). */
export const H_WAITERS = 2;
/** Shard header: futex word bumped when the write lock is released. */
export const H_SEQ = 3;
/** Shard header: futex word bumped when a reader leaves while a writer drains readers. */
export const H_DRAIN = 4;
/** Shard header: byte offset of the current table image (switched by one store: the commit of a rebuild). */
export const H_BASE = 5;
/** Shard header: number of entries. */
export const H_COUNT = 6;
/** Shard header: 1 while an in-place rebuild (the fallback of a shard near its budget) overwrites the image. */
export const H_REBUILDING = 7;
/** Shard header: the region's byte length (set by the thread that grows it, under the write lock). */
export const H_BYTES = 8;
/**
 * Shard header: odd while a writer holds the shard (bumped after readers drained and before the
 * lock is released), so readers can read without announcing themselves and check it did not move.
 */
export const H_VERSION = 9;

/** Table image header bytes (8 words), followed by `capacity` slots of 2 words: [hash, entry offset]. */
export const IMAGE_HEADER_BYTES = 32;
/** Image: slot count (a power of two). */
export const I_CAP = 0;
/** Image: slots holding a tombstone. */
export const I_TOMBS = 1;
/** Image: byte offset where the entry heap starts. */
export const I_HEAP_START = 2;
/** Image: byte offset of the next free heap byte (advanced before an entry is written). */
export const I_HEAP_USED = 3;
/** Image: byte offset where the image ends (heap end). */
export const I_HEAP_END = 4;
/** Image: heap bytes held by replaced or removed entries (reclaimed by the next rebuild). */
export const I_DEAD = 5;
/** Slot entry offset meaning "empty" (ends a probe). */
export const EMPTY = 0;
/** Slot entry offset meaning "removed" (a probe goes on). */
export const TOMBSTONE = 1;
/** Entry: [key length, value length] words, then the key bytes, then the value bytes; 8-aligned. */
export const ENTRY_HEADER_BYTES = 8;
/** Smallest slot count of an image. */
export const MIN_SLOTS = 16;

/** Control buffer: number of thread slots ever handed out (writers scan that many). */
export const C_HIGH_WATER = 0;
/** Control buffer: words before the first thread slot (128 bytes: the high-water word's own lines). */
export const C_SLOTS_START = 32;
/** Words per thread slot: 128 bytes (two cache lines, the unit of the adjacent-line prefetcher), so readers never share a line. */
export const SLOT_WORDS = 32;
/** Thread slot: `threadId + 1` of the thread owning the slot (0: free). */
export const S_THREAD = 0;
/** Thread slot: shard index + 1 this thread is reading (0: none, -1: every shard). */
export const S_READ = 1;
/** `S_READ` value of a thread reading every shard at once (iteration, stats). */
export const READ_ALL = -1;

/** Rounds `n` up to a multiple of 8. */
export function align8(n: number): number {
  return (n + 7) & ~7;
}
