import fc from 'fast-check';
import { expect } from 'vitest';
import type { ShardedHashMap } from '../../src/index.js';
import { keyArb, valueArb } from './keys.js';
import { expectEntries, expectKeys, expectSameContent, expectValues, sameValueZero } from './sameContent.js';

/** How to walk a snapshot: each of the map's iterators, or `forEach`. */
export type WalkKind = 'iter' | 'entries' | 'iterator' | 'keys' | 'values';

/** One operation on the map, as data: fast-check generates, shrinks and prints lists of these. */
export type Op =
  | { op: 'insert' | 'set'; key: unknown; value: unknown }
  | { op: 'get' | 'contains' | 'has' | 'remove' | 'delete'; key: unknown }
  | { op: 'clear' | 'stats' }
  | { op: 'batchInsert'; pairs: [unknown, unknown][] }
  | { op: 'batchRemove' | 'batchGet'; keys: unknown[] }
  | { op: 'computeIfPresent'; key: unknown; next: unknown }
  | { op: 'computeIfAbsent'; key: unknown; value: unknown }
  | { op: 'retain'; keep: (key: unknown, value: unknown) => boolean }
  | { op: 'walk'; kind: WalkKind; writeKey: unknown; writeValue: unknown; removeOne: boolean }
  | { op: 'forEach' };

const keys = fc.array(keyArb, { maxLength: 6 });

/** Every operation of the core API and the `Map` surface, reads and writes in similar measure. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constantFrom('insert', 'set'), key: keyArb, value: valueArb }), weight: 6 },
  {
    arbitrary: fc.record({ op: fc.constantFrom('get', 'contains', 'has', 'remove', 'delete'), key: keyArb }),
    weight: 5,
  },
  { arbitrary: fc.record({ op: fc.constantFrom('clear', 'stats') }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant('batchInsert'),
      pairs: fc.array(fc.tuple(keyArb, valueArb), { maxLength: 6 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constantFrom('batchRemove', 'batchGet'), keys }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('computeIfPresent'), key: keyArb, next: valueArb }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('computeIfAbsent'), key: keyArb, value: valueArb }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('retain'), keep: fc.func(fc.boolean()) }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant('walk'),
      kind: fc.constantFrom('iter', 'entries', 'iterator', 'keys', 'values'),
      writeKey: keyArb,
      writeValue: valueArb,
      removeOne: fc.boolean(),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('forEach') }), weight: 1 },
);

/**
 * The model: a plain `Map`, plus every key written since the last `clear` (shards are allocated
 * only by writes, so at most that many can be initialized).
 */
export interface Model {
  readonly entries: Map<unknown, unknown>;
  readonly written: Set<unknown>;
}

/** What the invariants know of the map under test. */
export interface Target {
  readonly map: ShardedHashMap<unknown, unknown>;
  readonly shards: number;
  /** All keys go to one shard (a constant hasher, or a single shard). */
  readonly oneShard: boolean;
}

function write(model: Model, key: unknown, value: unknown) {
  model.entries.set(key, value);
  model.written.add(key);
}

/** Applies `op` to the map and to the model and checks that both answer alike. */
export function applyOp(op: Op, model: Model, target: Target): void {
  const { map } = target;
  const { entries } = model;
  const initialized = map.initializedShards();
  let mayAllocate = 0; // how many shards this op may allocate (reads and removals: none)
  switch (op.op) {
    case 'insert': {
      mayAllocate = entries.has(op.key) ? 0 : 1;
      expect(map.insert(op.key, op.value)).toBe(entries.get(op.key));
      write(model, op.key, op.value);
      break;
    }
    case 'set': {
      mayAllocate = entries.has(op.key) ? 0 : 1;
      expect(map.set(op.key, op.value)).toBe(map);
      write(model, op.key, op.value);
      break;
    }
    case 'get':
      expect(map.get(op.key)).toBe(entries.get(op.key));
      break;
    case 'contains':
      expect(map.contains(op.key)).toBe(entries.has(op.key));
      break;
    case 'has':
      expect(map.has(op.key)).toBe(entries.has(op.key));
      break;
    case 'remove':
      expect(map.remove(op.key)).toBe(entries.get(op.key));
      entries.delete(op.key);
      break;
    case 'delete':
      expect(map.delete(op.key)).toBe(entries.delete(op.key));
      break;
    case 'clear':
      map.clear();
      entries.clear();
      model.written.clear();
      expect(map.initializedShards()).toBe(0);
      break;
    case 'stats':
      break; // the invariants below check the stats after every op
    case 'batchInsert': {
      let fresh = 0;
      for (const [k, v] of op.pairs) {
        if (!entries.has(k)) fresh++;
        write(model, k, v);
      }
      mayAllocate = fresh;
      expect(map.batchInsert(op.pairs)).toBe(fresh);
      break;
    }
    case 'batchRemove': {
      let removed = 0;
      for (const k of op.keys) if (entries.delete(k)) removed++;
      expect(map.batchRemove(op.keys)).toBe(removed);
      break;
    }
    case 'batchGet': {
      const got = map.batchGet(op.keys);
      expect(got.length).toBe(op.keys.length);
      for (const [i, k] of op.keys.entries()) expect(got[i]).toBe(entries.get(k));
      break;
    }
    case 'computeIfPresent': {
      const calls: [unknown, unknown][] = [];
      const result = map.computeIfPresent(op.key, (v, k) => {
        calls.push([v, k]);
        return op.next;
      });
      if (!entries.has(op.key)) {
        expect(calls, 'f is not called for an absent key').toEqual([]);
        expect(result).toBeUndefined();
        break;
      }
      expect(calls.length).toBe(1);
      expect(calls[0]?.[0]).toBe(entries.get(op.key));
      expect(sameValueZero(calls[0]?.[1], op.key)).toBe(true);
      expect(result).toBe(op.next);
      if (op.next === undefined) entries.delete(op.key);
      else entries.set(op.key, op.next);
      break;
    }
    case 'computeIfAbsent': {
      let calls = 0;
      const present = entries.has(op.key);
      const result = map.computeIfAbsent(op.key, (k) => {
        calls++;
        expect(sameValueZero(k, op.key)).toBe(true);
        return op.value;
      });
      expect(calls, present ? 'f is not called for a present key' : 'f is called once').toBe(present ? 0 : 1);
      expect(result).toBe(present ? entries.get(op.key) : op.value);
      if (!present) {
        mayAllocate = 1;
        write(model, op.key, op.value);
      }
      break;
    }
    case 'retain': {
      const seen: [unknown, unknown][] = [];
      const doomed = [...entries].filter(([k, v]) => !op.keep(k, v)).map(([k]) => k);
      const removed = map.retain((k, v) => {
        seen.push([k, v]);
        return op.keep(k, v);
      });
      expectEntries(seen, entries); // pred sees every entry once, with its value
      expect(removed).toBe(doomed.length);
      for (const k of doomed) entries.delete(k);
      break;
    }
    case 'walk': {
      const before = new Map(entries);
      const iterator = open(map, op.kind);
      const first = iterator.next();
      // Writes after the iterator was made must not show in it.
      map.insert(op.writeKey, op.writeValue);
      mayAllocate = entries.has(op.writeKey) ? 0 : 1;
      write(model, op.writeKey, op.writeValue);
      const victim = entries.keys().next();
      if (op.removeOne && !victim.done) {
        map.remove(victim.value);
        entries.delete(victim.value);
      }
      const items = first.done ? [] : [first.value, ...iterator];
      if (op.kind === 'keys') expectKeys(items, before);
      else if (op.kind === 'values') expectValues(items, before);
      else expectEntries(items as [unknown, unknown][], before);
      break;
    }
    case 'forEach': {
      const seen: [unknown, unknown][] = [];
      const self = { tag: 'thisArg' };
      map.forEach(function (this: unknown, value, key, owner) {
        expect(this).toBe(self);
        expect(owner).toBe(map);
        seen.push([key, value]);
      }, self);
      expectEntries(seen, entries);
      break;
    }
  }
  const after = map.initializedShards();
  expect(after, `${op.op} allocates only shards it writes to`).toBeGreaterThanOrEqual(
    op.op === 'clear' ? 0 : initialized,
  );
  expect(after - initialized, `${op.op} allocates at most one shard per new key`).toBeLessThanOrEqual(mayAllocate);
  checkInvariants(model, target);
}

function open(map: ShardedHashMap<unknown, unknown>, kind: WalkKind): IterableIterator<unknown> {
  switch (kind) {
    case 'iter':
      return map.iter();
    case 'entries':
      return map.entries();
    case 'iterator':
      return map[Symbol.iterator]();
    case 'keys':
      return map.keys();
    case 'values':
      return map.values();
  }
}

/** What must hold after every op: same content as the model, and stats that agree with it. */
export function checkInvariants(model: Model, target: Target): void {
  const { map, shards } = target;
  const len = model.entries.size;
  expectSameContent(map, model.entries);
  expect(map.shardCount()).toBe(shards);

  const stats = map.shardStats();
  const initialized = map.initializedShards();
  expect(stats.total).toBe(shards);
  expect(stats.initialized).toBe(initialized);
  expect(initialized, 'only shards written to are allocated').toBeLessThanOrEqual(Math.min(shards, model.written.size));
  if (target.oneShard) expect(initialized).toBeLessThanOrEqual(1);
  expect(stats.utilizationPercent).toBeCloseTo((initialized / shards) * 100, 9);
  expect(map.shardUtilization()).toBeCloseTo((initialized / shards) * 100, 9);
  expect(stats.avgLoad).toBeCloseTo(initialized === 0 ? 0 : len / initialized, 9);
  expect(stats.empty).toBeGreaterThanOrEqual(0);
  expect(stats.empty).toBeLessThanOrEqual(initialized);
  const holding = initialized - stats.empty;
  expect(holding, 'shards holding entries').toBeLessThanOrEqual(len);
  if (len === 0) {
    expect(stats.maxLoad).toBe(0);
    expect(holding).toBe(0);
  } else {
    expect(holding).toBeGreaterThanOrEqual(1);
    expect(stats.maxLoad).toBeLessThanOrEqual(len);
    expect(stats.maxLoad * holding).toBeGreaterThanOrEqual(len);
    if (target.oneShard) expect(stats.maxLoad).toBe(len);
  }
}
