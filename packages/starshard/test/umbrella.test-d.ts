// The umbrella's classes carry every plugin's API in the types, and its instance types are usable
// as annotations.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AsyncShardedHashMap as AsyncMap,
  AsyncShardedHashMap,
  type CasResult,
  type MapSnapshot,
  type MetricsStats,
  type RebalanceStatus,
  ShardedHashMap,
  SnapshotMode,
  type ShardedHashMap as SyncMap,
  Transaction,
  type TransactionResult,
} from '../src/index.js';

describe('umbrella types', () => {
  it('the sync class has every plugin API', () => {
    const m: SyncMap<string, number> = new ShardedHashMap<string, number>(64, { snapshotMode: SnapshotMode.Cow });
    expectTypeOf(m.get('a')).toEqualTypeOf<number | undefined>();
    expectTypeOf(m.snapshot()).toEqualTypeOf<MapSnapshot<string, number>>();
    expectTypeOf(m.rebalanceStatus()).toEqualTypeOf<RebalanceStatus>();
    expectTypeOf(m.metrics()).toEqualTypeOf<MetricsStats>();
    expectTypeOf(m.compareAndSwap('a', 1, 2)).toEqualTypeOf<CasResult<number>>();
    expectTypeOf(m.executeTransaction(new Transaction<string, number>())).toEqualTypeOf<
      TransactionResult<string, number>
    >();
    expectTypeOf(ShardedHashMap.fromJSON<string, number>('{}')).toEqualTypeOf<SyncMap<string, number>>();
  });

  it('the async class has every plugin API, returning promises', () => {
    const m: AsyncMap<string, number> = new AsyncShardedHashMap<string, number>(64, { reentrancy: 'trust' });
    expectTypeOf(m.get('a')).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(m.snapshot()).toEqualTypeOf<Promise<MapSnapshot<string, number>>>();
    expectTypeOf(m.rebalanceStatus()).toEqualTypeOf<RebalanceStatus>(); // synchronous, as in Rust
    expectTypeOf(m.metrics()).toEqualTypeOf<Promise<MetricsStats>>();
    expectTypeOf(m.compareAndSwap('a', 1, 2)).toEqualTypeOf<Promise<CasResult<number>>>();
    expectTypeOf(m.insertReplicated('a', 1)).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(AsyncShardedHashMap.fromJSON<string, number>('{}')).toEqualTypeOf<AsyncMap<string, number>>();
  });

  it('a plugin method is not on the bare core class', () => {
    // @ts-expect-error rebalanceTo comes from the rebalance plugin
    new (Object.getPrototypeOf(ShardedHashMap) as typeof import('@starshard/core').ShardedHashMap)(8).rebalanceTo(4);
  });
});
