import { QuorumError, ReplicaError } from './errors.js';
import type { QuorumConfig } from './quorumConfig.js';
import { type Replica, type ReplicaOutcome, type ReplicationOp, replicaId } from './replica.js';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/**
 * @internal Sends `op` to every replica at once and resolves with the outcomes as soon as
 * `quorum.writeQuorum` acknowledged; rejects with `QuorumError` as soon as that can no longer
 * happen (failures, or `timeoutMs` elapsed: replicas still silent then count as failed), or
 * with the signal's reason if `signal` aborts first. Replicas still running when the write
 * succeeds go on (their outcome is `pending`); when it fails, their signal aborts.
 */
export function replicateToQuorum<K, V>(
  replicas: readonly Replica<K, V>[],
  quorum: QuorumConfig,
  op: ReplicationOp<K, V>,
  signal: AbortSignal | undefined,
): Promise<readonly ReplicaOutcome[]> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const required = quorum.writeQuorum;
    const allowedFailures = replicas.length - required;
    const outcomes: Mutable<ReplicaOutcome>[] = replicas.map((r, i) => ({
      replica: replicaId(r as Replica<unknown, unknown>, i),
      status: 'pending',
      elapsedMs: 0,
    }));
    const controller = new AbortController();
    let acks = 0;
    let failures = 0;
    let decided = false;
    const snapshot = (): readonly ReplicaOutcome[] =>
      outcomes.map((o) =>
        Object.freeze(o.status === 'pending' ? { ...o, elapsedMs: performance.now() - started } : { ...o }),
      );
    const finish = (failed: boolean, error?: unknown) => {
      if (decided) return;
      decided = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!failed) {
        resolve(snapshot());
      } else {
        controller.abort(error);
        reject(error);
      }
    };
    const aborted = () => signal?.reason ?? new Error('the replicated write was aborted');
    const onAbort = () => finish(true, aborted());
    const settle = (i: number, error: unknown | undefined) => {
      const outcome = outcomes[i] as Mutable<ReplicaOutcome>;
      if (decided || outcome.status !== 'pending') return;
      outcome.elapsedMs = performance.now() - started;
      if (error === undefined) {
        outcome.status = 'acknowledged';
        if (++acks >= required) finish(false);
      } else {
        outcome.status = 'failed';
        outcome.error = error;
        if (++failures > allowedFailures) finish(true, new QuorumError(op, required, snapshot()));
      }
    };
    const timer = setTimeout(() => {
      for (let i = 0; i < outcomes.length; i++) {
        if (outcomes[i]?.status === 'pending') {
          const id = outcomes[i]?.replica as string;
          settle(i, new ReplicaError(id, 'timeout', `no acknowledgement within ${quorum.timeoutMs} ms`));
        }
      }
    }, quorum.timeoutMs);
    if (signal !== undefined) {
      if (signal.aborted) {
        finish(true, aborted());
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const context = { signal: controller.signal };
    for (let i = 0; i < replicas.length && !decided; i++) {
      const replica = replicas[i] as Replica<K, V>;
      const failed = (error: unknown) =>
        settle(
          i,
          error instanceof ReplicaError
            ? error
            : new ReplicaError(outcomes[i]?.replica as string, 'rejected', `replicate failed: ${messageOf(error)}`, {
                cause: error,
              }),
        );
      try {
        Promise.resolve(replica.replicate(op, context)).then(
          (answer) =>
            answer === false
              ? settle(
                  i,
                  new ReplicaError(outcomes[i]?.replica as string, 'rejected', 'replicate resolved false (refused)'),
                )
              : settle(i, undefined),
          failed,
        );
      } catch (error) {
        failed(error);
      }
    }
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
