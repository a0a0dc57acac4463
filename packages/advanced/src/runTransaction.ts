import { InvalidArgumentError } from '@starshard/core';
import type { TransactionResult, TransactionStep } from './transaction.js';

/** @internal The map operations a transaction runs on (a sync map, or an async map's inner map under its locks). */
export interface TransactionTarget<K, V> {
  get(key: K): V | undefined;
  contains(key: K): boolean;
  insert(key: K, value: V): V | undefined;
  remove(key: K): V | undefined;
}

/** Marks a key the transaction's view holds as absent. */
const ABSENT: unique symbol = Symbol('absent');
type Slot<V> = V | typeof ABSENT;

/** @internal The outcome of a transaction's steps before anything is written. */
export type TransactionPlan<K, V> =
  | { readonly status: 'conflict'; readonly key: K }
  | { readonly status: 'ready'; readonly writes: Map<K, Slot<V>>; readonly reads: Map<K, V | undefined> };

function currentSlot<K, V>(target: TransactionTarget<K, V>, key: K): Slot<V> {
  const value = target.get(key);
  return value !== undefined || target.contains(key) ? (value as V) : ABSENT;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * @internal Runs the steps in order against a private view of `target`, writing nothing:
 * returns the staged writes and the reads, or the key of the first failed expectation. Throws
 * what a step throws. With `async`, a callback may return a promise (the plan then resolves
 * later); without, a promise is an error (sync maps run callbacks synchronously).
 */
export function planTransaction<K, V>(
  target: TransactionTarget<K, V>,
  steps: readonly TransactionStep<K, V>[],
  async: boolean,
  context: unknown,
): TransactionPlan<K, V> | Promise<TransactionPlan<K, V>> {
  const writes = new Map<K, Slot<V>>();
  const reads = new Map<K, V | undefined>();
  const settle = (i: number, step: TransactionStep<K, V>, result: unknown, apply: (r: unknown) => boolean) => {
    if (!async) {
      throw new InvalidArgumentError(
        `executeTransaction: the ${step.kind} callback of step ${i} returned a promise; a sync map runs transaction callbacks ` +
          'synchronously: make it synchronous, or use AsyncShardedHashMap.with(advanced), whose transactions await them',
      );
    }
    return Promise.resolve(result).then((r) =>
      apply(r) ? run(i + 1) : { status: 'conflict' as const, key: step.key },
    );
  };
  const run = (from: number): TransactionPlan<K, V> | Promise<TransactionPlan<K, V>> => {
    for (let i = from; i < steps.length; i++) {
      const step = steps[i] as TransactionStep<K, V>;
      const key = step.key;
      const slot = writes.has(key) ? (writes.get(key) as Slot<V>) : currentSlot(target, key);
      switch (step.kind) {
        case 'read':
          reads.set(key, slot === ABSENT ? undefined : slot);
          break;
        case 'write':
          writes.set(key, step.value as V);
          break;
        case 'remove':
          writes.set(key, ABSENT);
          break;
        case 'expectAbsent':
          if (slot !== ABSENT) return { status: 'conflict', key };
          break;
        case 'expect': {
          if (slot === ABSENT) return { status: 'conflict', key };
          const same = (step.fn as (a: V, b: V) => unknown)(slot, step.value as V);
          if (isThenable(same)) return settle(i, step, same, Boolean);
          if (!same) return { status: 'conflict', key };
          break;
        }
        case 'update': {
          const next = (step.fn as (v: V | undefined, k: K, c: unknown) => unknown)(
            slot === ABSENT ? undefined : slot,
            key,
            context,
          );
          const stage = (r: unknown): boolean => {
            writes.set(key, r === undefined ? ABSENT : (r as V));
            return true;
          };
          if (isThenable(next)) return settle(i, step, next, stage);
          stage(next);
          break;
        }
      }
    }
    return { status: 'ready', writes, reads };
  };
  return run(0);
}

/**
 * @internal Applies the staged writes, synchronously. If a write throws (a hasher failing on a
 * key no step read, a shard over V8's size limit), the writes already made are undone in
 * reverse order and the error is rethrown: all or nothing.
 */
export function applyTransaction<K, V>(target: TransactionTarget<K, V>, writes: Map<K, Slot<V>>): void {
  const undo: [K, Slot<V>][] = [];
  try {
    for (const [key, next] of writes) {
      const before = currentSlot(target, key);
      undo.push([key, before]);
      if (next !== ABSENT) target.insert(key, next);
      else if (before !== ABSENT) target.remove(key);
    }
  } catch (error) {
    for (let j = undo.length - 1; j >= 0; j--) {
      const [key, before] = undo[j] as [K, Slot<V>];
      try {
        if (before === ABSENT) target.remove(key);
        else target.insert(key, before);
      } catch {
        // The key failed before its write, so it was not changed: nothing to undo.
      }
    }
    throw error;
  }
}

/**
 * @internal Runs a whole transaction synchronously on `target` (the sync map, or an async
 * map's inner map once its locks are held and its async callbacks have settled).
 */
export function commitPlan<K, V>(
  target: TransactionTarget<K, V>,
  plan: TransactionPlan<K, V>,
): TransactionResult<K, V> {
  if (plan.status === 'conflict') return { status: 'conflict', key: plan.key };
  try {
    applyTransaction(target, plan.writes);
  } catch (error) {
    return { status: 'aborted', error };
  }
  return { status: 'committed', reads: plan.reads };
}
