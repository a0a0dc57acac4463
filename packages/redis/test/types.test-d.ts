// The structural types this package declares (so that @starshard/advanced stays an optional peer)
// are exactly advanced's: a drift on either side fails the type tests.
import type {
  CasResult as AdvancedCas,
  TransactionResult as AdvancedResult,
  Replica,
  ReplicationOp,
  Transaction,
} from '@starshard/advanced';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  CasResult,
  RedisReplica,
  RedisReplicationOp,
  RedisShardedHashMap,
  RedisTransaction,
  TransactionResult,
} from '../src/index.js';
import { jsonCodec, numberCodec, type RedisCodec } from '../src/index.js';

describe('types shared with @starshard/advanced', () => {
  it('are the same', () => {
    expectTypeOf<RedisReplicationOp<string, number>>().toEqualTypeOf<ReplicationOp<string, number>>();
    expectTypeOf<RedisReplica<string, number>>().toExtend<Replica<string, number>>();
    expectTypeOf<TransactionResult<string, number>>().toEqualTypeOf<AdvancedResult<string, number>>();
    expectTypeOf<CasResult<number>>().toEqualTypeOf<AdvancedCas<number>>();
    // RedisTransaction has every method of advanced's Transaction.
    expectTypeOf<keyof Transaction<string, number>>().toExtend<keyof RedisTransaction<string, number>>();
  });

  it('keep the async map’s method names and promise results', () => {
    expectTypeOf<RedisShardedHashMap<string, number>['get']>().returns.toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf<RedisShardedHashMap<string, number>['iter']>().returns.toEqualTypeOf<Promise<[string, number][]>>();
  });
});

describe('codec types', () => {
  it('let jsonCodec serve any value type', () => {
    expectTypeOf(jsonCodec).toExtend<RedisCodec<{ name: string }>>();
    expectTypeOf(numberCodec).not.toExtend<RedisCodec<string>>();
  });
});
