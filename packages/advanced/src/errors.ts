import { StarshardError } from '@starshard/core';
import type { ReplicaOutcome, ReplicationOp } from './replica.js';

/**
 * Why one replica did not acknowledge an operation (`ReplicaError.reason`).
 *
 * @example
 * const retryable = (r: ReplicaFailure) => r === 'timeout' || r === 'closed';
 */
export type ReplicaFailure = 'timeout' | 'closed' | 'remote' | 'rejected';

/**
 * One replica did not acknowledge an operation: it timed out (`timeout`), its worker or port is
 * gone (`closed`), it answered with an error (`remote`: the replica's own error is the `cause`),
 * or its `replicate` threw or rejected (`rejected`). Found in a {@link QuorumError}'s outcomes,
 * and thrown by `MessagePortReplica` calls.
 *
 * @example
 * try { await replica.fetchState() } catch (e) { if (e instanceof ReplicaError && e.reason === 'closed') restart() }
 */
export class ReplicaError extends StarshardError {
  /** The replica's id. */
  readonly replica: string;
  /** What went wrong. */
  readonly reason: ReplicaFailure;

  constructor(replica: string, reason: ReplicaFailure, message: string, options?: ErrorOptions) {
    super('ERR_STARSHARD_REPLICA', `replica "${replica}": ${message}`, options);
    this.replica = replica;
    this.reason = reason;
  }
}

/**
 * A replicated write did not reach its write quorum (or the caller's signal aborted it), so the
 * local map was left unchanged. `outcomes` tells what each replica did: `acknowledged`,
 * `failed` (with its error: a {@link ReplicaError} or what `replicate` threw), or `pending`
 * (still running when the write was given up). Replicas that acknowledged keep the write:
 * bring them back in line with `catchUpReplica(replica)`.
 *
 * @example
 * try { await map.insertReplicated('k', 1) }
 * catch (e) { if (e instanceof QuorumError) console.table(e.outcomes) }
 */
export class QuorumError extends StarshardError {
  /** The operation that was not replicated. */
  readonly op: ReplicationOp<unknown, unknown>;
  /** Acknowledgements needed. */
  readonly required: number;
  /** Acknowledgements received. */
  readonly acknowledged: number;
  /** Each replica's outcome, in the order of the configured replicas. */
  readonly outcomes: readonly ReplicaOutcome[];

  constructor(
    op: ReplicationOp<unknown, unknown>,
    required: number,
    outcomes: readonly ReplicaOutcome[],
    options?: ErrorOptions,
  ) {
    const acknowledged = outcomes.filter((o) => o.status === 'acknowledged').length;
    const failed = outcomes.filter((o) => o.status === 'failed');
    super(
      'ERR_STARSHARD_QUORUM',
      `${op.type} was acknowledged by ${acknowledged} of ${outcomes.length} replicas, ${required} required; the local map is unchanged` +
        (failed.length === 0
          ? ''
          : ` (failed: ${failed.map((o) => (o.error instanceof Error ? o.error.message : `${o.replica}: ${String(o.error)}`)).join('; ')})`) +
        '. Restart or replace the failed replicas (then catchUpReplica), or lower the quorum',
      options,
    );
    this.op = op;
    this.required = required;
    this.acknowledged = acknowledged;
    this.outcomes = outcomes;
  }
}
