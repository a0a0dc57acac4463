// Runs test/support/worker.mjs in child processes (the built package: run `pnpm build` first).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Target } from './targets.js';

const script = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/** How a worker reaches the deployment. */
export function connectionOf(target: Target): string {
  return target.kind === 'cluster'
    ? JSON.stringify({ kind: 'cluster', nodes: target.nodes })
    : JSON.stringify({ kind: 'standalone', port: target.port });
}

/** A running worker: its process, and a promise of each JSON line it printed. */
export interface Worker {
  readonly child: ChildProcess;
  /** Resolves to the first event satisfying `match`. */
  next(match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves to the last event once the worker exited with 0. */
  done(): Promise<Record<string, unknown>>;
}

export function startWorker(job: string, target: Target, prefix: string, ...args: string[]): Worker {
  const child = spawn(process.execPath, [script, job, connectionOf(target), prefix, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  const listeners: (() => void)[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      events.push(JSON.parse(buffered.slice(0, newline)));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    next: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) resolve(found);
        };
        listeners.push(check);
        check();
        void exited.then(() => {
          check();
          reject(new Error(`worker exited before the event (stderr: ${stderr})`));
        });
      }),
    done: async () => {
      const code = await exited;
      if (code !== 0) throw new Error(`worker ${job} exited with ${code}: ${stderr}`);
      return events.at(-1) ?? {};
    },
  };
}
