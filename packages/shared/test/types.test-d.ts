import { describe, expectTypeOf, it } from 'vitest';
import { type Codec, codecs, SharedShardedHashMap, type SharedShardedHashMapHandle } from '../src/index.js';

describe('types', () => {
  it('K and V are inferred from the codecs', () => {
    const m = new SharedShardedHashMap({ key: codecs.number, value: codecs.string });
    expectTypeOf(m).toEqualTypeOf<SharedShardedHashMap<number, string>>();
    expectTypeOf(m.get(1)).toEqualTypeOf<string | undefined>();
    expectTypeOf(m.computeIfAbsent(1, () => 'x')).toEqualTypeOf<string>();
    expectTypeOf(m.getAsync(1)).toEqualTypeOf<Promise<string | undefined>>();
    expectTypeOf(m.handle).toEqualTypeOf<SharedShardedHashMapHandle>();
    // @ts-expect-error a string key on a number-keyed map
    m.get('1');
  });

  it('a custom codec types its values', () => {
    const date: Codec<Date> = { name: 'date', encode: () => new Uint8Array(), decode: () => new Date() };
    const m = new SharedShardedHashMap({ key: codecs.string, value: date });
    expectTypeOf(m.values()).toEqualTypeOf<MapIterator<Date>>();
    expectTypeOf(SharedShardedHashMap.attach<string, Date>(m.handle, { value: date })).toEqualTypeOf<
      SharedShardedHashMap<string, Date>
    >();
  });

  it('stands where a Map is expected', () => {
    const m = new SharedShardedHashMap({ key: codecs.string, value: codecs.number });
    expectTypeOf(m).toMatchTypeOf<Map<string, number>>();
  });
});
