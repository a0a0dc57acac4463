import { expect } from 'vitest';
import type { ShardedHashMap } from '../../src/index.js';

/** `Map`'s key equality: `NaN` equals `NaN`, `-0` equals `0`, everything else by `===`. */
export function sameValueZero(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: the NaN test is the point.
  return a === b || (a !== a && b !== b);
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

/** Asserts that `keys` are exactly the keys of `model`, each once. */
export function expectKeys(keys: readonly unknown[], model: ReadonlyMap<unknown, unknown>) {
  expect(keys.length).toBe(model.size);
  expect(new Set(keys).size, 'keys are unique').toBe(keys.length);
  for (const k of keys) expect(model.has(k), `unexpected key ${String(k)}`).toBe(true);
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

/** Asserts that `map` holds exactly the entries of `model`, by its own size and iteration. */
export function expectSameContent(map: ShardedHashMap<unknown, unknown>, model: ReadonlyMap<unknown, unknown>) {
  expect(map.len()).toBe(model.size);
  expect(map.size).toBe(model.size);
  expect(map.isEmpty()).toBe(model.size === 0);
  expectEntries([...map.iter()], model);
}

/** What a failed call must leave untouched: the entries, the count and the allocated shards. */
export interface MapState {
  readonly entries: ReadonlyMap<unknown, unknown>;
  readonly len: number;
  readonly initializedShards: number;
}

/** Records `map`'s observable state, to compare after a call that should not change it. */
export function stateOf(map: ShardedHashMap<any, any>): MapState {
  return { entries: new Map(map.iter()), len: map.len(), initializedShards: map.initializedShards() };
}

/** Asserts that `map` is exactly as recorded in `before`. */
export function expectUnchanged(map: ShardedHashMap<any, any>, before: MapState) {
  expectSameContent(map, before.entries);
  expect(map.len()).toBe(before.len);
  expect(map.initializedShards()).toBe(before.initializedShards);
}
