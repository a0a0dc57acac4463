export { CrossSlotTransactionError, RedisCodecError, RedisUnavailableError } from './errors.js';
export { keySlot } from './keySlot.js';
export { jsonCodec, numberCodec, type RedisCodec, serializrCodec, stringCodec } from './redisCodec.js';
export { RedisReplica, type RedisReplicaOptions, type RedisReplicationOp } from './redisReplica.js';
export { type RedisClient, RedisShardedHashMap } from './redisShardedHashMap.js';
export { RedisTransaction } from './redisTransaction.js';
export type {
  CasResult,
  RedisCallbackContext,
  RedisCallOptions,
  RedisShardedHashMapOptions,
  TransactionResult,
  TransactionStepLike,
} from './types.js';
