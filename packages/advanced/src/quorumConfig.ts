import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';

/** Default time a replicated write waits for its quorum, in milliseconds. */
export const DEFAULT_QUORUM_TIMEOUT_MS = 1000;

/**
 * How many replicas must acknowledge a replicated write before the local map applies it, and
 * how long to wait for them. `replicas` is the number of replicas configured (the local map
 * is not counted); `writeQuorum` the acknowledgements needed. A replica that has not answered
 * within `timeoutMs` counts as failed; a write is rejected as soon as its quorum can no longer
 * be reached.
 *
 * @example
 * QuorumConfig.majority(3);                    // 2 of 3 acknowledgements, 1 s timeout
 * QuorumConfig.strict(2, { timeoutMs: 250 });  // both replicas, within 250 ms
 * new QuorumConfig(5, 3, 500).isValid();       // true
 */
export class QuorumConfig {
  /** Replicas configured. */
  readonly replicas: number;
  /** Acknowledgements a write needs. */
  readonly writeQuorum: number;
  /** How long a write waits for acknowledgements, in milliseconds. */
  readonly timeoutMs: number;

  constructor(replicas: number, writeQuorum: number, timeoutMs: number = DEFAULT_QUORUM_TIMEOUT_MS) {
    this.replicas = replicas;
    this.writeQuorum = writeQuorum;
    this.timeoutMs = timeoutMs;
    Object.freeze(this);
  }

  /**
   * Every one of `n` replicas must acknowledge.
   *
   * @example
   * QuorumConfig.strict(3).writeQuorum; // 3
   */
  static strict(n: number, options?: { timeoutMs?: number | undefined }): QuorumConfig {
    return new QuorumConfig(n, n, options?.timeoutMs ?? DEFAULT_QUORUM_TIMEOUT_MS);
  }

  /**
   * More than half of `n` replicas must acknowledge: `floor(n / 2) + 1`.
   *
   * @example
   * QuorumConfig.majority(3).writeQuorum; // 2
   * QuorumConfig.majority(4).writeQuorum; // 3
   */
  static majority(n: number, options?: { timeoutMs?: number | undefined }): QuorumConfig {
    return new QuorumConfig(n, Math.floor(n / 2) + 1, options?.timeoutMs ?? DEFAULT_QUORUM_TIMEOUT_MS);
  }

  /**
   * Whether the numbers make sense: integers with `1 <= writeQuorum <= replicas`, and a
   * positive finite `timeoutMs`.
   *
   * @example
   * new QuorumConfig(3, 4).isValid(); // false: 4 acknowledgements from 3 replicas
   */
  isValid(): boolean {
    return (
      Number.isSafeInteger(this.replicas) &&
      Number.isSafeInteger(this.writeQuorum) &&
      this.writeQuorum >= 1 &&
      this.writeQuorum <= this.replicas &&
      typeof this.timeoutMs === 'number' &&
      this.timeoutMs > 0 &&
      Number.isFinite(this.timeoutMs)
    );
  }

  /** @internal Throws `InvalidArgumentError` unless valid (with what was wrong). */
  static check(quorum: unknown, replicaCount: number): QuorumConfig {
    if (!(quorum instanceof QuorumConfig)) {
      throw new InvalidArgumentError(
        `options.replication.quorum must be a QuorumConfig (QuorumConfig.majority(n), QuorumConfig.strict(n)), got ${describe(quorum)}`,
      );
    }
    if (!quorum.isValid()) {
      throw new InvalidArgumentError(
        `options.replication.quorum is not valid (replicas ${quorum.replicas}, writeQuorum ${quorum.writeQuorum}, timeoutMs ${quorum.timeoutMs}): ` +
          'it needs integers with 1 <= writeQuorum <= replicas and a positive finite timeoutMs',
      );
    }
    if (quorum.replicas !== replicaCount) {
      throw new InvalidArgumentError(
        `options.replication.quorum is for ${quorum.replicas} replicas but ${replicaCount} are configured: ` +
          `use QuorumConfig.majority(${replicaCount}) or QuorumConfig.strict(${replicaCount}), or list ${quorum.replicas} replicas`,
      );
    }
    return quorum;
  }
}
