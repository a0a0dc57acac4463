// The type-level contract: rebalance's methods and options appear only on compositions that list
// it (sync and async), and rebalanceTo's result follows `background`.
import { AsyncShardedHashMap } from '@starshard/async';
import { definePlugin, ShardedHashMap } from '@starshard/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AutoExpandOptions,
  type RebalanceOptions,
  type RebalanceReport,
  type RebalanceStatus,
  rebalance,
} from '../src/index.js';

const other = definePlugin({ name: 'tdOther', sync: (B) => class extends B {}, async: (B) => class extends B {} });

describe('rebalance types', () => {
  it('adds the sync API to sync compositions listing it, and only those', () => {
    const map = new (ShardedHashMap.with(rebalance))<string, number>(8);
    expectTypeOf(map.rebalanceTo(32)).toEqualTypeOf<RebalanceReport>();
    expectTypeOf(map.rebalanceTo(32, {})).toEqualTypeOf<RebalanceReport>();
    expectTypeOf(map.rebalanceTo(32, { background: false })).toEqualTypeOf<RebalanceReport>();
    expectTypeOf(map.rebalanceTo(32, { background: true })).toEqualTypeOf<Promise<RebalanceReport>>();
    expectTypeOf(
      map.rebalanceTo(32, { background: true, batchSize: 4096, maxPauseNs: 2e6, signal: AbortSignal.timeout(1) }),
    ).toEqualTypeOf<Promise<RebalanceReport>>();
    const dynamic: RebalanceOptions = { background: Math.random() > 0.5 };
    expectTypeOf(map.rebalanceTo(32, dynamic)).toEqualTypeOf<RebalanceReport | Promise<RebalanceReport>>();
    expectTypeOf(map.startRebalanceOnline(64)).toEqualTypeOf<boolean>();
    expectTypeOf(map.advanceRebalance(2)).toEqualTypeOf<number>();
    expectTypeOf(map.rebalanceStatus()).toEqualTypeOf<RebalanceStatus>();
    expectTypeOf(map.rebalanceStatus().state).toEqualTypeOf<'idle' | 'migrating'>();
    expectTypeOf(map.get('a')).toEqualTypeOf<number | undefined>();

    const plain = new ShardedHashMap<string, number>();
    expectTypeOf(plain).not.toHaveProperty('rebalanceTo');
    expectTypeOf(plain).not.toHaveProperty('startRebalanceOnline');
    expectTypeOf(plain).not.toHaveProperty('advanceRebalance');
    expectTypeOf(plain).not.toHaveProperty('rebalanceStatus');
    expectTypeOf(new (ShardedHashMap.with(other))<string, number>()).not.toHaveProperty('rebalanceTo');

    const chained = new (ShardedHashMap.with(other).with(rebalance))<string, number>();
    expectTypeOf(chained.rebalanceTo(2)).toEqualTypeOf<RebalanceReport>();
    expectTypeOf(
      ShardedHashMap.with(rebalance).tryWithShardsAndHasher<string, number>(8).rebalanceStatus,
    ).toBeFunction();
  });

  it('rejects bad arguments at compile time', () => {
    const map = new (ShardedHashMap.with(rebalance))<string, number>(8);
    // @ts-expect-error the count is a number
    map.rebalanceTo('32');
    // @ts-expect-error batchSize is a number
    map.rebalanceTo(32, { background: true, batchSize: '1k' });
    // @ts-expect-error unknown option
    map.rebalanceTo(32, { backgroud: true });
  });

  it('types option autoExpand only where rebalance is composed', () => {
    const Rebalanced = ShardedHashMap.with(rebalance);
    new Rebalanced<string, number>(4, { autoExpand: { maxLoadPerShard: 1000 } });
    new Rebalanced<string, number>(4, { autoExpand: { maxLoadPerShard: 1000, factor: 4, entriesPerWrite: 16 } });
    // @ts-expect-error maxLoadPerShard is required
    new Rebalanced<string, number>(4, { autoExpand: { factor: 2 } });
    // @ts-expect-error the core map has no autoExpand option
    new ShardedHashMap<string, number>(4, { autoExpand: { maxLoadPerShard: 1000 } });
    expectTypeOf<AutoExpandOptions['factor']>().toEqualTypeOf<number | undefined>();
  });

  it('adds the async API to async compositions listing it, with rebalanceStatus sync', () => {
    const map = new (AsyncShardedHashMap.with(rebalance))<string, number>(8, { reentrancy: 'trust' });
    expectTypeOf(map.rebalanceTo(32)).toEqualTypeOf<Promise<RebalanceReport>>();
    expectTypeOf(map.rebalanceTo(32, { background: true, maxPauseNs: 2e6 })).toEqualTypeOf<Promise<RebalanceReport>>();
    expectTypeOf(map.startRebalanceOnline(64)).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(map.advanceRebalance(1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(map.rebalanceStatus()).toEqualTypeOf<RebalanceStatus>();
    new (AsyncShardedHashMap.with(rebalance))<string, number>(4, { autoExpand: { maxLoadPerShard: 10 } });

    const plain = new AsyncShardedHashMap<string, number>();
    expectTypeOf(plain).not.toHaveProperty('rebalanceTo');
    expectTypeOf(plain).not.toHaveProperty('rebalanceStatus');
    expectTypeOf(new (AsyncShardedHashMap.with(other))<string, number>()).not.toHaveProperty('advanceRebalance');
  });
});
