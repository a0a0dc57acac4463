// The entry of an OwnChild process: sets up the job's session on `open`, answers `call`s with it.

import type { OwnChildMessage, OwnParentMessage } from './ownChild.js';

type Handler = (request: unknown) => unknown;

let session: Handler | undefined;

async function open(job: { kind: string }): Promise<Handler> {
  switch (job.kind) {
    case 'lru':
      return (await import('./measure.js')).openLruSession(job as never) as Handler;
    case 'memory':
      return (await import('../memory/measure.js')).openMemorySession(job as never) as Handler;
    default:
      throw new Error(`unknown job kind ${job.kind}`);
  }
}

async function handle(message: OwnParentMessage): Promise<{ value: unknown; exit: boolean }> {
  switch (message.type) {
    case 'open':
      session = await open(message.job as { kind: string });
      return { value: undefined, exit: false };
    case 'call':
      if (session === undefined) throw new Error('call before open');
      return { value: await session(message.request), exit: false };
    case 'close':
      return { value: undefined, exit: true };
  }
}

function send(message: OwnChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send?.(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

process.on('message', (message: OwnParentMessage) => {
  handle(message)
    .then(
      (handled) => ({ reply: { type: 'reply', value: handled.value } as OwnChildMessage, exit: handled.exit }),
      (error: unknown) => ({
        reply: {
          type: 'error',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } as OwnChildMessage,
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
