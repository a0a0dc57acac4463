type Shards = (Map<unknown, unknown> | undefined)[];

/**
 * @internal The copy-on-write bookkeeping of one map's snapshots: which live shard maps the
 * latest snapshot still shares. A write to a shared shard first gives the map its own copy
 * (once); after a layout change the shared maps are found again at their new indices. Any
 * other plugin's copy-on-write (the `snapshot` plugin's `Cow` mode) works alongside: whichever
 * copies first, the other finds a different map in the layout and has nothing to copy.
 *
 * @example
 * const cow = new SharedShards();
 * const captured = cow.share(map.shards);  // the snapshot keeps `captured`
 * if (cow.pending > 0) cow.release(map.shards, index); // before writing shard `index`
 */
export class SharedShards {
  /** How many shards are still shared; 0 lets writes skip `release`. */
  pending = 0;
  /** By index in the live layout: the map the snapshot shares there. */
  #shared: Shards = [];

  /** Shares the non-empty shards of `live` with a new snapshot; returns the snapshot's shard array. */
  share(live: Shards): Shards {
    const captured: Shards = live.map((shard) => (shard !== undefined && shard.size !== 0 ? shard : undefined));
    this.#shared = captured.slice();
    this.pending = captured.reduce((n, shard) => (shard === undefined ? n : n + 1), 0);
    return captured;
  }

  /** Before shard `index` of `live` is written: replaces it by a copy if the snapshot shares it. */
  release(live: Shards, index: number): void {
    const shard = this.#shared[index];
    if (shard === undefined) return;
    this.#shared[index] = undefined;
    this.pending--;
    if (live[index] !== shard) return; // another plugin copied it already
    const copy = new Map<unknown, unknown>();
    shard.forEach((value, key) => {
      copy.set(key, value);
    });
    live[index] = copy;
  }

  /** After `live` replaced the layout: the maps still shared, at their indices in it. */
  relocate(live: Shards): void {
    const still = new Set(this.#shared.filter((shard) => shard !== undefined));
    this.#shared = live.map((shard) => (shard !== undefined && still.has(shard) ? shard : undefined));
    this.pending = this.#shared.reduce((n, shard) => (shard === undefined ? n : n + 1), 0);
  }
}
