import { InvalidArgumentError, ShardedHashMap, type ShardedHashMapOptions } from '@starshard/core';
import { type EntrySchemas, entryCodec } from './codec.js';
import { describeValue } from './errors.js';
import {
  constructMap,
  decodeWire,
  type MapConstructor,
  type SerializableMap,
  type SerializedMap,
  writeWire,
} from './wire.js';

/**
 * Options of {@link serializeMap}: serializr prop schemas for the keys and the values.
 * Without one, that side is written as JSON carries it (the fast path; see the README).
 *
 * @example
 * const options: SerializeOptions = { key: primitive(), value: object(todoSchema) };
 */
export type SerializeOptions = EntrySchemas;

/**
 * Options of {@link deserializeMap}: the prop schemas the map was saved with, the class to
 * build (`Map`, e.g. a composed class) and its constructor options (`mapOptions`: the hasher,
 * snapshot mode and other settings, which the wire format does not carry).
 *
 * @example
 * const options: DeserializeOptions<string, Todo> = { value: object(todoSchema), mapOptions: { seed: 1 } };
 */
export interface DeserializeOptions<K = any, _V = any> extends EntrySchemas {
  /** The class to build, called as `new Map(shardCount, mapOptions)`; default `ShardedHashMap`. */
  Map?: MapConstructor<unknown> | undefined;
  /** Constructor options for the new map (not persisted by the wire format: hasher, snapshot mode, ...). */
  mapOptions?: (ShardedHashMapOptions<K> & Record<string, unknown>) | undefined;
}

/**
 * The map in the wire format `{ shard_count, entries: [[key, value], ...] }`, ready for
 * `JSON.stringify`. Taken synchronously (one point in time: read with the map's `forEach`, during
 * which nothing else runs). Keys and values go through their
 * prop schemas; without one, a key must be a string, a finite number, a boolean or `null`, and a
 * value anything JSON can write; anything else throws `SerializeError` naming the key (never a
 * silently changed entry).
 *
 * @example
 * import { object, createModelSchema, primitive } from 'serializr';
 * class Todo { title = ''; }
 * createModelSchema(Todo, { title: primitive() });
 * const todos = new ShardedHashMap<string, Todo>(16);
 * todos.insert('t1', Object.assign(new Todo(), { title: 'write docs' }));
 * JSON.stringify(serializeMap(todos, { value: object(Todo) }));
 * // '{"shard_count":16,"entries":[["t1",{"title":"write docs"}]]}'
 */
export function serializeMap<K, V>(map: SerializableMap<K, V>, options?: SerializeOptions): SerializedMap {
  return writeWire(map, entryCodec(options), 'serializeMap');
}

/**
 * Rebuilds a map from the wire format: the parsed object or its JSON string. Strict: input that
 * is not `{ "shard_count": <non-negative integer>, "entries": [[key, value], ...] }`, or a key or
 * value that does not decode with its prop schema, throws `DeserializeError` naming the path
 * (`entries[3][1]`), and no map is returned. `shard_count` 0 means 64; above the cap it is
 * clamped (with the core's `STARSHARD_SHARDS_CLAMPED` warning). A key given twice: the last
 * pair wins. The hasher and snapshot mode are not in the wire format: pass them in `mapOptions`.
 *
 * @example
 * const m = deserializeMap<string, number>('{"shard_count":64,"entries":[["a",1],["b",2]]}');
 * m.get('b'); // 2
 * const Composed = ShardedHashMap.with(snapshot);
 * const cow = deserializeMap(wire, { Map: Composed, mapOptions: { snapshotMode: SnapshotMode.Cow } });
 */
export function deserializeMap<K = any, V = any>(
  data: unknown,
  options?: DeserializeOptions<K, V> & { Map?: undefined },
): ShardedHashMap<K, V>;
export function deserializeMap<M>(data: unknown, options: DeserializeOptions & { Map: MapConstructor<M> }): M;
export function deserializeMap(data: unknown, options?: DeserializeOptions): unknown {
  const codec = entryCodec(options);
  const MapClass = options?.Map ?? ShardedHashMap;
  if (typeof MapClass !== 'function') {
    throw new InvalidArgumentError(
      `deserializeMap: options.Map must be a map class (ShardedHashMap or a composed class), got ${describeValue(MapClass)}`,
    );
  }
  const { shards, entries } = decodeWire(data, codec);
  const map = constructMap(
    MapClass as MapConstructor<ShardedHashMap<unknown, unknown>>,
    shards,
    mapOptionsFor(MapClass, options),
  );
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as readonly [unknown, unknown];
    map.insert(entry[0], entry[1]);
  }
  return map;
}

/**
 * The constructor options for a loaded map: `mapOptions`, plus the prop schemas as the `serde`
 * option when the class is composed with the `serde` plugin (so its `toJSON()` writes the map
 * back the same way) and `mapOptions` does not set one.
 */
export function mapOptionsFor(MapClass: unknown, options: DeserializeOptions | undefined): object | undefined {
  const mapOptions = options?.mapOptions;
  if (mapOptions !== undefined && (typeof mapOptions !== 'object' || mapOptions === null)) {
    throw new InvalidArgumentError(
      `mapOptions must be the map's constructor options object, got ${describeValue(mapOptions)}`,
    );
  }
  const plugins = (MapClass as { plugins?: readonly { name: string }[] }).plugins;
  const withSerde = Array.isArray(plugins) && plugins.some((p) => p.name === 'serde');
  if (!withSerde || (mapOptions !== undefined && 'serde' in mapOptions)) return mapOptions;
  const schemas: EntrySchemas = {};
  if (options?.key !== undefined) schemas.key = options.key;
  if (options?.value !== undefined) schemas.value = options.value;
  if (schemas.key === undefined && schemas.value === undefined) return mapOptions;
  return { ...mapOptions, serde: schemas };
}
