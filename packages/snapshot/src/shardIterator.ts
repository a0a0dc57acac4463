/** What a {@link ShardIterator} yields from each shard: its entries, its keys or its values. */
export type IterKind = 'entries' | 'keys' | 'values';

/** `%IteratorPrototype%`: iterators inheriting it get the iterator helpers where the runtime has them. */
const IteratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

/**
 * @internal A lazy iterator over the entries (or keys, or values) of a list of shard maps that
 * nobody mutates any more (a snapshot's). It hands out the shard iterators' own results, so
 * iterating costs what iterating the maps costs: no array of every entry is built first.
 *
 * @example
 * for (const [k, v] of new ShardIterator<[string, number]>(shards, 'entries')) use(k, v);
 */
export class ShardIterator<T> implements IterableIterator<T> {
  readonly #shards: readonly (Map<unknown, unknown> | undefined)[];
  readonly #kind: IterKind;
  #next: number;
  #current: Iterator<T> | undefined;

  constructor(shards: readonly (Map<unknown, unknown> | undefined)[], kind: IterKind) {
    this.#shards = shards;
    this.#kind = kind;
    this.#next = 0;
    this.#current = undefined;
  }

  /** The next item, or `{ done: true }` once every shard is exhausted. */
  next(): IteratorResult<T, undefined> {
    for (;;) {
      const current = this.#current;
      if (current !== undefined) {
        const result = current.next();
        if (result.done !== true) return result;
        this.#current = undefined;
      }
      const shards = this.#shards;
      let shard: Map<unknown, unknown> | undefined;
      while (shard === undefined && this.#next < shards.length) {
        const candidate = shards[this.#next++];
        if (candidate !== undefined && candidate.size !== 0) shard = candidate;
      }
      if (shard === undefined) return { done: true, value: undefined };
      const kind = this.#kind;
      this.#current = (
        kind === 'entries' ? shard.entries() : kind === 'keys' ? shard.keys() : shard.values()
      ) as Iterator<T>;
    }
  }

  /** Iterators are iterable: returns itself. */
  [Symbol.iterator](): this {
    return this;
  }

  /** `'Snapshot Iterator'`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'Snapshot Iterator';
  }
}

Object.setPrototypeOf(ShardIterator.prototype, IteratorPrototype);
