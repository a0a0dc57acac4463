// What machine and code a result came from, recorded in every JSON file.

import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine, runtime and commit a benchmark ran on. */
export interface Environment {
  /** Node.js version. */
  readonly node: string;
  /** V8 version. */
  readonly v8: string;
  /** `platform-arch`. */
  readonly platform: string;
  /** CPU model. */
  readonly cpu: string;
  /** Logical cores. */
  readonly cores: number;
  /** Total memory, GiB. */
  readonly memoryGiB: number;
  /** 1-minute load average when the run started (how busy the shared machine was). */
  readonly loadAverage: number;
  /** `git rev-parse --short HEAD` of the repository, if available. */
  readonly commit: string | undefined;
  /** Files of packages/core with uncommitted changes when the run started (measured as built). */
  readonly uncommittedCore: readonly string[];
  /** Files of packages/async with uncommitted changes when the run started (measured as built). */
  readonly uncommittedAsync: readonly string[];
  /** ISO time the run started. */
  readonly startedAt: string;
}

function git(args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Files under `dir` (from the repository root) with uncommitted changes. */
function uncommitted(dir: string): string[] {
  return (git(['status', '--porcelain', '--', `:/${dir}`]) ?? '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\s*\S{1,2}\s+/, ''));
}

/**
 * Describes this process's environment.
 *
 * @example
 * currentEnvironment().node; // 'v20.20.2'
 */
export function currentEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: Number((os.loadavg()[0] ?? 0).toFixed(2)),
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedCore: uncommitted('packages/core'),
    uncommittedAsync: uncommitted('packages/async'),
    startedAt: new Date().toISOString(),
  };
}
