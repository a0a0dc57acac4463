import type {} from '@starshard/async';
import { definePlugin, InvalidArgumentError } from '@starshard/core';
import { type EntryCodec, type EntrySchemas, entryCodec } from './codec.js';
import { describeValue } from './errors.js';
import type { AsyncSerdeApi, SerdeApi } from './serdePlugin.types.js';
import { type DeserializeOptions, deserializeMap, mapOptionsFor } from './serializeMap.js';
import { constructMap, decodeWire, type MapConstructor, type SerializedMap, writeWire } from './wire.js';

/** The codec of a map's `serde` constructor option (checked). */
function codecOf(options: unknown): EntryCodec {
  const schemas = (options as { serde?: unknown } | undefined)?.serde;
  if (schemas !== undefined && (typeof schemas !== 'object' || schemas === null)) {
    throw new InvalidArgumentError(
      `options.serde must be { key?, value? } with serializr prop schemas, got ${describeValue(schemas)}`,
    );
  }
  return entryCodec(schemas as EntrySchemas | undefined);
}

/**
 * The `serde` plugin: persistence in the Rust crate's wire format
 * (`{ "shard_count": n, "entries": [[key, value], ...] }`), keys and values described by
 * serializr prop schemas. Adds `toJSON()` (so `JSON.stringify(map)` works) and a static
 * `fromJSON(data, options?)` that returns the composed class's instance; on the async map also
 * `asyncSnapshotSerializable()`. The prop schemas for `toJSON()` are the `serde` constructor
 * option (`fromJSON` sets it). Hasher and snapshot mode are not persisted: pass them again in
 * `fromJSON`'s `mapOptions`.
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { serde } from '@starshard/serde';
 * import { createModelSchema, object, primitive } from 'serializr';
 *
 * class User { name = ''; }
 * createModelSchema(User, { name: primitive() });
 * const Users = ShardedHashMap.with(serde);
 * const users = new Users<string, User>(64, { serde: { value: object(User) } });
 * users.insert('u1', Object.assign(new User(), { name: 'Ada' }));
 * const text = JSON.stringify(users);
 * const back = Users.fromJSON<string, User>(text, { value: object(User) });
 * back.get('u1') instanceof User; // true
 */
export const serde = definePlugin({
  name: 'serde',
  sync: (Base) =>
    class SerdeMap extends Base implements SerdeApi<unknown, unknown> {
      /**
       * A new map of this class from the wire format (the object or its JSON string): see
       * `deserializeMap`.
       *
       * @example
       * ShardedHashMap.with(serde).fromJSON<string, number>('{"shard_count":64,"entries":[["a",1]]}');
       */
      static fromJSON(data: unknown, options?: Omit<DeserializeOptions, 'Map'>) {
        return deserializeMap(data, { ...options, Map: this as unknown as MapConstructor<SerdeMap> });
      }

      /** The codec `toJSON` writes with, from the `serde` option. */
      readonly #serde: EntryCodec;

      constructor(...args: any[]) {
        super(...args);
        this.#serde = codecOf(args[1]);
      }

      toJSON<KJ, VJ>(): SerializedMap<KJ, VJ> {
        return writeWire(this, this.#serde, 'toJSON') as SerializedMap<KJ, VJ>;
      }
    },
  async: (Base) =>
    class AsyncSerdeMap extends Base implements AsyncSerdeApi<unknown, unknown> {
      /**
       * A new async map of this class from the wire format, built synchronously: a fresh map has
       * no lock to wait for, so the entries go straight into its inner map.
       *
       * @example
       * AsyncShardedHashMap.with(serde).fromJSON<string, number>({ shard_count: 64, entries: [['a', 1]] });
       */
      static fromJSON(data: unknown, options?: Omit<DeserializeOptions, 'Map'>) {
        const codec = entryCodec(options);
        const { shards, entries } = decodeWire(data, codec);
        const map = constructMap(
          this as unknown as MapConstructor<AsyncSerdeMap>,
          shards,
          mapOptionsFor(this, options),
        );
        const inner = map.inner;
        for (let i = 0; i < entries.length; i++) {
          const entry = entries[i] as readonly [unknown, unknown];
          inner.insert(entry[0], entry[1]);
        }
        return map;
      }

      /** The codec `toJSON` and `asyncSnapshotSerializable` write with, from the `serde` option. */
      readonly #serde: EntryCodec;

      constructor(...args: any[]) {
        super(...args);
        this.#serde = codecOf(args[1]);
      }

      toJSON<KJ, VJ>(): SerializedMap<KJ, VJ> {
        // Synchronous on the inner map: every write commits to it synchronously, so this is one
        // point in time, and no lock is needed.
        return writeWire(this.inner, this.#serde, 'toJSON') as SerializedMap<KJ, VJ>;
      }

      asyncSnapshotSerializable<KJ, VJ>(): Promise<[KJ, VJ][]> {
        try {
          return Promise.resolve(writeWire(this.inner, this.#serde, 'asyncSnapshotSerializable').entries as [KJ, VJ][]);
        } catch (error) {
          return Promise.reject(error);
        }
      }
    },
});
