// A transaction builder with the shape of @starshard/advanced's Transaction that exposes its
// steps through steps(): what RedisShardedHashMap accepts from code that does not use advanced.
import type { TransactionStepLike } from '../../src/index.js';

export class StepsTransaction<K, V> {
  readonly #steps: TransactionStepLike<K, V>[] = [];
  read(key: K): this {
    return this.#push({ kind: 'read', key, value: undefined, fn: undefined });
  }
  write(key: K, value: V): this {
    return this.#push({ kind: 'write', key, value, fn: undefined });
  }
  remove(key: K): this {
    return this.#push({ kind: 'remove', key, value: undefined, fn: undefined });
  }
  expect(key: K, value: V, eq: (current: V, expected: V) => boolean = Object.is): this {
    return this.#push({ kind: 'expect', key, value, fn: eq });
  }
  expectAbsent(key: K): this {
    return this.#push({ kind: 'expectAbsent', key, value: undefined, fn: undefined });
  }
  update(key: K, f: (current: V | undefined, key: K) => V | undefined | Promise<V | undefined>): this {
    return this.#push({ kind: 'update', key, value: undefined, fn: f });
  }
  steps(): readonly TransactionStepLike<K, V>[] {
    return this.#steps;
  }
  #push(step: TransactionStepLike<K, V>): this {
    this.#steps.push(step);
    return this;
  }
}
