import { InvalidArgumentError } from '@starshard/core';
import { SnapshotMode } from './snapshotMode.js';

const MODES: readonly unknown[] = Object.values(SnapshotMode);

/**
 * @internal Reads and checks `options.snapshotMode`: one of {@link SnapshotMode}'s values, or
 * `undefined` for the default `Clone`. Anything else throws `InvalidArgumentError` naming the
 * value and the accepted ones.
 *
 * @example
 * snapshotModeOf({ snapshotMode: 'cow' }); // 'cow'
 * snapshotModeOf(undefined);              // 'clone'
 */
export function snapshotModeOf(options: { snapshotMode?: unknown } | undefined): SnapshotMode {
  const mode = options?.snapshotMode;
  if (mode === undefined) return SnapshotMode.Clone;
  if (!MODES.includes(mode)) {
    throw new InvalidArgumentError(
      `options.snapshotMode must be SnapshotMode.Clone ('clone'), SnapshotMode.Cached ('cached') or SnapshotMode.Cow ('cow'), got ${show(mode)}`,
    );
  }
  return mode as SnapshotMode;
}

/** A value as an error message shows it: strings quoted, objects by their tag. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function' || (typeof value === 'object' && value !== null)) {
    return Object.prototype.toString.call(value);
  }
  return String(value);
}
