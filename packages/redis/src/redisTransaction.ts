import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';
import type { TransactionStepLike } from './types.js';

/**
 * A transaction builder for `RedisShardedHashMap.executeTransaction` with the API of
 * `@starshard/advanced`'s `Transaction` (same methods, same step semantics), for code that does
 * not install that optional peer; `steps()` exposes the steps. Steps run in order with
 * read-your-writes; a failed `expect` / `expectAbsent` ends as `conflict`, a throwing `update`
 * as `aborted`, and either way nothing is applied.
 *
 * @example
 * const transfer = new RedisTransaction<string, number>()
 *   .expect('{acct}:alice', 100)
 *   .update('{acct}:alice', (n = 0) => n - 10)
 *   .update('{acct}:bob', (n = 0) => n + 10);
 * await map.executeTransaction(transfer); // { status: 'committed', reads } or { status: 'conflict', key }
 */
export class RedisTransaction<K, V> {
  readonly #steps: TransactionStepLike<K, V>[] = [];

  /**
   * Reads `key` at this point; its value is in the committed result's `reads`.
   *
   * @example
   * new RedisTransaction<string, number>().read('balance');
   */
  read(key: K): this {
    return this.#push('read', key, undefined, undefined);
  }

  /**
   * Stages `key = value`.
   *
   * @example
   * new RedisTransaction<string, number>().write('a', 1);
   */
  write(key: K, value: V): this {
    return this.#push('write', key, value, undefined);
  }

  /**
   * Stages the removal of `key`.
   *
   * @example
   * new RedisTransaction<string, number>().remove('a');
   */
  remove(key: K): this {
    return this.#push('remove', key, undefined, undefined);
  }

  /**
   * Requires `key` to hold `value` at this point: encoded values compared, or `eq` on decoded
   * values when given; else the transaction ends as `conflict`.
   *
   * @example
   * new RedisTransaction<string, number>().expect('a', 1);
   */
  expect(key: K, value: V, eq: (current: V, expected: V) => boolean = Object.is): this {
    if (typeof eq !== 'function')
      throw new InvalidArgumentError(`RedisTransaction.expect: eq must be a function, got ${describe(eq)}`);
    return this.#push('expect', key, value, eq);
  }

  /**
   * Requires `key` to be absent at this point, else the transaction ends as `conflict`.
   *
   * @example
   * new RedisTransaction<string, string>().expectAbsent('lock').write('lock', 'me');
   */
  expectAbsent(key: K): this {
    return this.#push('expectAbsent', key, undefined, undefined);
  }

  /**
   * Stages `key = f(current, key)` (`undefined` removes the key); `f` may be async, and runs
   * again if the keys changed before the commit (optimistic execution).
   *
   * @example
   * new RedisTransaction<string, number>().update('hits', (n = 0) => n + 1);
   */
  update(key: K, f: (current: V | undefined, key: K) => V | undefined | PromiseLike<V | undefined>): this {
    if (typeof f !== 'function')
      throw new InvalidArgumentError(`RedisTransaction.update: f must be a function, got ${describe(f)}`);
    return this.#push('update', key, undefined, f);
  }

  /**
   * The distinct keys the steps touch, in first-use order.
   *
   * @example
   * new RedisTransaction<string, number>().read('a').write('b', 1).keys(); // ['a', 'b']
   */
  keys(): K[] {
    return [...new Set(this.#steps.map((step) => step.key))];
  }

  /** Number of steps. */
  get size(): number {
    return this.#steps.length;
  }

  /**
   * The steps, in order (what `executeTransaction` runs).
   *
   * @example
   * new RedisTransaction<string, number>().write('a', 1).steps()[0]?.kind; // 'write'
   */
  steps(): readonly TransactionStepLike<K, V>[] {
    return this.#steps;
  }

  #push(
    kind: TransactionStepLike<K, V>['kind'],
    key: K,
    value: V | undefined,
    fn: TransactionStepLike<K, V>['fn'],
  ): this {
    this.#steps.push({ kind, key, value, fn });
    return this;
  }
}
