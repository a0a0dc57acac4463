import type { AnyPlugin, MapKind, MapKinds } from '@starshard/core';

/**
 * What `touchCount` adds to a map: how often each key was written, and which keys are hot.
 * A "touch" is one write that reached the map: an insert or update of the key, or its removal
 * (removing an absent key writes nothing, so it is not a touch).
 *
 * @example
 * const m = new (ShardedHashMap.with(touchCount))<string, number>();
 * m.set('a', 1).set('a', 2);
 * m.touchCount('a'); // 2
 */
export interface TouchCountApi<K> {
  /**
   * The touches of `key` since the map was made or `resetTouches()`: 0 if it was never
   * written. With a `touchLimit`, 0 for a key not tracked now, and an upper bound for one that is.
   */
  touchCount(key: K): number;
  /**
   * The `n` most-touched keys, hottest first, as `[key, touches]` pairs (fewer if fewer keys
   * were touched). Sorts the tracked keys: O(t log t) for t tracked keys, so cap t with
   * `touchLimit` on large maps.
   */
  hottestKeys(n: number): [key: K, touches: number][];
  /** Every touch since the map was made or `resetTouches()`, a `clear()` counting as one. */
  totalTouches(): number;
  /** Forgets every count (the entries stay). */
  resetTouches(): void;
}

/**
 * Constructor options `touchCount` adds.
 *
 * @example
 * new (ShardedHashMap.with(touchCount))<string, number>(64, { touchLimit: 1000 });
 */
export interface TouchCountOptions {
  /**
   * Track at most this many keys (a positive integer; default `Infinity`: every key, exactly).
   * Past it, the coldest tracked key makes room for a new one, so memory stays bounded and the
   * hot keys stay tracked; counts become upper bounds.
   */
  touchLimit?: number | undefined;
}

// The registry entries, keyed by the plugin's name: only classes composed with `touchCount`
// get these members, options and statics.
declare module '@starshard/core' {
  interface PluginApis<K, V> {
    touchCount: TouchCountApi<K>;
  }
  interface PluginOptions<K, V> {
    touchCount: TouchCountOptions;
  }
  interface PluginStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
    touchCount: {
      /**
       * A map with `shards` shards that tracks at most `touchLimit` keys.
       *
       * @example
       * const m = ShardedHashMap.with(touchCount).withTouchTracking<string, number>(64, 1000);
       */
      withTouchTracking<K = any, V = any>(shards?: number, touchLimit?: number): MapKinds<P, K, V>[Kind];
    };
  }
}
