import { StarshardError } from '@starshard/core';

/**
 * A call made from inside a map callback (the function given to `computeIfPresent`,
 * `computeIfAbsent`, `retain`, ...) needs a lock that can only be granted after that callback
 * returns, so waiting would hang forever. Instead of hanging, the inner call rejects with this
 * error, the outer call keeps its lock and the map is unchanged by the inner call.
 *
 * Two shapes exist: an *upgrade* (a callback holding one key asks for the whole map, e.g. calls
 * `clear()` or `retain()`), and a *cycle* (two callbacks each wait for the key the other holds).
 * Calls that can proceed under the lock the callback already holds (reads, writes to the
 * callback's own key or to other keys) complete normally, exactly as the sync map would.
 *
 * @example
 * await map.computeIfPresent('a', async (v) => {
 *   await map.clear(); // rejects: LockReentrancyError (clear needs every key, 'a' is held here)
 *   return v;
 * });
 */
export class LockReentrancyError extends StarshardError {
  /** The map method that was called from inside the callback. */
  readonly method: string;
  /** Why waiting would hang: `'upgrade'` (a held lock is needed exclusively) or `'cycle'`. */
  readonly kind: 'upgrade' | 'cycle';

  constructor(method: string, kind: 'upgrade' | 'cycle') {
    super(
      'ERR_STARSHARD_LOCK_REENTRANCY',
      kind === 'upgrade'
        ? `${method}() was called from inside a callback of the same map and needs the lock that callback holds ` +
            `exclusively, so it could only start after the callback returns: call ${method}() after the callback ` +
            '(e.g. after `await map.computeIfPresent(...)`), not inside it'
        : `${method}() would wait for a key held by another callback that is itself waiting, directly or not, for ` +
            `a lock held by this callback (a deadlock): do not wait for one key's callback inside another's, ` +
            'or take the keys in the same order everywhere',
    );
    this.method = method;
    this.kind = kind;
  }
}

/**
 * `AsyncRwLock.acquireRead` / `acquireWrite` with `timeoutMs` did not get the lock in time. The
 * waiter has been removed from the queue; the lock and the other waiters are unaffected.
 *
 * @example
 * try { const release = await lock.acquireWrite({ timeoutMs: 50 }); release(); }
 * catch (e) { if (e instanceof LockTimeoutError) console.log(`gave up after ${e.timeoutMs} ms`); }
 */
export class LockTimeoutError extends StarshardError {
  /** The timeout that expired, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, mode: 'read' | 'write') {
    super(
      'ERR_STARSHARD_LOCK_TIMEOUT',
      `could not acquire the ${mode} lock within ${timeoutMs} ms: the lock is held or queued for longer; ` +
        'raise timeoutMs, or find the holder that does not release it (lock.isWriteLocked, lock.queueLength)',
    );
    this.timeoutMs = timeoutMs;
  }
}
