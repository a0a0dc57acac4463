import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';
import type { TransactionStepLike } from './types.js';

type StepsReader = (txn: unknown, method: string) => readonly TransactionStepLike<unknown, unknown>[];

let advanced: Promise<StepsReader | undefined> | undefined;

/** `@starshard/advanced`'s step reader, when that optional peer is installed and exports one. */
function advancedReader(): Promise<StepsReader | undefined> {
  advanced ??= import('@starshard/advanced').then(
    (mod) => {
      const reader = (mod as Record<string, unknown>).transactionSteps;
      return typeof reader === 'function' ? (reader as StepsReader) : undefined;
    },
    () => undefined,
  );
  return advanced;
}

/**
 * The steps of a transaction: an object with a `steps()` method, or a `Transaction` of
 * `@starshard/advanced` (read through that package, an optional peer).
 */
export async function transactionSteps<K, V>(
  txn: unknown,
  method: string,
): Promise<readonly TransactionStepLike<K, V>[]> {
  if (txn !== null && typeof txn === 'object') {
    const own = (txn as { steps?: unknown }).steps;
    if (typeof own === 'function') return (own as () => readonly TransactionStepLike<K, V>[]).call(txn);
    const reader = await advancedReader();
    if (reader !== undefined) return reader(txn, method) as readonly TransactionStepLike<K, V>[];
  }
  throw new InvalidArgumentError(
    `${method}: expected a Transaction of @starshard/advanced (new Transaction().read(k).write(k, v)...) or an ` +
      `object whose steps() returns its steps, got ${describe(txn)}; nothing was sent`,
  );
}
