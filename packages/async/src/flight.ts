import type { KeyLock } from './keyLock.js';
import { KeyOp, LOAD, type OpHost } from './keyOp.js';
import type { LockScope } from './lockScope.js';

/**
 * @internal One `computeIfAbsent` load of a key: the operation itself (it locks the key and runs
 * the factory) and the promise every concurrent caller for that key shares, with what is needed
 * to abandon it once every caller has aborted.
 */
export class Flight<V> extends KeyOp {
  /** Settles with the loaded (or found) value, or the factory's error. */
  promise: Promise<V>;
  /** Callers still waiting for the result (only counted while every caller has a signal). */
  callers: number;
  /** False once a caller without a signal joined: then the load is never abandoned. */
  detachable: boolean;
  /** Aborted when every caller has aborted; its signal is the one the factory receives. */
  readonly controller: AbortController | undefined;
  /** The key lock this load reserves (registered as its `flight` while shared). */
  readonly lock: KeyLock;

  /**
   * `shared`: a load joinable by other callers (its signal aborts when they all have);
   * otherwise a load run under a hold its caller's chain already has, with the caller's signal.
   */
  constructor(
    parent: LockScope | undefined,
    tracked: boolean,
    key: unknown,
    factory: (...args: any[]) => unknown,
    host: OpHost,
    lock: KeyLock,
    shared: boolean,
    callerSignal: AbortSignal | undefined,
  ) {
    const controller = shared && callerSignal !== undefined ? new AbortController() : undefined;
    super(
      parent,
      tracked,
      true,
      LOAD,
      key,
      shared ? controller?.signal : callerSignal,
      'computeIfAbsent',
      host,
      factory,
    );
    this.promise = undefined as unknown as Promise<V>;
    this.callers = 0;
    this.detachable = controller !== undefined;
    this.controller = controller;
    this.lock = lock;
  }

  /** The scope the factory runs in: the load itself (for deadlock detection). */
  get scope(): LockScope {
    return this;
  }
}
