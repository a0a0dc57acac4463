import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';
import type { TransactionStepLike } from './types.js';

/**
 * The steps of `txn`: a `RedisTransaction`, a `Transaction` of `@starshard/advanced` (both have
 * `steps()`), or anything else whose `steps()` returns them; `InvalidArgumentError` otherwise.
 */
export function transactionSteps<K, V>(txn: unknown, method: string): readonly TransactionStepLike<K, V>[] {
  const steps = txn !== null && typeof txn === 'object' ? (txn as { steps?: unknown }).steps : undefined;
  if (typeof steps === 'function') return (steps as () => readonly TransactionStepLike<K, V>[]).call(txn);
  throw new InvalidArgumentError(
    `${method}: expected a RedisTransaction, a Transaction of @starshard/advanced, or an object whose steps() ` +
      `returns its steps, got ${describe(txn)}; nothing was sent`,
  );
}
