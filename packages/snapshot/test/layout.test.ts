// Snapshots across layout changes: the core's switch of string sample (which re-routes every
// entry into new shard maps), a plugin reinstalling the same shard maps in a new table, and an
// online migration to another shard count. A snapshot keeps the routing and the shard maps it
// was taken with, so it answers exactly as before, in every mode.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotMode, snapshot } from '../src/index.js';
import { tdGrow, tdMigrate, tdReinstall } from './support/layoutPlugins.js';
import { expectSnapshotHolds, type Recorded } from './support/snapshotModel.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;
const modes = Object.values(SnapshotMode);

/** Keys alike in their length and last characters: the core's string sample piles them up. */
const pathKey = (i: number) => `/app/node_modules/p${i}/package.json`;

class LayoutProbe extends ShardedHashMap.with(snapshot)<string, number> {
  layouts = 0;
  protected override layoutChanged(): void {
    this.layouts++;
    super.layoutChanged();
  }
}

describe.each(modes)('in %s mode', (mode) => {
  it('snapshots held across the core string re-layout keep their entries and their routing', () => {
    const map = new LayoutProbe(64, { seed: 11, snapshotMode: mode });
    const model = new Map<string, number>();
    const kept: Recorded[] = [];
    const allKeys: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      const key = pathKey(i);
      allKeys.push(key);
      map.insert(key, i);
      model.set(key, i);
      if (i % 7 === 3) {
        map.remove(pathKey(i - 3));
        model.delete(pathKey(i - 3));
      }
      if (i % 250 === 0) {
        const snap = map.snapshot();
        kept.push({ snap, entries: new Map(model), version: snap.version, step: i });
      }
    }
    expect(map.layouts, 'the keys made the core re-lay out its shards').toBeGreaterThan(0);
    for (const rec of kept) expectSnapshotHolds(rec, allKeys, `${mode}`);
    const last = map.snapshot();
    expectSnapshotHolds({ snap: last, entries: model, version: last.version, step: 3_000 }, allKeys, mode);
    expect(map.shardStats().maxLoad).toBeLessThan(3 * map.shardStats().avgLoad);
  });

  it('a snapshot survives a new table holding the same shard maps: writes still copy (Cow)', () => {
    const Reinstall = ShardedHashMap.with(snapshot, tdReinstall);
    const map = new Reinstall<string, number>(8, { seed: 3, snapshotMode: mode });
    for (let i = 0; i < 500; i++) map.insert(`k${i}`, i);
    const snap = map.snapshot();
    map.reinstall();
    for (let i = 0; i < 500; i += 2) map.insert(`k${i}`, -i);
    map.remove('k1');
    map.reinstall();
    map.insert('k3', 33);
    for (let i = 0; i < 500; i++) expect(snap.get(`k${i}`)).toBe(i);
    expect(snap.size).toBe(500);
    expect(map.get('k2')).toBe(-2);
  });
});

describe('a layout change that moves a captured shard map to another index', () => {
  it('still copies that map before writing to it (Cow), so the snapshot does not change', () => {
    const Grow = ShardedHashMap.with(snapshot, tdGrow);
    const hasher = (k: number) => k;
    const probe4 = new ShardedHashMap<number, number>(4, { hasher }) as unknown as { indexFor(k: number): number };
    // Keys of shards 0 and 2 of a 4-shard layout: in 2 shards they sit in shards 0 and 1.
    const keys = [...Array(400).keys()].filter((k) => probe4.indexFor(k) % 2 === 0).slice(0, 60);
    const map = new Grow<number, number>(2, { hasher, snapshotMode: SnapshotMode.Cow });
    for (const k of keys) map.insert(k, k);
    const snap = map.snapshot();
    map.growTo(4); // shard 1's map is now shard 2's
    for (const k of keys) map.insert(k, -k);
    const fresh = [...Array(400).keys()].filter((k) => !keys.includes(k)).slice(0, 20);
    for (const k of fresh) map.insert(k, k);
    for (const k of keys) expect(snap.get(k)).toBe(k);
    for (const k of fresh) expect(snap.has(k)).toBe(false);
    expect(snap.size).toBe(keys.length);
    expect([...snap].length).toBe(keys.length);
    for (const k of keys) expect(map.get(k)).toBe(-k);
  });
});

type MigrationStep =
  | { kind: 'insert'; key: number; value: number }
  | { kind: 'remove'; key: number }
  | { kind: 'clear' }
  | { kind: 'retain'; mod: number }
  | { kind: 'snapshot' }
  | { kind: 'start'; shards: number }
  | { kind: 'advance' };

const migrationStepArb: fc.Arbitrary<MigrationStep> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('insert'), key: fc.nat(60), value: fc.integer() }), weight: 8 },
  { arbitrary: fc.record({ kind: fc.constant('remove'), key: fc.nat(60) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('clear') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('retain'), mod: fc.integer({ min: 2, max: 5 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('snapshot') }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('start'), shards: fc.constantFrom(1, 3, 8, 16) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('advance') }), weight: 3 },
);

describe.each(modes)('during an online migration, in %s mode', (mode) => {
  it('every snapshot holds the state it was taken in, before, during and after the migration', () => {
    const Migrating = ShardedHashMap.with(snapshot, tdMigrate);
    fc.assert(
      fc.property(fc.constantFrom(1, 4, 8), fc.array(migrationStepArb, { maxLength: 60 }), (shards, steps) => {
        const map = new Migrating<number, number>(shards, { hasher: (k) => k * 2654435761, snapshotMode: mode });
        const model = new Map<number, number>();
        const kept: Recorded[] = [];
        const keys = [...Array(61).keys()];
        for (const [step, s] of steps.entries()) {
          switch (s.kind) {
            case 'insert':
              expect(map.insert(s.key, s.value)).toBe(model.get(s.key));
              model.set(s.key, s.value);
              break;
            case 'remove':
              expect(map.remove(s.key)).toBe(model.get(s.key));
              model.delete(s.key);
              break;
            case 'clear':
              map.clear();
              model.clear();
              break;
            case 'retain':
              map.retain((k) => k % s.mod !== 0);
              for (const k of [...model.keys()]) if (k % s.mod === 0) model.delete(k);
              break;
            case 'snapshot': {
              const snap = map.snapshot();
              kept.push({ snap, entries: new Map(model), version: snap.version, step });
              break;
            }
            case 'start':
              map.startMigration(s.shards);
              break;
            case 'advance':
              map.advanceMigration();
              break;
          }
          expect(map.len()).toBe(model.size);
          expect(new Map(map.iter())).toEqual(model);
          for (const k of keys) expect(map.get(k)).toBe(model.get(k));
          for (const rec of kept) expectSnapshotHolds(rec, keys, `after step ${step} (${s.kind})`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
