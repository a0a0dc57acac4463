/** How a workload-9 child rebalances. */
export type Workload9Strategy = 'stop-the-world' | 'background';

/** Both strategies, stop-the-world (the anchor) first. */
export const WORKLOAD9_STRATEGIES: readonly Workload9Strategy[] = ['stop-the-world', 'background'];

/** One workload-9 child: fill, then rebalance while a reader serves gets. */
export interface Workload9Job {
  /** Discriminant of the job union. */
  readonly kind: 'workload9';
  /** `rebalanceTo(to)` at once, or `rebalanceTo(to, { background: true, maxPauseNs })`. */
  readonly strategy: Workload9Strategy;
  /** Entries in the map (`"key:" + i`). */
  readonly entries: number;
  /** Shards before. */
  readonly from: number;
  /** Shards after. */
  readonly to: number;
  /** Background only: the time bound of a step, ns. */
  readonly maxPauseNs: number;
  /** Gets the reader serves (and checks) per event-loop turn. */
  readonly readsPerTurn: number;
}

/** What a workload-9 child measured. */
export interface Workload9Result {
  /** The strategy. */
  readonly strategy: Workload9Strategy;
  /** Entries moved (must equal the entries). */
  readonly movedEntries: number;
  /** The rebalance's own `elapsedMs` (background: until its promise resolved). */
  readonly elapsedMs: number;
  /** Event-loop delay while it ran (`monitorEventLoopDelay`, 1 ms resolution): max, ms. */
  readonly maxDelayMs: number;
  /** The same, 99th percentile, ms. */
  readonly p99DelayMs: number;
  /** The same, mean, ms. */
  readonly meanDelayMs: number;
  /** Longest gap between two reader turns, ms. */
  readonly maxGapMs: number;
  /** Share of reader turns more than 5 ms after the previous one. */
  readonly longTurnShare: number;
  /** Gets served (and checked) while the rebalance ran (none during a stop-the-world call). */
  readonly readsServed: number;
  /** Garbage collections while the rebalance ran: count and longest pause, ms. */
  readonly gc: { readonly count: number; readonly maxMs: number };
  /** Whether every get found its value and the map held every entry at the end. */
  readonly verified: boolean;
}
