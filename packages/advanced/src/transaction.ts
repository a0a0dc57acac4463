import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';

/**
 * The kind of one step of a {@link Transaction}.
 *
 * @example
 * const kinds: TransactionStepKind[] = ['read', 'write', 'remove', 'expect', 'expectAbsent', 'update'];
 */
export type TransactionStepKind = 'read' | 'write' | 'remove' | 'expect' | 'expectAbsent' | 'update';

/**
 * One step of a transaction, in the order it was added (see {@link Transaction.steps}). `value`
 * is the value to write or expect; `fn` the equality of an `expect` or the function of an
 * `update`. Other engines (`@starshard/redis`) run a `Transaction` from its steps.
 *
 * @example
 * const [first] = new Transaction<string, number>().write('a', 1).steps();
 * first; // { kind: 'write', key: 'a', value: 1, fn: undefined }
 */
export interface TransactionStep<K, V> {
  readonly kind: TransactionStepKind;
  readonly key: K;
  readonly value: V | undefined;
  readonly fn: ((a: any, b: any, c?: any) => unknown) | undefined;
}

/**
 * What `executeTransaction` resolves to: `committed` with the values the `read` steps saw
 * (every write applied), `conflict` naming the key whose `expect` / `expectAbsent` failed
 * (nothing applied), or `aborted` with the error a step threw (nothing applied).
 *
 * @example
 * const result = map.executeTransaction(new Transaction<string, number>().read('a').write('b', 1));
 * if (result.status === 'committed') result.reads.get('a');
 * else if (result.status === 'conflict') retry(result.key);
 * else console.error(result.error);
 */
export type TransactionResult<K, V> =
  | { readonly status: 'committed'; readonly reads: Map<K, V | undefined> }
  | { readonly status: 'conflict'; readonly key: K }
  | { readonly status: 'aborted'; readonly error: unknown };

let stepsOf: <K, V>(txn: Transaction<K, V>) => readonly TransactionStep<K, V>[];

/**
 * A transaction: an ordered list of steps on keys, built with chained calls and run all or
 * nothing by `map.executeTransaction(txn)`. Steps run in order against the transaction's own
 * view of the map, so a step sees the writes of the steps before it (read-your-writes):
 *
 * - `read(k)`: records `k`'s value at that point in `reads`;
 * - `write(k, v)` / `remove(k)`: stage a write;
 * - `expect(k, v, eq?)` / `expectAbsent(k)`: preconditions; if one fails the result is
 *   `conflict` and nothing is applied;
 * - `update(k, f)`: stages `f(current, k)` (`undefined` removes the key); if `f` throws (or,
 *   on the async map, rejects) the result is `aborted` and nothing is applied.
 *
 * A transaction is a plain description: it can be executed many times, on any map.
 *
 * @example
 * const transfer = new Transaction<string, number>()
 *   .expect('alice', 100)
 *   .expect('bob', 5)
 *   .write('alice', 90)
 *   .write('bob', 15);
 * map.executeTransaction(transfer); // { status: 'committed', reads: Map {} } or { status: 'conflict', key }
 */
export class Transaction<K, V> {
  readonly #steps: TransactionStep<K, V>[] = [];

  static {
    stepsOf = (txn) => txn.#steps;
  }

  /**
   * Reads `key` at this point of the transaction; its value is in the committed result's `reads`.
   *
   * @example
   * new Transaction<string, number>().read('balance');
   */
  read(key: K): this {
    return this.#push('read', key, undefined, undefined);
  }

  /**
   * Stages `key = value`.
   *
   * @example
   * new Transaction<string, number>().write('a', 1);
   */
  write(key: K, value: V): this {
    return this.#push('write', key, value, undefined);
  }

  /**
   * Stages the removal of `key` (nothing happens if it is absent then).
   *
   * @example
   * new Transaction<string, number>().remove('a');
   */
  remove(key: K): this {
    return this.#push('remove', key, undefined, undefined);
  }

  /**
   * Requires `key` to be present with a value equal to `value` (by `eq`, default `Object.is`)
   * at this point, else the transaction ends as `conflict` with nothing applied. On the async
   * map `eq` may be async; on the sync map a promise aborts the transaction.
   *
   * @example
   * new Transaction<string, { n: number }>().expect('a', { n: 1 }, (x, y) => x.n === y.n);
   */
  expect(key: K, value: V, eq: (current: V, expected: V) => boolean | PromiseLike<boolean> = Object.is): this {
    checkFunction(eq, 'expect', 'eq');
    return this.#push('expect', key, value, eq);
  }

  /**
   * Requires `key` to be absent at this point, else the transaction ends as `conflict`.
   *
   * @example
   * new Transaction<string, number>().expectAbsent('lock').write('lock', 1);
   */
  expectAbsent(key: K): this {
    return this.#push('expectAbsent', key, undefined, undefined);
  }

  /**
   * Stages `key = f(current, key)`, where `current` is `key`'s value at this point (or
   * `undefined`); returning `undefined` removes the key. If `f` throws, the transaction ends as
   * `aborted` with nothing applied. On the async map `f` may be async (the shards stay locked
   * while it runs) and receives the call's `{ signal }`; on the sync map a promise aborts the
   * transaction (sync maps do not await).
   *
   * @example
   * new Transaction<string, number>().update('hits', (n = 0) => n + 1);
   */
  update(
    key: K,
    f: (
      current: V | undefined,
      key: K,
      context: { readonly signal: AbortSignal | undefined },
    ) => V | undefined | PromiseLike<V | undefined>,
  ): this {
    checkFunction(f, 'update', 'f');
    return this.#push('update', key, undefined, f);
  }

  /**
   * The distinct keys the steps touch, in first-use order.
   *
   * @example
   * new Transaction<string, number>().read('a').write('b', 1).read('a').keys(); // ['a', 'b']
   */
  keys(): K[] {
    return [...new Set(this.#steps.map((step) => step.key))];
  }

  /**
   * The steps, in the order they were added: a frozen copy (changing the transaction later does
   * not change it), for engines that run a transaction elsewhere, such as `@starshard/redis`.
   *
   * @example
   * new Transaction<string, number>().expect('a', 1).write('a', 2).steps().map((s) => s.kind); // ['expect', 'write']
   */
  steps(): readonly TransactionStep<K, V>[] {
    return Object.freeze(this.#steps.map((step) => Object.freeze({ ...step })));
  }

  /** Number of steps. */
  get size(): number {
    return this.#steps.length;
  }

  #push(kind: TransactionStepKind, key: K, value: V | undefined, fn: TransactionStep<K, V>['fn']): this {
    this.#steps.push({ kind, key, value, fn });
    return this;
  }
}

/** @internal The steps of `txn`, checking that it is a {@link Transaction}. */
export function transactionSteps<K, V>(txn: unknown, method: string): readonly TransactionStep<K, V>[] {
  if (!(txn instanceof Transaction)) {
    throw new InvalidArgumentError(
      `${method}: expected a Transaction (new Transaction().read(k).write(k, v)...), got ${describe(txn)}; the map is unchanged`,
    );
  }
  return stepsOf(txn as Transaction<K, V>);
}

function checkFunction(f: unknown, method: string, name: string): void {
  if (typeof f !== 'function') {
    throw new InvalidArgumentError(`Transaction.${method}: ${name} must be a function, got ${describe(f)}`);
  }
}
