export { AsyncRwLock, type LockOptions, type Release } from './asyncRwLock.js';
export { AsyncShardedHashMap } from './asyncShardedHashMap.js';
export { LockReentrancyError, LockTimeoutError } from './errors.js';
export type {
  AsyncCallOptions,
  AsyncLockStats,
  AsyncMapConstructor,
  AsyncShardedHashMapOptions,
  CallbackContext,
} from './types.js';
