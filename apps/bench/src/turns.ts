// Turn-taking across open sessions: every child measures one slice while the others wait on
// IPC, in an order rotated each slice, so background load on a shared machine (which drifts
// over seconds) falls on every implementation alike and the ratios to the anchor hold.

import type { SessionJob, SessionReply, SessionRequest } from './jobs.js';
import type { Session } from './runner.js';

/**
 * Runs `slices` slices: in each, every session answers `request(slice, i)` once (`i`: its index
 * in `sessions`), one at a time, starting at `(slice + offset) % sessions.length`. Resolves with
 * the replies, `replies[i][slice]`.
 *
 * @example
 * const replies = await takeTurns(sessions, 10, round, (slice) => ({ type: 'measure', size: 1000, timing }));
 */
export async function takeTurns<J extends SessionJob>(
  sessions: readonly Session<J>[],
  slices: number,
  offset: number,
  request: (slice: number, index: number) => SessionRequest<J>,
  onSlice?: (slice: number) => void,
): Promise<SessionReply<J>[][]> {
  const replies: SessionReply<J>[][] = sessions.map(() => []);
  for (let slice = 0; slice < slices; slice++) {
    onSlice?.(slice);
    for (let turn = 0; turn < sessions.length; turn++) {
      const i = (turn + slice + offset) % sessions.length;
      const session = sessions[i] as Session<J>;
      (replies[i] as SessionReply<J>[]).push(await session.call(request(slice, i)));
    }
  }
  return replies;
}

/**
 * Opens one session per job (children started together and set up in parallel), runs `body`
 * with them, and closes them all whatever happens.
 *
 * @example
 * const result = await withSessions(jobs, (sessions) => takeTurns(sessions, 5, 0, makeRequest));
 */
export async function withSessions<J extends SessionJob, T>(
  jobs: readonly J[],
  open: (job: J) => Promise<Session<J>>,
  body: (sessions: readonly Session<J>[]) => Promise<T>,
): Promise<T> {
  const opened = await Promise.allSettled(jobs.map(open));
  const sessions = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  try {
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return await body(sessions);
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
}

/**
 * Runs every one-shot job of `plan` once per round, one child at a time, in an order rotated
 * each round (round r starts at job r), so slow drift of the machine's load does not always
 * fall on the same implementation. `onJob` is told each job as it starts (for a progress
 * display). Resolves with `results[round][i]` for `plan[i]`.
 *
 * @example
 * const results = await runRotated(jobs, 5, (job) => runJob(job, { heapMb: 4096 }));
 */
export async function runRotated<J, R>(
  plan: readonly J[],
  rounds: number,
  run: (job: J, round: number) => Promise<R>,
  onJob?: (job: J, round: number) => void,
): Promise<R[][]> {
  const results: R[][] = [];
  for (let round = 0; round < rounds; round++) {
    const inRound: R[] = new Array(plan.length);
    for (let turn = 0; turn < plan.length; turn++) {
      const i = (turn + round) % plan.length;
      const job = plan[i] as J;
      onJob?.(job, round);
      inRound[i] = await run(job, round);
    }
    results.push(inRound);
  }
  return results;
}
