// AsyncShardedHashMap.with(...): async facets composed with the core's registry, over an inner
// sync map composed with the same plugins' sync facets, using the seams under the right locks.
import { PluginDependencyError, ShardedHashMap } from '@starshard/core';
import { describe, expect, it, vi } from 'vitest';
import { AsyncShardedHashMap } from '../src/index.js';
import { tdAsyncOnly, tdSyncOnly, tdTally } from './support/tallyPlugin.js';

const IDLE = { shardLocks: 0, keyLocks: 0, pendingLoads: 0, waiting: 0, idle: true };
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('AsyncShardedHashMap.with', () => {
  it('returns one class per plugin set, whatever the order, extending the base class', () => {
    const A = AsyncShardedHashMap.with(tdTally, tdAsyncOnly);
    expect(AsyncShardedHashMap.with(tdAsyncOnly, tdTally)).toBe(A);
    expect(AsyncShardedHashMap.with(tdTally).with(tdAsyncOnly)).toBe(A);
    expect(A.prototype).toBeInstanceOf(AsyncShardedHashMap);
    expect(A.plugins.map((p) => p.name)).toEqual(['tdAsyncOnly', 'tdTally']);
    expect(AsyncShardedHashMap.with()).toBe(AsyncShardedHashMap);
    expect(AsyncShardedHashMap.prototype).not.toHaveProperty('tally');
  });

  it('wraps a sync map composed with the same plugins, so sync logic runs on async calls', async () => {
    const Tallied = AsyncShardedHashMap.with(tdTally);
    const map = new Tallied<string, number>(8);
    await map.insert('a', 1);
    await map.computeIfPresent('a', async (n) => n + 1);
    await map.computeIfAbsent('b', async () => 5);
    expect(await map.tally('a')).toBe(2);
    expect(await map.tally('b')).toBe(1);
    expect(await map.bump('a', 10)).toBe(12);
    expect(await map.get('a')).toBe(12);
    expect(await map.total()).toBe(17);
    expect(map).toBeInstanceOf(AsyncShardedHashMap);
    expect(Object.prototype.toString.call(map)).toBe('[object AsyncShardedHashMap]');
  });

  it('gives the Rust-named constructors of a composed class the composed instance', () => {
    const Tallied = AsyncShardedHashMap.with(tdTally);
    for (const map of [
      Tallied.withShardsAndHasher<string, number>(8),
      Tallied.withShardsAndHasherCapped<string, number>(100, undefined, 16),
      Tallied.tryWithShardsAndHasher<string, number>(8),
      Tallied.tryWithShardsAndHasherCapped<string, number>(8, undefined, 16),
    ]) {
      expect(map).toBeInstanceOf(Tallied);
      expect(typeof map.tally).toBe('function');
    }
    expect(Tallied.withShardsAndHasherCapped(100, undefined, 16).shardCount()).toBe(16);
  });

  it('refuses at .with() time a plugin without an async facet', () => {
    expect(() => AsyncShardedHashMap.with(tdSyncOnly)).toThrow(PluginDependencyError);
    expect(() => AsyncShardedHashMap.with(tdTally, tdSyncOnly)).toThrow(PluginDependencyError);
    // The sync map refuses the async-only plugin the same way.
    expect(() => ShardedHashMap.with(tdAsyncOnly)).toThrow(PluginDependencyError);
  });

  it('composes a plugin with an async facet only', async () => {
    const map = new (AsyncShardedHashMap.with(tdAsyncOnly))<string, number>(4);
    expect(await map.asyncOnly()).toBe('async');
    await map.insert('a', 1);
    expect(await map.get('a')).toBe(1);
  });

  it('keeps one hidden class per composed class', async () => {
    const Tallied = AsyncShardedHashMap.with(tdTally);
    const a = new Tallied<string, number>();
    const b = new Tallied<string, number>(8, { seed: 3, strict: true, reentrancy: 'trust' });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = Tallied.withShardsAndHasher<string, number>(1e9);
    warn.mockRestore();
    await a.insert('k', 1);
    await a.computeIfPresent('k', async (n) => n + 1);
    expect(Reflect.ownKeys(b)).toEqual(Reflect.ownKeys(a));
    expect(Reflect.ownKeys(c)).toEqual(Reflect.ownKeys(a));
    expect(Reflect.ownKeys(new AsyncShardedHashMap())).toEqual(Reflect.ownKeys(a));
  });

  it('lets a subclass of a composed class keep the composed inner map', async () => {
    class Named extends AsyncShardedHashMap.with(tdTally)<string, number> {
      readonly label = 'named';
    }
    const map = new Named(4);
    await map.insert('a', 1);
    expect(await map.tally('a')).toBe(1);
    expect(map.label).toBe('named');
  });
});

describe('the seam for async facets respects the locks', () => {
  it('runWrite waits for a callback holding the key', async () => {
    const map = new (AsyncShardedHashMap.with(tdTally))<string, number>(4);
    await map.insert('a', 1);
    let release!: () => void;
    const update = map.computeIfPresent('a', async (n) => {
      await new Promise<void>((resolve) => (release = resolve));
      return n * 100;
    });
    await macrotask();
    const bumped = map.bump('a');
    await macrotask();
    release();
    expect(await update).toBe(100);
    expect(await bumped).toBe(101);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('runWithKey holds the key across awaits: concurrent bumps lose nothing', async () => {
    const map = new (AsyncShardedHashMap.with(tdTally))<string, number>(4);
    await map.insert('n', 0);
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        map.bumpIfAllowed('n', async (value) => {
          await macrotask();
          return (value ?? 0) < 150;
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(150);
    expect(await map.get('n')).toBe(150);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('runWithShards keeps a sum invariant under concurrent transfers and updates', async () => {
    const map = new (AsyncShardedHashMap.with(tdTally))<string, number>(8);
    const accounts = Array.from({ length: 10 }, (_, i) => `acct${i}`);
    await map.batchInsert(accounts.map((a) => [a, 100] as [string, number]));
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const from = accounts[i % 10]!;
      const to = accounts[(i * 7 + 3) % 10]!;
      ops.push(map.transfer(from, to, 1));
      // A callback on an account meanwhile: must not interleave with a transfer on its shard.
      if (i % 5 === 0) {
        ops.push(
          map.computeIfPresent(from, async (n) => {
            await macrotask();
            return n;
          }),
        );
      }
      if (i % 50 === 0) ops.push(map.total().then((t) => expect(t).toBe(1000)));
    }
    await Promise.all(ops);
    expect(await map.total()).toBe(1000);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('makes the first runWithShards wait for the callbacks started before shard locks were in use', async () => {
    const map = new (AsyncShardedHashMap.with(tdTally))<string, number>(8);
    await map.batchInsert([
      ['from', 10],
      ['to', 0],
    ]);
    let release!: () => void;
    const order: string[] = [];
    const holder = map.computeIfPresent('from', async (n) => {
      await new Promise<void>((resolve) => (release = resolve));
      order.push('callback');
      return n * 2;
    });
    await macrotask();
    const transfer = map.transfer('from', 'to', 5).then(() => order.push('transfer'));
    await macrotask();
    expect(order).toEqual([]);
    release();
    await Promise.all([holder, transfer]);
    expect(order).toEqual(['callback', 'transfer']);
    expect(await map.get('from')).toBe(15);
    expect(await map.get('to')).toBe(5);
    expect(map.lockStats()).toEqual(IDLE);
  });

  it('takes the whole map for runWithShards while shard holds predate a layout change', async () => {
    const map = new (AsyncShardedHashMap.with(tdTally))<string, number>(64, { seed: 7 });
    const inner = (map as unknown as { inner: { layoutEpoch: number; shardIndexOf(k: string): number } }).inner;
    await map.transfer('x', 'y', 0); // shard locks in use from here on
    const held = 'a key long enough for the full hash to place it elsewhere';
    await map.insert(held, 1);
    const shardBefore = inner.shardIndexOf(held);
    let release!: () => void;
    const order: string[] = [];
    const holder = map.computeIfPresent(held, async (n) => {
      await new Promise<void>((resolve) => (release = resolve));
      order.push('callback');
      return n + 1;
    });
    await macrotask();
    // Keys alike in length and ending: the sampled string hash piles them up until the map
    // switches to hashing every character, which moves keys to other shards.
    const epoch = inner.layoutEpoch;
    for (let i = 0; i < 4000 && inner.layoutEpoch === epoch; i++) {
      await map.insert(`/app/node_modules/p${String(i).padStart(5, '0')}/package.json`, i);
    }
    expect(inner.layoutEpoch, 'the layout changed while the callback held its shard').toBeGreaterThan(epoch);
    expect(inner.shardIndexOf(held), 'the held key moved to another shard').not.toBe(shardBefore);
    const transfer = map.transfer(held, 'other', 1).then(() => order.push('transfer'));
    await macrotask();
    expect(order).toEqual([]);
    release();
    await Promise.all([holder, transfer]);
    expect(order).toEqual(['callback', 'transfer']);
    expect(await map.get(held)).toBe(1);
    expect(await map.get('other')).toBe(1);
    expect(map.lockStats()).toEqual(IDLE);
  });
});
