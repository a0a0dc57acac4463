/**
 * One replicated write: what `insertReplicated`, `removeReplicated` and `clearReplicated` send
 * to every replica. Keys and values travel as they are (`MessagePortReplica` structured-clones
 * them).
 *
 * @example
 * const op: ReplicationOp<string, number> = { type: 'insert', key: 'a', value: 1 };
 */
export type ReplicationOp<K, V> =
  | { readonly type: 'insert'; readonly key: K; readonly value: V }
  | { readonly type: 'remove'; readonly key: K }
  | { readonly type: 'clear' };

/**
 * Builders of {@link ReplicationOp}s (the value that shares the type's name).
 *
 * @example
 * await replica.replicate(ReplicationOp.insert('a', 1), { signal: AbortSignal.timeout(500) });
 */
export const ReplicationOp = Object.freeze({
  /** `{ type: 'insert', key, value }`. */
  insert: <K, V>(key: K, value: V): ReplicationOp<K, V> => ({ type: 'insert', key, value }),
  /** `{ type: 'remove', key }`. */
  remove: <K, V = never>(key: K): ReplicationOp<K, V> => ({ type: 'remove', key }),
  /** `{ type: 'clear' }`. */
  clear: <K = never, V = never>(): ReplicationOp<K, V> => ({ type: 'clear' }),
});

/**
 * What a replica's `replicate` receives besides the operation: a signal that aborts when the
 * write is given up (its quorum timed out, or the caller aborted), so the replica may stop.
 *
 * @example
 * const replica = { replicate: (op, { signal }) => fetch(url, { method: 'POST', body: JSON.stringify(op), signal }), fetchState };
 */
export interface ReplicationContext {
  readonly signal: AbortSignal;
}

/**
 * A copy of the map somewhere else, that the async map's replicated writes go through before
 * they change the local map. `replicate` resolves once the replica applied the operation
 * (its acknowledgement) and rejects (or times out) otherwise; `fetchState` returns every entry
 * the replica holds; `healthCheck`, if present, tells whether it answers. Implement it over
 * any transport; `MessagePortReplica` is one for a map in a worker thread.
 *
 * @example
 * const log: ReplicationOp<string, number>[] = [];
 * const auditReplica: Replica<string, number> = {
 *   id: 'audit',
 *   replicate: async (op) => { log.push(op); },
 *   fetchState: async () => replay(log),
 * };
 */
export interface Replica<K, V> {
  /** A name for outcomes and errors (default: `replica-<index>`). */
  readonly id?: string | undefined;
  /** Applies `op`; resolving is the acknowledgement (resolving `false` counts as a refusal). */
  replicate(op: ReplicationOp<K, V>, context: ReplicationContext): Promise<unknown> | unknown;
  /** Every entry the replica holds. */
  fetchState(): Promise<Iterable<readonly [K, V]>> | Iterable<readonly [K, V]>;
  /** Whether the replica answers. */
  healthCheck?(): Promise<boolean> | boolean;
}

/**
 * What one replica did with one replicated write (see `QuorumError.outcomes`).
 *
 * @example
 * const failed = error.outcomes.filter((o) => o.status === 'failed').map((o) => o.replica);
 */
export interface ReplicaOutcome {
  /** The replica's id. */
  readonly replica: string;
  /** `acknowledged`, `failed` (timed out, closed, or threw), or `pending` when the write was decided without it. */
  readonly status: 'acknowledged' | 'failed' | 'pending';
  /** Milliseconds from sending to the outcome (to the decision, for `pending`). */
  readonly elapsedMs: number;
  /** Why it failed. */
  readonly error?: unknown;
}

/** @internal The id of replica `index`. */
export function replicaId(replica: Replica<unknown, unknown>, index: number): string {
  return typeof replica.id === 'string' && replica.id.length > 0 ? replica.id : `replica-${index}`;
}
