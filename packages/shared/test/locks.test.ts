import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { codecs, LockTimeoutError, SharedShardedHashMap } from '../src/index.js';

const open: SharedShardedHashMap<any, any>[] = [];
afterEach(() => {
  for (const m of open.splice(0)) m.close();
});

/** Two maps over one memory in this thread: each has its own thread slot, so they lock against each other. */
function pair(lockTimeoutMs = 60) {
  const a = new SharedShardedHashMap({ shards: 1, key: codecs.string, value: codecs.number, lockTimeoutMs });
  const b = SharedShardedHashMap.attach<string, number>(a.handle);
  open.push(a, b);
  a.insert('k', 1);
  return { a, b };
}

describe('shard locks', () => {
  it('a write waiting past lockTimeoutMs throws LockTimeoutError naming the shard and the owner', () => {
    const { a, b } = pair();
    let error: unknown;
    a.computeIfPresent('k', (v) => {
      // `a` holds the write lock of shard 0 while this callback runs.
      try {
        b.insert('k', 99);
      } catch (e) {
        error = e;
      }
      return v + 1;
    });
    expect(error).toBeInstanceOf(LockTimeoutError);
    const e = error as LockTimeoutError;
    expect(e.code).toBe('ERR_STARSHARD_LOCK_TIMEOUT');
    expect(e.shard).toBe(0);
    expect(e.mode).toBe('write');
    expect(e.ownerThreadId).toBe(threadId);
    expect(e.message).toMatch(/shard 0/);
    // Nothing of the timed-out write happened, and the lock is free again.
    expect(b.get('k')).toBe(2);
    b.insert('k', 3);
    expect(a.get('k')).toBe(3);
  });

  it('reads, iteration and retain wait for a writer too, and time out', () => {
    const { a, b } = pair();
    const errors: unknown[] = [];
    a.computeIfPresent('k', (v) => {
      for (const call of [() => b.get('k'), () => b.iter(), () => b.retain(() => true), () => b.clear()]) {
        try {
          call();
        } catch (e) {
          errors.push(e);
        }
      }
      return v;
    });
    expect(errors).toHaveLength(4);
    for (const e of errors) expect(e).toBeInstanceOf(LockTimeoutError);
    expect((errors[0] as LockTimeoutError).mode).toBe('read');
    expect(b.len()).toBe(1);
  });

  it('an async twin called while another map holds the lock completes once it is released', async () => {
    const { a, b } = pair(80);
    let pending: Promise<unknown> | undefined;
    a.computeIfPresent('k', (v) => {
      pending = b.insertAsync('k', 7).catch((e) => e);
      return v;
    });
    // The lock was released when the callback returned: the async insert goes through.
    await expect(pending).resolves.toBe(1);
    expect(b.get('k')).toBe(7);
  });

  it('an async waiter is released by the holder while the event loop runs', async () => {
    const { a, b } = pair(2_000);
    // Take the lock through a's slot for a while, from a timer (the event loop keeps running).
    const locks = (a as unknown as { locks: { lockWrite(s: number): boolean; unlockWrite(s: number): void } }).locks;
    locks.lockWrite(0);
    const read = b.getAsync('k');
    const write = b.computeIfPresentAsync('k', (v) => v + 10);
    const all = b.iterAsync();
    let settled = false;
    void Promise.all([read, write, all]).then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    locks.unlockWrite(0);
    const [got, next, entries] = await Promise.all([read, write, all]);
    // The reader and the writer wake together: the read sees the value before or after the write.
    expect([1, 11]).toContain(got);
    expect(next).toBe(11);
    expect(entries).toEqual([['k', 11]]);
  });

  it('a waiting writer is not starved: readers that come after it wait behind it', async () => {
    const { a, b } = pair(2_000);
    const c = SharedShardedHashMap.attach<string, number>(a.handle);
    open.push(c);
    const locks = (a as unknown as { locks: { tryRead(s: number): number; unlockRead(s: number): void } }).locks;
    expect(locks.tryRead(0)).toBe(1); // a reader is in shard 0
    const order: string[] = [];
    const write = b.insertAsync('k', 2).then(() => order.push('write'));
    await new Promise((r) => setTimeout(r, 20)); // the writer is waiting (its intent is marked)
    const read = c.getAsync('k').then((v) => order.push(`read ${v}`));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]); // the late reader did not slip in ahead of the writer
    locks.unlockRead(0);
    await Promise.all([write, read]);
    expect(order).toEqual(['write', 'read 2']);
  });

  it('async twins time out with LockTimeoutError', async () => {
    const { a, b } = pair(40);
    const locks = (a as unknown as { locks: { lockWrite(s: number): boolean; unlockWrite(s: number): void } }).locks;
    locks.lockWrite(0);
    try {
      await expect(b.getAsync('k')).rejects.toBeInstanceOf(LockTimeoutError);
      await expect(b.removeAsync('k')).rejects.toBeInstanceOf(LockTimeoutError);
      await expect(b.clearAsync()).rejects.toBeInstanceOf(LockTimeoutError);
    } finally {
      locks.unlockWrite(0);
    }
    expect(await b.getAsync('k')).toBe(1);
  });

  it('the async twins match the sync methods', async () => {
    const m = new SharedShardedHashMap({ shards: 4, key: codecs.string, value: codecs.number });
    open.push(m);
    expect(await m.insertAsync('a', 1)).toBeUndefined();
    expect(await m.insertAsync('a', 2)).toBe(1);
    expect(
      await m.batchInsertAsync([
        ['b', 3],
        ['c', 4],
        ['a', 5],
      ]),
    ).toBe(2);
    expect(await m.batchGetAsync(['a', 'b', 'x'])).toEqual([5, 3, undefined]);
    expect(await m.containsAsync('c')).toBe(true);
    expect(await m.computeIfAbsentAsync('d', () => 6)).toBe(6);
    expect(await m.computeIfPresentAsync('d', (v) => v + 1)).toBe(7);
    expect(await m.removeAsync('d')).toBe(7);
    expect(await m.batchRemoveAsync(['c', 'x'])).toBe(1);
    expect(await m.retainAsync((k) => k === 'a')).toBe(1);
    expect(await m.iterAsync()).toEqual([['a', 5]]);
    await m.clearAsync();
    expect(m.isEmpty()).toBe(true);
  });

  it('recoverThread releases the locks of a gone thread (simulated by a slot of this thread)', () => {
    const { a, b } = pair(60);
    const locks = (a as unknown as { locks: { lockWrite(s: number): boolean } }).locks;
    locks.lockWrite(0);
    expect(() => b.insert('x', 1)).toThrow(LockTimeoutError);
    // Pretend `a`'s slot belongs to another, dead thread.
    const ctl = new Int32Array(a.handle.control);
    const slot = ctl.findIndex((v, i) => i >= 32 && (i - 32) % 32 === 0 && v === threadId + 1);
    Atomics.store(ctl, slot, 12_345 + 1);
    expect(b.recoverThread(12_345)).toBe(1);
    b.insert('x', 1);
    expect(b.get('x')).toBe(1);
    expect(b.len()).toBe(2);
  });
});
