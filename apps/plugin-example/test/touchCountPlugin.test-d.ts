import { definePlugin, ShardedHashMap } from '@starshard/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type TouchCountApi, touchCount } from '../src/index.js';

// A second third-party plugin with no registry entries of its own: composing it next to
// touchCount must not hide touchCount's API, options or statics.
const noEntries = definePlugin({ name: 'noEntries', sync: (Base) => class extends Base {} });

describe('touchCount types', () => {
  it('appear only on compositions listing the plugin', () => {
    const plain = new ShardedHashMap<string, number>();
    // @ts-expect-error touchCount is not composed
    plain.touchCount('a');
    // @ts-expect-error not composed: no static either
    ShardedHashMap.withTouchTracking(8);

    const Other = ShardedHashMap.with(noEntries);
    // @ts-expect-error composed with another plugin only
    new Other<string, number>().hottestKeys(3);

    const m = new (ShardedHashMap.with(touchCount))<string, number>();
    expectTypeOf(m.touchCount).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(m.hottestKeys).returns.toEqualTypeOf<[key: string, touches: number][]>();
    expectTypeOf(m).toExtend<TouchCountApi<string>>();
    expectTypeOf(m).toExtend<ShardedHashMap<string, number>>();
  });

  it('takes K from the map', () => {
    const m = new (ShardedHashMap.with(touchCount))<{ id: number }, string>();
    expectTypeOf(m.touchCount).parameter(0).toEqualTypeOf<{ id: number }>();
    // @ts-expect-error keys are { id: number }
    m.touchCount('a');
  });

  it('accepts touchLimit only where composed', () => {
    const Counted = ShardedHashMap.with(touchCount);
    new Counted<string, number>(8, { touchLimit: 100, strict: true });
    // @ts-expect-error touchLimit is a number
    new Counted<string, number>(8, { touchLimit: '100' });
    // @ts-expect-error excess property: touchCount is not composed
    new ShardedHashMap<string, number>(8, { touchLimit: 100 });
  });

  it('has withTouchTracking returning the composed instance type', () => {
    const Counted = ShardedHashMap.with(touchCount);
    const m = Counted.withTouchTracking<string, number>(8, 100);
    expectTypeOf(m.touchCount).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(m.get).returns.toEqualTypeOf<number | undefined>();
  });

  it('keeps its API, options and statics next to a plugin without registry entries', () => {
    const Both = ShardedHashMap.with(touchCount, noEntries);
    const m = new Both<string, number>(8, { touchLimit: 10 });
    expectTypeOf(m.touchCount).toEqualTypeOf<(key: string) => number>();
    expectTypeOf(Both.withTouchTracking<string, number>(8).hottestKeys).toBeFunction();
    expectTypeOf(ShardedHashMap.with(noEntries).with(touchCount).withTouchTracking).toBeFunction();
  });
});
