import { StarshardError } from '@starshard/core';

/**
 * A codec could not encode a value (wrong type for the codec) or decode what Redis holds (the
 * stored bytes were not written by this codec). Nothing was written to Redis.
 *
 * @example
 * try { await map.insert('a', 'not a number' as never) } catch (e) { e instanceof RedisCodecError && e.codec }
 */
export class RedisCodecError extends StarshardError {
  /** The codec's name (`'string'`, `'number'`, `'json'`, `'serializr'` or a custom one). */
  readonly codec: string;
  /** `'encode'` (a value given to the map) or `'decode'` (bytes read from Redis). */
  readonly direction: 'encode' | 'decode';

  constructor(codec: string, direction: 'encode' | 'decode', detail: string, options?: ErrorOptions) {
    super(
      'ERR_STARSHARD_REDIS_CODEC',
      direction === 'encode'
        ? `the ${codec} codec cannot encode ${detail}: pass a value of the codec's type, or give the map a codec ` +
            'for this type (keyCodec / valueCodec option)'
        : `the ${codec} codec cannot decode ${detail}: the key holds bytes another codec wrote; use the same codec ` +
            'everywhere the prefix is shared, or a different prefix',
      options,
    );
    this.codec = codec;
    this.direction = direction;
  }
}

/**
 * A transaction touches keys in different Redis Cluster hash slots, which no atomic Redis
 * operation can span. Thrown before anything is sent: nothing was applied.
 *
 * @example
 * const txn = new Transaction<string, number>().write('{user:1}:a', 1).write('{user:1}:b', 2); // one slot: fine
 * try { await map.executeTransaction(new Transaction().write('a', 1).write('b', 2)) }
 * catch (e) { e instanceof CrossSlotTransactionError && e.slots }
 */
export class CrossSlotTransactionError extends StarshardError {
  /** The hash slot of each key of the transaction, by encoded Redis key. */
  readonly slots: ReadonlyMap<string, number>;

  constructor(slots: ReadonlyMap<string, number>) {
    const shown = [...slots].slice(0, 4).map(([key, slot]) => `${JSON.stringify(key)} → slot ${slot}`);
    super(
      'ERR_STARSHARD_REDIS_CROSS_SLOT',
      `a transaction's keys must share one Redis Cluster hash slot, these do not (${shown.join(', ')}` +
        `${slots.size > 4 ? ', ...' : ''}); nothing was sent. Put the same hash tag in every key of the ` +
        "transaction (e.g. '{user:42}:balance' and '{user:42}:history'), or use a prefix with a hash tag",
    );
    this.slots = slots;
  }
}

/**
 * Redis did not answer: the connection is lost, refused or still reconnecting, or the cluster is
 * down. The map's client (ioredis) reconnects by itself; calls after the reconnect work again.
 * A write whose reply was lost may or may not have been applied: read the key again before
 * retrying anything that is not idempotent (`compareAndSwap` is a safe way to retry).
 *
 * @example
 * try { await map.insert('a', 1) } catch (e) { if (e instanceof RedisUnavailableError) await retryLater() }
 */
export class RedisUnavailableError extends StarshardError {
  /** The map method that failed. */
  readonly method: string;

  constructor(method: string, cause: unknown) {
    super(
      'ERR_STARSHARD_REDIS_UNAVAILABLE',
      `${method}() could not reach Redis (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'ioredis reconnects by itself: retry after the reconnect, and read the key first if the call was a write ' +
        '(its reply was lost, so it may or may not have been applied)',
      { cause },
    );
    this.method = method;
  }
}

/** Whether an ioredis error means "Redis could not be reached" (as opposed to a reply error). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { code?: unknown }).code === 'ECONNREFUSED' || (error as { code?: unknown }).code === 'ECONNRESET')
    return true;
  return /Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|max retries per request|Stream isn't writeable|enableOfflineQueue|CLUSTERDOWN|Failed to refresh slots cache|None of startup nodes is available|LOADING|Cluster isn't ready|Too many Cluster redirections/i.test(
    error.message,
  );
}
