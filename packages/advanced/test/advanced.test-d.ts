import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { snapshot } from '@starshard/snapshot';
import { describe, expectTypeOf, it } from 'vitest';
import {
  advanced,
  type CasResult,
  type IsolatedSnapshot,
  type LockProfile,
  QuorumConfig,
  Transaction,
  type TransactionResult,
} from '../src/index.js';

describe('types', () => {
  it('adds the API only where composed, per map kind', () => {
    const plain = new ShardedHashMap<string, number>();
    // @ts-expect-error not composed
    plain.executeTransaction;
    const m = new (ShardedHashMap.with(advanced, snapshot))<string, number>(8, { historyLimit: 4 });
    expectTypeOf(m.executeTransaction(new Transaction<string, number>())).toEqualTypeOf<
      TransactionResult<string, number>
    >();
    expectTypeOf(m.compareAndSwap('a', 1, 2)).toEqualTypeOf<CasResult<number>>();
    expectTypeOf(m.versionedSnapshot()).toEqualTypeOf<IsolatedSnapshot<string, number>>();
    expectTypeOf(m.lockProfiles()).toEqualTypeOf<LockProfile[]>();
    expectTypeOf(m.snapshotMode).toBeFunction();
    // @ts-expect-error replicated writes are async-only
    m.insertReplicated;

    const am = new (AsyncShardedHashMap.with(advanced))<string, number>(8, {
      replication: { replicas: [], quorum: QuorumConfig.majority(1) },
    });
    expectTypeOf(am.executeTransaction(new Transaction<string, number>())).toEqualTypeOf<
      Promise<TransactionResult<string, number>>
    >();
    expectTypeOf(am.insertReplicated('a', 1)).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(am.enableProfiling(true)).toEqualTypeOf<void>();
  });

  it('narrows results by status and success', () => {
    const r = {} as TransactionResult<string, number>;
    if (r.status === 'committed') expectTypeOf(r.reads).toEqualTypeOf<Map<string, number | undefined>>();
    if (r.status === 'conflict') expectTypeOf(r.key).toEqualTypeOf<string>();
    const c = {} as CasResult<number>;
    if (c.success) expectTypeOf(c.value).toEqualTypeOf<number>();
    else expectTypeOf(c.value).toEqualTypeOf<number | undefined>();
  });
});
