// One operation list, two targets: every op is applied to the async map, to a sync
// ShardedHashMap built with the same shards and seed (so both route every key to the same shard),
// and to a plain Map model. The async map must answer like the model and allocate shards exactly
// like the sync map: parity is tested, not hoped for.
import { ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { expect } from 'vitest';
// The core's key generators (SameValueZero corners, identities, symbols, bigints, long strings):
// one set of tricky keys for both maps.
import { keyArb, valueArb } from '../../../core/test/support/keys.js';
import type { AsyncShardedHashMap } from '../../src/index.js';

/** `Map`'s key equality: `NaN` equals `NaN`, `-0` equals `0`, everything else by `===`. */
export function sameValueZero(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: the NaN test is the point.
  return a === b || (a !== a && b !== b);
}

/** How a callback answers: at once, after an `await`, or by throwing / rejecting. */
export type CallbackStyle = 'sync' | 'async' | 'throws' | 'rejects';
const styleArb: fc.Arbitrary<CallbackStyle> = fc.constantFrom('sync', 'async', 'async', 'throws', 'rejects');

export type SnapshotKind = 'iter' | 'entries' | 'keys' | 'values' | 'asyncIterator';

/** One operation, as data: fast-check generates, shrinks and prints lists of these. */
export type AsyncOp =
  | { op: 'insert' | 'set'; key: unknown; value: unknown }
  | { op: 'get' | 'contains' | 'has' | 'remove' | 'delete'; key: unknown }
  | { op: 'clear' | 'len' | 'isEmpty' | 'stats' }
  | { op: 'batchInsert'; pairs: [unknown, unknown][] }
  | { op: 'batchRemove' | 'batchGet'; keys: unknown[] }
  | { op: 'computeIfPresent'; key: unknown; next: unknown; style: CallbackStyle }
  | { op: 'computeIfAbsent'; key: unknown; value: unknown; style: CallbackStyle }
  | { op: 'retain'; keep: (key: unknown, value: unknown) => boolean; style: CallbackStyle }
  | { op: 'snapshot'; kind: SnapshotKind; writeKey: unknown; writeValue: unknown }
  | { op: 'forEach'; style: 'sync' | 'async' };

/** Every method of the async map, reads and writes in similar measure, on keys drawn from `keyArb`. */
export function opArbOn(keyArb: fc.Arbitrary<unknown>): fc.Arbitrary<AsyncOp> {
  const keys = fc.array(keyArb, { maxLength: 6 });
  return fc.oneof(
    { arbitrary: fc.record({ op: fc.constantFrom('insert', 'set'), key: keyArb, value: valueArb }), weight: 6 },
    {
      arbitrary: fc.record({ op: fc.constantFrom('get', 'contains', 'has', 'remove', 'delete'), key: keyArb }),
      weight: 5,
    },
    { arbitrary: fc.record({ op: fc.constantFrom('clear', 'len', 'isEmpty', 'stats') }), weight: 1 },
    {
      arbitrary: fc.record({
        op: fc.constant('batchInsert'),
        pairs: fc.array(fc.tuple(keyArb, valueArb), { maxLength: 6 }),
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ op: fc.constantFrom('batchRemove', 'batchGet'), keys }), weight: 2 },
    {
      arbitrary: fc.record({ op: fc.constant('computeIfPresent'), key: keyArb, next: valueArb, style: styleArb }),
      weight: 3,
    },
    {
      arbitrary: fc.record({ op: fc.constant('computeIfAbsent'), key: keyArb, value: valueArb, style: styleArb }),
      weight: 3,
    },
    { arbitrary: fc.record({ op: fc.constant('retain'), keep: fc.func(fc.boolean()), style: styleArb }), weight: 1 },
    {
      arbitrary: fc.record({
        op: fc.constant('snapshot'),
        kind: fc.constantFrom('iter', 'entries', 'keys', 'values', 'asyncIterator'),
        writeKey: keyArb,
        writeValue: valueArb,
      }),
      weight: 1,
    },
    { arbitrary: fc.record({ op: fc.constant('forEach'), style: fc.constantFrom('sync', 'async') }), weight: 1 },
  );
}

/**
 * Operation lists whose keys mostly come from a small pool drawn per run (so that inserts,
 * callbacks and removals meet on the same keys), with a few fresh keys mixed in.
 */
export const opListArb: fc.Arbitrary<AsyncOp[]> = fc
  .uniqueArray(keyArb, { minLength: 1, maxLength: 5, comparator: sameValueZero })
  .chain((pool) =>
    fc.array(opArbOn(fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 5 }, { arbitrary: keyArb, weight: 1 })), {
      maxLength: 40,
    }),
  );

/** The error thrown by 'throws' / 'rejects' callbacks. */
export class CallbackFailure extends Error {}

/** A callback answering `value` in `style`. */
export function answer<T>(style: CallbackStyle, value: T): T | Promise<T> {
  switch (style) {
    case 'sync':
      return value;
    case 'async':
      return Promise.resolve().then(() => value);
    case 'throws':
      throw new CallbackFailure('thrown by the callback');
    case 'rejects':
      return Promise.resolve().then(() => {
        throw new CallbackFailure('rejected by the callback');
      });
  }
}

const failed = (style: CallbackStyle) => style === 'throws' || style === 'rejects';

/** Awaits `promise`, which must reject with a `CallbackFailure`. */
async function expectFailure(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CallbackFailure);
}

/** The map under test, its sync twin and the model. */
export interface Targets {
  readonly map: AsyncShardedHashMap<unknown, unknown>;
  readonly twin: ShardedHashMap<unknown, unknown>;
  readonly model: Map<unknown, unknown>;
}

/** A sync map routing exactly like `map` would (same shard count and seed). */
export function twinOf(shards: number, seed: number): ShardedHashMap<unknown, unknown> {
  return new ShardedHashMap<unknown, unknown>(shards, { seed });
}

/** Applies `op` to the three targets and checks they agree. */
export async function applyAsyncOp(op: AsyncOp, { map, twin, model }: Targets): Promise<void> {
  switch (op.op) {
    case 'insert':
      expect(await map.insert(op.key, op.value)).toBe(model.get(op.key));
      twin.insert(op.key, op.value);
      model.set(op.key, op.value);
      break;
    case 'set':
      expect(await map.set(op.key, op.value)).toBe(map);
      twin.set(op.key, op.value);
      model.set(op.key, op.value);
      break;
    case 'get':
      expect(await map.get(op.key)).toBe(model.get(op.key));
      break;
    case 'contains':
      expect(await map.contains(op.key)).toBe(model.has(op.key));
      break;
    case 'has':
      expect(await map.has(op.key)).toBe(model.has(op.key));
      break;
    case 'remove':
      expect(await map.remove(op.key)).toBe(model.get(op.key));
      twin.remove(op.key);
      model.delete(op.key);
      break;
    case 'delete':
      expect(await map.delete(op.key)).toBe(model.has(op.key));
      twin.delete(op.key);
      model.delete(op.key);
      break;
    case 'clear':
      await map.clear();
      twin.clear();
      model.clear();
      break;
    case 'len':
      expect(await map.len()).toBe(model.size);
      break;
    case 'isEmpty':
      expect(await map.isEmpty()).toBe(model.size === 0);
      break;
    case 'stats':
      expect(await map.shardStats()).toEqual(twin.shardStats());
      expect(await map.shardUtilization()).toBe(twin.shardUtilization());
      break;
    case 'batchInsert': {
      let fresh = 0;
      for (const [k, v] of op.pairs) {
        if (!model.has(k)) fresh++;
        model.set(k, v);
      }
      twin.batchInsert(op.pairs);
      // A generator, not an array: the async map must consume it once.
      expect(
        await map.batchInsert(
          (function* () {
            yield* op.pairs;
          })(),
        ),
      ).toBe(fresh);
      break;
    }
    case 'batchRemove': {
      let removed = 0;
      for (const k of op.keys) if (model.delete(k)) removed++;
      twin.batchRemove(op.keys);
      expect(await map.batchRemove(new Set(op.keys))).toBe(removed);
      break;
    }
    case 'batchGet': {
      const got = await map.batchGet(op.keys);
      expect(got).toHaveLength(op.keys.length);
      for (const [i, k] of op.keys.entries()) expect(got[i]).toBe(model.get(k));
      break;
    }
    case 'computeIfPresent': {
      const calls: unknown[][] = [];
      const result = map.computeIfPresent(op.key, (v, k, context) => {
        calls.push([v, k, context.signal]);
        return answer(op.style, op.next);
      });
      if (!model.has(op.key)) {
        expect(await result).toBeUndefined();
        expect(calls, 'f is not called for an absent key').toEqual([]);
        break;
      }
      if (failed(op.style)) await expectFailure(result);
      else expect(await result).toBe(op.next);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.[0]).toBe(model.get(op.key));
      expect(sameValueZero(calls[0]?.[1], op.key)).toBe(true);
      expect(calls[0]?.[2]).toBeUndefined();
      if (failed(op.style)) break; // the map is unchanged
      if (op.next === undefined) {
        twin.remove(op.key);
        model.delete(op.key);
      } else {
        twin.insert(op.key, op.next);
        model.set(op.key, op.next);
      }
      break;
    }
    case 'computeIfAbsent': {
      let calls = 0;
      const present = model.has(op.key);
      const result = map.computeIfAbsent(op.key, (k) => {
        calls++;
        expect(sameValueZero(k, op.key)).toBe(true);
        return answer(op.style, op.value);
      });
      if (present) expect(await result).toBe(model.get(op.key));
      else if (failed(op.style)) await expectFailure(result);
      else expect(await result).toBe(op.value);
      expect(calls, present ? 'f is not called for a present key' : 'f is called once').toBe(present ? 0 : 1);
      if (!present && !failed(op.style)) {
        twin.insert(op.key, op.value);
        model.set(op.key, op.value);
      }
      break;
    }
    case 'retain': {
      const seen: [unknown, unknown][] = [];
      const doomed = [...model].filter(([k, v]) => !op.keep(k, v)).map(([k]) => k);
      const removed = map.retain((k, v) => {
        seen.push([k, v]);
        return answer(seen.length === 1 ? op.style : 'sync', op.keep(k, v));
      });
      if (model.size > 0 && failed(op.style)) {
        await expectFailure(removed);
        break;
      }
      expect(await removed).toBe(doomed.length);
      expectEntries(seen, model); // pred sees every entry once, with its value
      for (const k of doomed) {
        twin.remove(k);
        model.delete(k);
      }
      break;
    }
    case 'snapshot': {
      const before = new Map(model);
      const taken =
        op.kind === 'asyncIterator'
          ? collect(map)
          : op.kind === 'iter'
            ? map.iter()
            : op.kind === 'entries'
              ? map.entries()
              : op.kind === 'keys'
                ? map.keys()
                : map.values();
      // A write issued after the snapshot call must not show in it.
      const write = map.insert(op.writeKey, op.writeValue);
      const items = await taken;
      await write;
      twin.insert(op.writeKey, op.writeValue);
      model.set(op.writeKey, op.writeValue);
      if (op.kind === 'keys')
        expectEntries(
          (items as unknown[]).map((k) => [k, before.get(k)]),
          before,
        );
      else if (op.kind === 'values') expectValues(items as unknown[], before);
      else expectEntries(items as [unknown, unknown][], before);
      break;
    }
    case 'forEach': {
      const seen: [unknown, unknown][] = [];
      // biome-ignore lint/suspicious/useIterableCallbackReturn: the async forEach awaits what its callback returns.
      await map.forEach((value, key, owner) => {
        expect(owner).toBe(map);
        seen.push([key, value]);
        return op.style === 'async' ? Promise.resolve() : undefined;
      });
      expectEntries(seen, model);
      break;
    }
  }
  await checkInvariants({ map, twin, model });
}

async function collect(map: AsyncShardedHashMap<unknown, unknown>): Promise<[unknown, unknown][]> {
  const out: [unknown, unknown][] = [];
  for await (const entry of map) out.push(entry);
  return out;
}

/** What must hold after every op: same content as the model, same shards as the twin, no lock left. */
export async function checkInvariants({ map, twin, model }: Targets): Promise<void> {
  expect(await map.len()).toBe(model.size);
  expect(map.size).toBe(model.size);
  expect(await map.isEmpty()).toBe(model.size === 0);
  expectEntries(await map.iter(), model);
  expect(await map.initializedShards(), 'allocates shards exactly like the sync map').toBe(twin.initializedShards());
  expect(map.shardCount()).toBe(twin.shardCount());
  expect(map.lockStats()).toEqual({ shardLocks: 0, keyLocks: 0, pendingLoads: 0, waiting: 0, idle: true });
}

/** Asserts that `entries` are exactly the entries of `model` (any order, values by `Object.is`). */
export function expectEntries(entries: readonly (readonly [unknown, unknown])[], model: ReadonlyMap<unknown, unknown>) {
  expect(entries.length).toBe(model.size);
  expect(new Map(entries.map(([k, v]) => [k, v] as const)).size, 'keys are unique').toBe(entries.length);
  for (const [k, v] of entries) {
    expect(model.has(k), `unexpected key ${String(k)}`).toBe(true);
    expect(v).toBe(model.get(k));
  }
}

/** Asserts that `values` are the values of `model` as a multiset (by `Object.is`). */
export function expectValues(values: readonly unknown[], model: ReadonlyMap<unknown, unknown>) {
  const remaining = [...model.values()];
  expect(values.length).toBe(remaining.length);
  for (const v of values) {
    const at = remaining.findIndex((w) => Object.is(v, w));
    expect(at, `unexpected value ${String(v)}`).toBeGreaterThanOrEqual(0);
    remaining.splice(at, 1);
  }
}
