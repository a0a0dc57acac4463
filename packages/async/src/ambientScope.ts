import { AsyncLocalStorage } from 'node:async_hooks';
import { isThenable } from './isThenable.js';
import type { LockScope } from './lockScope.js';

// @internal The ambient scope: which callback (and so which locks) the running code is inside.

/**
 * On Node 20 an enabled `AsyncLocalStorage` makes every promise in the process slower (about
 * 2×, measured): it is enabled by the first callback that runs and disabled again once no
 * callback has been running for a turn of the event loop, so code that never passes a callback
 * (plain get / insert / remove) never pays for it.
 */
const storage = new AsyncLocalStorage<LockScope>();
let running = 0;
let disableScheduled = false;

function disableIfIdle(): void {
  disableScheduled = false;
  if (running === 0) storage.disable();
}

/** A callback has settled. */
function left(): void {
  if (--running === 0 && !disableScheduled) {
    disableScheduled = true;
    setImmediate(disableIfIdle).unref();
  }
}

/** The scope of an untracked callback while it runs synchronously (its calls before its first `await`). */
let syncScope: LockScope | undefined;

/** The scope of the callback the current code runs in, if any (cheap when none runs). */
export function currentScope(): LockScope | undefined {
  if (syncScope !== undefined) return syncScope;
  if (running === 0) return undefined;
  const scope = storage.getStore();
  return scope === undefined || scope.done ? undefined : scope;
}

/** Runs `fn(...args)` with `scope` as the scope of the synchronous part only. */
function runUntracked<A extends unknown[], R>(scope: LockScope, fn: (...args: A) => R, args: A): R {
  const previous = syncScope;
  syncScope = scope;
  try {
    return fn(...args);
  } finally {
    syncScope = previous;
  }
}

/**
 * Calls `fn(...args)` with `scope` as the ambient scope, counting it as running: the caller must
 * call `scopeSettled()` once the result has settled (at once for a plain value). If `fn` throws,
 * the count is already undone.
 */
export function enterScope<A extends unknown[], R>(scope: LockScope, fn: (...args: A) => R, ...args: A): R {
  running++;
  try {
    return scope.tracked ? storage.run(scope, fn, ...args) : runUntracked(scope, fn, args);
  } catch (error) {
    left();
    throw error;
  }
}

/** A callback started by `enterScope` has settled. */
export const scopeSettled: () => void = left;

/**
 * Calls `fn(...args)` with `scope` as the ambient scope. A thenable result comes back as a
 * native promise (the scope counts as running until it settles); anything else is returned as is.
 */
export function runInScope<A extends unknown[], R>(scope: LockScope, fn: (...args: A) => R, ...args: A): R {
  running++;
  let result: R;
  try {
    result = scope.tracked ? storage.run(scope, fn, ...args) : runUntracked(scope, fn, args);
  } catch (error) {
    left();
    throw error;
  }
  if (isThenable(result)) {
    const promise = Promise.resolve(result);
    promise.then(left, left);
    return promise as R;
  }
  left();
  return result;
}
