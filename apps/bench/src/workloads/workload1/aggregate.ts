// Turns the children's raw samples into the workload-1 report: pooled medians, ratios to the
// `Map` of the same run, spreads, per-round ratios, balance beside the expectation of a
// perfectly random hash.

import type { Environment } from '../../environment.js';
import { type Balance, IMPLEMENTATION_IDS, type ImplementationId } from '../../implementations/index.js';
import type { KeyForm, KeyKind } from '../../keys.js';
import type { Timing } from '../../measure.js';
import { median, summarize } from '../../stats.js';
import { uniformMaxOverAvg } from '../../uniformSpread.js';
import type { Op, Workload1JobResult } from './job.js';
import { type Target, targetFor } from './targets.js';

/** How workload 1 was run. */
export interface Workload1Config {
  /** `quick` or `full`. */
  readonly mode: 'quick' | 'full';
  /** Map sizes. */
  readonly sizes: readonly number[];
  /** Key kinds. */
  readonly keyKinds: readonly KeyKind[];
  /** Flat or rope string keys. */
  readonly keyForm: KeyForm;
  /** Implementations, the anchor first. */
  readonly implementations: readonly ImplementationId[];
  /** Operations per timed batch (get, mix); a fill is one batch of `size` inserts. */
  readonly batch: number;
  /** Slices per cell and round: the implementations take turns this many times. */
  readonly slices: number;
  /** Time budgets of one slice. */
  readonly sliceTiming: Timing;
  /** Warm-up before a cell's first slice in each child, ms. */
  readonly firstWarmupMs: number;
  /** Rounds (fresh children each round). */
  readonly rounds: number;
}

/** One cell: an implementation on one key kind, size and operation. */
export interface CellReport {
  /** Implementation. */
  readonly impl: ImplementationId;
  /** Key kind. */
  readonly keyKind: KeyKind;
  /** Map size. */
  readonly size: number;
  /** Operation. */
  readonly op: Op;
  /** Median ns per operation over every sample of every slice and round. */
  readonly medianNs: number;
  /** `1e9 / medianNs`. */
  readonly opsPerSecond: number;
  /** `medianNs` over `Map`'s `medianNs` for the same key kind, size and operation. */
  readonly ratio: number;
  /** Spread of the samples of every slice and round, ns per operation. */
  readonly spreadNs: { readonly p25: number; readonly p75: number; readonly min: number; readonly max: number };
  /** Samples (tinybench iterations) pooled over the rounds. */
  readonly samples: number;
  /** The median ns per operation of each round, in round order. */
  readonly roundMedianNs: readonly number[];
  /** The ratio within each round (each round's medians), to show run-to-run movement. */
  readonly roundRatios: readonly number[];
  /** The BENCH.md target of this cell, and whether the ratio meets it. */
  readonly target?: Target & { readonly met: boolean };
}

/** Shard balance of one implementation on one key kind and size (worst round). */
export interface BalanceReport extends Balance {
  /** Implementation. */
  readonly impl: ImplementationId;
  /** Key kind. */
  readonly keyKind: KeyKind;
  /** Map size. */
  readonly size: number;
  /** `entries / shards`: the load of a perfectly even spread. */
  readonly avgLoad: number;
  /** `maxLoad / avgLoad`: 1 is perfect. */
  readonly maxOverAvg: number;
  /** What a perfectly random hash would give for the same entries and shards (median of trials). */
  readonly uniformMaxOverAvg: number;
}

/** Everything `workload-1.json` holds. */
export interface Workload1Report {
  /** Workload id. */
  readonly workload: '1';
  /** Title. */
  readonly title: string;
  /** Where and on what it ran. */
  readonly environment: Environment;
  /** How it ran. */
  readonly config: Workload1Config;
  /** Method notes, for readers of the JSON. */
  readonly method: readonly string[];
  /** Every cell. */
  readonly cells: readonly CellReport[];
  /** Every balance figure. */
  readonly balances: readonly BalanceReport[];
}

/** The raw results of one child, tagged with its round. */
export interface RoundResult {
  /** Round, from 0. */
  readonly round: number;
  /** What the child sent. */
  readonly result: Workload1JobResult;
}

const cellKey = (impl: string, keyKind: string, size: number, op: string): string => `${impl}|${keyKind}|${size}|${op}`;

/**
 * Builds the report from every child's results.
 *
 * @example
 * const report = aggregate(results, config, currentEnvironment(), method);
 */
export function aggregate(
  results: readonly RoundResult[],
  config: Workload1Config,
  environment: Environment,
  method: readonly string[],
): Workload1Report {
  const pooled = new Map<string, { samples: number[]; roundMedians: Map<number, number> }>();
  const balanceByKey = new Map<string, BalanceReport>();
  for (const { round, result } of results) {
    for (const cell of result.cells) {
      const key = cellKey(result.impl, result.keyKind, cell.size, cell.op);
      let entry = pooled.get(key);
      if (entry === undefined) {
        entry = { samples: [], roundMedians: new Map() };
        pooled.set(key, entry);
      }
      for (const ns of cell.nsPerOp) entry.samples.push(ns);
      entry.roundMedians.set(round, median(cell.nsPerOp));
    }
    for (const { size, balance } of result.balances) {
      const avgLoad = balance.entries / balance.shards;
      const report: BalanceReport = {
        impl: result.impl,
        keyKind: result.keyKind,
        size,
        ...balance,
        avgLoad,
        maxOverAvg: balance.maxLoad / avgLoad,
        uniformMaxOverAvg: uniformMaxOverAvg(balance.entries, balance.shards),
      };
      const key = cellKey(result.impl, result.keyKind, size, '');
      const previous = balanceByKey.get(key);
      // Keep the worst round: nobody rounds in our favour.
      if (previous === undefined || report.maxOverAvg > previous.maxOverAvg) balanceByKey.set(key, report);
    }
  }

  const cells: CellReport[] = [];
  for (const size of config.sizes) {
    for (const keyKind of config.keyKinds) {
      for (const op of ['get', 'insert', 'mix'] as const) {
        const anchor = pooled.get(cellKey('map', keyKind, size, op));
        if (anchor === undefined) continue;
        const anchorMedian = median(anchor.samples);
        for (const impl of IMPLEMENTATION_IDS) {
          const entry = pooled.get(cellKey(impl, keyKind, size, op));
          if (entry === undefined) continue;
          const summary = summarize(entry.samples);
          const headline = summary.median;
          const ratio = headline / anchorMedian;
          const rounds = [...entry.roundMedians].sort(([a], [b]) => a - b);
          const roundRatios = rounds.flatMap(([round, m]) => {
            const anchorRound = anchor.roundMedians.get(round);
            return anchorRound === undefined ? [] : [m / anchorRound];
          });
          const target = targetFor(impl, keyKind);
          cells.push({
            impl,
            keyKind,
            size,
            op,
            medianNs: headline,
            opsPerSecond: 1e9 / headline,
            ratio,
            spreadNs: { p25: summary.p25, p75: summary.p75, min: summary.min, max: summary.max },
            samples: summary.count,
            roundMedianNs: rounds.map(([, m]) => m),
            roundRatios,
            ...(target === undefined ? {} : { target: { ...target, met: ratio <= target.max } }),
          });
        }
      }
    }
  }
  const balances = [...balanceByKey.values()].sort(
    (a, b) =>
      a.size - b.size ||
      config.keyKinds.indexOf(a.keyKind) - config.keyKinds.indexOf(b.keyKind) ||
      IMPLEMENTATION_IDS.indexOf(a.impl) - IMPLEMENTATION_IDS.indexOf(b.impl),
  );
  return {
    workload: '1',
    title: 'get / insert / 98-1-1 mix against native Map',
    environment,
    config,
    method,
    cells,
    balances,
  };
}
