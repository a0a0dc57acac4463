import { CapacityError } from './errors.js';
import {
  align8,
  EMPTY,
  ENTRY_HEADER_BYTES,
  H_BASE,
  H_BYTES,
  H_COUNT,
  H_REBUILDING,
  I_CAP,
  I_DEAD,
  I_HEAP_END,
  I_HEAP_START,
  I_HEAP_USED,
  I_TOMBS,
  IMAGE_HEADER_BYTES,
  MIN_SLOTS,
  REGION_HEADER_BYTES,
  TOMBSTONE,
} from './layout.js';

/**
 * @internal One shard's memory as seen by this thread: a growable `SharedArrayBuffer` and
 * length-tracking views over it, so memory another thread grows is visible here at once.
 *
 * Layout: a 64-byte header (lock words, the current image's offset, the entry count), then one
 * or two table images. An image is an open-addressing table (linear probing, slots of
 * `[hash, entry offset]`) followed by its entry heap. Every change is made so that one store
 * commits it: an entry is written into free heap first and becomes visible when its offset is
 * stored into its slot; a rebuild writes a whole new image beside the current one and commits by
 * storing its offset into the header. A thread dying anywhere in between leaves a consistent
 * table (at worst a stale count or leaked heap bytes, which {@link repairShard} fixes).
 */
export class ShardRegion {
  readonly sab: SharedArrayBuffer;
  /** The header words (lock, base, count): never move, so this view is never replaced. */
  readonly head: Int32Array;
  /** Words of the whole region as long as this thread knows it (see {@link sync}). */
  i32: Int32Array;
  /** Bytes of the whole region as long as this thread knows it. */
  u8: Uint8Array;
  /** The length `i32` and `u8` cover. */
  bytes: number;
  /** The region's byte budget (`maxByteLength`). */
  readonly budget: number;
  constructor(sab: SharedArrayBuffer) {
    this.sab = sab;
    this.head = new Int32Array(sab, 0, REGION_HEADER_BYTES / 4);
    this.bytes = Atomics.load(this.head, H_BYTES);
    // Fixed-length views (V8 reads them several times faster than length-tracking ones), remade
    // by `sync` when another thread has grown the region.
    this.i32 = new Int32Array(sab, 0, this.bytes >> 2);
    this.u8 = new Uint8Array(sab, 0, this.bytes);
    this.budget = (sab as unknown as { maxByteLength: number }).maxByteLength;
  }

  /** With a lock held: remakes the views if the region grew since this thread last looked. */
  sync(): void {
    const bytes = this.head[H_BYTES] as number;
    // An optimistic reader may see the new length word before the grown buffer: keep the old
    // views then (its bounds checks and version check cover it; a locked reader never does).
    if (bytes !== this.bytes && bytes <= this.sab.byteLength) this.remap(bytes);
  }

  /** Views over the first `bytes` bytes. */
  remap(bytes: number): void {
    this.i32 = new Int32Array(this.sab, 0, bytes >> 2);
    this.u8 = new Uint8Array(this.sab, 0, bytes);
    this.bytes = bytes;
  }

  /** Grows the buffer to at least `bytes` (the caller holds the write lock), and says so in the header. */
  grow(bytes: number): void {
    (this.sab as unknown as { grow(n: number): void }).grow(bytes);
    this.remap(bytes);
    Atomics.store(this.head, H_BYTES, bytes);
  }
}

/** Bytes of an image with `slots` slots and `heap` heap bytes. */
export function imageBytes(slots: number, heap: number): number {
  return IMAGE_HEADER_BYTES + slots * 8 + align8(heap);
}

/** Writes an empty image at byte `at` (the region must be long enough). */
export function writeEmptyImage(i32: Int32Array, at: number, slots: number, heap: number): void {
  const ib = at >> 2;
  i32.fill(0, ib, ib + IMAGE_HEADER_BYTES / 4 + slots * 2);
  const heapStart = at + IMAGE_HEADER_BYTES + slots * 8;
  i32[ib + I_CAP] = slots;
  i32[ib + I_TOMBS] = 0;
  i32[ib + I_HEAP_START] = heapStart;
  i32[ib + I_HEAP_USED] = heapStart;
  i32[ib + I_HEAP_END] = heapStart + align8(heap);
  i32[ib + I_DEAD] = 0;
}

/** The slot (word index of its hash word) holding the key `kb[0..klen)` with hash `h`, or -1. */
export function findSlot(r: ShardRegion, h: number, kb: Uint8Array, klen: number): number {
  r.sync();
  const i32 = r.i32;
  const u8 = r.u8;
  const ib = (i32[H_BASE] as number) >> 2;
  const mask = (i32[ib + I_CAP] as number) - 1;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  let i = h & mask;
  for (;;) {
    const sw = slots + (i << 1);
    const off = i32[sw + 1] as number;
    if (off === EMPTY) return -1;
    if (off !== TOMBSTONE && i32[sw] === h && i32[off >> 2] === klen) {
      const k = off + ENTRY_HEADER_BYTES;
      let j = 0;
      while (j < klen && u8[k + j] === kb[j]) j++;
      if (j === klen) return sw;
    }
    i = (i + 1) & mask;
  }
}

/** {@link findOptimistic}: the words read do not form a consistent table (a writer was at work). */
export const TORN = -2;

/**
 * {@link findSlot} without a lock, for optimistic readers: every offset is checked against the
 * region's bounds and the probe is bounded, so words a writer is changing meanwhile can only
 * make it return a wrong answer (or {@link TORN}), never throw or loop. The caller must check
 * that the shard's version did not move before trusting the result.
 */
export function findOptimistic(r: ShardRegion, h: number, kb: Uint8Array, klen: number): number {
  r.sync();
  const i32 = r.i32;
  const u8 = r.u8;
  const words = i32.length;
  const ib = ((i32[H_BASE] as number) | 0) >> 2;
  if (ib <= 0 || ib + IMAGE_HEADER_BYTES / 4 > words) return TORN;
  const cap = (i32[ib + I_CAP] as number) | 0;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  if (cap <= 0 || (cap & (cap - 1)) !== 0 || slots + cap * 2 > words) return TORN;
  const mask = cap - 1;
  const bytes = words << 2;
  let i = h & mask;
  for (let n = 0; n < cap; n++) {
    const sw = slots + (i << 1);
    const off = i32[sw + 1] as number;
    if (off === EMPTY) return -1;
    if (off !== TOMBSTONE && i32[sw] === h) {
      if (off < 0 || off + ENTRY_HEADER_BYTES + klen > bytes) return TORN;
      if (i32[off >> 2] === klen) {
        const k = off + ENTRY_HEADER_BYTES;
        let j = 0;
        while (j < klen && u8[k + j] === kb[j]) j++;
        if (j === klen) return sw;
      }
    }
    i = (i + 1) & mask;
  }
  return TORN;
}

/** Bytes an entry with these lengths takes in the heap. */
function entryBytes(klen: number, vlen: number): number {
  return align8(ENTRY_HEADER_BYTES + klen + vlen);
}

/**
 * Stores `value` under `key` in shard `shard`, the caller holding its write lock. `sw` is the
 * key's slot from {@link findSlot} (or -1 when absent). Rebuilds (grows or compacts) the image
 * when the heap or the table is full; throws `CapacityError` with nothing changed when the
 * shard's budget cannot hold the result.
 */
export function putEntry(
  r: ShardRegion,
  shard: number,
  h: number,
  kb: Uint8Array,
  klen: number,
  vb: Uint8Array,
  vlen: number,
  sw: number,
): void {
  const need = entryBytes(klen, vlen);
  let i32 = r.i32;
  let ib = (i32[H_BASE] as number) >> 2;
  let used = i32[ib + I_HEAP_USED] as number;
  const cap = i32[ib + I_CAP] as number;
  const count = i32[H_COUNT] as number;
  if (sw < 0) {
    if (used + need > (i32[ib + I_HEAP_END] as number) || (count + (i32[ib + I_TOMBS] as number) + 1) * 4 > cap * 3) {
      rebuild(r, shard, need, 1);
      i32 = r.i32;
      ib = (i32[H_BASE] as number) >> 2;
      used = i32[ib + I_HEAP_USED] as number;
    }
  } else if (used + need > (i32[ib + I_HEAP_END] as number)) {
    rebuild(r, shard, need, 0);
    sw = findSlot(r, h, kb, klen);
    i32 = r.i32;
    ib = (i32[H_BASE] as number) >> 2;
    used = i32[ib + I_HEAP_USED] as number;
  }
  // Claim the bytes first: if this thread dies while writing them, they are only leaked.
  i32[ib + I_HEAP_USED] = used + need;
  i32[used >> 2] = klen;
  i32[(used >> 2) + 1] = vlen;
  const u8 = r.u8;
  u8.set(klen === kb.length ? kb : kb.subarray(0, klen), used + ENTRY_HEADER_BYTES);
  u8.set(vlen === vb.length ? vb : vb.subarray(0, vlen), used + ENTRY_HEADER_BYTES + klen);
  if (sw >= 0) {
    const old = i32[sw + 1] as number;
    Atomics.store(i32, sw + 1, used); // commit: readers now find the new entry
    i32[ib + I_DEAD] =
      (i32[ib + I_DEAD] as number) + entryBytes(i32[old >> 2] as number, i32[(old >> 2) + 1] as number);
    return;
  }
  // A free slot on the key's probe path: the first tombstone, else the empty slot ending it.
  const mask = (i32[ib + I_CAP] as number) - 1;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  let i = h & mask;
  let target: number;
  for (;;) {
    target = slots + (i << 1);
    const off = i32[target + 1] as number;
    if (off === EMPTY || off === TOMBSTONE) break;
    i = (i + 1) & mask;
  }
  const wasTomb = i32[target + 1] === TOMBSTONE;
  i32[target] = h;
  Atomics.store(i32, target + 1, used); // commit
  if (wasTomb) i32[ib + I_TOMBS] = (i32[ib + I_TOMBS] as number) - 1;
  Atomics.store(i32, H_COUNT, (i32[H_COUNT] as number) + 1);
}

/** Removes the entry in slot `sw` (from {@link findSlot}); the caller holds the write lock. */
export function removeSlot(r: ShardRegion, sw: number): void {
  const i32 = r.i32;
  const ib = (i32[H_BASE] as number) >> 2;
  const off = i32[sw + 1] as number;
  Atomics.store(i32, sw + 1, TOMBSTONE); // commit
  i32[ib + I_TOMBS] = (i32[ib + I_TOMBS] as number) + 1;
  i32[ib + I_DEAD] = (i32[ib + I_DEAD] as number) + entryBytes(i32[off >> 2] as number, i32[(off >> 2) + 1] as number);
  Atomics.store(i32, H_COUNT, (i32[H_COUNT] as number) - 1);
}

/** Empties shard `r` in place, the caller holding its write lock: slots first, then the heap. */
export function clearShard(r: ShardRegion): void {
  r.sync();
  const i32 = r.i32;
  const ib = (i32[H_BASE] as number) >> 2;
  const cap = i32[ib + I_CAP] as number;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  for (let w = slots + 1; w < slots + cap * 2; w += 2) Atomics.store(i32, w, EMPTY);
  Atomics.store(i32, H_COUNT, 0);
  i32[ib + I_TOMBS] = 0;
  i32[ib + I_DEAD] = 0;
  i32[ib + I_HEAP_USED] = i32[ib + I_HEAP_START] as number;
}

/**
 * Visits every live entry of shard `r`: `visit(entryOffset, slotWord)`. The caller holds a lock.
 * The key is at `entryOffset + 8` (length `i32[entryOffset >> 2]`), the value after it.
 */
export function forEachEntry(r: ShardRegion, visit: (off: number, sw: number) => void): void {
  r.sync();
  const i32 = r.i32;
  const ib = (i32[H_BASE] as number) >> 2;
  const cap = i32[ib + I_CAP] as number;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  for (let sw = slots; sw < slots + cap * 2; sw += 2) {
    const off = i32[sw + 1] as number;
    if (off !== EMPTY && off !== TOMBSTONE) visit(off, sw);
  }
}

/**
 * Writes a new image holding the live entries plus room for `extraCount` more entries and
 * `extraBytes` more heap, beside the current one, and commits it with one store. Grows the
 * region's `SharedArrayBuffer` when needed (every thread sees the new length through its
 * length-tracking views). Throws `CapacityError` with nothing changed past the budget.
 */
export function rebuild(r: ShardRegion, shard: number, extraBytes: number, extraCount: number): void {
  r.sync();
  let i32 = r.i32;
  const from = i32[H_BASE] as number;
  const ib = from >> 2;
  const cap = i32[ib + I_CAP] as number;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  let live = 0;
  let liveBytes = 0;
  for (let sw = slots; sw < slots + cap * 2; sw += 2) {
    const off = i32[sw + 1] as number;
    if (off === EMPTY || off === TOMBSTONE) continue;
    live++;
    liveBytes += entryBytes(i32[off >> 2] as number, i32[(off >> 2) + 1] as number);
  }
  const want = live + extraCount;
  const heapNeed = liveBytes + extraBytes;
  let newCap = MIN_SLOTS;
  while (newCap < want * 2) newCap *= 2;
  const currentEnd = i32[ib + I_HEAP_END] as number;
  // Roomy first (amortized growth), then the smallest image that holds the entries.
  let at = place(r, from, currentEnd, imageBytes(newCap, Math.max(heapNeed * 2, 256)));
  let heap = Math.max(heapNeed * 2, 256);
  if (at < 0) {
    newCap = MIN_SLOTS;
    while (newCap * 3 < (want + 1) * 4) newCap *= 2;
    heap = heapNeed;
    at = place(r, from, currentEnd, imageBytes(newCap, heap));
    if (at < 0) {
      const needed = REGION_HEADER_BYTES + imageBytes(newCap, heap);
      if (needed > r.budget) throw new CapacityError(shard, needed, r.budget);
      rebuildInPlace(r, newCap, heap);
      return;
    }
  }
  i32 = r.i32; // `place` may have grown the region
  writeEmptyImage(i32, at, newCap, heap);
  const nb = at >> 2;
  const u8 = r.u8;
  const mask = newCap - 1;
  const nslots = nb + IMAGE_HEADER_BYTES / 4;
  let used = i32[nb + I_HEAP_START] as number;
  for (let sw = slots; sw < slots + cap * 2; sw += 2) {
    const off = i32[sw + 1] as number;
    if (off === EMPTY || off === TOMBSTONE) continue;
    const size = entryBytes(i32[off >> 2] as number, i32[(off >> 2) + 1] as number);
    u8.copyWithin(used, off, off + size);
    const h = i32[sw] as number;
    let i = h & mask;
    while (i32[nslots + (i << 1) + 1] !== EMPTY) i = (i + 1) & mask;
    i32[nslots + (i << 1)] = h;
    i32[nslots + (i << 1) + 1] = used;
    used += size;
  }
  i32[nb + I_HEAP_USED] = used;
  Atomics.store(i32, H_BASE, at); // commit: the new image replaces the old one
}

/**
 * The fallback of {@link rebuild} when no free room beside the current image is left in the
 * budget: copies the live entries out to private memory, then writes the new image over the old
 * one at the region's start. Not atomic: `H_REBUILDING` marks the window, and a thread that
 * dies inside it leaves a shard that {@link repairShard} must empty (its entries are lost, never
 * half-visible).
 */
function rebuildInPlace(r: ShardRegion, newCap: number, heap: number): void {
  let i32 = r.i32;
  const ib = (i32[H_BASE] as number) >> 2;
  const cap = i32[ib + I_CAP] as number;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  const hashes: number[] = [];
  const sizes: number[] = [];
  const parts: Uint8Array[] = [];
  for (let sw = slots; sw < slots + cap * 2; sw += 2) {
    const off = i32[sw + 1] as number;
    if (off === EMPTY || off === TOMBSTONE) continue;
    const size = entryBytes(i32[off >> 2] as number, i32[(off >> 2) + 1] as number);
    hashes.push(i32[sw] as number);
    sizes.push(size);
    parts.push(r.u8.slice(off, off + size));
  }
  const needed = REGION_HEADER_BYTES + imageBytes(newCap, heap);
  if (needed > r.bytes) r.grow(Math.min(r.budget, (needed + 4095) & ~4095));
  i32 = r.i32;
  const u8 = r.u8;
  Atomics.store(i32, H_REBUILDING, 1);
  writeEmptyImage(i32, REGION_HEADER_BYTES, newCap, heap);
  const nb = REGION_HEADER_BYTES >> 2;
  const mask = newCap - 1;
  const nslots = nb + IMAGE_HEADER_BYTES / 4;
  let used = i32[nb + I_HEAP_START] as number;
  for (let e = 0; e < parts.length; e++) {
    u8.set(parts[e] as Uint8Array, used);
    const h = hashes[e] as number;
    let i = h & mask;
    while (i32[nslots + (i << 1) + 1] !== EMPTY) i = (i + 1) & mask;
    i32[nslots + (i << 1)] = h;
    i32[nslots + (i << 1) + 1] = used;
    used += sizes[e] as number;
  }
  i32[nb + I_HEAP_USED] = used;
  Atomics.store(i32, H_BASE, REGION_HEADER_BYTES);
  Atomics.store(i32, H_REBUILDING, 0);
}

/**
 * Where an image of `size` bytes can go without touching the current one (`[from, end)`): at
 * the region's start if it fits before the current image, else after it (growing the buffer).
 * -1 when the budget cannot hold it.
 */
function place(r: ShardRegion, from: number, end: number, size: number): number {
  if (REGION_HEADER_BYTES + size <= from) return REGION_HEADER_BYTES;
  const at = align8(end);
  const needed = at + size;
  if (needed > r.budget) return -1;
  if (needed > r.bytes) r.grow(Math.min(r.budget, (needed + 4095) & ~4095));
  return at;
}

/**
 * Makes shard `r` consistent after a thread died while writing it (the caller holds the lock
 * the dead thread held): recounts entries and tombstones from the slots and recomputes the
 * dead heap bytes. Entries are never half-visible, so nothing else needs fixing.
 */
export function repairShard(r: ShardRegion): void {
  r.sync();
  const i32 = r.i32;
  if (Atomics.load(i32, H_REBUILDING) !== 0) {
    // Died overwriting its own image: the entries cannot be trusted, start the shard empty.
    writeEmptyImage(i32, REGION_HEADER_BYTES, MIN_SLOTS, 256);
    Atomics.store(i32, H_BASE, REGION_HEADER_BYTES);
    Atomics.store(i32, H_COUNT, 0);
    Atomics.store(i32, H_REBUILDING, 0);
    return;
  }
  const ib = (i32[H_BASE] as number) >> 2;
  const cap = i32[ib + I_CAP] as number;
  const slots = ib + IMAGE_HEADER_BYTES / 4;
  let live = 0;
  let tombs = 0;
  let liveBytes = 0;
  for (let sw = slots; sw < slots + cap * 2; sw += 2) {
    const off = i32[sw + 1] as number;
    if (off === EMPTY) continue;
    if (off === TOMBSTONE) tombs++;
    else {
      live++;
      liveBytes += entryBytes(i32[off >> 2] as number, i32[(off >> 2) + 1] as number);
    }
  }
  i32[ib + I_TOMBS] = tombs;
  i32[ib + I_DEAD] = (i32[ib + I_HEAP_USED] as number) - (i32[ib + I_HEAP_START] as number) - liveBytes;
  Atomics.store(i32, H_COUNT, live);
}
