import type { ReplicationOp } from './replica.js';

/** @internal Marks the replica protocol's messages, so a port or worker can carry other messages too. */
export const WIRE_TAG = 'starshardReplica';

/** @internal A request from `MessagePortReplica` to `serveReplica`. */
export type ReplicaRequest =
  | {
      readonly [WIRE_TAG]: 1;
      readonly id: number;
      readonly type: 'replicate';
      readonly op: ReplicationOp<unknown, unknown>;
    }
  | { readonly [WIRE_TAG]: 1; readonly id: number; readonly type: 'fetchState' | 'ping' };

/** @internal The answer to a {@link ReplicaRequest}. */
export type ReplicaResponse =
  | { readonly [WIRE_TAG]: 1; readonly id: number; readonly ok: true; readonly result: unknown }
  | {
      readonly [WIRE_TAG]: 1;
      readonly id: number;
      readonly ok: false;
      readonly error: { name: string; message: string };
    };
