import { InvalidArgumentError, ShardedHashMap } from '@starshard/core';
import { describe } from './describe.js';
import type { ReplicaEndpoint } from './messagePortReplica.js';
import { type ReplicaRequest, WIRE_TAG } from './replicaWire.js';

/**
 * What {@link serveReplica} returns: the served map, and a way to stop serving.
 *
 * @example
 * const { map, close } = serveReplica(parentPort);
 */
export interface ServedReplica<K, V> {
  /** The map the replica applies operations to. */
  readonly map: ShardedHashMap<K, V>;
  /** Stops answering (the port stays open). */
  close(): void;
}

/**
 * Serves a replica on `port`: applies the `MessagePortReplica` requests it receives to `map`
 * (default: a new `ShardedHashMap`) and answers each one. Run it in a worker thread
 * (`serveReplica(parentPort)`), or use the ready-made worker script
 * `@starshard/advanced/replica-worker`, which does exactly that.
 *
 * @example
 * // replica-worker.mjs
 * import { parentPort } from 'node:worker_threads';
 * import { serveReplica } from '@starshard/advanced';
 * serveReplica(parentPort);
 */
export function serveReplica<K, V>(
  port: Pick<ReplicaEndpoint, 'postMessage' | 'on' | 'off'>,
  options?: { map?: ShardedHashMap<K, V> | undefined },
): ServedReplica<K, V> {
  if (
    typeof port !== 'object' ||
    port === null ||
    typeof port.postMessage !== 'function' ||
    typeof port.on !== 'function'
  ) {
    throw new InvalidArgumentError(
      `serveReplica: expected a MessagePort (e.g. parentPort from node:worker_threads), got ${describe(port)}`,
    );
  }
  const map = options?.map ?? new ShardedHashMap<K, V>();
  const onMessage = (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as ReplicaRequest)[WIRE_TAG] !== 1) return;
    const request = message as ReplicaRequest;
    try {
      let result: unknown;
      if (request.type === 'replicate') {
        const op = request.op;
        if (op.type === 'insert') map.insert(op.key as K, op.value as V);
        else if (op.type === 'remove') map.remove(op.key as K);
        else if (op.type === 'clear') map.clear();
        else throw new InvalidArgumentError(`unknown replication op ${describe((op as { type: unknown }).type)}`);
      } else if (request.type === 'fetchState') {
        result = Array.from(map.iter());
      } else if (request.type === 'ping') {
        result = true;
      } else {
        throw new InvalidArgumentError(`unknown replica request ${describe((request as { type: unknown }).type)}`);
      }
      port.postMessage({ [WIRE_TAG]: 1, id: request.id, ok: true, result });
    } catch (error) {
      const { name, message: text } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ [WIRE_TAG]: 1, id: request.id, ok: false, error: { name, message: text } });
    }
  };
  port.on('message', onMessage);
  return { map, close: () => port.off('message', onMessage) };
}
