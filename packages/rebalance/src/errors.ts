import { StarshardError } from '@starshard/core';

/**
 * A background `rebalanceTo(n)` found the map at another shard count when its migration should
 * have ended: another rebalance (stop-the-world, or a background one started later) replaced
 * its migration. The map is consistent and holds every entry, at the other rebalance's count.
 *
 * @example
 * try { await map.rebalanceTo(256, { background: true }) }
 * catch (e) { if (e instanceof RebalanceSupersededError) console.log(`now ${e.actual} shards`) }
 */
export class RebalanceSupersededError extends StarshardError {
  /** The shard count this rebalance was asked for. */
  readonly requested: number;
  /** The shard count the map has instead. */
  readonly actual: number;

  constructor(requested: number, actual: number) {
    super(
      'ERR_STARSHARD_REBALANCE_SUPERSEDED',
      `the background rebalance to ${requested} shards was superseded: another rebalance left the map at ${actual} shards. ` +
        'Run one rebalance at a time, or call rebalanceTo again if you still want this count',
    );
    this.requested = requested;
    this.actual = actual;
  }
}
