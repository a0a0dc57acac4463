import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';
import { LockTimeoutError } from './errors.js';
import { isAbortSignal } from './isAbortSignal.js';
import { type Mode, READ, WRITE } from './lockMode.js';

/**
 * Releases a lock taken with `AsyncRwLock.acquireRead` / `acquireWrite`. Idempotent: calling it
 * again does nothing, so it is safe in both a `finally` and an error path.
 *
 * @example
 * const release = await lock.acquireRead();
 * try { await readSomething(); } finally { release(); }
 */
export type Release = () => void;

/**
 * Options of `AsyncRwLock.acquireRead` / `acquireWrite`.
 *
 * @example
 * await lock.acquireWrite({ signal: AbortSignal.timeout(1000) });
 * await lock.acquireWrite({ timeoutMs: 1000 }); // same wait, but rejects with LockTimeoutError
 */
export interface LockOptions {
  /** Aborting it while waiting rejects with `signal.reason` and removes the waiter from the queue. */
  signal?: AbortSignal | undefined;
  /** Give up after this many milliseconds with `LockTimeoutError` (the waiter leaves the queue). */
  timeoutMs?: number | undefined;
}

/** A queued acquisition: a node of the lock's doubly linked FIFO (O(1) removal on abort). */
interface Waiter {
  readonly mode: Mode;
  readonly owner: unknown;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  prev: Waiter | undefined;
  next: Waiter | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * A fair (FIFO) asynchronous reader-writer lock: many readers or one writer.
 *
 * - Readers that arrive while no writer holds or waits share the lock at once.
 * - A reader that arrives while a writer waits queues behind it, so a stream of readers cannot
 *   starve a writer; when the writer releases, every reader queued before the next writer is
 *   admitted together.
 * - `signal` and `timeoutMs` remove a waiter from the queue; the waiters behind it move up (a
 *   cancelled writer lets the readers queued behind it in).
 *
 * The uncontended path allocates nothing but the release function and one resolved promise.
 * This is the per-shard lock of `AsyncShardedHashMap`, exported for use on its own.
 *
 * @example
 * const lock = new AsyncRwLock();
 * const release = await lock.acquireWrite({ signal: AbortSignal.timeout(1000) });
 * try {
 *   await save(state);
 * } finally {
 *   release();
 * }
 * const total = await lock.withRead(() => sum(state)); // acquire, run, release
 */
export class AsyncRwLock {
  // Fields pre-declared in one order: one hidden class for every lock.
  /** @internal Readers holding the lock. */
  protected activeReaders = 0;
  /** @internal Depth of the exclusive hold (0: no writer; above 1 only through internal re-entry). */
  protected writeDepth = 0;
  /** @internal Who holds the write lock (an opaque token given by internal callers), for deadlock detection. */
  protected writeOwner: unknown = undefined;
  /** @internal Head of the FIFO of waiters. */
  private head: Waiter | undefined = undefined;
  /** @internal Tail of the FIFO of waiters. */
  private tail: Waiter | undefined = undefined;
  /** @internal Number of waiters. */
  private waiting = 0;
  /** @internal Number of waiting writers. */
  private waitingWriters = 0;

  /**
   * Resolves to a release function once the lock is held for reading (shared with other readers).
   * Rejects with `signal.reason` if `signal` aborts first, with `LockTimeoutError` after
   * `timeoutMs`; either way the waiter leaves the queue.
   *
   * @example
   * const release = await lock.acquireRead();
   * try { return cache.get(id); } finally { release(); }
   */
  acquireRead(options?: LockOptions): Promise<Release> {
    return this.acquire(READ, options);
  }

  /**
   * Resolves to a release function once the lock is held exclusively. Rejects with
   * `signal.reason` if `signal` aborts first, with `LockTimeoutError` after `timeoutMs`.
   *
   * @example
   * const release = await lock.acquireWrite({ timeoutMs: 500 });
   * try { await rewrite(file); } finally { release(); }
   */
  acquireWrite(options?: LockOptions): Promise<Release> {
    return this.acquire(WRITE, options);
  }

  /**
   * Takes the read lock if that is possible right now without jumping the queue; returns its
   * release function, or `undefined` (nothing changed) if a writer holds or waits.
   *
   * @example
   * const release = lock.tryAcquireRead();
   * if (release) { try { peek(); } finally { release(); } }
   */
  tryAcquireRead(): Release | undefined {
    return this.tryEnter(READ, undefined) ? this.releaser(READ) : undefined;
  }

  /**
   * Takes the write lock if nobody holds or waits for it; returns its release function, or
   * `undefined` (nothing changed).
   *
   * @example
   * const release = lock.tryAcquireWrite();
   * if (release === undefined) return 'busy';
   */
  tryAcquireWrite(): Release | undefined {
    return this.tryEnter(WRITE, undefined) ? this.releaser(WRITE) : undefined;
  }

  /**
   * Runs `fn` holding the read lock and releases it when `fn` settles (returns or throws).
   *
   * @example
   * const n = await lock.withRead(() => index.size);
   */
  async withRead<T>(fn: () => T | PromiseLike<T>, options?: LockOptions): Promise<Awaited<T>> {
    checkFunction(fn, 'withRead');
    const release = await this.acquire(READ, options);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * Runs `fn` holding the write lock and releases it when `fn` settles (returns or throws).
   *
   * @example
   * await lock.withWrite(async () => { state = await reload(); });
   */
  async withWrite<T>(fn: () => T | PromiseLike<T>, options?: LockOptions): Promise<Awaited<T>> {
    checkFunction(fn, 'withWrite');
    const release = await this.acquire(WRITE, options);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** How many readers hold the lock now. */
  get readers(): number {
    return this.activeReaders;
  }

  /** Whether a writer holds the lock now. */
  get isWriteLocked(): boolean {
    return this.writeDepth !== 0;
  }

  /** How many acquisitions wait in the queue (readers and writers). */
  get queueLength(): number {
    return this.waiting;
  }

  /** How many writers wait in the queue. */
  get pendingWriters(): number {
    return this.waitingWriters;
  }

  /** Whether nobody holds or waits for the lock. */
  get isIdle(): boolean {
    return this.activeReaders === 0 && this.writeDepth === 0 && this.head === undefined;
  }

  /** `'AsyncRwLock'`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'AsyncRwLock';
  }

  // ---- Primitives for subclasses (the map's lock tables) ----

  /** @internal Takes the lock at once if the FIFO allows it (nobody queued, no conflicting holder). */
  protected tryEnter(mode: Mode, owner: unknown): boolean {
    if (this.writeDepth !== 0 || this.head !== undefined) return false;
    if (mode === READ) {
      this.activeReaders++;
      return true;
    }
    if (this.activeReaders !== 0) return false;
    this.writeDepth = 1;
    this.writeOwner = owner;
    return true;
  }

  /**
   * @internal Queues an acquisition; the promise resolves once it is granted (the lock state
   * already counts it then) or rejects on abort / timeout (the waiter is gone from the queue).
   */
  protected enter(mode: Mode, owner: unknown, signal: AbortSignal | undefined, timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve, reject) => this.enqueue(mode, owner, signal, timeoutMs, resolve, reject));
  }

  /**
   * @internal Queues an acquisition without a promise: `granted()` runs once it is granted (the
   * lock state already counts it), `failed(reason)` if it gives up (it has left the queue).
   * Both run after the lock's own bookkeeping, never in the middle of it.
   */
  protected enqueue(
    mode: Mode,
    owner: unknown,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
    granted: () => void,
    failed: (reason: unknown) => void,
  ): void {
    const waiter: Waiter = {
      mode,
      owner,
      resolve: granted,
      reject: failed,
      prev: this.tail,
      next: undefined,
      signal: undefined,
      onAbort: undefined,
      timer: undefined,
    };
    if (this.tail === undefined) this.head = waiter;
    else this.tail.next = waiter;
    this.tail = waiter;
    this.waiting++;
    if (mode === WRITE) this.waitingWriters++;
    if (signal !== undefined) {
      const onAbort = () => this.cancel(waiter, signal.reason);
      waiter.signal = signal;
      waiter.onAbort = onAbort;
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (timeoutMs !== undefined) {
      waiter.timer = setTimeout(
        () => this.cancel(waiter, new LockTimeoutError(timeoutMs, mode === READ ? 'read' : 'write')),
        timeoutMs,
      );
      waiter.timer.unref?.();
    }
  }

  /** @internal Releases one hold of `mode`, admits the waiters now allowed in, reports idleness. */
  protected leave(mode: Mode): void {
    if (mode === READ) {
      if (this.activeReaders === 0) return;
      this.activeReaders--;
    } else {
      if (this.writeDepth === 0) return;
      this.writeDepth--;
      if (this.writeDepth === 0) this.writeOwner = undefined;
    }
    if (this.head !== undefined) this.dispatch();
    else if (this.activeReaders === 0 && this.writeDepth === 0) this.becameIdle();
  }

  /** @internal Called each time the lock becomes idle (nobody holds, nobody waits). */
  protected becameIdle(): void {}

  /** @internal Called when a queued acquisition is granted, before its promise resolves. */
  protected admitted(_mode: Mode, _owner: unknown): void {}

  /** @internal Called when a queued acquisition gives up (abort, timeout), before its promise rejects. */
  protected cancelled(_mode: Mode, _owner: unknown, _reason: unknown): void {}

  /** @internal Called at the end of each dispatch, once the admitted waiters have been told. */
  protected dispatched(): void {}

  // ---- Internals ----

  private acquire(mode: Mode, options: LockOptions | undefined): Promise<Release> {
    let signal: AbortSignal | undefined;
    let timeoutMs: number | undefined;
    try {
      ({ signal, timeoutMs } = readLockOptions(options, mode === READ ? 'acquireRead' : 'acquireWrite'));
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryEnter(mode, undefined)) return Promise.resolve(this.releaser(mode));
    return this.enter(mode, undefined, signal, timeoutMs).then(() => this.releaser(mode));
  }

  private releaser(mode: Mode): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.leave(mode);
    };
  }

  /**
   * Admits waiters from the head while they are compatible with the holders, then tells them:
   * the state is final before any of them runs (a granted continuation may release at once).
   */
  private dispatch(): void {
    let admitted: Waiter | undefined;
    let last: Waiter | undefined;
    for (let waiter = this.head; waiter !== undefined; waiter = this.head) {
      if (waiter.mode === WRITE) {
        if (this.activeReaders !== 0 || this.writeDepth !== 0) break;
        this.writeDepth = 1;
        this.writeOwner = waiter.owner;
      } else {
        if (this.writeDepth !== 0) break;
        this.activeReaders++;
      }
      this.unlink(waiter);
      this.admitted(waiter.mode, waiter.owner);
      if (last === undefined) admitted = waiter;
      else last.next = waiter;
      last = waiter;
      if (waiter.mode === WRITE) break;
    }
    for (let waiter = admitted; waiter !== undefined; ) {
      const next = waiter.next;
      waiter.next = undefined;
      waiter.resolve();
      waiter = next;
    }
    if (this.head === undefined && this.activeReaders === 0 && this.writeDepth === 0) this.becameIdle();
    this.dispatched();
  }

  /** Removes a waiter that gave up; the waiters behind it may now be admitted. */
  private cancel(waiter: Waiter, reason: unknown): void {
    if (waiter.prev === undefined && this.head !== waiter) return; // already admitted or removed
    this.unlink(waiter);
    this.cancelled(waiter.mode, waiter.owner, reason);
    waiter.reject(reason);
    if (this.head !== undefined) this.dispatch();
    else if (this.activeReaders === 0 && this.writeDepth === 0) this.becameIdle();
  }

  private unlink(waiter: Waiter): void {
    const { prev, next } = waiter;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.waiting--;
    if (waiter.mode === WRITE) this.waitingWriters--;
    if (waiter.onAbort !== undefined) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.onAbort = undefined;
      waiter.signal = undefined;
    }
    if (waiter.timer !== undefined) {
      clearTimeout(waiter.timer);
      waiter.timer = undefined;
    }
  }
}

/** Validates `{ signal?, timeoutMs? }`. */
function readLockOptions(
  options: LockOptions | undefined,
  method: string,
): { signal: AbortSignal | undefined; timeoutMs: number | undefined } {
  if (options === undefined) return { signal: undefined, timeoutMs: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      `${method}: options must be an object { signal?, timeoutMs? }, got ${describe(options)}`,
    );
  }
  const { signal, timeoutMs } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new InvalidArgumentError(`${method}: options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs >= 0) || timeoutMs === Infinity)) {
    throw new InvalidArgumentError(
      `${method}: options.timeoutMs must be a finite number of milliseconds >= 0, got ${describe(timeoutMs)}`,
    );
  }
  return { signal, timeoutMs };
}

function checkFunction(fn: unknown, method: string): void {
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError(`${method}: expected a function to run under the lock, got ${describe(fn)}`);
  }
}
