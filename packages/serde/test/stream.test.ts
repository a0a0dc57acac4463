// The NDJSON stream pair: round trips through a file and through the writer's own iterator,
// chunk boundaries anywhere (mid-line, mid-UTF-8 character), and strict refusal of truncated or
// malformed streams. The tens-of-millions run is behind STARSHARD_STRESS=1.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, ShardedHashMap } from '@starshard/core';
import fc from 'fast-check';
import { createModelSchema, date, object, primitive } from 'serializr';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshot } from '../../snapshot/src/index.js';
import { DeserializeError, deserializeMapStream, SerializeError, serde, serializeMapStream } from '../src/index.js';

const RUNS = Number(process.env.STARSHARD_FC_RUNS) || 50;
const dir = mkdtempSync(path.join(tmpdir(), 'starshard-serde-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(iterable: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of iterable) text += chunk;
  return text;
}

async function refusal(
  source: Parameters<typeof deserializeMapStream>[0],
  options?: object,
): Promise<DeserializeError> {
  try {
    await deserializeMapStream(source, options);
  } catch (error) {
    if (error instanceof DeserializeError) return error;
    throw error;
  }
  throw new Error('expected a DeserializeError');
}

class Item {
  name = '';
  at = new Date(0);
}
createModelSchema(Item, { name: primitive(), at: date() });

describe('serializeMapStream / deserializeMapStream', () => {
  it('writes a header line and one [key, value] line per entry', async () => {
    const m = new ShardedHashMap<string, number>(8);
    m.insert('a', 1);
    m.insert('b', 2);
    const lines = (await collect(serializeMapStream(m))).split('\n');
    expect(lines[0]).toBe('{"shard_count":8,"entry_count":2}');
    expect(lines.slice(1, 3).sort()).toEqual(['["a",1]', '["b",2]']);
    expect(lines[3]).toBe('');
  });

  it('round-trips 50k entries of class values through a file', async () => {
    const m = new ShardedHashMap<number, Item>(32);
    for (let i = 0; i < 50_000; i++) m.insert(i, Object.assign(new Item(), { name: `n${i}`, at: new Date(i) }));
    const file = path.join(dir, 'items.ndjson');
    await pipeline(Readable.from(serializeMapStream(m, { value: object(Item) })), createWriteStream(file));
    expect(statSync(file).size).toBeGreaterThan(50_000 * 10);
    const back = await deserializeMapStream<number, Item>(createReadStream(file, { highWaterMark: 1000 }), {
      value: object(Item),
    });
    expect(back.len()).toBe(50_000);
    expect(back.shardCount()).toBe(32);
    for (const i of [0, 1, 24_999, 49_999]) {
      const item = back.get(i);
      expect(item).toBeInstanceOf(Item);
      expect([item?.name, item?.at.getTime()]).toEqual([`n${i}`, i]);
    }
  });

  it('any chunking of the bytes gives the same map (mid-line, mid-character, CRLF, blank lines)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme' }), fc.jsonValue()), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (pairs, cuts, crlf) => {
          const m = new ShardedHashMap<string, unknown>(4);
          for (const [k, v] of pairs) m.insert(k, v);
          let text = await collect(serializeMapStream(m, { entriesPerChunk: 3 }));
          if (crlf) text = `${text.replaceAll('\n', '\r\n')}\n\n`;
          const bytes = new TextEncoder().encode(text);
          const chunks: Uint8Array[] = [];
          for (let at = 0, c = 0; at < bytes.length; c++) {
            const size = cuts[c % cuts.length] as number;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          const back = await deserializeMapStream<string, unknown>(chunks);
          expect(back.len()).toBe(m.len());
          for (const [k, v] of m.iter()) expect(JSON.stringify(back.get(k))).toBe(JSON.stringify(v));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('takes the entries when called: later writes are not in the stream', async () => {
    const m = new (ShardedHashMap.with(serde, snapshot))<string, number>(8, { snapshotMode: 'cow' });
    m.insert('a', 1);
    const stream = serializeMapStream(m);
    m.insert('a', 2);
    m.insert('b', 3);
    const back = await deserializeMapStream<string, number>(stream);
    expect([...back.iter()]).toEqual([['a', 1]]);
  });

  it('builds the given class with its options and schemas, and reads a whole string', async () => {
    const Composed = ShardedHashMap.with(serde, snapshot);
    const back = await deserializeMapStream('{"shard_count":0,"entry_count":1}\n["a",1]', {
      Map: Composed,
      mapOptions: { snapshotMode: 'cached' },
    });
    expect(back).toBeInstanceOf(Composed);
    expect(back.shardCount()).toBe(64);
    expect(back.snapshotMode()).toBe('cached');
  });

  it('refuses what cannot be written, from the iteration', async () => {
    const m = new ShardedHashMap<unknown, number>(4);
    m.insert(1n, 1);
    await expect(collect(serializeMapStream(m))).rejects.toBeInstanceOf(SerializeError);
    expect(() => serializeMapStream(m, { entriesPerChunk: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('strict stream loading', () => {
  const header = '{"shard_count":4,"entry_count":2}';
  const cases: [string, string, string][] = [
    ['an empty stream', '', ''],
    ['blank lines only', '\n\n', ''],
    ['a header that is not JSON', '{shard_count:4}\n', ''],
    ['a header that is an array', '[4,2]\n', ''],
    ['a header without shard_count', '{"entry_count":0}\n', 'shard_count'],
    ['a header without entry_count', '{"shard_count":4}\n', 'entry_count'],
    ['a negative entry_count', '{"shard_count":4,"entry_count":-1}\n', 'entry_count'],
    ['a truncated stream', `${header}\n["a",1]\n`, 'entries'],
    ['a truncated last line', `${header}\n["a",1]\n["b",`, 'entries[1]'],
    ['more lines than declared', `${header}\n["a",1]\n["b",2]\n["c",3]\n`, 'entries[2]'],
    ['a line that is not JSON', `${header}\n["a",1]\nnope\n`, 'entries[1]'],
    ['a line that is not a pair', `${header}\n["a",1]\n["b"]\n`, 'entries[1]'],
    ['an object key', `${header}\n[{"k":1},1]\n["b",2]\n`, 'entries[0][0]'],
  ];
  for (const [name, text, pathWanted] of cases) {
    it(`${name} → DeserializeError at ${JSON.stringify(pathWanted)}`, async () => {
      expect((await refusal([text])).path).toBe(pathWanted);
    });
  }

  it('a value failing its schema names its line', async () => {
    const error = await refusal([`${header}\n["a",1]\n["b","x"]\n`], { value: date() });
    expect(error.path).toBe('entries[1][1]');
    expect(error.message).toMatch(/line 3/);
  });

  it('invalid UTF-8 and chunks that are not text are refused', async () => {
    expect((await refusal([new Uint8Array([0x7b, 0xff, 0xfe])])).path).toBe('');
    expect((await refusal([header, 42 as never])).path).toBe('');
    await expect(deserializeMapStream(42 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('fuzzed: any text or corrupted stream loads or throws DeserializeError, nothing else', async () => {
    const good = `${header}\n["a",1]\n["b",{"x":[1,2]}]\n`;
    const corrupted = fc
      .tuple(fc.nat(good.length), fc.nat(good.length), fc.string({ maxLength: 4 }))
      .map(([a, b, s]) => good.slice(0, Math.min(a, b)) + s + good.slice(Math.max(a, b)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(corrupted, fc.string({ unit: 'binary' }), fc.uint8Array()), async (input) => {
        try {
          await deserializeMapStream([input]);
        } catch (error) {
          if (!(error instanceof DeserializeError)) throw error;
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });
});

describe.runIf(process.env.STARSHARD_STRESS === '1')('stress: tens of millions of entries through a file', () => {
  it('saves and restores 20M entries (past what one JSON string can hold)', async () => {
    const n = Number(process.env.STARSHARD_SERDE_STRESS_ENTRIES) || 20_000_000;
    const m = new (ShardedHashMap.with(snapshot))<number, number>(256, { snapshotMode: 'cow' });
    for (let i = 0; i < n; i++) m.insert(i, i * 2);
    const file = path.join(dir, 'big.ndjson');
    await pipeline(Readable.from(serializeMapStream(m, { entriesPerChunk: 16_384 })), createWriteStream(file));
    const back = await deserializeMapStream<number, number>(createReadStream(file, { highWaterMark: 1 << 20 }));
    expect(back.len()).toBe(n);
    for (let i = 0; i < n; i += 999_983) expect(back.get(i)).toBe(i * 2);
  }, 600_000);
});
