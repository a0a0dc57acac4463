// The serde plugin: toJSON / JSON.stringify, the static fromJSON returning the composed class,
// the serde option, composition with the real snapshot and rebalance plugins (imported from
// their workspace sources: integration tests, not dependencies), and the async facet.
import { AsyncShardedHashMap } from '@starshard/async';
import { definePlugin, InvalidArgumentError, PluginConflictError, ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { createModelSchema, date, object, primitive } from 'serializr';
import { describe, expect, it } from 'vitest';
import { rebalance } from '../../rebalance/src/index.js';
import { SnapshotMode, snapshot } from '../../snapshot/src/index.js';
import { DeserializeError, serde, serializeMap } from '../src/index.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 50;

class Todo {
  title = '';
  due: Date = new Date(0);
}
createModelSchema(Todo, { title: primitive(), due: date() });
const todo = (title: string, due: number) => Object.assign(new Todo(), { title, due: new Date(due) });

describe('sync facet', () => {
  const Serde = ShardedHashMap.with(serde);

  it('JSON.stringify(map) writes the wire format; fromJSON reads it back as the composed class', () => {
    const m = new Serde<string, number>(16);
    m.insert('a', 1);
    m.insert('b', 2);
    const text = JSON.stringify(m);
    expect(JSON.parse(text)).toEqual({
      shard_count: 16,
      entries: expect.arrayContaining([
        ['a', 1],
        ['b', 2],
      ]),
    });
    const back = Serde.fromJSON<string, number>(text);
    expect(back).toBeInstanceOf(Serde);
    expect(back.shardCount()).toBe(16);
    expect([...back.iter()].sort()).toEqual([...m.iter()].sort());
    expect(Serde.fromJSON(JSON.parse(text)).len()).toBe(2);
  });

  it('the serde option gives toJSON its schemas; fromJSON passes its schemas on, so the copy writes the same', () => {
    const m = new Serde<string, Todo>(8, { serde: { value: object(Todo) } });
    m.insert('t', todo('docs', 5000));
    expect(m.toJSON()).toEqual({ shard_count: 8, entries: [['t', { title: 'docs', due: 5000 }]] });
    const back = Serde.fromJSON<string, Todo>(JSON.stringify(m), { value: object(Todo) });
    expect(back.get('t')).toBeInstanceOf(Todo);
    expect(back.get('t')?.due.getTime()).toBe(5000);
    expect(JSON.stringify(back)).toBe(JSON.stringify(m));
  });

  it('an invalid serde option is an InvalidArgumentError at construction', () => {
    expect(() => new Serde(8, { serde: 5 as never })).toThrow(InvalidArgumentError);
    expect(() => new Serde(8, { serde: { value: 'date' as never } })).toThrow(InvalidArgumentError);
  });

  it('mapOptions reach the constructor: strict, hasher, and the serde option', () => {
    const hasher = (k: string) => k.length;
    const m = Serde.fromJSON<string, number>({ shard_count: 4, entries: [['abc', 1]] }, { mapOptions: { hasher } });
    expect(m.get('abc')).toBe(1);
    expect(() =>
      Serde.fromJSON({ shard_count: 5000, entries: [] }, { mapOptions: { strict: true, maxShards: 8 } }),
    ).toThrow(DeserializeError);
  });

  it('toJSON adds no enumerable or own member to instances, and composes with a plugin that defines other members', () => {
    const other = definePlugin({
      name: 'tOther' as const,
      sync: (B) =>
        class extends B {
          other() {
            return 1;
          }
        },
    });
    const m = new (ShardedHashMap.with(other, serde))<string, number>(4);
    expect(Object.keys(m)).toEqual(Object.keys(new ShardedHashMap(4)));
    expect((m as unknown as { other(): number }).other()).toBe(1);
    const clash = definePlugin({
      name: 'tClash',
      sync: (B) =>
        class extends B {
          toJSON() {
            return {};
          }
        },
    });
    expect(() => ShardedHashMap.with(serde, clash)).toThrow(PluginConflictError);
  });
});

describe('composed with snapshot and rebalance', () => {
  const All = ShardedHashMap.with(serde, snapshot, rebalance);

  it('fromJSON returns the whole composition, with the snapshot mode from mapOptions (not persisted)', () => {
    const m = All.fromJSON<string, number>(
      { shard_count: 8, entries: [['a', 1]] },
      { mapOptions: { snapshotMode: SnapshotMode.Cow } },
    );
    expect(m.snapshotMode()).toBe('cow');
    expect(m.snapshot().get('a')).toBe(1);
    expect(m.rebalanceTo(16).toShards).toBe(16);
    expect(m.toJSON().shard_count).toBe(16);
  });

  it('round-trips in every snapshot mode, and during an online migration sees every entry', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(SnapshotMode)),
        fc.array(fc.tuple(fc.string(), fc.integer()), { maxLength: 80 }),
        fc.integer({ min: 1, max: 64 }),
        fc.nat(4),
        (mode, pairs, target, steps) => {
          const m = new All<string, number>(8, { snapshotMode: mode });
          for (const [k, v] of pairs) m.insert(k, v);
          m.snapshot(); // a Cow snapshot shares the shards; toJSON must still see later writes
          m.insert('after', 1);
          m.startRebalanceOnline(target);
          m.advanceRebalance(steps);
          const model = new Map([...pairs, ['after', 1] as [string, number]]);
          const wire = m.toJSON<string, number>();
          expect(wire.shard_count).toBe(m.shardCount());
          expect(new Map(wire.entries)).toEqual(model);
          const back = All.fromJSON<string, number>(JSON.stringify(m), { mapOptions: { snapshotMode: mode } });
          expect(new Map(back.iter())).toEqual(model);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('async facet', () => {
  const AsyncSerde = AsyncShardedHashMap.with(serde, snapshot);

  it('asyncSnapshotSerializable resolves to the entries; toJSON is synchronous; fromJSON rebuilds the async class', async () => {
    const m = new AsyncSerde<string, number>(8);
    await m.insert('a', 1);
    await m.insert('b', 2);
    const entries = await m.asyncSnapshotSerializable();
    expect(new Map(entries)).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    expect(JSON.parse(JSON.stringify(m))).toEqual({ shard_count: 8, entries: expect.arrayContaining(entries) });
    const back = AsyncSerde.fromJSON<string, number>({ shard_count: m.shardCount(), entries });
    expect(back).toBeInstanceOf(AsyncSerde);
    expect(await back.get('b')).toBe(2);
    expect(await back.len()).toBe(2);
    expect((await back.snapshot()).size).toBe(2);
    await back.insert('c', 3); // the rebuilt map's locks work as usual
    expect(await back.len()).toBe(3);
  });

  it('class values through the serde option and fromJSON options', async () => {
    const m = new AsyncSerde<string, Todo>(4, { serde: { value: object(Todo) } });
    await m.insert('t', todo('x', 7));
    expect(await m.asyncSnapshotSerializable()).toEqual([['t', { title: 'x', due: 7 }]]);
    const back = AsyncSerde.fromJSON<string, Todo>(JSON.stringify(m), { value: object(Todo) });
    expect(await back.get('t')).toBeInstanceOf(Todo);
  });

  it('fromJSON on the async class is as strict as deserializeMap', () => {
    expect(() => AsyncSerde.fromJSON({ shard_count: 4, entries: [['a']] })).toThrow(DeserializeError);
    expect(() => AsyncSerde.fromJSON('[')).toThrow(DeserializeError);
  });

  it('serializeMap refuses an async map with a pointer to the plugin', () => {
    expect(() => serializeMap(new AsyncShardedHashMap(4) as never)).toThrow(/asyncSnapshotSerializable/);
  });

  it('a snapshot taken while writers run is one point in time: never a half-applied batch', async () => {
    const m = new AsyncSerde<number, number>(16);
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let round = 1; round <= 30; round++) {
        // Each batch sets every key of writer w to `round`: a consistent snapshot sees one round per writer.
        await m.batchInsert(Array.from({ length: 20 }, (_, i) => [w * 100 + i, round] as [number, number]));
        await new Promise((r) => setImmediate(r));
      }
    });
    const seen: [number, number][][] = [];
    const reader = (async () => {
      for (let i = 0; i < 40; i++) {
        seen.push(await m.asyncSnapshotSerializable());
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all([...writers, reader]);
    for (const entries of seen) {
      const rounds = new Map<number, Set<number>>();
      for (const [k, v] of entries) {
        const w = Math.floor(k / 100);
        if (!rounds.has(w)) rounds.set(w, new Set());
        rounds.get(w)?.add(v);
      }
      for (const [w, set] of rounds) {
        expect(set.size, `writer ${w}`).toBe(1);
        expect(entries.filter(([k]) => Math.floor(k / 100) === w)).toHaveLength(20);
      }
    }
    expect(new Map(await m.asyncSnapshotSerializable()).size).toBe(160);
  });
});
