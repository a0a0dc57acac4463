import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { advanced } from '../src/index.js';

const Adv = ShardedHashMap.with(advanced);
const AsyncAdv = AsyncShardedHashMap.with(advanced);

describe('compareAndSwap / compareAndRemove (sync)', () => {
  it('swaps only on a match, and reports the current value otherwise', () => {
    const map = new Adv<string, number>(8);
    map.insert('n', 1);
    expect(map.compareAndSwap('n', 1, 2)).toEqual({ success: true, value: 2 });
    expect(map.compareAndSwap('n', 1, 3)).toEqual({ success: false, value: 2 });
    expect(map.get('n')).toBe(2);
  });

  it('a missing key never matches and reports undefined, not the new value', () => {
    const map = new Adv<string, number | undefined>(8);
    expect(map.compareAndSwap('missing', 1, 5)).toEqual({ success: false, value: undefined });
    expect(map.compareAndSwap('missing', undefined, 5)).toEqual({ success: false, value: undefined });
    expect(map.contains('missing')).toBe(false);
    map.insert('u', undefined); // present, holding undefined: that matches undefined
    expect(map.compareAndSwap('u', undefined, 7)).toEqual({ success: true, value: 7 });
  });

  it('custom equality, NaN and -0 by Object.is', () => {
    const map = new Adv<string, { v: number } | number>(8);
    map.insert('o', { v: 1 });
    expect(map.compareAndSwap('o', { v: 1 }, { v: 2 }).success).toBe(false);
    const eq = (a: unknown, b: unknown) => (a as { v: number }).v === (b as { v: number }).v;
    expect(map.compareAndSwap('o', { v: 1 }, { v: 2 }, eq)).toEqual({ success: true, value: { v: 2 } });
    map.insert('nan', Number.NaN);
    expect(map.compareAndSwap('nan', Number.NaN, 1).success).toBe(true);
    map.insert('z', 0);
    expect(map.compareAndSwap('z', -0, 1).success).toBe(false);
  });

  it('compareAndRemove removes only on a match', () => {
    const map = new Adv<string, string>(8);
    map.insert('lock', 'token-1');
    expect(map.compareAndRemove('lock', 'token-2')).toBe(false);
    expect(map.compareAndRemove('missing', 'token-1')).toBe(false);
    expect(map.compareAndRemove('lock', 'token-1')).toBe(true);
    expect(map.contains('lock')).toBe(false);
    expect(map.compareAndRemove('LOCK', 'x', (a, b) => a.toLowerCase() === b)).toBe(false);
  });

  it('rejects a bad eq, and an eq that throws leaves the map unchanged', () => {
    const map = new Adv<string, number>(8);
    map.insert('a', 1);
    expect(() => map.compareAndSwap('a', 1, 2, 'x' as never)).toThrow(/eq must be a function/);
    expect(() =>
      map.compareAndSwap('a', 1, 2, () => {
        throw new Error('eq failed');
      }),
    ).toThrow('eq failed');
    expect(() => map.compareAndSwap('a', 1, 2, (() => Promise.resolve(true)) as never)).toThrow(/returned a promise/);
    expect(map.get('a')).toBe(1);
  });
});

describe('compareAndSwap (async)', () => {
  it('100 tasks × 100 CAS increments reach exactly 10,000, and every failure reported the value then current', async () => {
    const map = new AsyncAdv<string, number>(16);
    await map.insert('counter', 0);
    let failures = 0;
    let wrongReports = 0;
    const task = async () => {
      let current = (await map.get('counter')) as number;
      for (let i = 0; i < 100; i++) {
        for (;;) {
          const result = await map.compareAndSwap('counter', current, current + 1);
          if (result.success) {
            current = result.value;
            break;
          }
          failures++;
          if (result.value === current) wrongReports++;
          current = result.value as number; // retry from the value the failure reported
        }
      }
    };
    await Promise.all(Array.from({ length: 100 }, task));
    expect(await map.get('counter')).toBe(10_000);
    expect(failures).toBeGreaterThan(0); // real contention happened
    expect(wrongReports).toBe(0);
  });

  it('an async eq holds the key: a plain write waits for it', async () => {
    const map = new AsyncAdv<string, number>(8);
    await map.insert('a', 1);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const cas = map.compareAndSwap('a', 1, 2, async (x, y) => {
      await gate;
      return x === y;
    });
    const write = map.insert('a', 10);
    await new Promise((r) => setTimeout(r, 10));
    expect(await map.get('a')).toBe(1); // the write waits for the CAS
    release();
    expect(await cas).toEqual({ success: true, value: 2 });
    expect(await write).toBe(2);
    expect(await map.get('a')).toBe(10);
    expect(await map.compareAndRemove('a', 10)).toBe(true);
    expect(await map.compareAndSwap('a', 10, 1)).toEqual({ success: false, value: undefined });
    await expect(map.compareAndSwap('a', 1, 2, 5 as never)).rejects.toThrow(/eq must be a function/);
  });
});
