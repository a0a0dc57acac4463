// The type-level contract of the async map: async plugin facets appear only on async
// compositions that list them, generic in K and V; the sync facet's API stays on sync maps.
import { ShardedHashMap } from '@starshard/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  AsyncRwLock,
  AsyncShardedHashMap,
  type CallbackContext,
  type LockOptions,
  type Release,
} from '../src/index.js';
import { tdAsyncOnly, tdTally } from './support/tallyPlugin.js';

describe('AsyncShardedHashMap types', () => {
  it('has the async API of the plugins it is composed with, and only those', () => {
    const Tallied = AsyncShardedHashMap.with(tdTally);
    const map = new Tallied<string, number>(8);
    expectTypeOf(map.tally).parameters.toEqualTypeOf<[key: string]>();
    expectTypeOf(map.tally('a')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(map.transfer).toBeFunction();
    expectTypeOf(map).not.toHaveProperty('asyncOnly');
    expectTypeOf(map).not.toHaveProperty('syncOnly');
    expectTypeOf(map.get('a')).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(map).toMatchTypeOf<AsyncShardedHashMap<string, number>>();

    const plain = new AsyncShardedHashMap<string, number>();
    expectTypeOf(plain).not.toHaveProperty('tally');
    expectTypeOf(plain).not.toHaveProperty('transfer');

    const both = new (AsyncShardedHashMap.with(tdTally, tdAsyncOnly))<string, number>();
    expectTypeOf(both.asyncOnly()).toEqualTypeOf<Promise<string>>();
    expectTypeOf(both.bump('a')).toEqualTypeOf<Promise<number>>();
    const chained = new (AsyncShardedHashMap.with(tdAsyncOnly).with(tdTally))<string, number>();
    expectTypeOf(chained.tally).toBeFunction();
  });

  it('keeps the sync facet on sync compositions, returning plain values', () => {
    const map = new (ShardedHashMap.with(tdTally))<string, number>();
    expectTypeOf(map.tally('a')).toEqualTypeOf<number>();
    expectTypeOf(map).not.toHaveProperty('transfer');
    expectTypeOf(new ShardedHashMap<string, number>()).not.toHaveProperty('tally');
  });

  it('types the constructors of a composition with the composed instance', () => {
    const Tallied = AsyncShardedHashMap.with(tdTally);
    expectTypeOf(Tallied.withShardsAndHasher<string, number>(8).tally).toBeFunction();
    expectTypeOf(Tallied.tryWithShardsAndHasherCapped<string, number>(8, undefined, 16).bump('k')).toEqualTypeOf<
      Promise<number>
    >();
    expectTypeOf(AsyncShardedHashMap.withShardsAndHasher<string, number>(8)).toEqualTypeOf<
      AsyncShardedHashMap<string, number>
    >();
  });

  it('accepts the async options on composed classes, and only there', () => {
    const Tallied = AsyncShardedHashMap.with(tdTally);
    expectTypeOf(new Tallied<string, number>(8, { reentrancy: 'trust', seed: 3 }).shardCount()).toEqualTypeOf<number>();
    // @ts-expect-error reentrancy is an option of the async map kind, not of the sync one
    new (ShardedHashMap.with(tdTally))<string, number>(8, { reentrancy: 'trust' });
  });

  it('returns promises from every method but shardCount, and takes async callbacks', () => {
    const map = new AsyncShardedHashMap<string, { n: number }>();
    expectTypeOf(map.shardCount()).toEqualTypeOf<number>();
    expectTypeOf(map.size).toEqualTypeOf<number>();
    expectTypeOf(map.insert('a', { n: 1 })).toEqualTypeOf<Promise<{ n: number } | undefined>>();
    expectTypeOf(map.iter()).toEqualTypeOf<Promise<[string, { n: number }][]>>();
    expectTypeOf(map.keys()).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(map.len()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(map.set('a', { n: 1 })).toEqualTypeOf<Promise<AsyncShardedHashMap<string, { n: number }>>>();
    expectTypeOf(map.computeIfPresent('a', async (v) => ({ n: v.n + 1 }))).toEqualTypeOf<
      Promise<{ n: number } | undefined>
    >();
    expectTypeOf(
      map.computeIfAbsent('a', (_k, { signal }) => {
        expectTypeOf(signal).toEqualTypeOf<AbortSignal | undefined>();
        return Promise.resolve({ n: 0 });
      }),
    ).toEqualTypeOf<Promise<{ n: number }>>();
    expectTypeOf(
      map.retain(async (k, v, context) => {
        expectTypeOf(context).toEqualTypeOf<CallbackContext>();
        return k.length > v.n;
      }),
    ).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error the callback must return the map's value type
    map.computeIfPresent('a', async () => 'not a value');
    // @ts-expect-error keys are typed
    map.get(5);
    // @ts-expect-error a signal must be an AbortSignal
    map.insert('a', { n: 1 }, { signal: 'stop' });
  });

  it('types AsyncRwLock', () => {
    const lock = new AsyncRwLock();
    expectTypeOf(lock.acquireRead()).toEqualTypeOf<Promise<Release>>();
    expectTypeOf(lock.acquireWrite).parameter(0).toEqualTypeOf<LockOptions | undefined>();
    expectTypeOf(lock.tryAcquireWrite()).toEqualTypeOf<Release | undefined>();
    expectTypeOf(lock.withRead(() => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(lock.withWrite(async () => 'x')).toEqualTypeOf<Promise<string>>();
  });
});
