import type { LockScope } from './lockScope.js';
import type { KeyLock } from './trackedLock.js';

/**
 * @internal One pending `computeIfAbsent` load: the promise every concurrent caller for the key
 * shares, and what is needed to abandon it once every caller has aborted.
 */
export class Flight<V> {
  /** Settles with the loaded (or found) value, or the factory's error. */
  promise: Promise<V>;
  /** Callers still waiting for the result (only counted while every caller has a signal). */
  callers: number;
  /** False once a caller without a signal joined: then the load is never abandoned. */
  detachable: boolean;
  /** Aborted when every caller has aborted; its signal is the one the factory receives. */
  readonly controller: AbortController | undefined;
  /** The key lock this load reserves. */
  readonly lock: KeyLock;
  /** The scope the factory runs in (the exclusive owner of the key for deadlock detection). */
  readonly scope: LockScope;

  constructor(lock: KeyLock, scope: LockScope, withSignal: boolean) {
    this.promise = undefined as unknown as Promise<V>;
    this.callers = 0;
    this.detachable = withSignal;
    this.controller = withSignal ? new AbortController() : undefined;
    this.lock = lock;
    this.scope = scope;
  }
}
