import { LockScope } from './lockScope.js';

/** @internal What an operation's lock grants call back into: one per map, no closure per operation. */
export interface OpHost {
  /** Continues `op` after a lock it queued for was granted. */
  resume(op: KeyOp): void;
  /** Ends `op` with `error` (a queued lock wait was aborted or timed out). */
  fail(op: KeyOp, error: unknown): void;
}

/** `computeIfPresent`: lock the key, call the callback on the value, write its result. */
export const UPDATE = 0;
/** `computeIfAbsent`: lock the key, call the factory if absent, store its value. */
export const LOAD = 1;
/** A plain write that met a busy key: lock it, run the write. */
export const PUT = 2;

/**
 * @internal One single-key operation as a small state machine: it takes the map lock (shared),
 * its shard's lock (shared) and its key's lock (exclusive), in that order, continuing where it
 * stopped each time a lock is granted, then runs. No async function, no promise per lock wait:
 * the only promise is the caller's.
 */
export class KeyOp extends LockScope {
  /** `UPDATE`, `LOAD` or `PUT`. */
  readonly kind: number;
  /** How many of the three locks have been taken or queued for. */
  stage: number;
  readonly key: unknown;
  /** The caller's signal (a load's own signal, for a shared load). */
  readonly signal: AbortSignal | undefined;
  /** The public method, for error messages. */
  readonly method: string;
  readonly host: OpHost;
  /** The callback, factory, or write to run once locked. */
  readonly fn: (...args: any[]) => unknown;
  /** Settles the caller's promise. */
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
  /** Whether the caller's promise is settled (early, when aborted while the callback runs). */
  answered: boolean;
  /** Listener rejecting the caller early when its signal aborts while the callback runs. */
  onAbort: (() => void) | undefined;

  constructor(
    parent: LockScope | undefined,
    tracked: boolean,
    checked: boolean,
    kind: number,
    key: unknown,
    signal: AbortSignal | undefined,
    method: string,
    host: OpHost,
    fn: (...args: any[]) => unknown,
  ) {
    super(parent, tracked, checked);
    this.kind = kind;
    this.stage = 0;
    this.key = key;
    this.signal = signal;
    this.method = method;
    this.host = host;
    this.fn = fn;
    this.resolve = noop;
    this.reject = noop;
    this.answered = false;
    this.onAbort = undefined;
  }

  override resume(): void {
    this.host.resume(this);
  }

  override fail(reason: unknown): void {
    this.host.fail(this, reason);
  }
}

const noop = (): void => {};
