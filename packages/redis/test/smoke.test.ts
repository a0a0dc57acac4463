import { describe, expect, it } from 'vitest';
import { numberCodec, RedisShardedHashMap } from '../src/index.js';
import { deployments, freshPrefix, useDeployment } from './support/targets.js';

describe.each(deployments)('smoke %s', (kind) => {
  const target = useDeployment(kind);
  it('works', async () => {
    const map = new RedisShardedHashMap<string, number>(target.client(), {
      prefix: freshPrefix('s'),
      valueCodec: numberCodec,
    });
    expect(await map.insert('a', 1)).toBeUndefined();
    expect(await map.insert('a', 2)).toBe(1);
    expect(await map.batchInsert(Array.from({ length: 100 }, (_, i) => [`k${i}`, i] as [string, number]))).toBe(100);
    expect(await map.len()).toBe(101);
    expect(await map.batchGet(['k1', 'k99', 'zz'])).toEqual([1, 99, undefined]);
    expect(await map.computeIfAbsent('x', async () => 5)).toBe(5);
    expect(await map.compareAndSwap('x', 5, 6)).toEqual({ success: true, value: 6 });
    expect(await map.compareAndSwap('x', 5, 7)).toEqual({ success: false, value: 6 });
    expect(await map.computeIfPresent('x', (v) => v + 1)).toBe(7);
    expect(await map.retain((k) => !k.startsWith('k'))).toBe(100);
    expect((await map.iter()).sort()).toEqual([
      ['a', 2],
      ['x', 7],
    ]);
    await map.clear();
    expect(await map.isEmpty()).toBe(true);
  });
});
