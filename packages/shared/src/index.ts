export { type Codec, codecs } from './codecs.js';
export { CapacityError, CodecError, LockTimeoutError } from './errors.js';
export type { SharedShardedHashMapHandle } from './handle.js';
export {
  type AttachOptions,
  SharedShardedHashMap,
  type SharedShardedHashMapOptions,
  type WatchableWorker,
} from './sharedShardedHashMap.js';
