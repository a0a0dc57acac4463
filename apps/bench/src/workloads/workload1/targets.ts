import type { ImplementationId } from '../../implementations/index.js';
import type { KeyKind } from '../../keys.js';

/** A BENCH.md target on the ratio to `Map`'s time per operation. */
export interface Target {
  /** Highest ratio that meets it. */
  readonly max: number;
  /** A hard `target`, or an `aim` (long keys: report, aim for it). */
  readonly kind: 'target' | 'aim';
  /** How the README and tables print it. */
  readonly text: string;
}

/**
 * starshard at 64 shards, per key kind (BENCH.md workload 1). UUIDs (36 characters) are neither
 * short nor 50+ characters: BENCH.md sets no target, so they are reported only.
 */
const SHARDED: Readonly<Record<KeyKind, Target | undefined>> = {
  short: { max: 1.3, kind: 'target', text: '≤ 1.3×' },
  uuid: undefined,
  url: { max: 2, kind: 'aim', text: 'aim ≤ 2×' },
  u32: { max: 1.1, kind: 'target', text: '≤ 1.1×' },
};

/** starshard at 1 shard: the wrapper's own cost, whatever the key. */
const ONE_SHARD: Target = { max: 1.05, kind: 'target', text: '≤ 1.05×' };

/**
 * The target of `impl` on `keyKind` keys, or `undefined` (anchors, UUIDs at 64 shards).
 *
 * @example
 * targetFor('starshard-64', 'short'); // { max: 1.3, kind: 'target', text: '≤ 1.3×' }
 */
export function targetFor(impl: ImplementationId, keyKind: KeyKind): Target | undefined {
  if (impl === 'starshard-64') return SHARDED[keyKind];
  if (impl === 'starshard-1') return ONE_SHARD;
  return undefined;
}
