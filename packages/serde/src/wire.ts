import { InvalidArgumentError, ShardCountError } from '@starshard/core';
import { type EntryCodec, Mode, Side } from './codec.js';
import { DeserializeError, describeValue, messageOf } from './errors.js';

/**
 * The wire format, as the Rust crate writes it: the shard count and every entry as a
 * `[key, value]` pair (keys and values as their prop schemas write them).
 *
 * @example
 * const wire: SerializedMap = { shard_count: 64, entries: [['a', 1], ['b', 2]] };
 */
export interface SerializedMap<KJ = unknown, VJ = unknown> {
  /** The map's shard count when it was saved (`0` loads as 64; above the cap, clamped). */
  shard_count: number;
  /** Every entry, in the map's iteration order: keys and values as their prop schemas write them. */
  entries: [KJ, VJ][];
}

/**
 * What `serializeMap` reads: a sync starshard map (`ShardedHashMap` or any composition of it),
 * or anything with the same methods.
 *
 * @example
 * const source: SerializableMap<string, number> = new ShardedHashMap<string, number>();
 */
export interface SerializableMap<K, V> {
  /** The shard count, saved as `shard_count`. */
  shardCount(): number;
  /** The entries, as a snapshot taken when called (the stream writer reads this). */
  iter(): Iterable<readonly [K, V]>;
  /** Every entry, synchronously (`serializeMap` reads this when present: no entry arrays to copy). */
  forEach?(callback: (value: V, key: K) => void): void;
  /** The entry count (`serializeMapStream` writes it in its header when present). */
  len?(): number;
}

/** Checks that `map` is a sync starshard map (an async one's `len()` is a promise). */
export function checkSyncMap(map: unknown, caller: string): SerializableMap<unknown, unknown> {
  const source = map as Partial<SerializableMap<unknown, unknown>> | null;
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof source.shardCount !== 'function' ||
    typeof source.iter !== 'function'
  ) {
    throw new InvalidArgumentError(`${caller} takes a starshard map, got ${describeValue(map)}`);
  }
  if (typeof source.len === 'function' && typeof source.len() !== 'number') {
    throw new InvalidArgumentError(
      `${caller} takes a sync map, and this one answers len() with a promise (an AsyncShardedHashMap): ` +
        'compose serde onto the async map and use toJSON() or asyncSnapshotSerializable()',
    );
  }
  return source as SerializableMap<unknown, unknown>;
}

/**
 * The shard maps holding every entry once, through the core's `scanShards` seam (the one its
 * own iteration reads: with `rebalance` migrating, it includes the old layout's shards), or
 * `undefined` for a map without it. Reading them directly copies no entry list first.
 */
function shardsOf(map: object): readonly Map<unknown, unknown>[] | undefined {
  const scan = (map as { scanShards?: unknown }).scanShards;
  if (typeof scan !== 'function') return undefined;
  const shards = scan.call(map) as unknown;
  return Array.isArray(shards) && shards.every((s) => s instanceof Map) ? shards : undefined;
}

/**
 * The map in the wire format, read now, synchronously (one point in time: nothing runs between
 * the first entry and the last). Through the shard maps (see `shardsOf`), else the map's
 * `forEach` or `iter()`. The fast path checks JSON-ability inline and calls no schema; the first entry
 * that cannot be written throws `SerializeError`.
 */
export function writeWire(map: unknown, codec: EntryCodec, caller: string): SerializedMap {
  const source = checkSyncMap(map, caller);
  const shards = source.shardCount();
  const out: [unknown, unknown][] = [];
  const { key: keyCodec, value: valueCodec } = codec;
  let i = 0;
  let visit: (v: unknown, k: unknown) => void;
  if (codec.fast) {
    const rawValues = valueCodec.mode === Mode.Raw;
    visit = (v, k) => {
      if (!isJsonPrimitive(k)) keyCodec.encode(k, k, sidePath(i, Side.Key)); // throws
      if (!(rawValues ? isRawValue(v) : isJsonPrimitive(v))) valueCodec.encode(v, k, sidePath(i, Side.Value)); // throws
      out.push([k, v]);
      i++;
    };
  } else {
    visit = (v, k) => {
      out.push([keyCodec.encode(k, k, sidePath(i, Side.Key)), valueCodec.encode(v, k, sidePath(i, Side.Value))]);
      i++;
    };
  }
  const shardMaps = shardsOf(source);
  if (shardMaps !== undefined) for (const shard of shardMaps) shard.forEach(visit);
  else if (typeof source.forEach === 'function') source.forEach(visit);
  else for (const entry of source.iter()) visit(entry[1], entry[0]);
  return { shard_count: shards, entries: out };
}

/** A key (or a value under `primitive()`) JSON carries exactly: a string, a finite number, a boolean, `null`. */
function isJsonPrimitive(x: unknown): boolean {
  return typeof x === 'string' || (typeof x === 'number' && x - x === 0) || typeof x === 'boolean' || x === null;
}

/** A value JSON can write without a schema (objects are not walked). */
function isRawValue(x: unknown): boolean {
  return (
    typeof x === 'object' || typeof x === 'string' || (typeof x === 'number' && x - x === 0) || typeof x === 'boolean'
  );
}

/** Path of side `side` of entry `i`. */
export function sidePath(i: number, side: Side): string {
  return `entries[${i}][${side}]`;
}

/** Encodes one entry (the stream writer's step). */
export function encodeEntry(k: unknown, v: unknown, i: number, codec: EntryCodec): [unknown, unknown] {
  const { key: keyCodec, value: valueCodec } = codec;
  if (codec.fast) {
    if (!isJsonPrimitive(k)) keyCodec.encode(k, k, sidePath(i, Side.Key));
    if (!(valueCodec.mode === Mode.Raw ? isRawValue(v) : isJsonPrimitive(v))) {
      valueCodec.encode(v, k, sidePath(i, Side.Value));
    }
    return [k, v];
  }
  return [keyCodec.encode(k, k, sidePath(i, Side.Key)), valueCodec.encode(v, k, sidePath(i, Side.Value))];
}

/** The input as a parsed value: a string is parsed as JSON. */
function parseInput(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new DeserializeError('', `is not valid JSON (${messageOf(error)})`, { cause: error });
  }
}

/**
 * The shard count field: a non-negative integer (0 → 64 and clamping happen when the map is
 * made, by the core's lenient rules).
 */
export function readShardCount(value: unknown, path: string): number {
  if (value === undefined) throw new DeserializeError(path, 'is missing: give the shard count, a non-negative integer');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new DeserializeError(path, `must be a non-negative integer, got ${describeValue(value)}`);
  }
  // Beyond the safe integers the core would refuse the count; any such count is clamped anyway.
  return Math.min(value, Number.MAX_SAFE_INTEGER);
}

/** An object that is not an array (what the input and the NDJSON header must be). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The decoded shard count and entries of a wire-format input, checked from end to end. */
export interface DecodedWire {
  readonly shards: number;
  /** Decoded `[key, value]` pairs, in input order (a later pair for the same key wins). */
  readonly entries: readonly (readonly [unknown, unknown])[];
}

/**
 * Checks and decodes a wire-format input (the object, or its JSON string). Every entry is
 * decoded before anything is built; the first problem throws `DeserializeError` with its path.
 */
export function decodeWire(data: unknown, codec: EntryCodec): DecodedWire {
  const root = parseInput(data);
  if (!isRecord(root)) {
    throw new DeserializeError(
      '',
      `must be an object { "shard_count": n, "entries": [...] }, got ${describeValue(root)}`,
    );
  }
  const shards = readShardCount(root.shard_count, 'shard_count');
  const entries = root.entries;
  if (!Array.isArray(entries)) {
    throw new DeserializeError(
      'entries',
      entries === undefined ? 'is missing' : `must be an array of [key, value] pairs, got ${describeValue(entries)}`,
    );
  }
  const count = entries.length;
  const { key: keyCodec, value: valueCodec } = codec;
  if (codec.fast) {
    // Check in place; the pairs are read again only to insert them.
    const rawValues = valueCodec.mode === Mode.Raw;
    for (let i = 0; i < count; i++) {
      const entry = entries[i] as unknown;
      if (!Array.isArray(entry) || entry.length !== 2) throw notAPair(entry, i);
      const k = entry[0] as unknown;
      const v = entry[1] as unknown;
      if (!isJsonPrimitive(k)) keyCodec.decode(k, sidePath(i, Side.Key)); // throws
      if (!(rawValues ? isRawValue(v) : isJsonPrimitive(v))) valueCodec.decode(v, sidePath(i, Side.Value)); // throws
    }
    return { shards, entries: entries as readonly (readonly [unknown, unknown])[] };
  }
  const decoded = new Array<readonly [unknown, unknown]>(count);
  for (let i = 0; i < count; i++) decoded[i] = decodeEntry(entries[i], i, codec);
  return { shards, entries: decoded };
}

/** Decodes one `[key, value]` pair found at `entries[i]`. */
export function decodeEntry(entry: unknown, i: number, codec: EntryCodec): readonly [unknown, unknown] {
  if (!Array.isArray(entry) || entry.length !== 2) throw notAPair(entry, i);
  return [codec.key.decode(entry[0], sidePath(i, Side.Key)), codec.value.decode(entry[1], sidePath(i, Side.Value))];
}

function notAPair(entry: unknown, i: number): DeserializeError {
  return new DeserializeError(
    `entries[${i}]`,
    `must be a [key, value] pair (an array of length 2), got ${describeValue(entry)}`,
  );
}

/** A map class `deserializeMap` can build: constructed as `new Map(shards, options)`. */
export type MapConstructor<M> = new (shards?: number, options?: any) => M;

/**
 * `new MapClass(shards, options)`, where a shard count the options refuse (`strict: true`, a
 * smaller `maxShards` with `strict`) is a `DeserializeError` at `shard_count`.
 */
export function constructMap<M>(MapClass: MapConstructor<M>, shards: number, options: object | undefined): M {
  try {
    return options === undefined ? new MapClass(shards) : new MapClass(shards, options);
  } catch (error) {
    if (error instanceof ShardCountError) {
      throw new DeserializeError('shard_count', `is refused by the map's options: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
