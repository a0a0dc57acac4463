// The type-level contract: the snapshot methods, option and statics appear only on compositions
// that list the plugin, sync and async, generic in K and V.
import { AsyncShardedHashMap } from '@starshard/async';
import { definePlugin, ShardedHashMap } from '@starshard/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type MapSnapshot, SnapshotMode, snapshot } from '../src/index.js';

const other = definePlugin({ name: 'tdOther', sync: (B) => class extends B {}, async: (B) => class extends B {} });

describe('snapshot types', () => {
  it('adds the sync API to sync compositions listing snapshot, and only there', () => {
    const m = new (ShardedHashMap.with(snapshot))<string, number>(64, { snapshotMode: SnapshotMode.Cow });
    expectTypeOf(m.snapshot()).toEqualTypeOf<MapSnapshot<string, number>>();
    expectTypeOf(m.snapshotMode()).toEqualTypeOf<SnapshotMode>();
    expectTypeOf(m.snapshotVersion()).toEqualTypeOf<number>();
    expectTypeOf(m.get('a')).toEqualTypeOf<number | undefined>();
    expectTypeOf(m).toMatchTypeOf<ShardedHashMap<string, number>>();

    expectTypeOf(new ShardedHashMap<string, number>()).not.toHaveProperty('snapshot');
    expectTypeOf(new (ShardedHashMap.with(other))<string, number>()).not.toHaveProperty('snapshotMode');
    const chained = new (ShardedHashMap.with(other).with(snapshot))<string, number>();
    expectTypeOf(chained.snapshot().get('a')).toEqualTypeOf<number | undefined>();
  });

  it('types MapSnapshot as a read-only map with a version', () => {
    const snap = new (ShardedHashMap.with(snapshot))<string, { n: number }>().snapshot();
    expectTypeOf(snap).toMatchTypeOf<ReadonlyMap<string, { n: number }>>();
    expectTypeOf(snap.version).toEqualTypeOf<number>();
    expectTypeOf(snap.size).toEqualTypeOf<number>();
    expectTypeOf(snap.get('a')).toEqualTypeOf<{ n: number } | undefined>();
    expectTypeOf(snap.has('a')).toEqualTypeOf<boolean>();
    expectTypeOf(snap.toArray()).toEqualTypeOf<[string, { n: number }][]>();
    expectTypeOf([...snap]).toEqualTypeOf<[string, { n: number }][]>();
    expectTypeOf(snap.keys()).toEqualTypeOf<MapIterator<string>>();
    expectTypeOf(snap).not.toHaveProperty('set');
    expectTypeOf(snap).not.toHaveProperty('delete');
    // @ts-expect-error read-only
    snap.version = 3;
  });

  it('accepts the snapshotMode option only on compositions listing snapshot, and only known modes', () => {
    const Snap = ShardedHashMap.with(snapshot);
    new Snap<string, number>(8, { snapshotMode: 'cached', seed: 1 });
    // @ts-expect-error not a snapshot mode
    new Snap<string, number>(8, { snapshotMode: 'fast' });
    // @ts-expect-error the option exists only where the plugin is composed
    new ShardedHashMap<string, number>(8, { snapshotMode: 'cow' });
    // @ts-expect-error the option exists only where the plugin is composed
    new (ShardedHashMap.with(other))<string, number>(8, { snapshotMode: 'cow' });
    expectTypeOf(SnapshotMode.Cow).toEqualTypeOf<'cow'>();
    expectTypeOf<SnapshotMode>().toEqualTypeOf<'clone' | 'cached' | 'cow'>();
  });

  it('adds the statics, returning the composed type, only to compositions listing snapshot', () => {
    const Snap = ShardedHashMap.with(snapshot, other);
    const a = Snap.withSnapshotMode<string, number>(64, SnapshotMode.Cow);
    expectTypeOf(a.snapshot()).toEqualTypeOf<MapSnapshot<string, number>>();
    const b = Snap.withShardsAndHasherAndSnapshotMode<string, number>(64, (k) => k.length, 'cached');
    expectTypeOf(b.snapshotMode()).toEqualTypeOf<SnapshotMode>();
    const c = Snap.withShardsAndHasherCappedAndSnapshotMode<string, number>(64, undefined, 8, 'clone');
    expectTypeOf(c.insert('a', 1)).toEqualTypeOf<number | undefined>();
    expectTypeOf(Snap.withShardsAndHasher<string, number>(8).snapshot).toBeFunction();
    expectTypeOf(ShardedHashMap).not.toHaveProperty('withSnapshotMode');
    expectTypeOf(ShardedHashMap.with(other)).not.toHaveProperty('withSnapshotMode');
    // @ts-expect-error not a snapshot mode
    Snap.withSnapshotMode(8, 'fast');
  });

  it('adds the async API to async compositions listing snapshot, and only there', () => {
    const AsyncSnap = AsyncShardedHashMap.with(snapshot);
    const m = new AsyncSnap<string, number>(8, { snapshotMode: 'cow', reentrancy: 'trust' });
    expectTypeOf(m.snapshot()).toEqualTypeOf<Promise<MapSnapshot<string, number>>>();
    expectTypeOf(m.snapshotMode()).toEqualTypeOf<Promise<SnapshotMode>>();
    expectTypeOf(m.snapshotVersion()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(m.get('a')).toEqualTypeOf<Promise<number | undefined>>();
    const s = AsyncSnap.withSnapshotMode<string, number>(8, SnapshotMode.Cached);
    expectTypeOf(s.snapshot()).toEqualTypeOf<Promise<MapSnapshot<string, number>>>();
    expectTypeOf(
      AsyncSnap.withShardsAndHasherCappedAndSnapshotMode<string, number>(8, undefined, 4, 'cow'),
    ).toEqualTypeOf<typeof s>();
    expectTypeOf(new AsyncShardedHashMap<string, number>()).not.toHaveProperty('snapshot');
    expectTypeOf(AsyncShardedHashMap).not.toHaveProperty('withSnapshotMode');
    expectTypeOf(new (AsyncShardedHashMap.with(other))<string, number>()).not.toHaveProperty('snapshot');
    // @ts-expect-error the option exists only where the plugin is composed
    new AsyncShardedHashMap<string, number>(8, { snapshotMode: 'cow' });
  });
});
