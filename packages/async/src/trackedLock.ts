import { AsyncRwLock } from './asyncRwLock.js';
import type { Flight } from './flight.js';
import { type Mode, READ } from './lockMode.js';
import type { LockScope } from './lockScope.js';
import { removeWait } from './waitGraph.js';

/**
 * @internal A lock in one of a map's lock tables (the map lock, a shard lock, a key lock). It
 * exposes the protected primitives of `AsyncRwLock` to the map, records its exclusive owner
 * (a `LockScope`) for deadlock detection, supports re-entry by the scope chain that holds it,
 * and deletes itself from its table the moment it becomes idle: lock state lives only as long
 * as somebody holds or waits.
 */
export class TrackedLock extends AsyncRwLock {
  /** The table holding this lock (`undefined` for the map lock, which lives as long as its map). */
  private readonly table: Map<unknown, TrackedLock> | undefined;
  /** This lock's key in `table`. */
  private readonly id: unknown;

  constructor(table: Map<unknown, TrackedLock> | undefined, id: unknown) {
    super();
    this.table = table;
    this.id = id;
  }

  /** Takes the lock now if the FIFO allows it. */
  tryLock(mode: Mode, owner: unknown): boolean {
    return this.tryEnter(mode, owner);
  }

  /** Queues for the lock. */
  lock(mode: Mode, owner: unknown, signal: AbortSignal | undefined): Promise<void> {
    return this.enter(mode, owner, signal);
  }

  /** Re-entry by the scope chain already holding the lock in `mode` (no queueing: it cannot conflict). */
  force(mode: Mode): void {
    if (mode === READ) this.activeReaders++;
    else this.writeDepth++;
  }

  /** Releases one hold. */
  unlock(mode: Mode): void {
    this.leave(mode);
  }

  /** The scope holding the lock exclusively, if any. */
  owner(): unknown {
    return this.writeOwner;
  }

  /** Whether a writer holds the lock. */
  writeHeld(): boolean {
    return this.writeDepth !== 0;
  }

  /** The single-flight load reserving this key, if this is a key lock with one. */
  pendingFlight(): Flight<unknown> | undefined {
    return undefined;
  }

  /** Deletes the lock from its table if idle (nobody holds or waits, no pending load). */
  drop(): void {
    if (
      this.table !== undefined &&
      this.isIdle &&
      this.pendingFlight() === undefined &&
      this.table.get(this.id) === this
    ) {
      this.table.delete(this.id);
    }
  }

  protected override becameIdle(): void {
    this.drop();
  }

  /** Queues for the lock without a promise: the lock resumes `scope` when granted, fails it if cancelled. */
  queue(mode: Mode, scope: LockScope, signal: AbortSignal | undefined): void {
    this.enqueue(mode, scope, signal, undefined, noop, noop);
  }

  // A queued acquisition's bookkeeping is settled here, synchronously, not in a `.then` per wait.
  protected override admitted(mode: Mode, owner: unknown): void {
    const scope = owner as LockScope;
    if (scope.checked) removeWait(scope, this);
    scope.hold(this, mode);
    ready[readyCount++] = scope;
  }

  protected override cancelled(_mode: Mode, owner: unknown, reason: unknown): void {
    const scope = owner as LockScope;
    if (scope.checked) removeWait(scope, this);
    scope.fail(reason);
  }

  protected override dispatched(): void {
    drainReady();
  }
}

const noop = (): void => {};

/**
 * Scopes granted a lock, waiting to be resumed. A grant resumes its operation only after the
 * granting lock's bookkeeping, and from one loop at the outermost dispatch: a chain of
 * operations each releasing to the next runs flat, never deeper and deeper in the stack.
 */
const ready: (LockScope | undefined)[] = [];
let readyCount = 0;
let draining = false;

function drainReady(): void {
  if (draining || readyCount === 0) return;
  draining = true;
  try {
    for (let i = 0; i < readyCount; i++) {
      const scope = ready[i] as LockScope;
      ready[i] = undefined;
      try {
        scope.resume();
      } catch (error) {
        // Operations catch their own errors; anything else is a bug that must not stall the queue.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  } finally {
    readyCount = 0;
    draining = false;
  }
}
