// Command-line options of `pnpm bench`. pnpm appends whatever follows `pnpm bench` to the
// script, so `pnpm bench --quick --workload 1` arrives here as process.argv.

import { fileURLToPath } from 'node:url';
import type { KeyForm } from './keys.js';

/** What `pnpm bench` was asked to do. */
export interface BenchOptions {
  /** Smaller sizes and shorter budgets: the whole suite in under a minute. */
  readonly quick: boolean;
  /** Measure nothing: re-render tables and charts from the JSON in `outDir`. */
  readonly render: boolean;
  /** Workload ids or aliases to run (`undefined`: all). */
  readonly workloads: readonly string[] | undefined;
  /** String keys as flat strings (default) or as the ropes `+` builds. */
  readonly keyForm: KeyForm;
  /** Rounds per workload (every child run once per round, in rotated order); default by mode. */
  readonly rounds: number | undefined;
  /** Where result files go (default: `bench-results/` at the repository root; `bench-results/quick/` for quick runs, so they never replace the full figures the README shows). */
  readonly outDir: string;
}

/** Usage text for `--help` and bad arguments. */
export const USAGE = `Usage: pnpm bench [--quick] [--workload <id>[,<id>...]] [--ropes] [--rounds <n>] [--render]

  --quick             smaller sizes, shorter budgets, one round (also BENCH_QUICK=1)
  --workload <id>     run only these workloads: 1, 2, capacity (alias 3), 4, 5, 6, 7, 8, 9 (and any other
                      listed in src/workloads/index.ts); repeatable (also BENCH_WORKLOAD)
  --ropes             measure string keys as built by + / template literals (V8 ropes) instead of
                      flattened strings (also BENCH_ROPES=1)
  --rounds <n>        run every child process n times, in rotated order (default: 5, quick: 1)
  --render            measure nothing: reprint the tables and redraw the charts from the JSON files
  --out <dir>         result directory (default: bench-results/ at the repository root, quick runs in
                      bench-results/quick/ so they never replace the full figures; also BENCH_OUT)
`;

const DEFAULT_OUT = fileURLToPath(new URL('../../../bench-results/', import.meta.url));
const QUICK_OUT = fileURLToPath(new URL('../../../bench-results/quick/', import.meta.url));

function truthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * Parses `argv` (without node and the script) and `env`. Throws an `Error` carrying the usage
 * text for an unknown or incomplete argument.
 *
 * @example
 * parseOptions(['--quick', '--workload', '1'], {}); // { quick: true, workloads: ['1'], ... }
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  let quick = truthy(env.BENCH_QUICK);
  let ropes = truthy(env.BENCH_ROPES);
  let render = false;
  const workloads: string[] = env.BENCH_WORKLOAD ? env.BENCH_WORKLOAD.split(',') : [];
  let rounds: number | undefined;
  let outDir = env.BENCH_OUT || undefined;
  const args = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value\n\n${USAGE}`);
      return v;
    };
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--quick':
        quick = true;
        break;
      case '--ropes':
        ropes = true;
        break;
      case '--render':
        render = true;
        break;
      case '--workload':
      case '-w':
        workloads.push(...value().split(','));
        break;
      case '--rounds': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds must be a positive integer\n\n${USAGE}`);
        rounds = n;
        break;
      }
      case '--out':
        outDir = value();
        break;
      default:
        throw new Error(`unknown argument ${arg}\n\n${USAGE}`);
    }
  }
  const selected = workloads.map((w) => w.trim()).filter((w) => w !== '');
  return {
    quick,
    render,
    workloads: selected.length === 0 ? undefined : selected,
    keyForm: ropes ? 'rope' : 'flat',
    rounds,
    outDir: outDir ?? (quick ? QUICK_OUT : DEFAULT_OUT),
  };
}
