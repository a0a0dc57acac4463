// Timing of one benchmark cell with tinybench.
//
// Why batches: one map operation costs ~30–100 ns, about what tinybench spends per sample
// around the task call (two timer reads, the call through its dispatcher). Timing single
// operations would measure the harness. So each tinybench iteration runs a batch of
// operations (1,000 gets, or a whole fill of an empty map), tinybench times the batch with
// `process.hrtime` and subtracts its calibrated timer cost, and the sample divides by the
// batch size: the harness's share falls to ~0.1–0.3% of a sample, the same for every
// implementation. tinybench (rather than a hand-rolled hrtime loop) keeps warm-up, time
// budgets and timer calibration in one well-tested place.

import { Bench } from 'tinybench';

/** How long to run one cell. */
export interface Timing {
  /** Time budget of the measured phase, in milliseconds. */
  readonly timeMs: number;
  /** Time budget of the warm-up phase (run, not recorded), in milliseconds. */
  readonly warmupMs: number;
  /** Fewest measured iterations, whatever the time budget (default 1). */
  readonly iterations?: number;
  /** Fewest warm-up iterations, whatever the time budget (default 1). */
  readonly warmupIterations?: number;
}

/** Untimed work around each iteration (warm-up included): setup before, verification after. */
export interface IterationHooks {
  /** Runs before each iteration, outside the timed window (a fresh map, a forced GC). */
  readonly beforeEach?: () => void | Promise<void>;
  /** Runs after each iteration, outside the timed window (checks of what the iteration did). */
  readonly afterEach?: () => void | Promise<void>;
}

/**
 * Runs `batch` under tinybench for `timing` and returns one figure per iteration: nanoseconds
 * per operation, `batch` doing `opsPerIteration` operations. Throws if the batch throws.
 *
 * @example
 * const ns = measureNsPerOp('get', () => { for (let i = 0; i < 1000; i++) map.get(keys[i]); }, 1000, timing);
 */
export function measureNsPerOp(name: string, batch: () => void, opsPerIteration: number, timing: Timing): Float64Array {
  const bench = new Bench({
    name,
    time: timing.timeMs,
    warmupTime: timing.warmupMs,
    // Time budgets decide; a slow batch (a fill of 200k keys) still runs once warm and once timed.
    iterations: 1,
    warmupIterations: 1,
    timestampProvider: 'hrtimeNow',
    subtractTimerOverhead: true,
    retainSamples: true,
    throws: true,
  });
  bench.add(name, batch);
  const [task] = bench.runSync();
  const result = task?.result;
  if (result === undefined || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    throw new Error(`benchmark ${name} did not complete (${result?.state ?? 'no task'})`);
  }
  return nsPerOp(name, result.latency.samples, opsPerIteration);
}

/**
 * The async twin of {@link measureNsPerOp}: `iteration` returns a promise, and tinybench awaits
 * it inside the timed window (one extra microtask turn per sample, the same for every
 * implementation). `hooks` run around each iteration, outside the timed window. With
 * `timing.timeMs` 0, exactly `timing.iterations` iterations are measured.
 *
 * @example
 * const ns = await measureNsPerOpAsync('get', async () => { for (const k of keys) await m.get(k); }, keys.length, timing);
 */
export async function measureNsPerOpAsync(
  name: string,
  iteration: () => Promise<unknown>,
  opsPerIteration: number,
  timing: Timing,
  hooks: IterationHooks = {},
): Promise<Float64Array> {
  const bench = new Bench({
    name,
    time: timing.timeMs,
    warmupTime: timing.warmupMs,
    iterations: timing.iterations ?? 1,
    warmupIterations: timing.warmupIterations ?? 1,
    timestampProvider: 'hrtimeNow',
    subtractTimerOverhead: true,
    retainSamples: true,
    throws: true,
  });
  bench.add(name, iteration, {
    async: true,
    ...(hooks.beforeEach === undefined ? {} : { beforeEach: hooks.beforeEach }),
    ...(hooks.afterEach === undefined ? {} : { afterEach: hooks.afterEach }),
  });
  const [task] = await bench.run();
  const result = task?.result;
  if (result === undefined || (result.state !== 'completed' && result.state !== 'aborted-with-statistics')) {
    throw new Error(`benchmark ${name} did not complete (${result?.state ?? 'no task'})`);
  }
  return nsPerOp(name, result.latency.samples, opsPerIteration);
}

/** Milliseconds per iteration → nanoseconds per operation. */
function nsPerOp(name: string, samples: readonly number[] | undefined, opsPerIteration: number): Float64Array {
  if (samples === undefined) throw new Error(`benchmark ${name} kept no samples`);
  const msToNsPerOp = 1e6 / opsPerIteration;
  return Float64Array.from(samples, (ms) => ms * msToNsPerOp);
}
