// The child process. It serves one job, so V8's type feedback only ever sees one
// implementation and one key kind: either a one-shot job (`run`: result, exit) or a session
// (`open`: set up; `call`: answer a request; `close`: exit).

import type { ChildMessage, Job, JobResults, ParentMessage, SessionJob } from './jobs.js';
import { runCapacityJob } from './workloads/capacity/measure.js';
import { openWorkload1Session } from './workloads/workload1/measure.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) reject(new Error('worker.ts must be started by the runner (no IPC channel)'));
    else process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function progress(text: string): void {
  process.send?.({ type: 'progress', text } satisfies ChildMessage);
}

function run(job: Job): JobResults[keyof JobResults] {
  switch (job.kind) {
    case 'capacity':
      return runCapacityJob(job, progress);
  }
}

function open(job: SessionJob): (request: unknown) => unknown {
  switch (job.kind) {
    case 'workload1':
      return openWorkload1Session(job, progress) as (request: unknown) => unknown;
  }
}

let session: ((request: unknown) => unknown) | undefined;

function handle(message: ParentMessage): { value: unknown; exit: boolean } {
  switch (message.type) {
    case 'run':
      return { value: run(message.job), exit: true };
    case 'open':
      session = open(message.job);
      return { value: undefined, exit: false };
    case 'call':
      if (session === undefined) throw new Error('call before open');
      return { value: session(message.request), exit: false };
    case 'close':
      return { value: undefined, exit: true };
  }
}

process.on('message', (message: ParentMessage) => {
  let reply: ChildMessage;
  let exit = true;
  try {
    const handled = handle(message);
    reply = { type: 'reply', value: handled.value };
    exit = handled.exit;
  } catch (error) {
    reply = { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  send(reply).then(
    () => {
      if (exit) process.exit(0);
    },
    () => process.exit(1),
  );
});
