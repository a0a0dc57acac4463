import type { Flight } from './flight.js';
import { TrackedLock } from './trackedLock.js';

/** @internal A key's lock: also the home of the key's pending single-flight load. */
export class KeyLock extends TrackedLock {
  /** The pending `computeIfAbsent` load of this key, shared by every concurrent caller. */
  flight: Flight<any> | undefined = undefined;

  override pendingFlight(): Flight<unknown> | undefined {
    return this.flight;
  }
}
