// The type-level contract: toJSON, fromJSON and asyncSnapshotSerializable appear only on
// compositions that list serde; fromJSON returns the composed instance type.
import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { date } from 'serializr';
import { describe, expectTypeOf, it } from 'vitest';
import { snapshot } from '../../snapshot/src/index.js';
import {
  type DeserializeError,
  deserializeMap,
  deserializeMapStream,
  type SerializedMap,
  serde,
  serializeMap,
} from '../src/index.js';

describe('serde types', () => {
  it('adds toJSON and the static fromJSON to compositions listing serde, and only there', () => {
    const Composed = ShardedHashMap.with(serde, snapshot);
    const m = Composed.fromJSON<string, Date>('{}', { value: date(), mapOptions: { snapshotMode: 'cow' } });
    expectTypeOf(m.get('a')).toEqualTypeOf<Date | undefined>();
    expectTypeOf(m.snapshotMode()).toEqualTypeOf<'clone' | 'cached' | 'cow'>();
    expectTypeOf(m.toJSON()).toEqualTypeOf<SerializedMap<string, Date>>();
    expectTypeOf(m.toJSON<string, number>().entries).toEqualTypeOf<[string, number][]>();
    expectTypeOf(new ShardedHashMap<string, number>()).not.toHaveProperty('toJSON');
    expectTypeOf(ShardedHashMap).not.toHaveProperty('fromJSON');
    new Composed<string, Date>(8, { serde: { value: date() } });
  });

  it('types the async facet', () => {
    const AsyncSerde = AsyncShardedHashMap.with(serde);
    const m = AsyncSerde.fromJSON<string, number>({ shard_count: 8, entries: [] });
    expectTypeOf(m).toMatchTypeOf<AsyncShardedHashMap<string, number>>();
    expectTypeOf(m.asyncSnapshotSerializable()).toEqualTypeOf<Promise<[string, number][]>>();
    expectTypeOf(m.toJSON().shard_count).toEqualTypeOf<number>();
    expectTypeOf(new AsyncShardedHashMap<string, number>()).not.toHaveProperty('asyncSnapshotSerializable');
  });

  it('types the functions', () => {
    const m = new ShardedHashMap<string, number>();
    expectTypeOf(serializeMap(m)).toEqualTypeOf<SerializedMap>();
    expectTypeOf(deserializeMap<string, number>('')).toEqualTypeOf<ShardedHashMap<string, number>>();
    const Composed = ShardedHashMap.with(snapshot);
    expectTypeOf(deserializeMap('', { Map: Composed }).snapshot).toBeFunction();
    expectTypeOf(deserializeMapStream<string, number>('')).toEqualTypeOf<Promise<ShardedHashMap<string, number>>>();
    expectTypeOf<DeserializeError['path']>().toEqualTypeOf<string>();
  });
});
