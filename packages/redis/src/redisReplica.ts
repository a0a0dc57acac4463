import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';
import { RedisShardedHashMap } from './redisShardedHashMap.js';

/**
 * One replicated write, as `@starshard/advanced` sends it (the same type as its `ReplicationOp`,
 * declared here so that this package does not need that optional peer).
 *
 * @example
 * const op: RedisReplicationOp<string, number> = { type: 'insert', key: 'a', value: 1 };
 */
export type RedisReplicationOp<K, V> =
  | { readonly type: 'insert'; readonly key: K; readonly value: V }
  | { readonly type: 'remove'; readonly key: K }
  | { readonly type: 'clear' };

/**
 * Options of `new RedisReplica(map, options)`.
 *
 * @example
 * new RedisReplica(map, { id: 'redis-eu' });
 */
export interface RedisReplicaOptions {
  /** The replica's name in quorum outcomes and errors (default `redis:<prefix>`). */
  id?: string | undefined;
}

/**
 * A `Replica` of `@starshard/advanced` backed by a `RedisShardedHashMap`: an in-process async
 * map composed with the `advanced` plugin replicates its `insertReplicated` /
 * `removeReplicated` / `clearReplicated` writes to Redis under the quorum rules (the local map
 * changes only once the quorum acknowledged). An acknowledgement is Redis's reply to the write;
 * a lost connection is a failed replica (`RedisUnavailableError` in the quorum outcomes).
 * `fetchState` reads every entry (`SCAN`), `healthCheck` sends `PING`.
 *
 * @example
 * import { AsyncShardedHashMap } from '@starshard/async';
 * import { advanced, QuorumConfig } from '@starshard/advanced';
 * const replica = new RedisReplica(new RedisShardedHashMap<string, number>(redis, { prefix: 'mirror:' }));
 * const map = new (AsyncShardedHashMap.with(advanced))<string, number>(64, {
 *   replication: { replicas: [replica], quorum: QuorumConfig.strict(1) },
 * });
 * await map.insertReplicated('a', 1); // in Redis, then in the local map
 */
export class RedisReplica<K, V> {
  /** The replica's name in quorum outcomes. */
  readonly id: string;
  /** The Redis map the writes go to. */
  readonly map: RedisShardedHashMap<K, V>;

  constructor(map: RedisShardedHashMap<K, V>, options: RedisReplicaOptions = {}) {
    if (!(map instanceof RedisShardedHashMap))
      throw new InvalidArgumentError(`new RedisReplica: map must be a RedisShardedHashMap, got ${describe(map)}`);
    this.map = map;
    this.id = options.id ?? `redis:${map.prefix}`;
  }

  /**
   * Applies one replicated write to Redis; resolves once Redis acknowledged it.
   *
   * @example
   * await replica.replicate({ type: 'insert', key: 'a', value: 1 });
   */
  async replicate(
    op: RedisReplicationOp<K, V>,
    context?: { readonly signal?: AbortSignal | undefined },
  ): Promise<void> {
    if (context?.signal?.aborted) throw context.signal.reason;
    switch (op?.type) {
      case 'insert':
        await this.map.insert(op.key, op.value);
        return;
      case 'remove':
        await this.map.delete(op.key);
        return;
      case 'clear':
        await this.map.clear();
        return;
      default:
        throw new InvalidArgumentError(
          `RedisReplica.replicate: unknown operation type ${describe((op as { type?: unknown } | undefined)?.type)}; expected insert, remove or clear`,
        );
    }
  }

  /**
   * Every entry the replica holds (a `SCAN`; not a point-in-time snapshot while writes run).
   *
   * @example
   * const entries = await replica.fetchState();
   */
  fetchState(): Promise<[K, V][]> {
    return this.map.iter();
  }

  /**
   * Whether Redis answers `PING` (false on any error).
   *
   * @example
   * if (!(await replica.healthCheck())) console.warn('redis replica down');
   */
  async healthCheck(): Promise<boolean> {
    try {
      return (await this.map.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}
