// The async map's model suite, pointed at Redis: random operation lists (every method, sync,
// async, throwing and rejecting callbacks) against a plain Map, on one server and on a cluster.
// Values are JSON (copies come back), so they are compared by value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RedisShardedHashMap } from '../src/index.js';
import { deployments, freshPrefix, useDeployment } from './support/targets.js';

/** `STARSHARD_FC_RUNS=200 pnpm exec vitest run test/model.test.ts` for a long soak. */
const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 40;

type Style = 'sync' | 'async' | 'throws' | 'rejects';
class CallbackFailure extends Error {}

function answer<T>(style: Style, value: T): T | Promise<T> {
  if (style === 'sync') return value;
  if (style === 'async') return Promise.resolve().then(() => value);
  if (style === 'throws') throw new CallbackFailure('thrown');
  if (style !== 'rejects') throw new Error(`unknown callback style ${String(style)}`);
  return Promise.resolve().then(() => {
    throw new CallbackFailure('rejected');
  });
}
const failed = (style: Style) => style === 'throws' || style === 'rejects';

// Keys: plain, unicode, glob characters, hash tags (one slot for several keys), empty.
const keyArb = fc.oneof(
  fc.constantFrom('a', 'b', '', '*', '[x]', '{tag}:1', '{tag}:2', 'é✓', 'k\\'),
  fc.string({ maxLength: 6 }),
);
const valueArb = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.record({ n: fc.integer(), s: fc.string({ maxLength: 3 }) }),
);
const styleArb: fc.Arbitrary<Style> = fc.oneof(
  fc.constant('sync' as const),
  { arbitrary: fc.constant('async' as const), weight: 2 },
  fc.constant('throws' as const),
  fc.constant('rejects' as const),
);

type Op =
  | { op: 'insert' | 'set'; key: string; value: unknown }
  | { op: 'get' | 'contains' | 'has' | 'remove' | 'delete'; key: string }
  | { op: 'clear' | 'len' | 'isEmpty' | 'iter' | 'keys' | 'values' | 'asyncIterator' }
  | { op: 'batchInsert'; pairs: [string, unknown][] }
  | { op: 'batchRemove' | 'batchGet'; keys: string[] }
  | { op: 'computeIfPresent'; key: string; next: unknown; remove: boolean; style: Style }
  | { op: 'computeIfAbsent'; key: string; value: unknown; style: Style }
  | { op: 'retain'; salt: number; style: Style }
  | { op: 'compareAndSwap'; key: string; expected: unknown; useCurrent: boolean; next: unknown }
  | { op: 'compareAndRemove'; key: string; expected: unknown; useCurrent: boolean };

function opArb(key: fc.Arbitrary<string>): fc.Arbitrary<Op> {
  const keys = fc.array(key, { maxLength: 6 });
  return fc.oneof(
    { arbitrary: fc.record({ op: fc.constantFrom('insert', 'set'), key, value: valueArb }), weight: 6 },
    { arbitrary: fc.record({ op: fc.constantFrom('get', 'contains', 'has', 'remove', 'delete'), key }), weight: 5 },
    {
      arbitrary: fc.record({
        op: fc.constantFrom('clear', 'len', 'isEmpty', 'iter', 'keys', 'values', 'asyncIterator'),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        op: fc.constant('batchInsert'),
        pairs: fc.array(fc.tuple(key, valueArb), { maxLength: 6 }),
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ op: fc.constantFrom('batchRemove', 'batchGet'), keys }), weight: 2 },
    {
      arbitrary: fc.record({
        op: fc.constant('computeIfPresent'),
        key,
        next: valueArb,
        remove: fc.boolean(),
        style: styleArb,
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ op: fc.constant('computeIfAbsent'), key, value: valueArb, style: styleArb }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('retain'), salt: fc.nat(), style: styleArb }), weight: 1 },
    {
      arbitrary: fc.record({
        op: fc.constant('compareAndSwap'),
        key,
        expected: valueArb,
        useCurrent: fc.boolean(),
        next: valueArb,
      }),
      weight: 3,
    },
    {
      arbitrary: fc.record({ op: fc.constant('compareAndRemove'), key, expected: valueArb, useCurrent: fc.boolean() }),
      weight: 2,
    },
  );
}

const opListArb = fc.uniqueArray(keyArb, { minLength: 1, maxLength: 5 }).chain((pool) =>
  fc.array(opArb(fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 5 }, { arbitrary: keyArb, weight: 1 })), {
    maxLength: 30,
  }),
);

const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const sortedEntries = (model: Map<string, unknown>) => [...model].sort(byKey);
const sortedValues = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();

async function apply(op: Op, map: RedisShardedHashMap<string, unknown>, model: Map<string, unknown>) {
  switch (op.op) {
    case 'insert':
      expect(await map.insert(op.key, op.value)).toEqual(model.get(op.key));
      model.set(op.key, op.value);
      break;
    case 'set':
      expect(await map.set(op.key, op.value)).toBe(map);
      model.set(op.key, op.value);
      break;
    case 'get':
      expect(await map.get(op.key)).toEqual(model.get(op.key));
      break;
    case 'contains':
    case 'has':
      expect(await map[op.op](op.key)).toBe(model.has(op.key));
      break;
    case 'remove':
      expect(await map.remove(op.key)).toEqual(model.get(op.key));
      model.delete(op.key);
      break;
    case 'delete':
      expect(await map.delete(op.key)).toBe(model.delete(op.key));
      break;
    case 'clear':
      await map.clear();
      model.clear();
      break;
    case 'len':
      expect(await map.len()).toBe(model.size);
      break;
    case 'isEmpty':
      expect(await map.isEmpty()).toBe(model.size === 0);
      break;
    case 'iter':
      expect((await map.iter()).sort(byKey)).toEqual(sortedEntries(model));
      break;
    case 'asyncIterator': {
      const seen: [string, unknown][] = [];
      for await (const entry of map) seen.push(entry);
      expect(seen.sort(byKey)).toEqual(sortedEntries(model));
      break;
    }
    case 'keys':
      expect((await map.keys()).sort()).toEqual([...model.keys()].sort());
      break;
    case 'values':
      expect(sortedValues(await map.values())).toEqual(sortedValues([...model.values()]));
      break;
    case 'batchInsert': {
      let fresh = 0;
      for (const [k, v] of op.pairs) {
        if (!model.has(k)) fresh++;
        model.set(k, v);
      }
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
      expect(await map.batchRemove(new Set(op.keys))).toBe(removed);
      break;
    }
    case 'batchGet':
      expect(await map.batchGet(op.keys)).toEqual(op.keys.map((k) => model.get(k)));
      break;
    case 'computeIfPresent': {
      const calls: unknown[] = [];
      const next = op.remove ? undefined : op.next;
      const result = map.computeIfPresent(op.key, (v, k) => {
        calls.push(v);
        expect(k).toBe(op.key);
        return answer(op.style, next);
      });
      if (!model.has(op.key)) {
        expect(await result).toBeUndefined();
        expect(calls).toEqual([]);
        break;
      }
      if (failed(op.style)) await expect(result).rejects.toBeInstanceOf(CallbackFailure);
      else expect(await result).toEqual(next);
      expect(calls).toEqual([model.get(op.key)]);
      if (failed(op.style)) break;
      if (next === undefined) model.delete(op.key);
      else model.set(op.key, next);
      break;
    }
    case 'computeIfAbsent': {
      let calls = 0;
      const present = model.has(op.key);
      const result = map.computeIfAbsent(op.key, (k) => {
        calls++;
        expect(k).toBe(op.key);
        return answer(op.style, op.value);
      });
      if (present) expect(await result).toEqual(model.get(op.key));
      else if (failed(op.style)) await expect(result).rejects.toBeInstanceOf(CallbackFailure);
      else expect(await result).toEqual(op.value);
      expect(calls).toBe(present ? 0 : 1);
      if (!present && !failed(op.style)) model.set(op.key, op.value);
      break;
    }
    case 'retain': {
      // A deterministic predicate drawn by its salt (fc.func does not survive shrinking inside records here).
      const keep = (k: string, v: unknown) => {
        let h = op.salt;
        for (const c of JSON.stringify([k, v])) h = (Math.imul(h, 31) + (c.codePointAt(0) as number)) | 0;
        return (h & 4) === 0;
      };
      let seen = 0;
      const doomed = [...model].filter(([k, v]) => !keep(k, v)).map(([k]) => k);
      const removed = map.retain((k, v) => {
        seen++;
        return answer(seen === 1 ? op.style : 'sync', keep(k, v));
      });
      if (model.size > 0 && failed(op.style)) {
        await expect(removed).rejects.toBeInstanceOf(CallbackFailure);
        break;
      }
      expect(await removed).toBe(doomed.length);
      expect(seen).toBe(model.size);
      for (const k of doomed) model.delete(k);
      break;
    }
    case 'compareAndSwap': {
      const expected = op.useCurrent ? model.get(op.key) : op.expected;
      const current = model.get(op.key);
      const matches = JSON.stringify(current) === JSON.stringify(expected);
      const result = await map.compareAndSwap(op.key, expected, op.next);
      expect(result).toEqual(matches ? { success: true, value: op.next } : { success: false, value: current });
      if (matches) model.set(op.key, op.next);
      break;
    }
    case 'compareAndRemove': {
      const expected = op.useCurrent && model.has(op.key) ? model.get(op.key) : op.expected;
      const matches = model.has(op.key) && JSON.stringify(model.get(op.key)) === JSON.stringify(expected);
      expect(await map.compareAndRemove(op.key, expected)).toBe(matches);
      if (matches) model.delete(op.key);
      break;
    }
  }
}

describe.each(deployments)('a RedisShardedHashMap on %s Redis', (kind) => {
  const target = useDeployment(kind);

  // A prefix with a hash tag puts the whole map in one slot (every transaction possible).
  it.each([
    ['a plain prefix', ''],
    ['a hash-tagged prefix', '{one-slot}'],
  ])('answers every method like a Map, under %s', { timeout: 120_000 }, async (_, tag) => {
    const client = target.client();
    await fc.assert(
      fc.asyncProperty(opListArb, async (ops) => {
        const map = new RedisShardedHashMap<string, unknown>(client, { prefix: `${tag}${freshPrefix('model')}` });
        const model = new Map<string, unknown>();
        for (const op of ops) await apply(op, map, model);
        expect((await map.iter()).sort(byKey)).toEqual(sortedEntries(model));
        expect(await map.len()).toBe(model.size);
        await map.clear();
      }),
      { numRuns: RUNS },
    );
  });
});
