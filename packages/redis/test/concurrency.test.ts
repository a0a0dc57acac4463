// The async map's concurrency invariants, on Redis, across tasks and processes: no lost update
// (CAS and optimistic computeIfPresent), exactly-once factories (distributed single flight), a
// dead lease holder replaced after its TTL and fenced out, a rejected factory caching nothing.
import { describe, expect, it } from 'vitest';
import { keySlot, numberCodec, RedisShardedHashMap } from '../src/index.js';
import { slotTag } from '../src/keySlot.js';
import type { ScriptedClient } from '../src/luaScripts.js';
import { startWorker } from './support/processes.js';
import { deployments, freshPrefix, useDeployment } from './support/targets.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** `STARSHARD_STRESS=1` runs the cross-process CAS test 5× longer (10 tasks × 100 increments per process). */
const ROUNDS = process.env.STARSHARD_STRESS ? 100 : 20;

describe.each(deployments)('concurrency on %s Redis', (kind) => {
  const target = useDeployment(kind);

  /** The lease key the map uses for `key` (standalone: beside it; cluster: in its slot). */
  const leaseKeyOf = (prefix: string, key: string) => {
    const entry = `${prefix}=${key}`;
    return kind === 'cluster' ? `${prefix}~{${slotTag(keySlot(entry))}}${key}` : `${prefix}~${key}`;
  };

  it(`reaches the exact total: 2 processes and this one × 10 tasks × ${ROUNDS} CAS increments of one counter`, {
    timeout: 300_000,
  }, async () => {
    const prefix = freshPrefix('cas');
    const map = new RedisShardedHashMap<string, number>(target.client(), { prefix, valueCodec: numberCodec });
    await map.insert('counter', 0);
    const workers = [1, 2].map(() => startWorker('cas', target, prefix, 'counter', '10', String(ROUNDS)));
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < ROUNDS; i++) {
          let current = (await map.get('counter')) as number;
          for (;;) {
            const result = await map.compareAndSwap('counter', current, current + 1);
            if (result.success) break;
            current = result.value as number;
          }
        }
      }),
    );
    const reports = await Promise.all(workers.map((w) => w.done()));
    expect(reports.every((r) => r.done === true)).toBe(true);
    expect(await map.get('counter')).toBe(3 * 10 * ROUNDS);
  });

  it('loses no update: 40 tasks × 15 optimistic computeIfPresent increments with awaits inside, on 8 keys', async () => {
    const map = new RedisShardedHashMap<string, number>(target.client(), {
      prefix: freshPrefix('cip'),
      valueCodec: numberCodec,
    });
    const keys = Array.from({ length: 8 }, (_, i) => `hot:${i}`);
    await map.batchInsert(keys.map((k) => [k, 0]));
    await Promise.all(
      Array.from({ length: 40 }, async (_, t) => {
        for (let i = 0; i < 15; i++) {
          await map.computeIfPresent(keys[(t + i) % 8] as string, async (n) => {
            await sleep(0);
            return n + 1;
          });
        }
      }),
    );
    expect((await map.values()).reduce((a, b) => a + b, 0)).toBe(600);
    expect(await map.batchGet(keys)).toEqual(keys.map(() => 75));
  });

  it('runs the factory once per key for 2,000 concurrent computeIfAbsent over 100 keys', async () => {
    const map = new RedisShardedHashMap<string, string>(target.client(), { prefix: freshPrefix('sf') });
    const calls = new Map<string, number>();
    const keys = Array.from({ length: 2000 }, (_, i) => `key:${(i * 7919) % 100}`);
    const results = await Promise.all(
      keys.map((k) =>
        map.computeIfAbsent(k, async (key) => {
          calls.set(key, (calls.get(key) ?? 0) + 1);
          await sleep(5);
          return `value of ${key}`;
        }),
      ),
    );
    expect(calls.size).toBe(100);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    for (const [i, value] of results.entries()) expect(value).toBe(`value of ${keys[i]}`);
    expect(await map.len()).toBe(100);
  });

  it('runs the factory once per key across three processes (single flight through the lease)', async () => {
    const prefix = freshPrefix('xsf');
    const client = target.client();
    const map = new RedisShardedHashMap<string, string>(client, { prefix });
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const workers = [1, 2].map(() => startWorker('load', target, prefix, keys.join(',')));
    const local = await Promise.all(
      keys.map((k) =>
        map.computeIfAbsent(k, async (key) => {
          await client.rpush(`${prefix}calls:{${key}}`, String(process.pid));
          await sleep(30);
          return `${key} loaded by ${process.pid}`;
        }),
      ),
    );
    const remote = await Promise.all(workers.map((w) => w.done()));
    for (const key of keys) expect(await client.llen(`${prefix}calls:{${key}}`), key).toBe(1);
    const stored = await map.batchGet(keys);
    expect(local).toEqual(stored);
    for (const report of remote) expect(new Set(report.values as string[])).toEqual(new Set(stored));
  });

  it('replaces a holder that died (kill -9) once its lease expires, and its value is the survivor’s', async () => {
    const prefix = freshPrefix('dead');
    const map = new RedisShardedHashMap<string, string>(target.client(), { prefix, leaseTtlMs: 600 });
    const holder = startWorker('hold', target, prefix, 'job', '600');
    await holder.next((e) => e.holding === true);
    holder.child.kill('SIGKILL');
    const started = Date.now();
    let calls = 0;
    const value = await map.computeIfAbsent('job', async () => {
      calls++;
      return 'done by the survivor';
    });
    expect(value).toBe('done by the survivor');
    expect(calls).toBe(1);
    // It waited for the dead holder's lease (at most its TTL, renewed every 200 ms until the kill).
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThan(200);
    expect(waited).toBeLessThan(5000);
  });

  it('fences out a late write from a holder whose lease expired', async () => {
    const prefix = freshPrefix('fence');
    const client = target.client();
    const map = new RedisShardedHashMap<string, string>(client, { prefix });
    const lease = leaseKeyOf(prefix, 'k');
    // A holder took the lease 'stale-token' for 300 ms, then stalled.
    await client.set(lease, 'stale-token', 'PX', 300);
    expect(await map.computeIfAbsent('k', async () => 'fresh')).toBe('fresh');
    // The stalled holder wakes up and tries to store its value: refused, the fresh value stays.
    const reply = await (client as unknown as ScriptedClient).starshardCommit(
      `${prefix}=k`,
      lease,
      'stale-token',
      '"stale"',
    );
    expect(reply).toEqual([1, '"fresh"']);
    expect(await map.get('k')).toBe('fresh');
  });

  it('caches nothing when the factory rejects: every local caller gets its error, the lease is released', async () => {
    const prefix = freshPrefix('reject');
    const client = target.client();
    const map = new RedisShardedHashMap<string, string>(client, { prefix });
    const failure = new Error('backend down');
    let calls = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        map.computeIfAbsent('k', async () => {
          calls++;
          await sleep(10);
          throw failure;
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason === failure)).toBe(true);
    expect(await map.contains('k')).toBe(false);
    expect(await client.exists(leaseKeyOf(prefix, 'k'))).toBe(0);
    const started = Date.now();
    expect(await map.computeIfAbsent('k', () => 'second try')).toBe('second try');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('lets a waiter abort while another process holds the lease, leaving nothing behind', async () => {
    const prefix = freshPrefix('abort');
    const client = target.client();
    const map = new RedisShardedHashMap<string, string>(client, { prefix });
    await client.set(leaseKeyOf(prefix, 'k'), 'other-process', 'PX', 2000);
    let called = false;
    const waiting = map.computeIfAbsent(
      'k',
      () => {
        called = true;
        return 'x';
      },
      { signal: AbortSignal.timeout(100) },
    );
    await expect(waiting).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(called).toBe(false);
    expect(await map.contains('k')).toBe(false);
  });
});
