// What the model suite knows about snapshots: the epoch change each core operation must make,
// and a check that a snapshot holds exactly a recorded model state, through every read it has.
import { expect } from 'vitest';
import type { Op } from '../../../core/test/support/mapOps.js';
import type { MapSnapshot } from '../../src/index.js';

/**
 * How much `op` advances the write epoch, given the entries before it: one per write the map
 * makes to its shards (every insert, even of the value the key holds; every removal of a
 * present key; a clear of a non-empty map), none for what writes nothing (removing an absent
 * key, clearing an empty map, reads). Simulated on a copy, in the order the core writes.
 */
export function epochDelta(op: Op, before: ReadonlyMap<unknown, unknown>): number {
  const entries = new Map(before);
  let delta = 0;
  const insert = (key: unknown, value: unknown) => {
    delta++;
    entries.set(key, value);
  };
  const remove = (key: unknown) => {
    if (entries.delete(key)) delta++;
  };
  switch (op.op) {
    case 'insert':
    case 'set':
      insert(op.key, op.value);
      break;
    case 'remove':
    case 'delete':
      remove(op.key);
      break;
    case 'clear':
      if (entries.size > 0) delta++;
      break;
    case 'batchInsert':
      for (const [k, v] of op.pairs) insert(k, v);
      break;
    case 'batchRemove':
      for (const k of op.keys) remove(k);
      break;
    case 'computeIfPresent':
      if (entries.has(op.key)) {
        if (op.next === undefined) remove(op.key);
        else insert(op.key, op.next);
      }
      break;
    case 'computeIfAbsent':
      if (!entries.has(op.key)) insert(op.key, op.value);
      break;
    case 'retain':
      for (const [k, v] of before) if (!op.keep(k, v)) remove(k);
      break;
    case 'walk': {
      insert(op.writeKey, op.writeValue);
      const victim = entries.keys().next();
      if (op.removeOne && !victim.done) remove(victim.value);
      break;
    }
    default:
      break; // reads
  }
  return delta;
}

/** A snapshot and the state it must hold forever. */
export interface Recorded {
  readonly snap: MapSnapshot<unknown, unknown>;
  readonly entries: ReadonlyMap<unknown, unknown>;
  readonly version: number;
  /** Step at which it was taken, for failure messages. */
  readonly step: number;
}

/**
 * Asserts that `snap` holds exactly `entries`: `size`, `version`, `get`/`has` of each key and
 * of `absent` keys, and every way to iterate (`for...of`, `entries`, `keys`, `values`,
 * `forEach`, `toArray`). Plain comparisons first, `expect` only on a mismatch (fast enough to
 * check every snapshot after every step).
 */
export function expectSnapshotHolds(rec: Recorded, absent: Iterable<unknown>, label: string): void {
  const { snap, entries, version } = rec;
  const where = `${label}: snapshot taken at step ${rec.step}`;
  if (snap.size !== entries.size) expect(snap.size, `${where}: size`).toBe(entries.size);
  if (snap.version !== version) expect(snap.version, `${where}: version`).toBe(version);
  for (const [k, v] of entries) {
    if (!Object.is(snap.get(k), v)) expect(snap.get(k), `${where}: get(${String(k)})`).toBe(v);
    if (!snap.has(k)) expect(snap.has(k), `${where}: has(${String(k)})`).toBe(true);
  }
  for (const k of absent) {
    if (entries.has(k)) continue;
    if (snap.has(k)) expect(snap.has(k), `${where}: has(${String(k)}) of a key written later`).toBe(false);
    if (snap.get(k) !== undefined) expect(snap.get(k), `${where}: get(${String(k)})`).toBeUndefined();
  }
  const walks: [string, [unknown, unknown][]][] = [
    ['for...of', [...snap]],
    ['entries()', [...snap.entries()]],
    ['toArray()', snap.toArray()],
    ['keys()/values()', zip([...snap.keys()], [...snap.values()])],
    ['forEach', collect(snap)],
  ];
  for (const [how, list] of walks) expectSameEntries(list, entries, `${where}: ${how}`);
}

function zip(keys: unknown[], values: unknown[]): [unknown, unknown][] {
  expect(values.length).toBe(keys.length);
  return keys.map((k, i) => [k, values[i]]);
}

function collect(snap: MapSnapshot<unknown, unknown>): [unknown, unknown][] {
  const out: [unknown, unknown][] = [];
  snap.forEach((v, k, owner) => {
    if (owner !== snap) expect(owner).toBe(snap);
    out.push([k, v]);
  });
  return out;
}

function expectSameEntries(list: readonly [unknown, unknown][], entries: ReadonlyMap<unknown, unknown>, where: string) {
  let ok = list.length === entries.size;
  const seen = new Map<unknown, unknown>();
  for (const [k, v] of list) {
    if (!entries.has(k) || !Object.is(entries.get(k), v) || seen.has(k)) ok = false;
    seen.set(k, v);
  }
  if (!ok) expect(new Map(list), where).toEqual(new Map(entries));
  if (!ok) expect.fail(`${where}: ${list.length} entries, some duplicated or wrong`);
}
