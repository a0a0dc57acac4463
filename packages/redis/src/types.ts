import type { RedisCodec } from './redisCodec.js';

/**
 * Options of `new RedisShardedHashMap(redis, options)`.
 *
 * @example
 * new RedisShardedHashMap<string, number>(redis, { prefix: 'counters:', valueCodec: numberCodec, leaseTtlMs: 5000 });
 */
export interface RedisShardedHashMapOptions<K, V> {
  /**
   * Every Redis key of the map starts with it (default `'starshard:'`): entries are
   * `prefix + '=' + encodedKey`, single-flight leases `prefix + '~' + ...`. Two maps with the
   * same prefix on one server are the same map. A hash tag in the prefix (`'{app}:'`) puts the
   * whole map in one cluster slot, so any transaction is possible, at the cost of sharding.
   */
  prefix?: string | undefined;
  /** Keys to Redis strings and back (default `stringCodec`). Must be deterministic. */
  keyCodec?: RedisCodec<K> | undefined;
  /** Values to Redis strings and back (default `jsonCodec`). Must be deterministic. */
  valueCodec?: RedisCodec<V> | undefined;
  /**
   * How long a `computeIfAbsent` lease lives without renewal, in ms (default 10,000). The holder
   * renews it every third of that while its factory runs; a holder that dies is replaced by a
   * waiter at most this long after its last renewal.
   */
  leaseTtlMs?: number | undefined;
  /** The longest pause between two polls of a waiter on another process's lease, in ms (default 50). */
  pollIntervalMs?: number | undefined;
  /** The `COUNT` hint of the `SCAN` calls behind `len`, `iter`, `retain` and `clear` (default 1000). */
  scanCount?: number | undefined;
}

/**
 * The last argument of the methods that take a callback or may wait on another process.
 *
 * @example
 * await map.computeIfAbsent('k', load, { signal: AbortSignal.timeout(2000) });
 */
export interface RedisCallOptions {
  /** Aborting it rejects the call with `signal.reason`; the callback receives it. */
  signal?: AbortSignal | undefined;
}

/**
 * The last argument every map callback receives.
 *
 * @example
 * await map.computeIfAbsent(url, async (key, { signal }) => (await fetch(key, { signal })).text());
 */
export interface RedisCallbackContext {
  /** The caller's signal (for `computeIfAbsent`, one that aborts once every local caller sharing the load aborted). */
  readonly signal: AbortSignal | undefined;
}

/**
 * What `compareAndSwap` resolves to (the shape of `@starshard/advanced`'s `CasResult`).
 *
 * @example
 * const r = await map.compareAndSwap('n', 1, 2); if (!r.success) console.log('now', r.value);
 */
export type CasResult<V> =
  | { readonly success: true; readonly value: V }
  | { readonly success: false; readonly value: V | undefined };

/**
 * What `executeTransaction` resolves to (the shape of `@starshard/advanced`'s `TransactionResult`).
 *
 * @example
 * const r = await map.executeTransaction(txn); if (r.status === 'committed') r.reads.get('a');
 */
export type TransactionResult<K, V> =
  | { readonly status: 'committed'; readonly reads: Map<K, V | undefined> }
  | { readonly status: 'conflict'; readonly key: K }
  | { readonly status: 'aborted'; readonly error: unknown };

/**
 * One step of a transaction (the shape of `@starshard/advanced`'s transaction steps): `fn` is the
 * equality of an `expect` or the function of an `update`.
 *
 * @example
 * const step: TransactionStepLike<string, number> = { kind: 'write', key: 'a', value: 1, fn: undefined };
 */
export interface TransactionStepLike<K, V> {
  readonly kind: 'read' | 'write' | 'remove' | 'expect' | 'expectAbsent' | 'update';
  readonly key: K;
  readonly value: V | undefined;
  readonly fn: ((a: any, b: any, c?: any) => unknown) | undefined;
}
