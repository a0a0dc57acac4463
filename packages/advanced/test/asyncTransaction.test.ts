import { AsyncShardedHashMap } from '@starshard/async';
import { rebalance } from '@starshard/rebalance';
import { snapshot } from '@starshard/snapshot';
import { describe, expect, it } from 'vitest';
import { advanced, Transaction } from '../src/index.js';

const AsyncAdv = AsyncShardedHashMap.with(advanced);
const AsyncFull = AsyncShardedHashMap.with(advanced, snapshot, rebalance);

/** A deterministic generator (xorshift32), so a failure replays. */
function rng(seed: number) {
  let x = seed | 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('executeTransaction (async)', () => {
  it('10k concurrent random transfers conserve the total, seen by concurrent snapshots too', async () => {
    const accounts = 256;
    const map = new AsyncAdv<string, number>(16);
    for (let i = 0; i < accounts; i++) await map.insert(`acct:${i}`, 1000);
    const total = accounts * 1000;
    const random = rng(7);
    let conflicts = 0;
    let done = false;
    const transfer = async (n: number) => {
      const from = `acct:${random(accounts)}`;
      let to = `acct:${random(accounts)}`;
      if (to === from) to = `acct:${(Number(from.slice(5)) + 1) % accounts}`;
      const amount = 1 + random(50);
      if (n % 4 !== 1) {
        // Pessimistic: compute steps under the shards' locks, one of them async.
        const result = await map.executeTransaction(
          new Transaction<string, number>()
            .update(from, async (v = 0) => {
              await tick();
              return v - amount;
            })
            .update(to, (v = 0) => v + amount),
        );
        expect(result.status).toBe('committed');
        return;
      }
      // Optimistic: read, then expect the values read, retrying on conflict.
      for (;;) {
        const [a, b] = (await map.batchGet([from, to])) as [number, number];
        await tick();
        const result = await map.executeTransaction(
          new Transaction<string, number>()
            .expect(from, a)
            .expect(to, b)
            .write(from, a - amount)
            .write(to, b + amount),
        );
        if (result.status === 'committed') return;
        expect(result.status).toBe('conflict');
        conflicts++;
      }
    };
    const auditor = async () => {
      let audits = 0;
      while (!done) {
        const snap = await map.versionedSnapshot();
        let sum = 0;
        for (const v of snap.values()) sum += v;
        expect(sum).toBe(total);
        audits++;
        await tick();
      }
      return audits;
    };
    const audits = auditor();
    const started = performance.now();
    await Promise.all(Array.from({ length: 10_000 }, (_, n) => transfer(n)));
    const elapsed = performance.now() - started;
    done = true;
    expect(await audits).toBeGreaterThan(0);
    const values = await map.values();
    expect(values.reduce((a, b) => a + b, 0)).toBe(total);
    expect(values.length).toBe(accounts);
    expect(conflicts).toBeGreaterThan(0); // the optimistic half really raced
    expect(elapsed).toBeGreaterThan(0);
  });

  it('is serializable against single-key callbacks and plain writes on the same shards', async () => {
    const map = new AsyncAdv<string, number>(4);
    for (let i = 0; i < 8; i++) await map.insert(`a${i}`, 100);
    const random = rng(11);
    let deposits = 0;
    const work: Promise<unknown>[] = [];
    for (let n = 0; n < 2000; n++) {
      const a = `a${random(8)}`;
      const b = `a${(Number(a.slice(1)) + 1 + random(7)) % 8}`;
      if (n % 3 === 0) {
        deposits++;
        work.push(
          map.computeIfPresent(a, async (v) => {
            await tick();
            return v + 1;
          }),
        );
      } else {
        work.push(
          map.executeTransaction(
            new Transaction<string, number>()
              .update(a, async (v = 0) => {
                await tick();
                return v - 3;
              })
              .update(b, (v = 0) => v + 3),
          ),
        );
      }
    }
    await Promise.all(work);
    const values = await map.values();
    expect(values.reduce((x, y) => x + y, 0)).toBe(800 + deposits);
  });

  it('a transaction whose callback or expect fails leaves the map untouched, and the shards free', async () => {
    const map = new AsyncAdv<string, number>(8);
    await map.batchInsert([
      ['a', 1],
      ['b', 2],
    ]);
    const before = await map.iter();
    const failed = new Error('rejected');
    const aborted = await map.executeTransaction(
      new Transaction<string, number>()
        .write('a', 10)
        .remove('b')
        .update('c', async () => {
          await tick();
          throw failed;
        }),
    );
    expect(aborted).toEqual({ status: 'aborted', error: failed });
    const conflict = await map.executeTransaction(
      new Transaction<string, number>().write('a', 10).write('c', 3).expect('b', 3),
    );
    expect(conflict).toEqual({ status: 'conflict', key: 'b' });
    const asyncEq = await map.executeTransaction(
      new Transaction<string, number>()
        .write('a', 10)
        .expect('b', 2, (async (x: number, y: number) => x !== y) as never),
    );
    expect(asyncEq).toEqual({ status: 'conflict', key: 'b' });
    expect(await map.iter()).toEqual(before);
    // Nothing stays locked: plain writes and another transaction go through.
    await map.insert('a', 5);
    expect((await map.executeTransaction(new Transaction<string, number>().read('a').read('b'))).status).toBe(
      'committed',
    );
    expect(map.lockStats().idle).toBe(true);
    await expect(map.executeTransaction('txn' as never)).rejects.toThrow(/expected a Transaction/);
    const hashed = new AsyncAdv<unknown, number>(8, {
      hasher: (k) => {
        if (typeof k !== 'string') throw new Error('strings only');
        return k.length;
      },
    });
    await hashed.insert('a', 1);
    const bad = await hashed.executeTransaction(new Transaction<unknown, number>().write('b', 2).write(3, 3));
    expect(bad).toMatchObject({ status: 'aborted', error: { message: 'strings only' } });
    expect(await hashed.iter()).toEqual([['a', 1]]);
  });

  it('an aborted signal rejects while waiting, leaving the map unchanged', async () => {
    const map = new AsyncAdv<string, number>(8);
    await map.insert('a', 1);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const holder = map.executeTransaction(
      new Transaction<string, number>().update('a', async (v) => {
        await gate;
        return (v ?? 0) + 1;
      }),
    );
    const controller = new AbortController();
    const waiting = map.executeTransaction(new Transaction<string, number>().write('a', 100), {
      signal: controller.signal,
    });
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    expect((await holder).status).toBe('committed');
    expect(await map.get('a')).toBe(2);
  });

  it('stays atomic while a background rebalance runs', async () => {
    const map = new AsyncFull<string, number>(4);
    for (let i = 0; i < 3000; i++) await map.insert(`acct:${i}`, 10);
    const random = rng(5);
    const migration = map.rebalanceTo(64, { background: true, batchSize: 32 });
    const transfers = Array.from({ length: 3000 }, () => {
      const a = `acct:${random(3000)}`;
      const b = `acct:${random(3000)}`;
      return map.executeTransaction(
        new Transaction<string, number>().update(a, (v = 0) => v - 1).update(b, (v = 0) => v + 1),
      );
    });
    const results = await Promise.all(transfers);
    await migration;
    expect(results.every((r) => r.status === 'committed')).toBe(true);
    expect(map.shardCount()).toBe(64);
    expect((await map.values()).reduce((x, y) => x + y, 0)).toBe(30_000);
    expect(await map.len()).toBe(3000);
  });
});
