import { RebalanceSupersededError } from './errors.js';
import { readRebalanceOptions } from './readRebalanceOptions.js';
import type { RebalanceHost } from './rebalanceHost.js';
import type { RebalanceReport } from './rebalancePlugin.types.js';

/** Resolves on the next turn of the event loop, after the I/O and timers that are due. */
function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate : setTimeout)(resolve));
}

/**
 * @internal Drives a background rebalance to `requested` shards: one bounded step per
 * event-loop turn until the map is idle at that count. A migration already running is carried
 * to its end first (whatever its target); then `start` switches the layout (the async facet
 * passes one that takes the whole-map lock). Everything the options or count get wrong rejects
 * before the map is touched. On abort it rejects with `signal.reason` between steps, leaving
 * the migration consistent for `advanceRebalance`. If another rebalance replaces the one this
 * call started, it rejects with `RebalanceSupersededError` (never two callers fighting forever).
 */
export async function rebalanceInBackground(
  host: RebalanceHost,
  requested: unknown,
  options: unknown,
  start: (target: number, signal: AbortSignal | undefined) => boolean | PromiseLike<boolean>,
): Promise<RebalanceReport> {
  const { batchSize, maxPauseNs, signal } = readRebalanceOptions(options, 'rebalanceTo');
  const target = host.resolveCount(requested, 'rebalanceTo');
  signal?.throwIfAborted();
  const began = performance.now();
  const fromShards = host.sourceCount();
  const movedBefore = host.movedTotal();
  let started = false;
  for (;;) {
    if (host.isMigrating()) {
      host.step(batchSize, maxPauseNs);
    } else if (host.shardCount() === target) {
      break;
    } else if (started) {
      throw new RebalanceSupersededError(target, host.shardCount());
    } else {
      started = true;
      await start(target, signal);
      continue;
    }
    if (!host.isMigrating()) continue;
    await nextTurn();
    signal?.throwIfAborted();
  }
  return {
    fromShards,
    toShards: target,
    movedEntries: host.movedTotal() - movedBefore,
    elapsedMs: performance.now() - began,
  };
}
