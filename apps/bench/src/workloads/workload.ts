import type { BenchOptions } from '../options.js';

/** A benchmark workload of BENCH.md: runs its children, prints its tables, writes its files. */
export interface Workload {
  /** Id on the command line and in file names (`workload-<id>.json` or `<id>.json`). */
  readonly id: string;
  /** Other names accepted by `--workload`. */
  readonly aliases: readonly string[];
  /** One-line title. */
  readonly title: string;
  /** Runs the workload; resolves once its results are printed and written. */
  run(options: BenchOptions): Promise<void>;
  /** Re-renders tables and charts from the JSON a previous run wrote (no measuring). */
  render(options: BenchOptions): Promise<void>;
}
