import { describe, expect, it } from 'vitest';
import { codecs, SharedShardedHashMap } from '../src/index.js';

describe('one hidden class', () => {
  it('created and attached maps, with any codecs, have the same own fields in the same order', () => {
    const a = new SharedShardedHashMap({ shards: 2, key: codecs.number, value: codecs.structured });
    const b = SharedShardedHashMap.attach(a.handle);
    const c = new SharedShardedHashMap({
      key: codecs.string,
      value: { name: 'x', encode: (v: string) => codecs.string.encode(v), decode: codecs.string.decode },
    });
    expect(Reflect.ownKeys(b)).toEqual(Reflect.ownKeys(a));
    expect(Reflect.ownKeys(c)).toEqual(Reflect.ownKeys(a));
    c.insert('k', 'v');
    a.close();
    expect(Reflect.ownKeys(a)).toEqual(Reflect.ownKeys(c));
    for (const m of [b, c]) m.close();
  });
});
