// How `memoryStats()` and `perShardLoad()` estimate memory. Calibrated on Node 20 (V8 11.3,
// 64-bit, no pointer compression) by measuring `process.memoryUsage().heapUsed` around maps of
// small-integer keys and values: see the package README and apps/bench's memory workload.
//
// A V8 `Map` is a JSMap object (4 words) pointing at an OrderedHashMap, a FixedArray of
// 3 header words, `capacity / 2` buckets and `capacity` entries of 3 words (key, value, chain).
// Its capacity is a power of two, at least 4, doubled when an insert finds it full (holes left
// by deletions count until the next rehash) and halved when a deletion leaves it under a quarter
// full. So a map grown by inserts has the smallest power of two >= its size.

/** Bytes of one word (tagged pointer) on a 64-bit V8 without pointer compression. */
const WORD = 8;
/** The JSMap / JSSet object (map, properties, elements, table) and the table's FixedArray header. */
const OBJECT_AND_HEADER = 4 * WORD + 2 * WORD;
/** The table's own header fields (element count, deleted count, bucket count). */
const TABLE_FIELDS = 3 * WORD;

/** The estimated capacity of a `Map` (or `Set`) holding `size` entries: the smallest power of two >= size, at least 4. */
export function mapCapacity(size: number): number {
  if (size <= 4) return 4;
  return 2 ** Math.ceil(Math.log2(size));
}

/** Estimated bytes of a `Map` of that capacity: 72 + 28 × capacity (buckets, 3-word entries). */
export function mapBytes(capacity: number): number {
  return OBJECT_AND_HEADER + TABLE_FIELDS + WORD * (capacity / 2 + 3 * capacity);
}

/** Estimated bytes of a `Set` of that capacity: 72 + 20 × capacity (buckets, 2-word entries). */
export function setBytes(capacity: number): number {
  return OBJECT_AND_HEADER + TABLE_FIELDS + WORD * (capacity / 2 + 2 * capacity);
}

/** Estimated bytes of an array of `length` slots (JSArray object plus its FixedArray). */
export function arrayBytes(length: number): number {
  return 4 * WORD + 2 * WORD + WORD * length;
}
