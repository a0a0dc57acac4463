// Copy-on-write: a snapshot captures shard references only; the first write to a captured shard
// copies it once, through the core's write seam; later writes to it copy nothing until the next
// snapshot. Counted by Map identity, through a subclass that can see the shard table.
import { ShardedHashMap } from '@starshard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SnapshotMode, snapshot } from '../src/index.js';

const Snap = ShardedHashMap.with(snapshot);

/** A map that shows its shard table, to count copies by identity. */
class Probe<K, V> extends Snap<K, V> {
  shardMaps(): (Map<K, V> | undefined)[] {
    return [...this.shards];
  }
  shardOf(key: K): number {
    return this.indexFor(key);
  }
}

/** A Cow map with 16 shards and `n` keys, every shard allocated. */
function filled(n = 2_000, mode: SnapshotMode = SnapshotMode.Cow): Probe<string, number> {
  const map = new Probe<string, number>(16, { seed: 7, snapshotMode: mode });
  for (let i = 0; i < n; i++) map.insert(`key:${i}`, i);
  expect(map.initializedShards()).toBe(16);
  return map;
}

/** Indices whose map changed identity between two shard tables. */
function copied(before: readonly unknown[], after: readonly unknown[]): number[] {
  return before.flatMap((m, i) => (m !== after[i] ? [i] : []));
}

/** A key of `map` routed to shard `index`. */
function keyIn(map: Probe<string, number>, index: number, skip = 0): string {
  let seen = 0;
  for (let i = 0; ; i++) {
    if (map.shardOf(`key:${i}`) === index && seen++ === skip) return `key:${i}`;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Cow mode', () => {
  it('takes a snapshot without copying or iterating any shard (O(shards))', () => {
    const map = filled(20_000);
    const before = map.shardMaps();
    const spies = [
      vi.spyOn(Map.prototype, 'entries'),
      vi.spyOn(Map.prototype, 'keys'),
      vi.spyOn(Map.prototype, 'values'),
      vi.spyOn(Map.prototype, 'forEach'),
      vi.spyOn(Map.prototype, Symbol.iterator),
      vi.spyOn(Map.prototype, 'get'),
    ];
    const snap = map.snapshot();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(copied(before, map.shardMaps())).toEqual([]);
    expect(snap.size).toBe(20_000);
  });

  it('copies a shard on its first write after a snapshot, and only that shard, only once', () => {
    const map = filled();
    const snap = map.snapshot();
    const before = map.shardMaps();

    map.insert(keyIn(map, 3), -1);
    const afterFirst = map.shardMaps();
    expect(copied(before, afterFirst)).toEqual([3]);

    map.insert(keyIn(map, 3, 1), -2); // same shard: already the map's own
    map.remove(keyIn(map, 3, 2));
    map.insert('a brand new key routed anywhere', 0);
    const newKeyShard = map.shardOf('a brand new key routed anywhere');
    const afterMore = map.shardMaps();
    expect(afterMore[3]).toBe(afterFirst[3]);
    expect(copied(before, afterMore).sort((a, b) => a - b)).toEqual(
      [...new Set([3, newKeyShard])].sort((a, b) => a - b),
    );

    // The snapshot still holds the old shard maps, unchanged.
    expect(snap.get(keyIn(map, 3))).toBe(Number(keyIn(map, 3).slice(4)));
    expect(snap.size).toBe(2_000);
  });

  it('copies each shard at most once per snapshot, whatever the write path', () => {
    const map = filled();
    const snap = map.snapshot();
    const before = map.shardMaps();
    let copies = 0;
    let seen = map.shardMaps();
    const count = () => {
      const now = map.shardMaps();
      copies += copied(seen, now).length;
      seen = now;
    };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2_000; i += 7) {
        map.insert(`key:${i}`, round);
        count();
      }
      map.batchInsert([...Array(50)].map((_, i) => [`key:${i}`, -round] as [string, number]));
      count();
      map.batchRemove([`key:${round}`, `key:${round + 100}`]);
      count();
      map.computeIfPresent('key:999', (v) => v + 1);
      count();
      map.computeIfAbsent(`fresh:${round}`, () => 0);
      count();
      map.retain((k) => k !== `key:${round + 200}`);
      count();
    }
    expect(copies).toBe(16);
    expect(copied(before, map.shardMaps()).length).toBe(16);
    expect(snap.size).toBe(2_000);
    for (let i = 0; i < 2_000; i++) expect(snap.get(`key:${i}`)).toBe(i);
  });

  it('copies again after the next snapshot, and never without one', () => {
    const map = filled();
    const start = map.shardMaps();
    for (let i = 0; i < 2_000; i++) map.insert(`key:${i}`, 0);
    expect(copied(start, map.shardMaps()), 'no snapshot, no copy').toEqual([]);

    map.snapshot();
    map.insert(keyIn(map, 5), 1);
    const once = map.shardMaps();
    expect(copied(start, once)).toEqual([5]);
    map.insert('key:0', 2); // changes the epoch: the next snapshot() is a new capture
    const second = map.snapshot();
    const beforeSecondWrite = map.shardMaps();
    map.insert(keyIn(map, 5, 3), 3);
    expect(copied(beforeSecondWrite, map.shardMaps())).toEqual([5]);
    expect(second.get(keyIn(map, 5, 3))).not.toBe(3);
  });

  it('does not capture empty shards, so writing to them copies nothing', () => {
    const map = new Probe<string, number>(16, { seed: 1, snapshotMode: SnapshotMode.Cow });
    map.insert('only', 1);
    map.remove('only'); // the shard stays allocated, empty
    const snap = map.snapshot();
    const before = map.shardMaps();
    map.insert('only', 2);
    expect(copied(before, map.shardMaps())).toEqual([]);
    expect(snap.size).toBe(0);
    expect(snap.has('only')).toBe(false);
  });

  it('copies nothing in Clone and Cached modes: their snapshots are copies already', () => {
    for (const mode of [SnapshotMode.Clone, SnapshotMode.Cached]) {
      const map = filled(2_000, mode);
      const snap = map.snapshot();
      const before = map.shardMaps();
      for (let i = 0; i < 2_000; i += 3) map.insert(`key:${i}`, -i);
      expect(copied(before, map.shardMaps()), mode).toEqual([]);
      expect(snap.get('key:3')).toBe(3);
    }
  });
});
