import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';
import type { TransactionResult, TransactionStepLike } from './types.js';

/**
 * How a transaction is run: from its steps (a `RedisTransaction`, or anything with `steps()`),
 * or, for a `Transaction` of `@starshard/advanced` (whose steps are private), by advanced itself
 * on an in-process map loaded with the keys' current values.
 */
export type TransactionPlan<K, V> =
  | { readonly kind: 'steps'; readonly steps: readonly TransactionStepLike<K, V>[] }
  | {
      readonly kind: 'advanced';
      readonly keys: readonly K[];
      /** Runs the transaction on `entries` (the keys present now); resolves to its result and the entries after it. */
      run(entries: readonly [K, V][]): Promise<{ result: TransactionResult<K, V>; after: Map<K, V> }>;
    };

interface AdvancedModules {
  readonly Transaction: abstract new (...args: never[]) => unknown;
  readonly transactionSteps:
    | ((txn: unknown, method: string) => readonly TransactionStepLike<unknown, unknown>[])
    | undefined;
  /** A one-shard async map composed with advanced. */
  readonly scratch: () => {
    batchInsert(entries: Iterable<readonly [unknown, unknown]>): Promise<number>;
    executeTransaction(txn: unknown): Promise<TransactionResult<unknown, unknown>>;
    iter(): Promise<[unknown, unknown][]>;
  };
}

let modules: Promise<AdvancedModules | undefined> | undefined;

/**
 * Loads a package in this build's module format (`require` in the CommonJS build, `import()` in
 * the ESM one), so its classes are the ones the caller's code got (no dual-package hazard).
 */
function load(name: string): Promise<Record<string, unknown>> {
  // `module` exists only in CommonJS (bundlers shim `require`, not `module`).
  const cjs =
    typeof module === 'object' && module !== null && typeof module.require === 'function' ? module : undefined;
  return cjs !== undefined ? Promise.resolve().then(() => cjs.require(name)) : import(name);
}

/** `@starshard/advanced` (an optional peer) and `@starshard/async`, when installed. */
function advancedModules(): Promise<AdvancedModules | undefined> {
  modules ??= Promise.all([load('@starshard/advanced'), load('@starshard/async')]).then(
    ([adv, async]) => {
      const exports = adv as Record<string, unknown>;
      if (typeof exports.Transaction !== 'function' || exports.advanced === undefined) return undefined;
      const Composed = (
        async.AsyncShardedHashMap as unknown as { with(...plugins: unknown[]): new (shards: number) => never }
      ).with(exports.advanced);
      return {
        Transaction: exports.Transaction as AdvancedModules['Transaction'],
        transactionSteps:
          typeof exports.transactionSteps === 'function' ? (exports.transactionSteps as never) : undefined,
        scratch: () => new Composed(1),
      };
    },
    () => undefined,
  );
  return modules;
}

/** How to run `txn` (see `TransactionPlan`); rejects with `InvalidArgumentError` for anything else. */
export async function transactionPlan<K, V>(txn: unknown, method: string): Promise<TransactionPlan<K, V>> {
  if (txn !== null && typeof txn === 'object') {
    const own = (txn as { steps?: unknown }).steps;
    if (typeof own === 'function')
      return { kind: 'steps', steps: (own as () => readonly TransactionStepLike<K, V>[]).call(txn) };
    const adv = await advancedModules();
    if (adv !== undefined && txn instanceof adv.Transaction) {
      if (adv.transactionSteps !== undefined)
        return { kind: 'steps', steps: adv.transactionSteps(txn, method) as readonly TransactionStepLike<K, V>[] };
      return {
        kind: 'advanced',
        keys: (txn as unknown as { keys(): K[] }).keys(),
        async run(entries) {
          const scratch = adv.scratch();
          await scratch.batchInsert(entries);
          const result = (await scratch.executeTransaction(txn)) as TransactionResult<K, V>;
          const after = new Map((await scratch.iter()) as [K, V][]);
          return { result, after };
        },
      };
    }
  }
  throw new InvalidArgumentError(
    `${method}: expected a RedisTransaction, a Transaction of @starshard/advanced, or an object whose steps() ` +
      `returns its steps, got ${describe(txn)}; nothing was sent`,
  );
}
