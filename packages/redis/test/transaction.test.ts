// executeTransaction on Redis: all or nothing, read-your-writes, expect / expectAbsent conflicts,
// aborted updates, serializable under concurrency; in a cluster, keys share a slot through a hash
// tag and a cross-slot transaction is refused before anything is sent.

import { Transaction } from '@starshard/advanced';
import { InvalidArgumentError } from '@starshard/core';
import { describe, expect, it } from 'vitest';
import { CrossSlotTransactionError, numberCodec, RedisShardedHashMap, RedisTransaction } from '../src/index.js';
import { deployments, freshPrefix, useDeployment } from './support/targets.js';

const txn = () => new RedisTransaction<string, number>();

describe.each(deployments)('transactions on %s Redis', (kind) => {
  const target = useDeployment(kind);
  const open = () =>
    new RedisShardedHashMap<string, number>(target.client(), { prefix: freshPrefix('txn'), valueCodec: numberCodec });

  it('commits every write and reports reads in step order (read-your-writes)', async () => {
    const map = open();
    await map.batchInsert([
      ['{acct}:a', 10],
      ['{acct}:b', 5],
    ]);
    const result = await map.executeTransaction(
      txn()
        .read('{acct}:a')
        .expect('{acct}:a', 10)
        .update('{acct}:a', (n = 0) => n - 3)
        .update('{acct}:b', async (n = 0) => n + 3)
        .read('{acct}:b')
        .write('{acct}:c', 1)
        .remove('{acct}:c')
        .read('{acct}:c'),
    );
    expect(result).toEqual({
      status: 'committed',
      reads: new Map([
        ['{acct}:a', 10],
        ['{acct}:b', 8],
        ['{acct}:c', undefined],
      ]),
    });
    expect(await map.batchGet(['{acct}:a', '{acct}:b', '{acct}:c'])).toEqual([7, 8, undefined]);
  });

  it('applies nothing on a failed expect or expectAbsent, and names the key', async () => {
    const map = open();
    await map.insert('{t}:x', 1);
    expect(await map.executeTransaction(txn().write('{t}:y', 2).expect('{t}:x', 2))).toEqual({
      status: 'conflict',
      key: '{t}:x',
    });
    expect(await map.executeTransaction(txn().write('{t}:y', 2).expectAbsent('{t}:x'))).toEqual({
      status: 'conflict',
      key: '{t}:x',
    });
    expect(await map.executeTransaction(txn().expect('{t}:missing', 1))).toMatchObject({ status: 'conflict' });
    // A custom equality runs on decoded values.
    expect(
      await map.executeTransaction(
        txn()
          .expect('{t}:x', 1.4, (a, b) => Math.round(a) === Math.round(b))
          .write('{t}:y', 3),
      ),
    ).toMatchObject({ status: 'committed' });
    expect(await map.get('{t}:y')).toBe(3);
    await map.remove('{t}:y');
    expect(await map.contains('{t}:y')).toBe(false);
  });

  it('aborts with nothing applied when an update throws or a value cannot be encoded', async () => {
    const map = open();
    const failure = new Error('no');
    const result = await map.executeTransaction(
      txn()
        .write('{t}:a', 1)
        .update('{t}:b', () => {
          throw failure;
        }),
    );
    expect(result).toEqual({ status: 'aborted', error: failure });
    const bad = await map.executeTransaction(
      txn()
        .write('{t}:a', 1)
        .write('{t}:b', 'two' as never),
    );
    expect(bad).toMatchObject({ status: 'aborted', error: { code: 'ERR_STARSHARD_REDIS_CODEC' } });
    expect(await map.len()).toBe(0);
  });

  it('runs @starshard/advanced’s Transaction too (advanced evaluates it on the keys’ current values)', async () => {
    const map = open();
    await map.batchInsert([
      ['{adv}:a', 10],
      ['{adv}:b', 5],
    ]);
    const transfer = new Transaction<string, number>()
      .expect('{adv}:a', 10)
      .update('{adv}:a', (n = 0) => n - 4)
      .update('{adv}:b', async (n = 0) => n + 4)
      .read('{adv}:b')
      .remove('{adv}:gone');
    expect(await map.executeTransaction(transfer)).toEqual({ status: 'committed', reads: new Map([['{adv}:b', 9]]) });
    expect(await map.batchGet(['{adv}:a', '{adv}:b'])).toEqual([6, 9]);
    // Run again: a's expectation now fails, nothing is applied.
    expect(await map.executeTransaction(transfer)).toEqual({ status: 'conflict', key: '{adv}:a' });
    const failure = new Error('no');
    const aborted = new Transaction<string, number>().write('{adv}:a', 0).update('{adv}:b', () => {
      throw failure;
    });
    expect(await map.executeTransaction(aborted)).toEqual({ status: 'aborted', error: failure });
    expect(await map.batchGet(['{adv}:a', '{adv}:b'])).toEqual([6, 9]);
    // Concurrent advanced transfers stay serializable.
    await Promise.all(
      Array.from({ length: 20 }, (_, t) =>
        map.executeTransaction(
          new Transaction<string, number>()
            .update(t % 2 ? '{adv}:a' : '{adv}:b', (n = 0) => n - 1)
            .update(t % 2 ? '{adv}:b' : '{adv}:a', (n = 0) => n + 1),
        ),
      ),
    );
    expect(((await map.get('{adv}:a')) ?? 0) + ((await map.get('{adv}:b')) ?? 0)).toBe(15);
    if (kind === 'cluster')
      await expect(
        map.executeTransaction(new Transaction<string, number>().write('x', 1).write('y', 2)),
      ).rejects.toBeInstanceOf(CrossSlotTransactionError);
  });

  it('rejects what is not a transaction', async () => {
    await expect(open().executeTransaction({ write() {} })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('stays serializable: 20 tasks × 10 transfers between 4 accounts conserve the total', async () => {
    const map = open();
    const accounts = ['{bank}:a', '{bank}:b', '{bank}:c', '{bank}:d'];
    await map.batchInsert(accounts.map((a) => [a, 100]));
    await map.insert('{bank}:transfers', 0);
    await Promise.all(
      Array.from({ length: 20 }, async (_, t) => {
        for (let i = 0; i < 10; i++) {
          const from = accounts[(t + i) % 4] as string;
          const to = accounts[(t + i + 1 + (t % 3)) % 4] as string;
          const result = await map.executeTransaction(
            txn()
              .update(from, (n = 0) => n - 7)
              .update(to, async (n = 0) => {
                await new Promise((resolve) => setImmediate(resolve));
                return n + 7;
              })
              .update('{bank}:transfers', (n = 0) => n + 1),
          );
          expect(result.status).toBe('committed');
        }
      }),
    );
    const balances = await map.batchGet(accounts);
    expect(balances.reduce((a = 0, b = 0) => a + b, 0)).toBe(400);
    expect(await map.get('{bank}:transfers')).toBe(200);
  });

  it(
    kind === 'cluster'
      ? 'refuses a cross-slot transaction before sending anything'
      : 'accepts keys of any slot on a single server',
    async () => {
      const map = open();
      if (kind === 'standalone') {
        expect(await map.executeTransaction(txn().write('alpha', 1).write('beta', 2))).toMatchObject({
          status: 'committed',
        });
        expect(await map.batchGet(['alpha', 'beta'])).toEqual([1, 2]);
        return;
      }
      const attempt = map.executeTransaction(txn().write('alpha', 1).write('beta', 2));
      await expect(attempt).rejects.toBeInstanceOf(CrossSlotTransactionError);
      await expect(attempt).rejects.toThrow(/hash tag/);
      expect(await map.batchGet(['alpha', 'beta'])).toEqual([undefined, undefined]);
    },
  );
});
