// The core's model suite, with a migration running: the core's operations (every method, keys of
// every kind) interleaved with rebalance operations (steps of a few entries, whole shards,
// migrations started mid-migration, stop-the-world rebalances), against a plain Map model.
// The core's own `applyOp` checks shard allocation rules that a migrating map does not follow
// (its old shards count as initialized until they move), so the answers are checked here.
import type { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { expect } from 'vitest';
import { keyArb, valueArb } from '../../../core/test/support/keys.js';
import { type Op, opArb, type WalkKind } from '../../../core/test/support/mapOps.js';
import {
  expectEntries,
  expectKeys,
  expectSameContent,
  expectValues,
  sameValueZero,
} from '../../../core/test/support/sameContent.js';
import type { RebalanceApi } from '../../src/index.js';
import type { RebalanceHost } from '../../src/rebalanceHost.js';
import { rebalanceHostKey } from '../../src/rebalanceHostKey.js';

/** A map composed with `rebalance`, seen with its internal host (for entry-bounded steps). */
export type MigratingMap = ShardedHashMap<unknown, unknown> & RebalanceApi & { [rebalanceHostKey](): RebalanceHost };

/** A rebalance operation, as data. */
export type RebalanceOp =
  | { op: 'step'; entries: number }
  | { op: 'advance'; shards: number }
  | { op: 'start'; count: number }
  | { op: 'rebalanceTo'; count: number };

/** Shard counts to move between: growth by whole and odd factors, shrinking, one shard. */
export const countArb = fc.constantFrom(1, 2, 3, 7, 8, 16, 31, 64, 100, 128);

/** Rebalance operations: mostly small steps (partly moved shards are where bugs hide). */
export const rebalanceOpArb: fc.Arbitrary<RebalanceOp> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('step'), entries: fc.integer({ min: 1, max: 8 }) }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('advance'), shards: fc.integer({ min: 0, max: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('start'), count: countArb }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('rebalanceTo'), count: countArb }), weight: 1 },
);

/** The core's operations and rebalance operations, mixed. */
export const mixedOpArb: fc.Arbitrary<Op | RebalanceOp> = fc.oneof(
  { arbitrary: opArb, weight: 3 },
  { arbitrary: rebalanceOpArb, weight: 2 },
);

/** The model: the entries, and the shard count the map must have. */
export interface MigrationModel {
  readonly entries: Map<unknown, unknown>;
  count: number;
}

/** Applies `op` to the map and to the model and checks that both answer alike, then the invariants. */
export function applyMixedOp(op: Op | RebalanceOp, model: MigrationModel, map: MigratingMap): void {
  switch (op.op) {
    case 'step': {
      const before = map.rebalanceStatus();
      map[rebalanceHostKey]().step(op.entries, Number.POSITIVE_INFINITY);
      const after = map.rebalanceStatus();
      if (before.state === 'migrating' && after.state === 'migrating') {
        expect(after.movedEntries - before.movedEntries, 'a step moves at most its batch').toBeLessThanOrEqual(
          op.entries,
        );
      }
      break;
    }
    case 'advance': {
      const before = map.rebalanceStatus();
      const done = map.advanceRebalance(op.shards);
      expect(done).toBeLessThanOrEqual(op.shards);
      if (before.state === 'idle') expect(done).toBe(0);
      else expect(done).toBe(Math.min(op.shards, before.totalShards - before.movedShards));
      break;
    }
    case 'start': {
      const migrating = map.rebalanceStatus().state === 'migrating';
      const started = map.startRebalanceOnline(op.count);
      expect(started).toBe(!migrating && op.count !== model.count);
      if (started) model.count = op.count;
      break;
    }
    case 'rebalanceTo': {
      const report = map.rebalanceTo(op.count);
      expect(report.toShards).toBe(op.count);
      expect(report.movedEntries).toBeLessThanOrEqual(2 * model.entries.size);
      expect(map.rebalanceStatus().state).toBe('idle');
      model.count = op.count;
      break;
    }
    default:
      applyCoreOp(op, model.entries, map);
  }
  checkMigrationInvariants(model, map);
}

/** The core's operations, answered like the model answers them (as the core's `applyOp` checks). */
function applyCoreOp(op: Op, entries: Map<unknown, unknown>, map: MigratingMap): void {
  switch (op.op) {
    case 'insert':
      expect(map.insert(op.key, op.value)).toBe(entries.get(op.key));
      entries.set(op.key, op.value);
      break;
    case 'set':
      expect(map.set(op.key, op.value)).toBe(map);
      entries.set(op.key, op.value);
      break;
    case 'get':
      expect(map.get(op.key)).toBe(entries.get(op.key));
      break;
    case 'contains':
    case 'has':
      expect(map[op.op](op.key)).toBe(entries.has(op.key));
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
      expect(map.rebalanceStatus().state, 'clear() ends a migration').toBe('idle');
      expect(map.initializedShards()).toBe(0);
      break;
    case 'stats':
      break; // checked after every op
    case 'batchInsert': {
      let fresh = 0;
      for (const [k, v] of op.pairs) {
        if (!entries.has(k)) fresh++;
        entries.set(k, v);
      }
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
        expect(calls).toEqual([]);
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
      const result = map.computeIfAbsent(op.key, () => {
        calls++;
        return op.value;
      });
      expect(calls).toBe(present ? 0 : 1);
      expect(result).toBe(present ? entries.get(op.key) : op.value);
      if (!present) entries.set(op.key, op.value);
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
      map.insert(op.writeKey, op.writeValue); // later writes must not show in the snapshot
      entries.set(op.writeKey, op.writeValue);
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
      map.forEach((value, key) => {
        seen.push([key, value]);
      });
      expectEntries(seen, entries);
      break;
    }
  }
}

function open(map: MigratingMap, kind: WalkKind): IterableIterator<unknown> {
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

/**
 * What must hold after every op, migrating or not: the same content as the model (each entry
 * once, every key reachable, exact counts), the expected shard count, stats that add up, and a
 * status that makes sense.
 */
export function checkMigrationInvariants(model: MigrationModel, map: MigratingMap): void {
  const { entries } = model;
  // Stats first: while migrating they come from counters, not from a scan of the old shards.
  const stats = map.shardStats();
  const initialized = map.initializedShards();
  // What a scan finds (it copies partly moved old shards): the stats must agree with it.
  const scanned = (map as unknown as { scanShards(): Map<unknown, unknown>[] }).scanShards();
  expect(initialized, 'initializedShards() agrees with a scan').toBe(scanned.length);
  expect(stats.maxLoad, 'maxLoad agrees with a scan').toBe(Math.max(0, ...scanned.map((s) => s.size)));
  expect(stats.empty, 'empty agrees with a scan').toBe(scanned.filter((s) => s.size === 0).length);
  expect(
    scanned.reduce((n, s) => n + s.size, 0),
    'the scanned shards hold each entry once',
  ).toBe(entries.size);
  expectSameContent(map as never, entries);
  for (const [k, v] of entries) {
    expect(map.get(k), `key ${String(k)} is reachable`).toBe(v);
    expect(map.contains(k)).toBe(true);
  }
  expect(map.shardCount()).toBe(model.count);

  const len = entries.size;
  expect(stats.total).toBe(model.count);
  expect(stats.initialized).toBe(initialized);
  expect(stats.avgLoad).toBeCloseTo(initialized === 0 ? 0 : len / initialized, 9);
  const holding = initialized - stats.empty;
  expect(holding).toBeLessThanOrEqual(len);
  if (len === 0) expect(stats.maxLoad).toBe(0);
  else {
    expect(stats.maxLoad).toBeLessThanOrEqual(len);
    expect(stats.maxLoad * holding, 'the shards hold every entry').toBeGreaterThanOrEqual(len);
  }

  const status = map.rebalanceStatus();
  expect(status.progress).toBeGreaterThanOrEqual(0);
  expect(status.movedShards).toBeLessThanOrEqual(status.totalShards);
  if (status.state === 'migrating') {
    expect(status.movedShards).toBeLessThan(status.totalShards);
    expect(status.progress).toBeLessThan(1);
  } else {
    expect(status.progress).toBe(1);
    expect(status.movedShards).toBe(status.totalShards);
  }
}

/** Any key or value of the core's generators (re-exported for the tests here). */
export { keyArb, valueArb };
