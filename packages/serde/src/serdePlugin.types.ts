import type { AnyPlugin, ComposedOptions, KindOptions, MapKind, MapKinds } from '@starshard/core';
import type { EntrySchemas } from './codec.js';
import type { SerializedMap } from './wire.js';

/**
 * What the `serde` plugin adds to a `ShardedHashMap`: `toJSON()`, so `JSON.stringify(map)`
 * writes the Rust crate's wire format, with the keys and values through the prop schemas given
 * in the `serde` constructor option.
 *
 * @example
 * const m = new (ShardedHashMap.with(serde))<string, number>(64);
 * m.insert('a', 1);
 * JSON.stringify(m); // '{"shard_count":64,"entries":[["a",1]]}'
 */
export interface SerdeApi<K, V> {
  /**
   * The map in the wire format `{ shard_count, entries }`, taken synchronously (one point in
   * time). Type arguments name the JSON types of keys and values when schemas change them.
   *
   * @example
   * const wire = m.toJSON();            // what JSON.stringify(m) writes
   * Composed.fromJSON(wire).len() === m.len();
   */
  toJSON<KJ = K, VJ = V>(): SerializedMap<KJ, VJ>;
}

/**
 * What the `serde` plugin adds to an `AsyncShardedHashMap`. Both are taken synchronously on the
 * inner map, without waiting for any lock (one point in time; a value a callback has not yet
 * returned is not in it). `toJSON()` stays synchronous, as `JSON.stringify` requires.
 *
 * @example
 * const m = new (AsyncShardedHashMap.with(serde))<string, number>(64);
 * await m.insert('a', 1);
 * await m.asyncSnapshotSerializable(); // [['a', 1]]
 */
export interface AsyncSerdeApi<K, V> {
  /**
   * Every entry as `[key, value]` pairs ready for JSON (through the map's `serde` schemas).
   *
   * @example
   * const entries = await m.asyncSnapshotSerializable();
   * const copy = AsyncShardedHashMap.with(serde).fromJSON({ shard_count: m.shardCount(), entries });
   */
  asyncSnapshotSerializable<KJ = K, VJ = V>(): Promise<[KJ, VJ][]>;
  /**
   * The map in the wire format, synchronously (see {@link SerdeApi.toJSON}).
   *
   * @example
   * JSON.stringify(asyncMap); // '{"shard_count":64,"entries":[...]}'
   */
  toJSON<KJ = K, VJ = V>(): SerializedMap<KJ, VJ>;
}

/**
 * The constructor option the `serde` plugin adds: the prop schemas `toJSON()` writes keys and
 * values with (`fromJSON` sets it from its own options).
 *
 * @example
 * new (ShardedHashMap.with(serde))<string, Todo>(64, { serde: { value: object(Todo) } });
 */
export interface SerdeOptions {
  /** Prop schemas for keys and values; default: both written as JSON carries them. */
  serde?: EntrySchemas | undefined;
}

/**
 * Options of a composed class's static `fromJSON`: the prop schemas, and the new map's
 * constructor options (what the wire format does not carry: hasher, snapshot mode, ...).
 *
 * @example
 * Composed.fromJSON(text, { value: date(), mapOptions: { snapshotMode: SnapshotMode.Cow } });
 */
export interface FromJSONOptions<Kind extends MapKind, P extends readonly AnyPlugin[], K, V> extends EntrySchemas {
  /** Constructor options of the new map; its `serde` option defaults to `{ key, value }` above. */
  mapOptions?: (KindOptions<K>[Kind] & ComposedOptions<P, K, V>) | undefined;
}

/**
 * The static `fromJSON` the `serde` plugin adds to composed classes, sync and async, returning
 * the composed instance type.
 *
 * @example
 * const Composed = ShardedHashMap.with(serde, snapshot);
 * const m = Composed.fromJSON<string, number>('{"shard_count":8,"entries":[["a",1]]}');
 * m.snapshot(); // typed: the composition's API
 */
export interface SerdeStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
  /**
   * A new map of this class from the wire format (the object or its JSON string), strictly
   * checked: see `deserializeMap`. The async class builds its map synchronously (a fresh map
   * has no lock to wait for).
   *
   * @example
   * const m = ShardedHashMap.with(serde).fromJSON<string, Date>(text, { value: date() });
   */
  fromJSON<K = any, V = any>(data: unknown, options?: FromJSONOptions<Kind, P, K, V>): MapKinds<P, K, V>[Kind];
}

// The registry entries, keyed by the plugin's name: only classes composed with `serde` get
// these methods, options and statics.
declare module '@starshard/core' {
  interface PluginApis<K, V> {
    serde: SerdeApi<K, V>;
  }
  interface AsyncPluginApis<K, V> {
    serde: AsyncSerdeApi<K, V>;
  }
  interface PluginOptions<K, V> {
    serde: SerdeOptions;
  }
  interface PluginStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
    serde: SerdeStatics<Kind, P>;
  }
}
