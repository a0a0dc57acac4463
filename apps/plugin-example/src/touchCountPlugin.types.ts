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
 * What `touchCount` adds to an `AsyncShardedHashMap`: the same members as `TouchCountApi`,
 * returning promises. They never wait for a lock: like the async map's `get`, they see every
 * write committed so far (a `computeIfPresent` callback still running has not written yet).
 *
 * @example
 * const m = new (AsyncShardedHashMap.with(touchCount))<string, number>();
 * await m.set('a', 1);
 * await m.computeIfPresent('a', async (n) => n + 1);
 * await m.touchCount('a'); // 2
 */
export interface AsyncTouchCountApi<K> {
  /** The touches of `key` committed so far (see `TouchCountApi.touchCount`). */
  touchCount(key: K): Promise<number>;
  /**
   * The `n` most-touched keys, hottest first, as `[key, touches]` pairs (see
   * `TouchCountApi.hottestKeys`). Rejects with `InvalidArgumentError` unless `n` is a
   * non-negative integer.
   */
  hottestKeys(n: number): Promise<[key: K, touches: number][]>;
  /** Every touch committed since the map was made or `resetTouches()`, a `clear()` counting as one. */
  totalTouches(): Promise<number>;
  /**
   * Forgets every count (the entries stay), at once: a write still running (a pending callback
   * or load) commits afterwards and is counted.
   */
  resetTouches(): Promise<void>;
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
// get these members, options and statics. `PluginApis` types sync compositions and
// `AsyncPluginApis` async ones; options and statics are shared by both kinds (`Kind` picks the
// instance type a static returns).
declare module '@starshard/core' {
  interface PluginApis<K, V> {
    touchCount: TouchCountApi<K>;
  }
  interface AsyncPluginApis<K, V> {
    touchCount: AsyncTouchCountApi<K>;
  }
  interface PluginOptions<K, V> {
    touchCount: TouchCountOptions;
  }
  interface PluginStatics<Kind extends MapKind, P extends readonly AnyPlugin[]> {
    touchCount: {
      /**
       * A map with `shards` shards that tracks at most `touchLimit` keys: an instance of the
       * composed class it is called on (sync or async, with every composed plugin).
       *
       * @example
       * const m = ShardedHashMap.with(touchCount).withTouchTracking<string, number>(64, 1000);
       * const a = AsyncShardedHashMap.with(touchCount).withTouchTracking<string, number>(64, 1000);
       */
      withTouchTracking<K = any, V = any>(shards?: number, touchLimit?: number): MapKinds<P, K, V>[Kind];
    };
  }
}
