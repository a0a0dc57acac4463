import type { Mode } from './lockMode.js';
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
  // operation) and overflow lists for multi-shard operations. Bit i of `writeBits` is set when
  // inline hold i is exclusive. No array per operation on the hot path.
  private count: number;
  private lock0: TrackedLock | undefined;
  private lock1: TrackedLock | undefined;
  private lock2: TrackedLock | undefined;
  private writeBits: number;
  private more: TrackedLock[] | undefined;
  private moreModes: Mode[] | undefined;
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
    this.writeBits = 0;
    this.more = undefined;
    this.moreModes = undefined;
    this.waits = undefined;
    this.done = false;
    this.shardEpoch = -1;
    this.checked = checked;
    this.tracked = tracked;
  }

  /** Records a lock taken by this scope. */
  hold(lock: TrackedLock, mode: Mode): void {
    const i = this.count++;
    if (i < 3) {
      if (i === 0) this.lock0 = lock;
      else if (i === 1) this.lock1 = lock;
      else this.lock2 = lock;
      this.writeBits |= mode << i;
    } else if (this.more === undefined || this.moreModes === undefined) {
      this.more = [lock];
      this.moreModes = [mode];
    } else {
      this.more.push(lock);
      this.moreModes.push(mode);
    }
  }

  /** The mode in which this scope holds `lock`, or -1. */
  modeOf(lock: TrackedLock): number {
    if (this.lock0 === lock) return this.writeBits & 1;
    if (this.lock1 === lock) return (this.writeBits >> 1) & 1;
    if (this.lock2 === lock) return (this.writeBits >> 2) & 1;
    const i = this.more === undefined ? -1 : this.more.indexOf(lock);
    return i < 0 ? -1 : ((this.moreModes as Mode[])[i] as Mode);
  }

  /** Called when a lock this scope queued for is granted (operations continue here; waits by promise ignore it). */
  resume(): void {}

  /** Called when a lock this scope queued for gives up (abort, timeout). */
  fail(_reason: unknown): void {}

  /** Releases every lock, last taken first. Idempotent. */
  release(): void {
    this.done = true;
    const count = this.count;
    if (count === 0) return;
    this.count = 0;
    if (count > 3) {
      const more = this.more as TrackedLock[];
      const modes = this.moreModes as Mode[];
      for (let i = more.length - 1; i >= 0; i--) (more[i] as TrackedLock).unlock(modes[i] as Mode);
      this.more = undefined;
      this.moreModes = undefined;
    }
    const bits = this.writeBits;
    this.writeBits = 0;
    if (count >= 3) (this.lock2 as TrackedLock).unlock(((bits >> 2) & 1) as Mode);
    if (count >= 2) (this.lock1 as TrackedLock).unlock(((bits >> 1) & 1) as Mode);
    (this.lock0 as TrackedLock).unlock((bits & 1) as Mode);
    this.lock0 = undefined;
    this.lock1 = undefined;
    this.lock2 = undefined;
  }
}
