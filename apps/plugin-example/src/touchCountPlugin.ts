import { definePlugin, InvalidArgumentError, type WriteOp } from '@starshard/core';
import { TouchCounter } from './touchCounter.js';
import type { TouchCountApi, TouchCountOptions } from './touchCountPlugin.types.js';

/**
 * A plugin that counts writes per key and names the hottest keys: which keys a cache churns,
 * which counters every request bumps, which key to shard out or cache closer.
 *
 * It observes writes through the map's `afterWrite` seam, so every write path is counted
 * (`insert`, `set`, `batchInsert`, `computeIfPresent`, `computeIfAbsent`, `retain`, `remove`,
 * `delete`, `batchRemove`, `clear`) without overriding any of them, and reads cost nothing.
 * Each write pays one `Map` update (plus a bucket move with `touchLimit`). It has a sync facet
 * only: composing it onto an async map throws `PluginDependencyError`.
 *
 * @example
 * import { ShardedHashMap } from '@starshard/core';
 * import { touchCount } from '@starshard/plugin-example';
 *
 * const Counted = ShardedHashMap.with(touchCount);
 * const hits = new Counted<string, number>(64, { touchLimit: 10_000 });
 * hits.computeIfAbsent('/home', () => 0);
 * hits.computeIfPresent('/home', (n) => n + 1);
 * hits.hottestKeys(1); // [['/home', 2]]
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
        return new this(shards, touchLimit === undefined ? {} : { touchLimit });
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
});

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
