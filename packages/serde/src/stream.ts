import { InvalidArgumentError, ShardedHashMap } from '@starshard/core';
import { type EntryCodec, entryCodec } from './codec.js';
import { atLine, DeserializeError, describeValue, messageOf } from './errors.js';
import { type DeserializeOptions, mapOptionsFor, type SerializeOptions } from './serializeMap.js';
import {
  checkSyncMap,
  constructMap,
  decodeEntry,
  encodeEntry,
  isRecord,
  type MapConstructor,
  readShardCount,
} from './wire.js';

/**
 * Options of {@link serializeMapStream}: the prop schemas, and how many entry lines each yielded
 * chunk holds (default 4096).
 *
 * @example
 * serializeMapStream(map, { value: object(Todo), entriesPerChunk: 1024 });
 */
export interface StreamOptions extends SerializeOptions {
  /** Entry lines per yielded string; default 4096. */
  entriesPerChunk?: number | undefined;
}

/** What {@link deserializeMapStream} reads: chunks of NDJSON text, as strings or UTF-8 bytes (a file stream). */
export type NdjsonSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> | string;

const DEFAULT_ENTRIES_PER_CHUNK = 4096;

/**
 * The map as NDJSON, for maps too big for one JSON string (V8 strings stop near 512 MB): a
 * header line `{"shard_count":n,"entry_count":m}`, then one `[key, value]` line per entry (keys
 * and values through their prop schemas, as in `serializeMap`). The yielded strings hold
 * `entriesPerChunk` lines each. The entries are taken when this is called (one point in time,
 * from `map.iter()`), not when the stream is read: with the `snapshot` plugin in `Cow` mode that
 * costs O(shards), otherwise `iter()` copies the entry list once. An entry that cannot be
 * written throws `SerializeError` from the iteration (the lines before it were already yielded:
 * write to a temporary file and rename it once the stream ends).
 *
 * @example
 * import { createWriteStream } from 'node:fs';
 * import { Readable } from 'node:stream';
 * import { pipeline } from 'node:stream/promises';
 *
 * await pipeline(Readable.from(serializeMapStream(map)), createWriteStream('map.ndjson'));
 */
export function serializeMapStream<K, V>(
  map: { shardCount(): number; iter(): Iterable<readonly [K, V]>; len?(): number },
  options?: StreamOptions,
): AsyncIterableIterator<string> {
  const codec = entryCodec(options);
  const perChunk = options?.entriesPerChunk ?? DEFAULT_ENTRIES_PER_CHUNK;
  if (!Number.isSafeInteger(perChunk) || perChunk < 1) {
    throw new InvalidArgumentError(`entriesPerChunk must be a positive integer, got ${describeValue(perChunk)}`);
  }
  const source = checkSyncMap(map, 'serializeMapStream');
  // Everything is read now, synchronously: the header and the entries are one point in time.
  const shards = source.shardCount();
  let entries: Iterable<readonly [unknown, unknown]> = source.iter();
  let size: number;
  if (typeof source.len === 'function') size = source.len();
  else {
    const list = Array.from(entries);
    entries = list;
    size = list.length;
  }
  return ndjsonLines(shards, size, entries, codec, perChunk);
}

async function* ndjsonLines(
  shards: number,
  size: number,
  entries: Iterable<readonly [unknown, unknown]>,
  codec: EntryCodec,
  perChunk: number,
): AsyncGenerator<string, void, undefined> {
  yield `${JSON.stringify({ shard_count: shards, entry_count: size })}\n`;
  let chunk = '';
  let lines = 0;
  let i = 0;
  for (const entry of entries) {
    chunk += `${JSON.stringify(encodeEntry(entry[0], entry[1], i, codec))}\n`;
    i++;
    if (++lines === perChunk) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (lines > 0) yield chunk;
}

/**
 * Rebuilds a map from the NDJSON of {@link serializeMapStream}: chunks of text or UTF-8 bytes
 * (`fs.createReadStream(path)`, the writer's own iterator, a string). As strict as
 * `deserializeMap`: a malformed header or line, an entry that does not decode, invalid UTF-8,
 * or a line count other than the header's `entry_count` (a truncated file) rejects with
 * `DeserializeError` naming the path (`entries[3][1]`, with the line number in the message), and
 * no map is returned. Entries go into the new map as they are read (it is handed out only once
 * the whole stream checked out), so memory stays at the map's own size. Blank lines are ignored;
 * a key given twice: the last line wins. `Map` must be a sync map class.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 *
 * const map = await deserializeMapStream<string, number>(createReadStream('map.ndjson'));
 */
export async function deserializeMapStream<K = any, V = any>(
  source: NdjsonSource,
  options?: DeserializeOptions<K, V> & { Map?: undefined },
): Promise<ShardedHashMap<K, V>>;
export async function deserializeMapStream<M>(
  source: NdjsonSource,
  options: DeserializeOptions & { Map: MapConstructor<M> },
): Promise<M>;
export async function deserializeMapStream(source: NdjsonSource, options?: DeserializeOptions): Promise<unknown> {
  const codec = entryCodec(options);
  const MapClass = options?.Map ?? ShardedHashMap;
  if (typeof MapClass !== 'function') {
    throw new InvalidArgumentError(
      `deserializeMapStream: options.Map must be a sync map class, got ${describeValue(MapClass)}`,
    );
  }
  const mapOptions = mapOptionsFor(MapClass, options);
  const chunks = typeof source === 'string' ? [source] : source;
  if (
    typeof chunks !== 'object' ||
    chunks === null ||
    (typeof (chunks as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' &&
      typeof (chunks as Iterable<unknown>)[Symbol.iterator] !== 'function')
  ) {
    throw new InvalidArgumentError(
      `deserializeMapStream takes an (async) iterable of strings or bytes, such as fs.createReadStream(path), got ${describeValue(source)}`,
    );
  }

  let map: { insert(k: unknown, v: unknown): unknown } | undefined;
  let expected = 0;
  let count = 0;
  let lineNo = 0;
  const onLine = (line: string): void => {
    lineNo++;
    if (line.trim() === '') return;
    try {
      readLine(line);
    } catch (error) {
      throw error instanceof DeserializeError ? atLine(error, lineNo) : error;
    }
  };
  const readLine = (line: string): void => {
    if (map === undefined) {
      const header = parseLine(line, '');
      if (!isRecord(header)) {
        throw new DeserializeError(
          '',
          `the header must be an object {"shard_count":n,"entry_count":m}, got ${describeValue(header)}`,
        );
      }
      const shards = readShardCount(header.shard_count, 'shard_count');
      const declared = header.entry_count;
      if (typeof declared !== 'number' || !Number.isSafeInteger(declared) || declared < 0) {
        throw new DeserializeError('entry_count', `must be a non-negative integer, got ${describeValue(declared)}`);
      }
      expected = declared;
      const made = constructMap(MapClass as MapConstructor<unknown>, shards, mapOptions) as {
        insert?: unknown;
        len?: unknown;
      };
      if (
        typeof made.insert !== 'function' ||
        typeof made.len !== 'function' ||
        typeof (made.len as () => unknown)() !== 'number'
      ) {
        throw new InvalidArgumentError(
          'deserializeMapStream: options.Map must be a sync map class (ShardedHashMap or a composition of it)',
        );
      }
      map = made as { insert(k: unknown, v: unknown): unknown };
      return;
    }
    const i = count;
    if (i >= expected) {
      throw new DeserializeError(`entries[${i}]`, `more entries than the header's entry_count of ${expected}`);
    }
    const entry = decodeEntry(parseLine(line, `entries[${i}]`), i, codec);
    map.insert(entry[0], entry[1]);
    count++;
  };

  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  const take = (text: string): void => {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end === -1) break;
      const line = text.slice(start, end);
      onLine(trimCr(start === 0 && rest !== '' ? rest + line : line));
      if (start === 0) rest = '';
      start = end + 1;
    }
    rest = start === 0 ? rest + text : text.slice(start);
  };
  for await (const chunk of chunks as AsyncIterable<unknown>) {
    if (typeof chunk === 'string') take(chunk);
    else if (chunk instanceof Uint8Array) take(decodeBytes(decoder, chunk, true));
    else {
      throw new DeserializeError('', `a chunk must be a string or bytes, got ${describeValue(chunk)}`);
    }
  }
  take(decodeBytes(decoder, new Uint8Array(0), false));
  if (rest !== '') onLine(trimCr(rest));
  if (map === undefined) throw new DeserializeError('', 'is empty: no header line {"shard_count":n,"entry_count":m}');
  if (count !== expected) {
    throw new DeserializeError(
      'entries',
      `the stream ended after ${count} of the header's ${expected} entries (a truncated file?)`,
    );
  }
  return map;
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function decodeBytes(decoder: InstanceType<typeof TextDecoder>, bytes: Uint8Array, stream: boolean): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch (error) {
    throw new DeserializeError('', `is not valid UTF-8 (${messageOf(error)})`, { cause: error });
  }
}

function parseLine(line: string, path: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new DeserializeError(path, `is not valid JSON (${messageOf(error)})`, { cause: error });
  }
}
