import { StarshardError } from '@starshard/core';

/**
 * A shard lock was not granted within the map's `lockTimeoutMs`. The shard is named, and so is
 * the thread holding it when the wait gave up (`ownerThreadId`, the holder's `worker_threads`
 * `threadId`, or `undefined` if readers held it). Nothing was changed by the call that threw.
 *
 * A worker terminated while holding a lock leaves it held: call
 * `map.recoverThread(worker.threadId)` (or `map.watchWorker(worker)` once, up front) from a thread
 * that outlives it, and the lock is released and the shard repaired.
 *
 * @example
 * try { map.insert('k', 1) }
 * catch (e) { if (e instanceof LockTimeoutError) console.log(e.shard, e.ownerThreadId) }
 */
export class LockTimeoutError extends StarshardError {
  /** The shard whose lock was not granted. */
  readonly shard: number;
  /** The timeout that expired, in milliseconds. */
  readonly timeoutMs: number;
  /** `'read'` or `'write'`: the lock that was asked for. */
  readonly mode: 'read' | 'write';
  /** The `threadId` of the thread holding the write lock when the wait gave up, if any. */
  readonly ownerThreadId: number | undefined;

  constructor(shard: number, timeoutMs: number, mode: 'read' | 'write', ownerThreadId: number | undefined) {
    super(
      'ERR_STARSHARD_LOCK_TIMEOUT',
      `could not acquire the ${mode} lock of shard ${shard} within ${timeoutMs} ms ` +
        (ownerThreadId === undefined
          ? '(held by readers or a queued writer): '
          : `(write-locked by thread ${ownerThreadId}): `) +
        'if that thread was terminated, call map.recoverThread(threadId) (or map.watchWorker(worker) up front); ' +
        'otherwise raise lockTimeoutMs or shorten the callbacks that run under the lock',
    );
    this.shard = shard;
    this.timeoutMs = timeoutMs;
    this.mode = mode;
    this.ownerThreadId = ownerThreadId;
  }
}

/**
 * A write needs more memory than its shard's budget (`maxBytes / shards`) allows, or more maps
 * are attached than `maxThreads`. The write did not happen; the map is unchanged and usable.
 *
 * @example
 * try { map.insert('big', hugeValue) }
 * catch (e) { if (e instanceof CapacityError) console.log(e.shard, e.neededBytes, e.maxBytes) }
 */
export class CapacityError extends StarshardError {
  /** The shard that is full, or `-1` when the attached-thread table is full. */
  readonly shard: number;
  /** The bytes the shard would have needed (or the thread slots, for the thread table). */
  readonly neededBytes: number;
  /** The shard's byte budget (or `maxThreads`, for the thread table). */
  readonly maxBytes: number;

  constructor(shard: number, neededBytes: number, maxBytes: number, message?: string) {
    super(
      'ERR_STARSHARD_CAPACITY',
      message ??
        `shard ${shard} needs ${neededBytes} bytes but its budget is ${maxBytes} bytes (maxBytes / shards): ` +
          'nothing was written; raise maxBytes, use smaller values, or remove entries',
    );
    this.shard = shard;
    this.neededBytes = neededBytes;
    this.maxBytes = maxBytes;
  }
}

/**
 * A key or value that its codec cannot encode (a number given to the string codec, a function
 * given to the structured codec, a custom codec that threw or returned no bytes). Thrown before
 * any lock is taken: the map is unchanged.
 *
 * @example
 * try { map.insert('k', 'not a number' as never) }
 * catch (e) { if (e instanceof CodecError) console.log(e.codec, e.role) }
 */
export class CodecError extends StarshardError {
  /** The codec's name (`'string'`, `'number'`, `'structured'`, or a custom codec's name). */
  readonly codec: string;
  /** Whether the bad input was a key or a value. */
  readonly role: 'key' | 'value';

  constructor(codec: string, role: 'key' | 'value', message: string, options?: ErrorOptions) {
    super('ERR_STARSHARD_CODEC', `${role} codec "${codec}": ${message}`, options);
    this.codec = codec;
    this.role = role;
  }
}
