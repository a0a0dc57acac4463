import { AsyncLocalStorage } from 'node:async_hooks';
import { type Mode, READ, WRITE } from './asyncRwLock.js';
import type { TrackedLock } from './trackedLock.js';

/**
 * @internal The locks one map operation holds, and the scope its callback runs in.
 *
 * A callback runs with its scope as the `AsyncLocalStorage` store, so a map call made from
 * inside it (after any number of `await`s) finds the scope chain (this scope, the scope of the
 * callback that called this operation, ...) and can tell a lock its own chain holds (re-enter
 * it instead of waiting for itself) from a lock another task holds (wait, unless waiting would
 * close a cycle). Scopes are created only by operations that must lock, never on the fast path.
 */
export class LockScope {
  /** The scope of the callback this operation was called from, if any. */
  readonly parent: LockScope | undefined;
  // Holds, in acquisition order: three inline slots (map, shard, key: every single-key
  // operation) and an overflow list for multi-shard operations. Bit i of `writeBits` is set
  // when hold i is exclusive. No array per operation on the hot path.
  private count: number;
  private lock0: TrackedLock | undefined;
  private lock1: TrackedLock | undefined;
  private lock2: TrackedLock | undefined;
  private more: TrackedLock[] | undefined;
  private writeBits: number;
  /** Locks this scope or a scope below it waits for (with repeats), for deadlock detection. */
  waits: TrackedLock[] | undefined;
  /** Set once released: a finished scope holds nothing and blocks nothing. */
  done: boolean;
  /** Layout epoch when this scope took a shard lock, or -1 (see `AsyncShardedHashMap`). */
  shardEpoch: number;
  /** Whether waits of this scope must be checked for cycles (it has a parent, or is a load). */
  readonly checked: boolean;
  /** Whether its callback is followed across `await`s (AsyncLocalStorage) or only while it runs synchronously. */
  readonly tracked: boolean;

  constructor(parent: LockScope | undefined, tracked: boolean, checked = parent !== undefined) {
    this.parent = parent;
    this.count = 0;
    this.lock0 = undefined;
    this.lock1 = undefined;
    this.lock2 = undefined;
    this.more = undefined;
    this.writeBits = 0;
    this.waits = undefined;
    this.done = false;
    this.shardEpoch = -1;
    this.checked = checked;
    this.tracked = tracked;
  }

  /** Records a lock taken by this scope. */
  hold(lock: TrackedLock, mode: Mode): void {
    const i = this.count++;
    if (i === 0) this.lock0 = lock;
    else if (i === 1) this.lock1 = lock;
    else if (i === 2) this.lock2 = lock;
    else if (this.more === undefined) this.more = [lock];
    else this.more.push(lock);
    if (mode === WRITE) this.writeBits |= 2 ** i;
  }

  /** The mode in which this scope holds `lock`, or -1. */
  modeOf(lock: TrackedLock): number {
    for (let i = 0; i < this.count; i++) if (this.at(i) === lock) return this.modeAt(i);
    return -1;
  }

  /** Called when a lock this scope queued for is granted (operations continue here; waits by promise ignore it). */
  resume(): void {}

  /** Called when a lock this scope queued for gives up (abort, timeout). */
  fail(_reason: unknown): void {}

  /** Releases every lock, last taken first. Idempotent. */
  release(): void {
    this.done = true;
    for (let i = this.count - 1; i >= 0; i--) this.at(i).unlock(this.modeAt(i));
    this.count = 0;
    this.lock0 = undefined;
    this.lock1 = undefined;
    this.lock2 = undefined;
    this.more = undefined;
    this.writeBits = 0;
  }

  private at(i: number): TrackedLock {
    return (i === 0 ? this.lock0 : i === 1 ? this.lock1 : i === 2 ? this.lock2 : this.more?.[i - 3]) as TrackedLock;
  }

  private modeAt(i: number): Mode {
    return Math.floor(this.writeBits / 2 ** i) % 2 === 1 ? WRITE : READ;
  }
}

// ---- The ambient scope (AsyncLocalStorage), enabled only while callbacks run ----

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

/** Whether `value` is a promise or promise-like (a callback's result that must be awaited). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

// ---- Re-entry and deadlock detection (slow path only) ----

/** The strongest mode in which a live scope of `scope`'s chain holds `lock`, or -1. */
export function heldMode(scope: LockScope | undefined, lock: TrackedLock): number {
  let mode = -1;
  for (let s = scope; s !== undefined; s = s.parent) {
    if (s.done) continue;
    const held = s.modeOf(lock);
    if (held > mode) {
      mode = held;
      if (mode === WRITE) return mode;
    }
  }
  return mode;
}

function inChain(scope: LockScope | undefined, target: LockScope): boolean {
  for (let s = scope; s !== undefined; s = s.parent) if (s === target) return true;
  return false;
}

/**
 * Whether waiting for `lock` from `scope` would never end: following "held by → waits for"
 * edges from `lock` (exclusive owners and pending loads are known; shared holders are not)
 * reaches `scope`'s chain, or a lock the chain holds (whoever waits for it waits for us, since
 * shared waiters queue only behind a writer, who waits for us).
 */
export function wouldDeadlock(scope: LockScope, lock: TrackedLock): boolean {
  const seen = new Set<TrackedLock>();
  const stack: TrackedLock[] = [lock];
  while (stack.length > 0) {
    const current = stack.pop() as TrackedLock;
    if (seen.has(current)) continue;
    seen.add(current);
    if (current !== lock && heldMode(scope, current) >= 0) return true;
    const owner = current.owner() as LockScope | undefined;
    const load = current.pendingFlight()?.scope;
    for (const holder of owner === load ? [owner] : [owner, load]) {
      if (holder === undefined || holder.done) continue;
      if (inChain(scope, holder)) return true;
      if (holder.waits !== undefined) for (const w of holder.waits) stack.push(w);
    }
  }
  return false;
}

/** Records that `scope` (and so every scope above it) waits for `lock`. */
export function addWait(scope: LockScope, lock: TrackedLock): void {
  for (let s: LockScope | undefined = scope; s !== undefined; s = s.parent) {
    if (s.waits === undefined) s.waits = [lock];
    else s.waits.push(lock);
  }
}

/** Undoes one `addWait(scope, lock)`. */
export function removeWait(scope: LockScope, lock: TrackedLock): void {
  for (let s: LockScope | undefined = scope; s !== undefined; s = s.parent) {
    const waits = s.waits;
    if (waits === undefined) continue;
    const i = waits.lastIndexOf(lock);
    if (i >= 0) waits.splice(i, 1);
  }
}

export { READ, WRITE };
