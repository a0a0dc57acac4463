// Option autoExpand: a shard past the load starts an online expansion by itself, and each later
// write moves a bounded number of entries until it is done: no write pauses long.
import { InvalidArgumentError, MAX_SHARDS, ShardedHashMap } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { rebalance } from '../src/index.js';
import { checkMigrationInvariants, type MigratingMap, type MigrationModel } from './support/migratingOps.js';

const Rebalanced = ShardedHashMap.with(rebalance);

function expanding(shards: number, autoExpand: object, options: object = {}) {
  return new Rebalanced<number, number>(shards, {
    seed: 5,
    autoExpand,
    ...options,
  } as never) as unknown as MigratingMap;
}

describe('autoExpand', () => {
  it('starts an online expansion when a shard passes the load, and each write moves a bounded amount', () => {
    const map = expanding(4, { maxLoadPerShard: 100 });
    const model: MigrationModel = { entries: new Map(), count: 4 };
    let i = 0;
    while (map.rebalanceStatus().state === 'idle') {
      map.insert(i, i);
      model.entries.set(i, i);
      i++;
      expect(i, 'the load is passed within 4 shards × 100 entries').toBeLessThanOrEqual(401);
    }
    expect(map.shardCount()).toBe(8);
    model.count = 8;
    expect(map.rebalanceStatus()).toMatchObject({ state: 'migrating', totalShards: 4, movedEntries: 0 });
    expect(map.shardStats().maxLoad).toBe(101);
    let writes = 0;
    while (map.rebalanceStatus().state === 'migrating') {
      const before = map.rebalanceStatus().movedEntries;
      map.insert(i, i);
      model.entries.set(i, i);
      i++;
      writes++;
      const after = map.rebalanceStatus();
      if (after.state === 'migrating') {
        expect(after.movedEntries - before, 'one write moves at most entriesPerWrite (64) entries').toBeLessThanOrEqual(
          64,
        );
      }
      checkMigrationInvariants(model, map);
    }
    expect(writes, 'a few hundred entries take a few writes').toBeLessThanOrEqual(
      Math.ceil(model.entries.size / 64) + 1,
    );
    expect(map.rebalanceStatus().movedEntries).toBeGreaterThanOrEqual(i - writes - 1 - 8);
    checkMigrationInvariants(model, map);
  });

  it('keeps growing with the map, by factor, up to maxShards, with every entry kept', () => {
    const map = expanding(2, { maxLoadPerShard: 50, factor: 4, entriesPerWrite: 16 }, { maxShards: 128 });
    const model = new Map<number, number>();
    const counts = new Set<number>();
    for (let i = 0; i < 30_000; i++) {
      map.insert(i, -i);
      model.set(i, -i);
      if (i % 3 === 0) {
        map.remove(i >> 1);
        model.delete(i >> 1);
      }
      counts.add(map.shardCount());
    }
    expect([...counts]).toEqual([2, 8, 32, 128]);
    expect(map.len()).toBe(model.size);
    expect(new Map(map.iter())).toEqual(model);
    for (const [k, v] of model) expect(map.get(k)).toBe(v);
  });

  it('advances any migration by writes, removals included', () => {
    const map = expanding(4, { maxLoadPerShard: 1_000_000, entriesPerWrite: 10 });
    for (let i = 0; i < 1_000; i++) map.insert(i, i);
    map.startRebalanceOnline(16);
    for (let i = 0; map.rebalanceStatus().state === 'migrating'; i++) {
      const before = map.rebalanceStatus().movedEntries;
      map.remove(i);
      const after = map.rebalanceStatus();
      if (after.state === 'migrating') expect(after.movedEntries - before).toBeLessThanOrEqual(10 + 1);
      expect(i).toBeLessThan(200);
    }
    expect(map.len()).toBeGreaterThan(800);
  });

  it('does nothing below the load, or at the cap', () => {
    const below = expanding(4, { maxLoadPerShard: 1_000 });
    for (let i = 0; i < 2_000; i++) below.insert(i, i);
    expect(below.shardCount()).toBe(4);
    expect(below.rebalanceStatus().totalShards).toBe(0);
    const capped = expanding(8, { maxLoadPerShard: 10 }, { maxShards: 8 });
    for (let i = 0; i < 2_000; i++) capped.insert(i, i);
    expect(capped.shardCount()).toBe(8);
    const top = new Rebalanced<number, number>(MAX_SHARDS / 2, {
      hasher: () => 0, // every key to shard 0: the load is passed at once
      autoExpand: { maxLoadPerShard: 1, factor: 3 },
    });
    top.insert(1, 1);
    top.insert(2, 2);
    expect(top.shardCount(), 'capped at MAX_SHARDS').toBe(MAX_SHARDS);
    top.advanceRebalance(Number.POSITIVE_INFINITY);
    for (let i = 3; i < 10; i++) top.insert(i, i);
    expect(top.shardCount()).toBe(MAX_SHARDS);
  });

  it('rejects malformed options when the map is made', () => {
    for (const autoExpand of [
      5,
      null,
      {},
      { maxLoadPerShard: 0 },
      { maxLoadPerShard: Number.NaN },
      { maxLoadPerShard: 10, factor: 1 },
      { maxLoadPerShard: 10, factor: Number.POSITIVE_INFINITY },
      { maxLoadPerShard: 10, entriesPerWrite: 0 },
      { maxLoadPerShard: 10, entriesPerWrite: 2.5 },
    ]) {
      expect(() => expanding(4, autoExpand as object), JSON.stringify(autoExpand)).toThrow(InvalidArgumentError);
    }
  });
});
