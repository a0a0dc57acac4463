// Types only, erased at run time: it registers the `async` map kind with the core's plugin
// registry (`FacetBases['async']`), so `definePlugin` accepts an `async` facet and types its
// `Base` as `AsyncShardedHashMap`. Sync-only users load nothing from `@starshard/async`.
import type {} from '@starshard/async';
import { definePlugin, InvalidArgumentError, type WriteOp } from '@starshard/core';
import { TouchCounter } from './touchCounter.js';
import type { AsyncTouchCountApi, TouchCountApi, TouchCountOptions } from './touchCountPlugin.types.js';

/**
 * A plugin that counts writes per key and names the hottest keys: which keys a cache churns,
 * which counters every request bumps, which key to shard out or cache closer.
 *
 * It observes writes through the map's `afterWrite` seam, so every write path is counted
 * (`insert`, `set`, `batchInsert`, `computeIfPresent`, `computeIfAbsent`, `retain`, `remove`,
 * `delete`, `batchRemove`, `clear`) without overriding any of them, and reads cost nothing.
 * Each write pays one `Map` update (plus a bucket move with `touchLimit`).
 *
 * It has both facets. On `AsyncShardedHashMap.with(touchCount)` the same methods return
 * promises; the counting is the sync facet's, running on the async map's inner sync map.
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { AsyncShardedHashMap } from '@starshard/async';
 * import { touchCount } from '@starshard/plugin-example';
 *
 * const Counted = ShardedHashMap.with(touchCount);
 * const hits = new Counted<string, number>(64, { touchLimit: 10_000 });
 * hits.computeIfAbsent('/home', () => 0);
 * hits.computeIfPresent('/home', (n) => n + 1);
 * hits.hottestKeys(1); // [['/home', 2]]
 *
 * const AsyncCounted = AsyncShardedHashMap.with(touchCount);
 * const sessions = new AsyncCounted<string, number>(64);
 * await sessions.computeIfAbsent('s1', async () => 0);
 * await sessions.touchCount('s1'); // 1
 */
export const touchCount = definePlugin({
  name: 'touchCount',
  sync: (Base) =>
    class TouchCounted extends Base implements TouchCountApi<any> {
      /**
       * A map with `shards` shards that tracks at most `touchLimit` keys (see `TouchCountOptions`).
       *
       * @example
       * ShardedHashMap.with(touchCount).withTouchTracking<string, number>(64, 1000);
       */
      static withTouchTracking(shards?: number, touchLimit?: number) {
        return new this(shards, touchOptions(touchLimit));
      }

      // Declared here, set in the constructor: every instance gets the same fields in the same
      // order (one hidden class). `#private`, so no other plugin's field can collide with it.
      readonly #touches: TouchCounter<unknown>;

      constructor(...args: any[]) {
        super(...args);
        this.#touches = new TouchCounter(touchLimitOf(args[1]));
      }

      // The one seam this plugin needs: told of every change after it is made.
      protected override afterWrite(op: WriteOp, key: unknown, value: unknown, previous: unknown): void {
        // A plugin applied earlier may write from its constructor, before this one has its field.
        if (#touches in this) {
          if (op === 'clear') this.#touches.touchAll();
          else this.#touches.touch(key);
        }
        super.afterWrite(op, key, value, previous);
      }

      touchCount(key: unknown): number {
        return this.#touches.countOf(key);
      }

      hottestKeys(n: number): [key: unknown, touches: number][] {
        if (!Number.isSafeInteger(n) || n < 0) {
          throw new InvalidArgumentError(
            `hottestKeys: n must be a non-negative integer, got ${String(n)}: pass how many keys you want, e.g. hottestKeys(10)`,
          );
        }
        return this.#touches.hottest(n);
      }

      totalTouches(): number {
        return this.#touches.totalTouches();
      }

      resetTouches(): void {
        this.#touches.reset();
      }
    },

  // The async facet adds no state and overrides no seam. The async map keeps its entries in an
  // inner sync map, composed with the sync facets of the same plugins: that map is a
  // `TouchCounted`, and every async write (plain writes, callbacks, loads, retain, clear) ends
  // as a write on it, so its `afterWrite` above already counts them, exactly as on a sync map.
  // This facet only exposes those counters with the async map's signatures.
  //
  // Locking: none, and that is the correct choice, not a shortcut. The counters change only
  // inside the inner map's writes, and each of those runs synchronously, all at once, at the
  // moment the write commits (a callback's result is written when it settles, a batch or a
  // retain's removals in one go). So reading them synchronously observes a state between two
  // whole writes: the same consistent, linearizable view the async map's own reads give
  // (`get`, `len`, `iter` never lock either: they see the last committed value). Waiting for a
  // lock would add nothing but waiting: a key lock would make `touchCount(k)` wait out a slow
  // callback on `k` while `get(k)` does not, and `runExclusive` would queue `hottestKeys()`
  // behind every running callback and make it reject with `LockReentrancyError` when called
  // from a `computeIfPresent` callback (both are tested). The same holds for `resetTouches()`: it writes only the counters, never an
  // entry, so it needs no entry lock. A write whose callback is still running when the counts
  // are reset commits after the reset and is counted after it: its value becomes visible at
  // that same moment, which is when the write takes effect.
  async: (Base) =>
    class AsyncTouchCounted extends Base implements AsyncTouchCountApi<any> {
      /**
       * An async map with `shards` shards that tracks at most `touchLimit` keys.
       *
       * @example
       * AsyncShardedHashMap.with(touchCount).withTouchTracking<string, number>(64, 1000);
       */
      static withTouchTracking(shards?: number, touchLimit?: number) {
        return new this(shards, touchOptions(touchLimit));
      }

      /** The inner sync map, composed with this plugin's sync facet (see above). */
      #counted(): TouchCountApi<unknown> {
        return this.inner as unknown as TouchCountApi<unknown>;
      }

      touchCount(key: unknown): Promise<number> {
        return Promise.resolve(this.#counted().touchCount(key));
      }

      hottestKeys(n: number): Promise<[key: unknown, touches: number][]> {
        try {
          return Promise.resolve(this.#counted().hottestKeys(n));
        } catch (error) {
          return Promise.reject(error); // an invalid n rejects, as the async map's own calls do
        }
      }

      totalTouches(): Promise<number> {
        return Promise.resolve(this.#counted().totalTouches());
      }

      resetTouches(): Promise<void> {
        this.#counted().resetTouches();
        return Promise.resolve();
      }
    },
});

/** The constructor options `withTouchTracking` passes: `touchLimit` only when given. */
function touchOptions(touchLimit: number | undefined): TouchCountOptions {
  return touchLimit === undefined ? {} : { touchLimit };
}

/** Reads and checks `options.touchLimit`: a positive integer, or `Infinity` (the default). */
function touchLimitOf(options: TouchCountOptions | undefined): number {
  const limit = options?.touchLimit;
  if (limit === undefined || limit === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new InvalidArgumentError(
      `options.touchLimit must be a positive integer (or Infinity), got ${typeof limit === 'string' ? JSON.stringify(limit) : String(limit)}: ` +
        'it is how many keys touchCount tracks at most',
    );
  }
  return limit;
}
