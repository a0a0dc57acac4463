import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';

/**
 * Default time a replicated write waits for its quorum, in milliseconds (1000).
 *
 * @example
 * QuorumConfig.majority(3).timeoutMs === DEFAULT_QUORUM_TIMEOUT_MS; // true
 */
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
 * new QuorumConfig({ replicas: 3, writeQuorum: 2, timeoutMs: 100 });
 */
export class QuorumConfig {
  /** Replicas configured. */
  readonly replicas: number;
  /** Acknowledgements a write needs. */
  readonly writeQuorum: number;
  /** How long a write waits for acknowledgements, in milliseconds. */
  readonly timeoutMs: number;

  constructor(replicas: number, writeQuorum: number, timeoutMs?: number);
  constructor(config: { replicas: number; writeQuorum: number; timeoutMs?: number | undefined });
  constructor(
    replicas: number | { replicas: number; writeQuorum: number; timeoutMs?: number | undefined },
    writeQuorum?: number,
    timeoutMs?: number,
  ) {
    const config = typeof replicas === 'object' && replicas !== null ? replicas : { replicas, writeQuorum, timeoutMs };
    this.replicas = config.replicas as number;
    this.writeQuorum = config.writeQuorum as number;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_QUORUM_TIMEOUT_MS;
  }

  /**
   * The same quorum with another timeout.
   *
   * @example
   * QuorumConfig.majority(3).withTimeout(200);
   */
  withTimeout(timeoutMs: number): QuorumConfig {
    return new QuorumConfig(this.replicas, this.writeQuorum, timeoutMs);
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

  /**
   * @internal A frozen copy of `quorum` (a `QuorumConfig` or a plain `{ replicas, writeQuorum,
   * timeoutMs? }`), checked: throws `InvalidArgumentError` unless valid for `replicaCount` replicas.
   */
  static check(quorum: unknown, replicaCount: number): QuorumConfig {
    if (typeof quorum !== 'object' || quorum === null || typeof (quorum as QuorumConfig).writeQuorum !== 'number') {
      throw new InvalidArgumentError(
        `options.replication.quorum must be a QuorumConfig (QuorumConfig.majority(n), QuorumConfig.strict(n)), got ${describe(quorum)}`,
      );
    }
    const q = quorum as QuorumConfig;
    const copy = new QuorumConfig(q.replicas ?? replicaCount, q.writeQuorum, q.timeoutMs);
    if (!copy.isValid()) {
      throw new InvalidArgumentError(
        `options.replication.quorum is not valid (replicas ${copy.replicas}, writeQuorum ${copy.writeQuorum}, timeoutMs ${copy.timeoutMs}): ` +
          'it needs integers with 1 <= writeQuorum <= replicas and a positive finite timeoutMs',
      );
    }
    if (copy.replicas !== replicaCount) {
      throw new InvalidArgumentError(
        `options.replication.quorum is for ${copy.replicas} replicas but ${replicaCount} are configured: ` +
          `use QuorumConfig.majority(${replicaCount}) or QuorumConfig.strict(${replicaCount}), or list ${copy.replicas} replicas`,
      );
    }
    return Object.freeze(copy);
  }
}
