import { AsyncShardedHashMap } from '@starshard/async';
import { definePlugin, ShardedHashMap } from '@starshard/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type AsyncTouchCountApi, type TouchCountApi, touchCount } from '../src/index.js';

// A second third-party plugin with both facets and no registry entries of its own: composing
// it next to touchCount must not hide touchCount's async API, options or statics.
const noEntries = definePlugin({
  name: 'noEntries',
  sync: (Base) => class extends Base {},
  async: (Base) => class extends Base {},
});

describe('touchCount types on AsyncShardedHashMap', () => {
  it('appear only on async compositions listing the plugin', () => {
    const plain = new AsyncShardedHashMap<string, number>();
    // @ts-expect-error touchCount is not composed
    plain.touchCount('a');
    // @ts-expect-error not composed: no static either
    AsyncShardedHashMap.withTouchTracking(8);

    const Other = AsyncShardedHashMap.with(noEntries);
    // @ts-expect-error composed with another plugin only
    new Other<string, number>().hottestKeys(3);

    const m = new (AsyncShardedHashMap.with(touchCount))<string, number>();
    expectTypeOf(m.touchCount).toEqualTypeOf<(key: string) => Promise<number>>();
    expectTypeOf(m.hottestKeys).returns.toEqualTypeOf<Promise<[key: string, touches: number][]>>();
    expectTypeOf(m.totalTouches).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(m.resetTouches).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(m).toExtend<AsyncTouchCountApi<string>>();
    expectTypeOf(m).toExtend<AsyncShardedHashMap<string, number>>();
  });

  it('has the async API on async maps and the sync API on sync maps, never the other', () => {
    const a = new (AsyncShardedHashMap.with(touchCount))<string, number>();
    expectTypeOf(a.touchCount('k')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(a).not.toExtend<TouchCountApi<string>>();
    const s = new (ShardedHashMap.with(touchCount))<string, number>();
    expectTypeOf(s.touchCount('k')).toEqualTypeOf<number>();
    expectTypeOf(s).not.toExtend<AsyncTouchCountApi<string>>();
  });

  it('takes K from the map', () => {
    const m = new (AsyncShardedHashMap.with(touchCount))<{ id: number }, string>();
    expectTypeOf(m.touchCount).parameter(0).toEqualTypeOf<{ id: number }>();
    expectTypeOf(m.hottestKeys(1)).resolves.toEqualTypeOf<[key: { id: number }, touches: number][]>();
    // @ts-expect-error keys are { id: number }
    m.touchCount('a');
  });

  it('accepts touchLimit next to the async options, only where composed', () => {
    const AsyncCounted = AsyncShardedHashMap.with(touchCount);
    new AsyncCounted<string, number>(8, { touchLimit: 100, reentrancy: 'trust', strict: true });
    // @ts-expect-error touchLimit is a number
    new AsyncCounted<string, number>(8, { touchLimit: '100' });
    // @ts-expect-error excess property: touchCount is not composed
    new AsyncShardedHashMap<string, number>(8, { touchLimit: 100 });
    // @ts-expect-error reentrancy is an option of async maps only
    new (ShardedHashMap.with(touchCount))<string, number>(8, { touchLimit: 100, reentrancy: 'trust' });
  });

  it('has withTouchTracking returning the async composed instance type', () => {
    const AsyncCounted = AsyncShardedHashMap.with(touchCount);
    const m = AsyncCounted.withTouchTracking<string, number>(8, 100);
    expectTypeOf(m.touchCount).toEqualTypeOf<(key: string) => Promise<number>>();
    expectTypeOf(m.get).returns.toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(m).toExtend<AsyncShardedHashMap<string, number>>();
    expectTypeOf(AsyncCounted.withShardsAndHasher<string, number>(8).hottestKeys).toBeFunction();
  });

  it('keeps its async API, options and statics next to a plugin without registry entries', () => {
    const Both = AsyncShardedHashMap.with(touchCount, noEntries);
    const m = new Both<string, number>(8, { touchLimit: 10 });
    expectTypeOf(m.touchCount).toEqualTypeOf<(key: string) => Promise<number>>();
    expectTypeOf(Both.withTouchTracking<string, number>(8).hottestKeys).returns.resolves.toBeArray();
    expectTypeOf(AsyncShardedHashMap.with(noEntries).with(touchCount).withTouchTracking).toBeFunction();
  });
});
