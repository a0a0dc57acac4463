export { advanced } from './advancedFeature.js';
export type {
  AdvancedApi,
  AdvancedOptions,
  AsyncAdvancedApi,
  AsyncCallOptions,
  CasResult,
  CatchUpReport,
  Diagnostics,
  DiagnosticsRebalanceStatus,
  ReplicationOptions,
} from './advancedFeature.types.js';
export { QuorumError, ReplicaError, type ReplicaFailure } from './errors.js';
export type { CowSnapshot, IsolatedSnapshot } from './isolatedSnapshot.js';
export type { LockProfile } from './lockProfile.js';
export {
  MessagePortReplica,
  type MessagePortReplicaOptions,
  type ReplicaEndpoint,
} from './messagePortReplica.js';
export { DEFAULT_QUORUM_TIMEOUT_MS, QuorumConfig } from './quorumConfig.js';
export { type Replica, type ReplicaOutcome, type ReplicationContext, ReplicationOp } from './replica.js';
export { type ServedReplica, serveReplica } from './serveReplica.js';
export {
  Transaction,
  type TransactionResult,
  type TransactionStep,
  type TransactionStepKind,
} from './transaction.js';
