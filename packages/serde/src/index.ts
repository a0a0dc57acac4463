export type { EntrySchemas } from './codec.js';
export { DeserializeError, SerializeError } from './errors.js';
export { serde } from './serdePlugin.js';
export type {
  AsyncSerdeApi,
  FromJSONOptions,
  SerdeApi,
  SerdeOptions,
  SerdeStatics,
} from './serdePlugin.types.js';
export { type DeserializeOptions, deserializeMap, type SerializeOptions, serializeMap } from './serializeMap.js';
export { deserializeMapStream, type NdjsonSource, type StreamOptions, serializeMapStream } from './stream.js';
export type { MapConstructor, SerializableMap, SerializedMap } from './wire.js';
