// Instances of a composition with rebalance keep one hidden class: the same own keys in the same
// order, whatever constructor made them and however they were used (migrations, expansion, clear).
import { ShardedHashMap } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { rebalance } from '../src/index.js';

const Rebalanced = ShardedHashMap.with(rebalance);

describe('instances of ShardedHashMap.with(rebalance)', () => {
  const reference = Reflect.ownKeys(new Rebalanced());

  it('add their fields after the core fields, in one order, however they are made', () => {
    expect(reference.slice(0, Reflect.ownKeys(new ShardedHashMap()).length)).toEqual(
      Reflect.ownKeys(new ShardedHashMap()),
    );
    for (const map of [
      new Rebalanced(1),
      new Rebalanced(7, { seed: 3, autoExpand: { maxLoadPerShard: 10 } }),
      Rebalanced.withShardsAndHasher(64),
      Rebalanced.tryWithShardsAndHasherCapped(8, undefined, 16),
    ]) {
      expect(Reflect.ownKeys(map)).toEqual(reference);
    }
  });

  it('keep their own keys, in order, through migrations, expansion and clear', async () => {
    const map = new Rebalanced<number, number>(2, { autoExpand: { maxLoadPerShard: 50 } });
    for (let i = 0; i < 2_000; i++) map.insert(i, i);
    map.startRebalanceOnline(map.shardCount() * 2);
    map.advanceRebalance(1);
    [...map.iter()];
    map.rebalanceTo(8);
    await map.rebalanceTo(32, { background: true });
    map.clear();
    expect(Reflect.ownKeys(map)).toEqual(reference);
  });
});
