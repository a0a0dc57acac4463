// The child process. It serves one job, so V8's type feedback only ever sees one
// implementation and one key kind: either a one-shot job (`run`: result, exit) or a session
// (`open`: set up; `call`: answer a request; `close`: exit). A workload's code is imported only
// by the children that run it, so a child loads no other workload's libraries. Handlers may
// return a promise (the async workloads time awaited operations): the reply waits for it.

import type { ChildMessage, Job, JobResults, ParentMessage, SessionJob } from './jobs.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) reject(new Error('worker.ts must be started by the runner (no IPC channel)'));
    else process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function progress(text: string): void {
  process.send?.({ type: 'progress', text } satisfies ChildMessage);
}

/** A session's request handler (sync for workload 1, async for the async-map workloads). */
type Handler = (request: unknown) => unknown;

async function run(job: Job): Promise<JobResults[keyof JobResults]> {
  switch (job.kind) {
    case 'capacity':
      return (await import('./workloads/capacity/measure.js')).runCapacityJob(job, progress);
    case 'workload2':
      return (await import('./workloads/workload2/measure.js')).runWorkload2Job(job, progress);
    case 'workload7':
      return (await import('./workloads/workload7/measure.js')).runWorkload7Job(job, progress);
    case 'workload8':
      return (await import('./workloads/workload8/measure.js')).runWorkload8Job(job, progress);
    case 'workload9':
      return (await import('./workloads/workload9/measure.js')).runWorkload9Job(job, progress);
  }
}

async function open(job: SessionJob): Promise<Handler> {
  switch (job.kind) {
    case 'workload1':
      return (await import('./workloads/workload1/measure.js')).openWorkload1Session(job, progress) as Handler;
    case 'workload4':
      return (await (await import('./workloads/workload4/measure.js')).openWorkload4Session(job, progress)) as Handler;
    case 'workload5':
      return (await (await import('./workloads/workload5/measure.js')).openWorkload5Session(job, progress)) as Handler;
    case 'workload6':
      return (await (await import('./workloads/workload6/measure.js')).openWorkload6Session(job, progress)) as Handler;
  }
}

let session: Handler | undefined;

async function handle(message: ParentMessage): Promise<{ value: unknown; exit: boolean }> {
  switch (message.type) {
    case 'run':
      return { value: await run(message.job), exit: true };
    case 'open':
      session = await open(message.job);
      return { value: undefined, exit: false };
    case 'call':
      if (session === undefined) throw new Error('call before open');
      return { value: await session(message.request), exit: false };
    case 'close':
      return { value: undefined, exit: true };
  }
}

process.on('message', (message: ParentMessage) => {
  handle(message)
    .then(
      (handled): { reply: ChildMessage; exit: boolean } => ({
        reply: { type: 'reply', value: handled.value },
        exit: handled.exit,
      }),
      (error: unknown): { reply: ChildMessage; exit: boolean } => ({
        reply: { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        exit: true,
      }),
    )
    .then(({ reply, exit }) =>
      send(reply).then(
        () => {
          if (exit) process.exit(0);
        },
        () => process.exit(1),
      ),
    );
});
