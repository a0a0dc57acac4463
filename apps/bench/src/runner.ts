// Child-process orchestration: each job runs in a fresh `node` (with tsx's loader, inherited
// from this process), so no implementation ever shares V8 type feedback with another.

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, Job, JobResult, ParentMessage, SessionJob, SessionReply, SessionRequest } from './jobs.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** How to start a job's child process. */
export interface RunOptions {
  /** V8 old-space limit of the child, in MiB (default: Node's). */
  readonly heapMb?: number;
  /** Told each progress note the child sends. */
  readonly onProgress?: (text: string) => void;
}

/** A child serving one session job: requests are answered in order. */
export interface Session<J extends SessionJob> {
  /** Sends `request`; resolves with the child's reply. */
  call(request: SessionRequest<J>): Promise<SessionReply<J>>;
  /** Ends the session; resolves when the child has exited. */
  close(): Promise<void>;
}

function describe(job: Job | SessionJob): string {
  switch (job.kind) {
    case 'workload1':
    case 'workload4':
      return `${job.kind} (${job.impl}, ${job.keyKind} keys)`;
    case 'workload5':
    case 'workload6':
      return `${job.kind} (${job.impl})`;
    case 'capacity':
    case 'workload2':
      return `${job.kind} (${job.subject})`;
    case 'workload7':
      return `workload7 (${job.task === 'cost' ? `${job.mode} snapshot()` : `${job.target} reads`}, ${job.entries} entries)`;
    case 'workload8':
      return `workload8 (${job.profile.id}, ${job.mode})`;
    case 'workload9':
      return `workload9 (${job.strategy})`;
  }
}

/** A forked worker with one outstanding exchange at a time. */
class Child {
  private readonly process: ChildProcess;
  private pending: { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly name: string,
    options: RunOptions,
  ) {
    const execArgv = [...process.execArgv, '--expose-gc'];
    if (options.heapMb !== undefined) execArgv.push(`--max-old-space-size=${options.heapMb}`);
    this.process = fork(WORKER, [], {
      execArgv,
      // Structured clone: Float64Array samples cross the channel as doubles, not JSON.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') {
        options.onProgress?.(message.text);
        return;
      }
      const pending = this.pending;
      this.pending = undefined;
      if (message.type === 'reply') pending?.resolve(message.value);
      else pending?.reject(new Error(`child failed on ${this.name}:\n${message.message}`));
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.pending?.reject(new Error(`child for ${this.name} exited (${signal ?? code}) without replying`));
        this.pending = undefined;
        resolve();
      });
    });
    this.process.on('error', (error) => {
      this.pending?.reject(error);
      this.pending = undefined;
    });
  }

  /** Sends `message` and resolves with the child's reply. */
  exchange(message: ParentMessage): Promise<unknown> {
    if (this.pending !== undefined) return Promise.reject(new Error(`${this.name}: one request at a time`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.process.send(message);
    });
  }

  /** Resolves when the child has exited. */
  waitForExit(): Promise<void> {
    return this.exited;
  }
}

/**
 * Runs one-shot `job` in a new child process and resolves with its result; rejects if the child
 * reports an error or exits without a result.
 *
 * @example
 * const result = await runJob({ kind: 'capacity', subject: 'map', entries: 20e6, shards: 64 });
 */
export async function runJob<J extends Job>(job: J, options: RunOptions = {}): Promise<JobResult<J>> {
  const child = new Child(describe(job), options);
  const result = (await child.exchange({ type: 'run', job })) as JobResult<J>;
  await child.waitForExit();
  return result;
}

/**
 * Starts a child serving session `job`; resolves once the child has set up (built its keys and
 * maps), so the parent can then interleave requests across several children.
 *
 * @example
 * const session = await openSession(job);
 * const samples = await session.call({ type: 'measure', size: 1000, op: 'get', timing });
 * await session.close();
 */
export async function openSession<J extends SessionJob>(job: J, options: RunOptions = {}): Promise<Session<J>> {
  const child = new Child(describe(job), options);
  await child.exchange({ type: 'open', job });
  return {
    call: (request) => child.exchange({ type: 'call', request }) as Promise<SessionReply<J>>,
    close: async () => {
      await child.exchange({ type: 'close' });
      await child.waitForExit();
    },
  };
}
