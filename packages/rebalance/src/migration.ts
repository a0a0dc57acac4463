/** 2^32: the span of the 32-bit hashes the core routes with `index = floor(hash * count / 2^32)`. */
const TWO_POW_32 = 0x100000000;

/** How many entries a time-bounded step moves between two looks at the clock (about 2 µs of work). */
const CLOCK_EVERY = 16;

/**
 * @internal An online migration's state: the previous layout's shards (the sources) and how far
 * each has moved into the current layout.
 *
 * Source shard `Map`s are never mutated: a snapshot may have captured them, so they are treated
 * as frozen. A source shard is moved by copying its entries (through `place`, which writes into
 * the current layout the way every write does) and then dropping it. A key written while its
 * source shard has not moved yet is moved alone (copied, then recorded in `moved`), so the stale
 * copy left in the source is never read again. The scans (iteration, stats, `retain`) need each
 * entry once: `collectLive` hands them each source shard as is, or, when part of it has moved,
 * a fresh `Map` of the entries still to move, which then replaces the source.
 *
 * Routing is exact without hashing twice: the core maps a 32-bit hash onto `[0, count)` by
 * `floor(hash * count / 2^32)`, so the hashes that land on current shard `j` form an interval, and
 * the source shards that interval meets are `sourceFirst(j)..sourceLast(j)`: one shard when
 * the count grows by a whole factor, at most two when it grows otherwise, a few when it shrinks.
 */
export class Migration<K, V> {
  /** Shard count of the previous layout: the number of source shards. */
  readonly fromCount: number;
  /** Shard count of the current layout. */
  readonly toCount: number;
  /** Source shard `Map`s (frozen); `undefined` once moved. */
  private readonly sources: (Map<K, V> | undefined)[];
  /** Per source shard: keys moved out of it by a write (never to be read from it again). */
  private readonly moved: (Set<K> | undefined)[];
  /** Per source shard: 1 once all of it is in the current layout. */
  private readonly finished: Uint8Array;
  /** Per source shard: entries whose live copy is still there (not copied by a step, not moved by a write). */
  private readonly live: Float64Array;
  /** Writes `key` → `value` into the current layout (through `shardForWrite`). */
  private readonly place: (key: K, value: V) => void;
  /** The lowest source shard not finished: the one steps are moving. */
  private next: number;
  /** How many entries of `sources[next]` steps have copied (its first ones, in iteration order). */
  private copied: number;
  /** Where the steps stopped in `sources[next]`; `undefined` to restart (skipping `copied`). */
  private cursor: MapIterator<[K, V]> | undefined;
  /** Source shards finished. */
  movedShards: number;
  /** Entries moved to the current layout, by steps and by writes. */
  movedEntries: number;

  constructor(sources: (Map<K, V> | undefined)[], toCount: number, place: (key: K, value: V) => void) {
    this.fromCount = sources.length;
    this.toCount = toCount;
    this.sources = sources;
    this.moved = new Array<Set<K> | undefined>(sources.length).fill(undefined);
    this.finished = new Uint8Array(sources.length);
    this.live = new Float64Array(sources.length);
    this.place = place;
    this.next = 0;
    this.copied = 0;
    this.cursor = undefined;
    this.movedShards = 0;
    this.movedEntries = 0;
    // Shards that hold nothing have nothing to move.
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i];
      if (source === undefined || source.size === 0) this.finish(i);
      else this.live[i] = source.size;
    }
    this.skipFinished();
  }

  /** Whether every source shard has moved. */
  get complete(): boolean {
    return this.movedShards === this.fromCount;
  }

  /** Fraction done: finished source shards, plus the copied part of the one in progress. */
  get progress(): number {
    if (this.fromCount === 0) return 1;
    const current = this.next < this.fromCount ? this.sources[this.next] : undefined;
    const partial = current === undefined || current.size === 0 ? 0 : this.copied / current.size;
    return Math.min(1, (this.movedShards + partial) / this.fromCount);
  }

  /**
   * The source shard whose (unmoved) entry for `key` is live, if any: `key` routes to current
   * shard `index`, so only the sources that interval of hashes meets can hold it.
   */
  sourceHolding(key: K, index: number): Map<K, V> | undefined {
    const last = this.sourceLast(index);
    for (let i = this.sourceFirst(index); i <= last; i++) {
      const source = this.sources[i];
      if (source !== undefined && source.has(key)) {
        const moved = this.moved[i];
        return moved !== undefined && moved.has(key) ? undefined : source;
      }
    }
    return undefined;
  }

  /**
   * Before a write of `key` (routed to current shard `index`): if its live entry is still in a
   * source shard, returns that source's index and the write must first move it; else -1.
   */
  sourceIndexHolding(key: K, index: number): number {
    const last = this.sourceLast(index);
    for (let i = this.sourceFirst(index); i <= last; i++) {
      const source = this.sources[i];
      if (source !== undefined && source.has(key)) {
        const moved = this.moved[i];
        return moved !== undefined && moved.has(key) ? -1 : i;
      }
    }
    return -1;
  }

  /** The value of `key` in source shard `source` (found by `sourceIndexHolding`). */
  sourceValue(source: number, key: K): V {
    return (this.sources[source] as Map<K, V>).get(key) as V;
  }

  /**
   * Records that `key` left source shard `source` (its write put it in the current layout), so
   * the source's stale entry is never read, scanned or copied again. `copied`: the write copied
   * its value over (false when a step had already copied it).
   */
  markMoved(source: number, key: K, copied: boolean): void {
    if (copied) {
      this.live[source] = (this.live[source] as number) - 1;
      this.movedEntries++;
    }
    let moved = this.moved[source];
    if (moved === undefined) {
      moved = new Set<K>();
      this.moved[source] = moved;
    }
    moved.add(key);
  }

  /**
   * Moves entries in source order: at most `maxShards` source shards finished, `maxEntries`
   * entries examined, and (checked every 16 entries) until `performance.now()` reaches
   * `deadlineMs`. Returns how many source shards it finished. If `place` throws (a custom hasher
   * failing), the migration stays consistent and the error propagates.
   */
  step(maxShards: number, maxEntries: number, deadlineMs: number): number {
    let shards = 0;
    let work = 0;
    try {
      while (this.next < this.fromCount && shards < maxShards && work < maxEntries) {
        const index = this.next;
        const source = this.sources[index] as Map<K, V>;
        let cursor = this.cursor;
        if (cursor === undefined) {
          cursor = source.entries();
          for (let skip = this.copied; skip > 0; skip--) cursor.next();
          this.cursor = cursor;
        }
        const moved = this.moved[index];
        for (;;) {
          const item = cursor.next();
          if (item.done === true) {
            this.finish(index);
            this.skipFinished();
            shards++;
            break;
          }
          const [key, value] = item.value;
          if (moved === undefined || !moved.has(key)) {
            this.place(key, value);
            this.live[index] = (this.live[index] as number) - 1;
            this.movedEntries++;
          }
          this.copied++;
          work++;
          if (work >= maxEntries) break;
          if (work % CLOCK_EVERY === 0 && deadlineMs !== Number.POSITIVE_INFINITY && performance.now() >= deadlineMs) {
            return shards;
          }
        }
      }
    } catch (error) {
      this.cursor = undefined; // the failed entry was taken from the cursor but not counted: retake it
      throw error;
    }
    return shards;
  }

  /**
   * Appends the live source entries to `out`, each once: a source shard untouched so far as
   * is, a partly moved one as a fresh `Map` of what it still holds (which replaces it, so the
   * next scan hands it out as is). Never mutates a source `Map`.
   */
  collectLive(out: Map<K, V>[]): void {
    for (let i = this.next; i < this.fromCount; i++) {
      if (this.finished[i] === 1) continue;
      const source = this.sources[i] as Map<K, V>;
      const skip = i === this.next ? this.copied : 0;
      const moved = this.moved[i];
      if (skip === 0 && moved === undefined) {
        out.push(source);
        continue;
      }
      const rest = new Map<K, V>();
      const cursor = source.entries();
      for (let s = skip; s > 0; s--) cursor.next();
      for (let item = cursor.next(); item.done !== true; item = cursor.next()) {
        const [key, value] = item.value;
        if (moved === undefined || !moved.has(key)) rest.set(key, value);
      }
      if (rest.size === 0) {
        this.finish(i);
      } else {
        this.sources[i] = rest;
        this.moved[i] = undefined;
        this.live[i] = rest.size;
        out.push(rest);
      }
      if (i === this.next) {
        this.copied = 0;
        this.cursor = undefined;
      }
    }
    this.skipFinished();
  }

  /**
   * The load of the live source shards, without touching them (stats stay O(shards) while
   * migrating): how many hold live entries, and the most any holds.
   */
  liveLoad(): { shards: number; maxLoad: number } {
    let shards = 0;
    let maxLoad = 0;
    for (let i = this.next; i < this.fromCount; i++) {
      const live = this.live[i] as number;
      if (live > 0) {
        shards++;
        if (live > maxLoad) maxLoad = live;
      }
    }
    return { shards, maxLoad };
  }

  /** Drops every source reference (the migration ended: finished, cleared or superseded). */
  release(): void {
    this.sources.fill(undefined);
    this.moved.fill(undefined);
    this.cursor = undefined;
  }

  private finish(index: number): void {
    if (this.finished[index] === 1) return;
    this.finished[index] = 1;
    this.live[index] = 0;
    this.sources[index] = undefined;
    this.moved[index] = undefined;
    this.movedShards++;
    if (index === this.next) {
      this.copied = 0;
      this.cursor = undefined;
    }
  }

  private skipFinished(): void {
    while (this.next < this.fromCount && this.finished[this.next] === 1) this.next++;
  }

  /** The lowest source shard holding hashes that route to current shard `index`. */
  private sourceFirst(index: number): number {
    // All products stay below 2^51: exact in a double, so the bounds are exact.
    const lowHash = Math.ceil((index * TWO_POW_32) / this.toCount);
    return Math.floor((lowHash * this.fromCount) / TWO_POW_32);
  }

  /** The highest source shard holding hashes that route to current shard `index`. */
  private sourceLast(index: number): number {
    const highHash = Math.ceil(((index + 1) * TWO_POW_32) / this.toCount) - 1;
    return Math.min(this.fromCount - 1, Math.floor((highHash * this.fromCount) / TWO_POW_32));
  }
}
