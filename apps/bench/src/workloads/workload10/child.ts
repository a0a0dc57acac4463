// The child side of workload 10: builds the pairs and the map for one implementation, then
// times whole serializations and deserializations (alternating, a GC before each), checking
// every deserialized result. Forked by ./index.ts with tsx's loader and --expose-gc.

import { ShardedHashMap } from '@starshard/core';
import { deserializeMap, deserializeMapStream, serializeMap, serializeMapStream } from '@starshard/serde';
import { createModelSchema, custom, object, type PropSchema, primitive } from 'serializr';
import type { Workload10ChildResult, Workload10Job, Workload10Message, Workload10Request } from './job.js';

/** The object values: a class with a serializr model schema (used by the schema path). */
class Row {
  id = 0;
  name = '';
  score = 0;
}
createModelSchema(Row, { id: primitive(), name: primitive(), score: primitive() });

function valueFor(i: number, kind: Workload10Job['values']): unknown {
  if (kind === 'number') return i;
  const row = new Row();
  row.id = i;
  row.name = `user ${i}`;
  row.score = (i * 7919) % 1000;
  return row;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof b !== 'object' || b === null) return a === b;
  const x = a as Row;
  const y = b as Row;
  return x.id === y.id && x.name === y.name && x.score === y.score;
}

interface Codec {
  /** Map → text (or NDJSON chunks). */
  serialize(): Promise<unknown> | unknown;
  /** The serialized form → a map (or, for the anchor, the parsed pairs). */
  deserialize(input: unknown): Promise<unknown> | unknown;
  /** Checks a deserialized result. */
  check(result: unknown): boolean;
}

function codecFor(job: Workload10Job, pairs: [string, unknown][], map: ShardedHashMap<string, unknown>): Codec {
  const probe = [0, 1, job.entries >> 1, job.entries - 1];
  const checkMap = (m: unknown) => {
    const restored = m as ShardedHashMap<string, unknown>;
    return restored.len() === job.entries && probe.every((i) => sameValue(restored.get(`key:${i}`), pairs[i]?.[1]));
  };
  const identity = custom(
    (v: unknown) => v,
    (v: unknown) => v,
  );
  switch (job.impl) {
    case 'json':
      return {
        serialize: () => JSON.stringify(pairs),
        deserialize: (text) => JSON.parse(text as string),
        check: (parsed) => (parsed as unknown[]).length === job.entries,
      };
    case 'serde':
    case 'serde-primitive':
    case 'serde-schema': {
      const options: { key?: PropSchema; value?: PropSchema } =
        job.impl === 'serde'
          ? {}
          : job.impl === 'serde-primitive'
            ? job.values === 'number'
              ? { key: primitive(), value: primitive() }
              : { key: primitive() } // primitive() refuses objects: plain JSON values
            : { key: identity, value: job.values === 'number' ? identity : object(Row) };
      return {
        serialize: () => JSON.stringify(serializeMap(map, options)),
        deserialize: (text) => deserializeMap(text, options),
        check: checkMap,
      };
    }
    case 'serde-stream': {
      // The fast path (no schema: object values as plain JSON), the form meant for huge maps.
      const options = {};
      return {
        serialize: async () => {
          const chunks: string[] = [];
          for await (const chunk of serializeMapStream(map, { ...options, entriesPerChunk: 8192 })) chunks.push(chunk);
          return chunks;
        },
        deserialize: (chunks) => deserializeMapStream(chunks as string[], options),
        check: checkMap,
      };
    }
  }
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timed(f: () => Promise<unknown> | unknown): Promise<[number, unknown]> {
  gc();
  const start = process.hrtime.bigint();
  const result = await f();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

async function run(job: Workload10Job): Promise<Workload10ChildResult> {
  const pairs: [string, unknown][] = [];
  for (let i = 0; i < job.entries; i++) pairs.push([`key:${i}`, valueFor(i, job.values)]);
  const map = new ShardedHashMap<string, unknown>(job.shards);
  for (const [k, v] of pairs) map.insert(k, v);
  const codec = codecFor(job, pairs, map);
  let checked = true;
  const serializeMs: number[] = [];
  const deserializeMs: number[] = [];
  let serialized: unknown;
  for (let i = 0; i <= job.iterations; i++) {
    const [ms, out] = await timed(() => codec.serialize());
    serialized = out;
    const [backMs, back] = await timed(() => codec.deserialize(serialized));
    checked &&= codec.check(back);
    if (i > 0) {
      serializeMs.push(ms);
      deserializeMs.push(backMs);
    }
  }
  const textLength = Array.isArray(serialized)
    ? (serialized as string[]).reduce((n, s) => n + s.length, 0)
    : (serialized as string).length;
  return { serializeMs, deserializeMs, textLength, checked };
}

process.once('message', (message: Workload10Request) => {
  run(message.job).then(
    (result) => process.send?.({ type: 'result', result } satisfies Workload10Message, () => process.exit(0)),
    (error: unknown) =>
      process.send?.(
        {
          type: 'error',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies Workload10Message,
        () => process.exit(1),
      ),
  );
});
