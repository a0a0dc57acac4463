/** No slot / no list. */
const NIL = -1;
/** Doubles per slot in `data`: its less and more recently used neighbours, its list, its last use. */
const STRIDE = 4;
const PREV = 0;
const NEXT = 1;
/** `generation * LISTS + shard index` of the list holding the slot (NIL: none). */
const LIST = 2;
const TICK = 3;
/** Shard indices are below 2^18 (`MAX_SHARDS`), so a list tag is exact in a double. */
const LISTS = 2 ** 18;

/**
 * @internal Exact per-shard LRU order, kept beside the shard `Map`s. The shards' own insertion
 * order would need a delete and a set per hit (measured 160-350 ns: V8 rehashes the holes away);
 * node objects linked per key measured 3-5× slower than `lru-cache` on 100k keys (a cache miss per
 * node and neighbour). So, as `lru-cache` does: each key has a slot (one map-wide `Map` from key
 * to slot, which also keeps the value), and the lists are links between slots in one typed
 * array (a slot's links, list and last use side by side: one cache line), one list per shard. A
 * hit costs one `Map` lookup and a few typed-array writes, routes nothing and allocates nothing.
 *
 * Every slot also keeps the map-wide use clock at its last use. A re-layout (rebalance, the
 * core's re-routing) makes every list stale at once (a new generation, O(1)); a shard's list is
 * rebuilt from the shard, ordered by those ticks, the first time it must name a victim, so
 * recency survives rebalances exactly.
 */
export class LruIndex<K> {
  /** Key → slot. */
  private readonly slots: Map<K, number>;
  /** Slot → key (`undefined` when free). */
  private keys: (K | undefined)[];
  /**
   * Slot → the key's value: a copy of what its shard holds, written by every insert (the only
   * way a value enters a shard; rebalances and re-routes move values unchanged), so a hit reads
   * it here without routing to the shard at all.
   */
  private values: unknown[];
  /** `STRIDE` doubles per slot: `PREV`, `NEXT`, `LIST`, `TICK`. */
  private data: Float64Array;
  /** Freed slots, reused first. */
  private readonly free: number[];
  /** Slots ever handed out. */
  private top: number;
  /** Per shard index of the current layout: its least recently used slot. */
  private head: Int32Array;
  /** Per shard index: its most recently used slot. */
  private tail: Int32Array;
  /** Per shard index: slots in its list. */
  private length: Int32Array;
  /** `generation * LISTS`: bumped by every re-layout, so older lists are dropped whole. */
  private gen: number;
  /** The map-wide use clock. */
  private clock: number;

  constructor(shards: number) {
    this.slots = new Map();
    this.keys = [];
    this.values = [];
    this.data = new Float64Array(16 * STRIDE);
    this.free = [];
    this.top = 0;
    this.head = new Int32Array(shards).fill(NIL);
    this.tail = new Int32Array(shards).fill(NIL);
    this.length = new Int32Array(shards);
    this.gen = 0;
    this.clock = 0;
  }

  /** Keys tracked. */
  get size(): number {
    return this.slots.size;
  }

  /**
   * Bytes of the slot arrays (for the memory estimate; the `Map` is counted apart): the typed
   * arrays (their buffers live outside the JS heap: `process.memoryUsage().arrayBuffers`) and the
   * key and value arrays.
   */
  arrayBytes(): number {
    return this.data.length * 8 + (this.data.length / STRIDE) * 16 + this.head.length * 12;
  }

  /**
   * `key`, in shard `index`, was just written with `value`: the most recently used there.
   * `known`: whether the index already tracks the key (the caller looked it up).
   */
  write(key: K, index: number, value: unknown, known: boolean): void {
    const slot = known ? (this.slots.get(key) as number) : this.alloc(key);
    this.values[slot] = value;
    this.use(slot, index);
  }

  /** The slot of `key`, or -1 if the map does not hold it. */
  slotOf(key: K): number {
    return this.slots.get(key) ?? NIL;
  }

  /** The value of the key in `slot`. */
  valueAt(slot: number): unknown {
    return this.values[slot];
  }

  /** The shard index whose current list holds `slot`, or -1 if none does (a re-layout since its last use). */
  shardOf(slot: number): number {
    const list = this.data[slot * STRIDE + LIST] as number;
    return list >= this.gen ? list - this.gen : NIL;
  }

  /** The key in `slot`, in shard `index`, was just used: the most recently used there. */
  use(slot: number, index: number): void {
    const d = this.data;
    const at = slot * STRIDE;
    d[at + TICK] = ++this.clock;
    const list = d[at + LIST] as number;
    const tag = this.gen + index;
    if (list === tag) {
      if (this.tail[index] === slot) return;
      this.unlink(index, slot);
    } else if (list >= this.gen) {
      this.unlink(list - this.gen, slot);
    }
    this.append(index, slot);
  }

  /** Stops tracking `key` (removed from the map). */
  forget(key: K): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) this.release(slot, key);
  }

  /** Stops tracking the key of shard `index`'s least recently used slot (being evicted); returns it. */
  forgetVictim(index: number): K {
    const slot = this.head[index] as number;
    const key = this.keys[slot] as K;
    this.release(slot, key);
    return key;
  }

  private release(slot: number, key: K): void {
    const list = this.data[slot * STRIDE + LIST] as number;
    if (list >= this.gen) this.unlink(list - this.gen, slot);
    this.slots.delete(key);
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.free.push(slot);
  }

  /**
   * The least recently used key of shard `index`, whose `Map` is `shard` (non-empty). Rebuilds the
   * list first if it does not hold as many keys as the shard (a re-layout moved keys in).
   */
  victim(index: number, shard: Map<K, unknown>): K {
    // The list may also hold keys touched in a rebalance's old layout (routed here, not moved
    // yet): they are victims like any other, and the shard's size then tells the list is short.
    if (this.length[index] !== shard.size) this.rebuild(index, shard);
    return this.keys[this.head[index] as number] as K;
  }

  /** The layout changed to `shards` shards: every list is stale (slots keep their last use). */
  relaid(shards: number): void {
    this.gen += LISTS;
    this.head = new Int32Array(shards).fill(NIL);
    this.tail = new Int32Array(shards).fill(NIL);
    this.length = new Int32Array(shards);
  }

  /** Forgets every key (the map was cleared). */
  reset(shards: number): void {
    this.slots.clear();
    this.keys = [];
    this.values = [];
    this.free.length = 0;
    this.top = 0;
    this.relaid(shards);
  }

  private alloc(key: K): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.top++;
      if (slot * STRIDE === this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    this.keys[slot] = key;
    this.data[slot * STRIDE + LIST] = NIL;
    this.slots.set(key, slot);
    return slot;
  }

  private append(index: number, slot: number): void {
    const d = this.data;
    const at = slot * STRIDE;
    const tail = this.tail[index] as number;
    d[at + PREV] = tail;
    d[at + NEXT] = NIL;
    d[at + LIST] = this.gen + index;
    if (tail === NIL) this.head[index] = slot;
    else d[tail * STRIDE + NEXT] = slot;
    this.tail[index] = slot;
    this.length[index] = (this.length[index] as number) + 1;
  }

  private unlink(index: number, slot: number): void {
    const d = this.data;
    const at = slot * STRIDE;
    const prev = d[at + PREV] as number;
    const next = d[at + NEXT] as number;
    if (prev === NIL) this.head[index] = next;
    else d[prev * STRIDE + NEXT] = next;
    if (next === NIL) this.tail[index] = prev;
    else d[next * STRIDE + PREV] = prev;
    d[at + LIST] = NIL;
    this.length[index] = (this.length[index] as number) - 1;
  }

  /** Shard `index`'s list rebuilt from `shard`'s keys, by last use (keys never used first). */
  private rebuild(index: number, shard: Map<K, unknown>): void {
    const d = this.data;
    // Drop the stale list: its slots are re-appended below or stay in no list.
    for (let slot = this.head[index] as number; slot !== NIL; slot = d[slot * STRIDE + NEXT] as number) {
      d[slot * STRIDE + LIST] = NIL;
    }
    this.head[index] = NIL;
    this.tail[index] = NIL;
    this.length[index] = 0;
    const found: number[] = [];
    for (const key of shard.keys()) {
      let slot = this.slots.get(key);
      if (slot === undefined) {
        slot = this.alloc(key);
        this.values[slot] = shard.get(key);
        this.data[slot * STRIDE + TICK] = 0;
      } else {
        const list = this.data[slot * STRIDE + LIST] as number;
        if (list >= this.gen) this.unlink(list - this.gen, slot);
      }
      found.push(slot);
    }
    const data = this.data;
    found.sort((a, b) => (data[a * STRIDE + TICK] as number) - (data[b * STRIDE + TICK] as number));
    for (const slot of found) this.append(index, slot);
  }
}
