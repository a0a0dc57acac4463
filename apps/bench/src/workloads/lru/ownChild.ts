// A child process of the lru and memory workloads, with a tiny request/reply protocol of its own
// (the shared runner's job union is not extended for them): `open` sets up, `call` measures,
// `close` ends it. Forked with the parent's exec arguments (tsx's loader) and --expose-gc, like
// every bench child, so each implementation has a process (and V8 type feedback) of its own.

import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./ownChildEntry.ts', import.meta.url));

/** Messages the parent sends. */
export type OwnParentMessage =
  | { readonly type: 'open'; readonly job: unknown }
  | { readonly type: 'call'; readonly request: unknown }
  | { readonly type: 'close' };

/** Messages the child sends back. */
export type OwnChildMessage =
  | { readonly type: 'reply'; readonly value: unknown }
  | { readonly type: 'error'; readonly message: string };

/** A running child: requests are answered in order, one at a time. */
export class OwnChild<Request, Reply> {
  private readonly process: ChildProcess;
  private pending: { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined;
  private readonly exited: Promise<void>;

  private constructor(private readonly name: string) {
    this.process = fork(ENTRY, [], {
      execArgv: [...process.execArgv, '--expose-gc'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (message: OwnChildMessage) => {
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
  }

  /** Starts a child for `job` (named `name` in errors); resolves once it has set up. */
  static async open<Request, Reply>(name: string, job: unknown): Promise<OwnChild<Request, Reply>> {
    const child = new OwnChild<Request, Reply>(name);
    await child.exchange({ type: 'open', job });
    return child;
  }

  /** Sends `request`; resolves with the reply. */
  call(request: Request): Promise<Reply> {
    return this.exchange({ type: 'call', request }) as Promise<Reply>;
  }

  /** Ends the child; resolves once it has exited. */
  async close(): Promise<void> {
    await this.exchange({ type: 'close' });
    await this.exited;
  }

  private exchange(message: OwnParentMessage): Promise<unknown> {
    if (this.pending !== undefined) return Promise.reject(new Error(`${this.name}: one request at a time`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.process.send(message);
    });
  }
}
