import { InvalidArgumentError } from '@starshard/core';
import { describe } from './describe.js';
import { ReplicaError } from './errors.js';
import type { Replica, ReplicationContext, ReplicationOp } from './replica.js';
import { type ReplicaResponse, WIRE_TAG } from './replicaWire.js';

/**
 * Where a {@link MessagePortReplica} sends its requests: a Node `MessagePort` (one end of a
 * `MessageChannel`) or a `Worker` (whose script calls `serveReplica(parentPort)`).
 *
 * @example
 * const { port1, port2 } = new MessageChannel();
 * serveReplica(port2);
 * const replica = new MessagePortReplica(port1);
 */
export interface ReplicaEndpoint {
  postMessage(message: unknown): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/**
 * Options of {@link MessagePortReplica}.
 *
 * @example
 * new MessagePortReplica(worker, { id: 'eu-west', timeoutMs: 2000 });
 */
export interface MessagePortReplicaOptions {
  /** Name in outcomes and errors; default `port-<n>`. */
  id?: string | undefined;
  /** Time limit of `fetchState` and `healthCheck`, in milliseconds (default 5000); `replicate` is bounded by the quorum's `timeoutMs`. */
  timeoutMs?: number | undefined;
}

/** A request without its tag and id. */
type RequestBody = { type: 'replicate'; op: ReplicationOp<unknown, unknown> } | { type: 'fetchState' | 'ping' };

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

let nextPortId = 0;

/**
 * A real replica: a map living in another thread (a `worker_thread` running `serveReplica`, or
 * anything answering its protocol on a `MessagePort`), reached by message passing. Keys and
 * values are structured-cloned. `replicate` resolves when the other side applied the operation;
 * it rejects with a {@link ReplicaError} `closed` as soon as the worker exits or the port
 * closes (a dead replica fails fast instead of timing out), `remote` if the other side failed,
 * and gives up when the quorum's signal aborts. After a restart, `reconnect(newWorker)` points
 * the same replica at the new thread; `map.catchUpReplica(replica)` then brings it up to date.
 *
 * @example
 * import { Worker } from 'node:worker_threads';
 * import { createRequire } from 'node:module';
 * const workerFile = createRequire(import.meta.url).resolve('@starshard/advanced/replica-worker');
 * const replica = new MessagePortReplica<string, number>(new Worker(workerFile), { id: 'w1' });
 * await replica.replicate({ type: 'insert', key: 'a', value: 1 }, { signal: AbortSignal.timeout(500) });
 * await replica.fetchState(); // [['a', 1]]
 */
export class MessagePortReplica<K, V> implements Replica<K, V> {
  readonly id: string;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #endpoint: ReplicaEndpoint | undefined;
  #closedReason: string | undefined;
  #nextRequest = 0;
  readonly #onMessage = (message: unknown) => this.#answer(message);
  readonly #onExit = (code?: unknown) => this.#fail(`its worker exited${code === undefined ? '' : ` (code ${code})`}`);
  readonly #onClose = () => this.#fail('its port closed');
  readonly #onError = (error: unknown) =>
    this.#fail(`its worker failed: ${error instanceof Error ? error.message : String(error)}`);

  constructor(endpoint: ReplicaEndpoint, options?: MessagePortReplicaOptions) {
    const timeoutMs = options?.timeoutMs ?? 5000;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
      throw new InvalidArgumentError(
        `MessagePortReplica: timeoutMs must be a positive number, got ${describe(timeoutMs)}`,
      );
    }
    this.id = options?.id ?? `port-${nextPortId++}`;
    this.#timeoutMs = timeoutMs;
    this.#endpoint = undefined;
    this.#closedReason = undefined;
    this.reconnect(endpoint);
  }

  /** Whether the endpoint is attached and has not exited or closed. */
  get connected(): boolean {
    return this.#endpoint !== undefined && this.#closedReason === undefined;
  }

  /**
   * Points this replica at a new endpoint (e.g. a restarted worker); requests in flight on the
   * old one fail with `ReplicaError` `closed`.
   *
   * @example
   * replica.reconnect(new Worker(workerFile));
   */
  reconnect(endpoint: ReplicaEndpoint): void {
    if (
      typeof endpoint !== 'object' ||
      endpoint === null ||
      typeof endpoint.postMessage !== 'function' ||
      typeof endpoint.on !== 'function' ||
      typeof endpoint.off !== 'function'
    ) {
      throw new InvalidArgumentError(
        `MessagePortReplica: expected a Worker or MessagePort (postMessage, on, off), got ${describe(endpoint)}`,
      );
    }
    if (this.#endpoint !== undefined) {
      this.#fail('it was reconnected to another endpoint');
      this.#detach();
    }
    this.#endpoint = endpoint;
    this.#closedReason = undefined;
    endpoint.on('message', this.#onMessage);
    endpoint.on('exit', this.#onExit);
    endpoint.on('close', this.#onClose);
    endpoint.on('error', this.#onError);
  }

  /**
   * Sends `op`; resolves when the other side applied it.
   *
   * @example
   * await replica.replicate({ type: 'remove', key: 'a' }, { signal: AbortSignal.timeout(500) });
   */
  replicate(op: ReplicationOp<K, V>, context?: ReplicationContext): Promise<void> {
    return this.#request(
      { type: 'replicate', op: op as ReplicationOp<unknown, unknown> },
      context?.signal,
    ) as Promise<void>;
  }

  /**
   * Every entry the other side holds.
   *
   * @example
   * new Map(await replica.fetchState());
   */
  fetchState(): Promise<[K, V][]> {
    return this.#request({ type: 'fetchState' }, AbortSignal.timeout(this.#timeoutMs)) as Promise<[K, V][]>;
  }

  /**
   * Whether the other side answers within `timeoutMs`.
   *
   * @example
   * if (!(await replica.healthCheck())) restart();
   */
  async healthCheck(): Promise<boolean> {
    try {
      return (await this.#request({ type: 'ping' }, AbortSignal.timeout(this.#timeoutMs))) === true;
    } catch {
      return false;
    }
  }

  /**
   * Stops listening to the endpoint (it is not terminated); requests in flight fail.
   *
   * @example
   * replica.close(); await worker.terminate();
   */
  close(): void {
    this.#fail('it was closed');
    this.#detach();
    this.#endpoint = undefined;
  }

  #request(body: RequestBody, signal: AbortSignal | undefined): Promise<unknown> {
    const endpoint = this.#endpoint;
    if (endpoint === undefined || this.#closedReason !== undefined) {
      return Promise.reject(
        new ReplicaError(
          this.id,
          'closed',
          `cannot send: ${this.#closedReason ?? 'it was closed'}; reconnect it to a live endpoint`,
        ),
      );
    }
    if (signal?.aborted) return Promise.reject(this.#aborted(signal));
    const id = this.#nextRequest++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (this.#pending.delete(id)) reject(this.#aborted(signal as AbortSignal));
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.#pending.set(id, {
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        endpoint.postMessage({ [WIRE_TAG]: 1, id, ...body });
      } catch (error) {
        this.#pending.delete(id);
        done();
        reject(
          new ReplicaError(
            this.id,
            'rejected',
            `could not send: ${error instanceof Error ? error.message : String(error)}`,
            {
              cause: error,
            },
          ),
        );
      }
    });
  }

  #aborted(signal: AbortSignal): ReplicaError {
    const reason = signal.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new ReplicaError(
      this.id,
      timedOut ? 'timeout' : 'rejected',
      timedOut ? 'no answer in time' : `given up: ${reason instanceof Error ? reason.message : String(reason)}`,
      { cause: reason },
    );
  }

  #answer(message: unknown): void {
    if (typeof message !== 'object' || message === null || (message as ReplicaResponse)[WIRE_TAG] !== 1) return;
    const response = message as ReplicaResponse;
    const pending = this.#pending.get(response.id);
    if (pending === undefined) return;
    this.#pending.delete(response.id);
    if (response.ok) pending.resolve(response.result);
    else {
      const remote = Object.assign(new Error(response.error.message), { name: response.error.name });
      pending.reject(new ReplicaError(this.id, 'remote', `failed: ${response.error.message}`, { cause: remote }));
    }
  }

  #fail(reason: string): void {
    this.#closedReason ??= reason;
    const error = new ReplicaError(this.id, 'closed', `${reason}; reconnect it to a live endpoint`);
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }

  #detach(): void {
    const endpoint = this.#endpoint;
    if (endpoint === undefined) return;
    endpoint.off('message', this.#onMessage);
    endpoint.off('exit', this.#onExit);
    endpoint.off('close', this.#onClose);
    endpoint.off('error', this.#onError);
  }
}
