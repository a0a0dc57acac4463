// How the plugin composes: statics and options, clamping, bad input, one hidden class, the core's
// own get/insert code (not overridden), the write seams chained with other plugins.
import {
  DEFAULT_SHARDS,
  definePlugin,
  InvalidArgumentError,
  MAX_SHARDS,
  ShardCountError,
  ShardedHashMap,
  type WriteOp,
} from '@starshard/core';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { SnapshotMode, snapshot } from '../src/index.js';

const Snap = ShardedHashMap.with(snapshot);

let emitWarning: MockInstance<typeof process.emitWarning>;
beforeAll(() => {
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterAll(() => emitWarning.mockRestore());

describe('composing snapshot', () => {
  it('is cached per plugin set and leaves the core class alone', () => {
    expect(ShardedHashMap.with(snapshot)).toBe(Snap);
    expect(Snap.plugins).toEqual([snapshot]);
    expect(snapshot.name).toBe('snapshot');
    expect(new ShardedHashMap()).not.toHaveProperty('snapshot');
    expect(ShardedHashMap).not.toHaveProperty('withSnapshotMode');
    expect(Object.prototype.toString.call(new Snap())).toBe('[object ShardedHashMap]');
  });

  it('runs the core own get, insert, contains and remove code: they are not overridden', () => {
    for (const name of ['get', 'insert', 'contains', 'remove', 'indexFor', 'shardForRead'] as const) {
      expect(Reflect.get(Snap.prototype, name), name).toBe(Reflect.get(ShardedHashMap.prototype, name));
    }
  });

  it('defaults to Clone; takes the mode from the option or from the constructors', () => {
    expect(new Snap().snapshotMode()).toBe(SnapshotMode.Clone);
    expect(new Snap(8, {}).snapshotMode()).toBe('clone');
    expect(new Snap(8, { snapshotMode: undefined }).snapshotMode()).toBe('clone');
    for (const mode of Object.values(SnapshotMode)) {
      expect(new Snap(8, { snapshotMode: mode }).snapshotMode()).toBe(mode);
      const a = Snap.withSnapshotMode(8, mode);
      expect([a.snapshotMode(), a.shardCount()]).toEqual([mode, 8]);
      const hasher = (k: unknown) => String(k).length;
      const b = Snap.withShardsAndHasherAndSnapshotMode(16, hasher, mode);
      expect([b.snapshotMode(), b.shardCount()]).toEqual([mode, 16]);
      b.insert('abc', 1);
      expect(b.snapshot().get('abc')).toBe(1);
      const c = Snap.withShardsAndHasherCappedAndSnapshotMode(1000, undefined, 128, mode);
      expect([c.snapshotMode(), c.shardCount()]).toEqual([mode, 128]);
    }
    expect(SnapshotMode).toEqual({ Clone: 'clone', Cached: 'cached', Cow: 'cow' });
  });

  it('follows the core shard-count rules in its constructors: 0 → 64, clamped, bad counts rejected', () => {
    expect(Snap.withSnapshotMode(0, SnapshotMode.Cow).shardCount()).toBe(DEFAULT_SHARDS);
    emitWarning.mockClear();
    expect(Snap.withSnapshotMode(MAX_SHARDS + 1, SnapshotMode.Cow).shardCount()).toBe(MAX_SHARDS);
    expect(emitWarning).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ code: 'STARSHARD_SHARDS_CLAMPED' }),
    );
    expect(Snap.withShardsAndHasherCappedAndSnapshotMode(100, undefined, 0, SnapshotMode.Cached).shardCount()).toBe(1);
    expect(Snap.withShardsAndHasherAndSnapshotMode(MAX_SHARDS * 2, undefined, 'cow').shardCount()).toBe(MAX_SHARDS);
    for (const bad of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => Snap.withSnapshotMode(bad, SnapshotMode.Cow)).toThrow(ShardCountError);
      expect(() => Snap.withShardsAndHasherCappedAndSnapshotMode(bad, undefined, 8, 'clone')).toThrow(ShardCountError);
    }
    expect(() => new Snap(MAX_SHARDS + 1, { strict: true, snapshotMode: 'cow' })).toThrow(ShardCountError);
  });

  it('rejects an unknown snapshot mode, saying which ones exist', () => {
    for (const bad of ['Cow', 'copy', '', 0, null, {}, Symbol('cow')]) {
      expect(() => new Snap(8, { snapshotMode: bad as never })).toThrow(InvalidArgumentError);
    }
    expect(() => Snap.withSnapshotMode(8, 'COW' as never)).toThrow(
      /options\.snapshotMode must be SnapshotMode\.Clone \('clone'\), SnapshotMode\.Cached \('cached'\) or SnapshotMode\.Cow \('cow'\), got "COW"/,
    );
  });

  it('gives every instance the same own keys in the same order, whatever the mode or constructor', () => {
    const reference = Reflect.ownKeys(new Snap());
    const makers = [
      () => new Snap(1),
      () => new Snap(7, { snapshotMode: 'cached', hasher: () => 0 }),
      () => new Snap(1024, { snapshotMode: 'cow', seed: 5, strict: true }),
      () => Snap.withSnapshotMode(64, 'cow'),
      () => Snap.withShardsAndHasherAndSnapshotMode(3, undefined, 'cached'),
      () => Snap.withShardsAndHasherCappedAndSnapshotMode(100, undefined, 8, 'clone'),
    ];
    for (const make of makers) {
      const map = make();
      expect(Reflect.ownKeys(map)).toEqual(reference);
      // Heavy use (snapshots, copies, the string re-layout, clear) adds no key.
      for (let i = 0; i < 2_000; i++) {
        map.insert(`/app/node_modules/p${i}/package.json`, i);
        if (i % 300 === 0) map.snapshot();
      }
      map.retain((_, v) => (v as number) % 2 === 0);
      map.clear();
      expect(Reflect.ownKeys(map)).toEqual(reference);
    }
  });
});

const tdLog = definePlugin({
  name: 'tdLog',
  sync: (Base) =>
    class extends Base {
      log: string[];
      constructor(...args: any[]) {
        super(...args);
        this.log = [];
      }
      protected override afterWrite(op: WriteOp, key: unknown, value: unknown, previous: unknown): void {
        this.log?.push(`${op}:${String(key)}`);
        super.afterWrite(op, key, value, previous);
      }
    },
});

/** Applied before `snapshot` (by name) and writes from its constructor, before snapshot's fields exist. */
const aaPrefill = definePlugin({
  name: 'aaPrefill',
  sync: (Base) =>
    class extends Base {
      constructor(...args: any[]) {
        super(...args);
        this.insert('prefilled', 1);
        this.snapshotProbe = this.len();
      }
      snapshotProbe: number;
    },
});

declare module '@starshard/core' {
  interface PluginApis<K, V> {
    tdLog: { log: string[] };
    aaPrefill: { snapshotProbe: number };
  }
}

describe('with other plugins', () => {
  it('chains the write seams: other observers see every write, snapshots stay exact', () => {
    const Both = ShardedHashMap.with(tdLog, snapshot);
    expect(ShardedHashMap.with(snapshot, tdLog)).toBe(Both);
    for (const mode of Object.values(SnapshotMode)) {
      const m = new Both<string, number>(4, { snapshotMode: mode });
      m.insert('a', 1);
      const snap = m.snapshot();
      m.insert('a', 2);
      m.remove('a');
      m.clear();
      expect(m.log).toEqual(['insert:a', 'insert:a', 'remove:a', 'clear:undefined']);
      expect([snap.get('a'), snap.size, m.snapshotVersion()]).toEqual([1, 1, 3]);
    }
  });

  it('works when a plugin applied before it writes from its constructor', () => {
    const Pre = ShardedHashMap.with(snapshot, aaPrefill);
    for (const mode of Object.values(SnapshotMode)) {
      const m = new Pre<string, number>(4, { snapshotMode: mode });
      expect(m.snapshotProbe).toBe(1);
      expect(m.snapshot().get('prefilled')).toBe(1);
      const snap = m.snapshot();
      m.insert('prefilled', 2);
      expect(snap.get('prefilled')).toBe(1);
      expect(m.get('prefilled')).toBe(2);
    }
  });
});
