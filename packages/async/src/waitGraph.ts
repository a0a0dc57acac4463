import { WRITE } from './lockMode.js';
import type { LockScope } from './lockScope.js';
import type { TrackedLock } from './trackedLock.js';

// @internal Re-entry and deadlock detection, on the slow path only: what a scope chain holds,
// and whether waiting for a lock would close a cycle of "held by → waits for" edges.

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
