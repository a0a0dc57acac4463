/** @internal A key's place in its shard's recency list. */
class LruNode<K> {
  readonly key: K;
  /** Less recently used neighbour (toward the head). */
  prev: LruNode<K> | null;
  /** More recently used neighbour (toward the tail). */
  next: LruNode<K> | null;
  /** The list holding it (lists of an older layout are dropped whole). */
  owner: LruList<K> | null;
  /** The map-wide use clock at its last use: orders keys across shards when a re-layout mixes them. */
  tick: number;

  constructor(key: K, tick: number) {
    this.key = key;
    this.prev = null;
    this.next = null;
    this.owner = null;
    this.tick = tick;
  }
}

/** @internal One shard's keys from least (head) to most (tail) recently used. */
class LruList<K> {
  head: LruNode<K> | null;
  tail: LruNode<K> | null;
  size: number;

  constructor() {
    this.head = null;
    this.tail = null;
    this.size = 0;
  }

  append(node: LruNode<K>): void {
    node.owner = this;
    node.prev = this.tail;
    node.next = null;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size++;
  }

  unlink(node: LruNode<K>): void {
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    node.owner = null;
    this.size--;
  }
}

/**
 * @internal Exact per-shard LRU order, beside the shard `Map`s (whose own insertion order would
 * need a delete and a set per hit: measured 160-350 ns, V8 rehashing away the holes). One node
 * per key in one map-wide `Map` (so a rebalance never loses a key's recency), linked into the
 * recency list of the shard that holds the key. A hit costs one `Map` lookup and a relink.
 *
 * A re-layout (rebalance, the core's re-routing) makes every list stale; a list is rebuilt from
 * its shard, ordered by each key's last-use tick, the first time it must name a victim.
 */
export class LruIndex<K> {
  private readonly nodes: Map<K, LruNode<K>>;
  /** By shard index of the current layout. */
  private lists: (LruList<K> | undefined)[];
  /** The map-wide use clock. */
  private clock: number;

  constructor() {
    this.nodes = new Map();
    this.lists = [];
    this.clock = 0;
  }

  /** Keys tracked (for the memory estimate). */
  get size(): number {
    return this.nodes.size;
  }

  /** `key`, in shard `index`, was just used (or written): most recently used there. */
  use(key: K, index: number): void {
    let node = this.nodes.get(key);
    const tick = ++this.clock;
    if (node === undefined) {
      node = new LruNode(key, tick);
      this.nodes.set(key, node);
    } else {
      node.tick = tick;
    }
    let list = this.lists[index];
    if (list === undefined) {
      list = new LruList();
      this.lists[index] = list;
    }
    const owner = node.owner;
    if (owner === list) {
      if (list.tail === node) return;
      list.unlink(node);
    } else if (owner !== null) {
      owner.unlink(node);
    }
    list.append(node);
  }

  /** Stops tracking `key` (removed from the map). */
  forget(key: K): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    node.owner?.unlink(node);
    this.nodes.delete(key);
  }

  /**
   * The least recently used key of shard `index`, whose `Map` is `shard` (non-empty). Rebuilds
   * the list first if it does not hold as many keys as the shard (a re-layout moved keys in).
   */
  victim(index: number, shard: Map<K, unknown>): K {
    let list = this.lists[index];
    if (list === undefined || list.size !== shard.size) list = this.rebuild(index, shard);
    return (list.head as LruNode<K>).key;
  }

  /** The layout changed: every list is stale (nodes keep their ticks). */
  relaid(): void {
    this.lists = [];
  }

  /** Forgets everything (the map was cleared). */
  reset(): void {
    this.nodes.clear();
    this.lists = [];
  }

  /** Shard `index`'s list rebuilt from `shard`'s keys, by last use (keys never used first). */
  private rebuild(index: number, shard: Map<K, unknown>): LruList<K> {
    const found: LruNode<K>[] = [];
    for (const key of shard.keys()) {
      let node = this.nodes.get(key);
      if (node === undefined) {
        node = new LruNode(key, 0);
        this.nodes.set(key, node);
      }
      found.push(node);
    }
    found.sort((a, b) => a.tick - b.tick);
    const list = new LruList<K>();
    for (const node of found) {
      node.owner?.unlink(node);
      list.append(node);
    }
    this.lists[index] = list;
    return list;
  }
}
