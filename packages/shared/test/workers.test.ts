import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Shared from '../src/index.js';

// These tests run real worker threads over the built package (dist): the worker script cannot
// import TypeScript, so the main side loads dist too (one module instance, one class). The path
// is a variable so that typechecking (which runs before the build) does not need dist.
const dist = '../dist/index.js';
const { codecs, LockTimeoutError, SharedShardedHashMap } = (await import(dist)) as typeof Shared;
const script = fileURLToPath(new URL('./workers/worker.mjs', import.meta.url));
/** `STARSHARD_STRESS=1` runs every scenario with 10× the rounds. */
const SCALE = process.env.STARSHARD_STRESS ? 10 : 1;

const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
});

type Result = { id: number; done?: number; torn?: number; reads?: number; lost?: number };

function start(handle: unknown, mode: string, id: number, extra: Record<string, unknown> = {}): Worker {
  const worker = new Worker(script, { workerData: { handle, mode, id, ...extra } });
  started.push(worker);
  return worker;
}
function result(worker: Worker): Promise<Result> {
  return new Promise((resolve, reject) => {
    worker.on('message', (m: Result & { started?: boolean; locked?: boolean }) => {
      if (!m.started && !m.locked) resolve(m);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
  });
}
function message(worker: Worker, field: 'started' | 'locked'): Promise<void> {
  return new Promise((resolve) => worker.on('message', (m: Record<string, unknown>) => m[field] && resolve()));
}

const checked: Shared.Codec<string> = { name: 'checked', encode: codecs.string.encode, decode: codecs.string.decode };
function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
function verify(value: string | undefined): boolean {
  if (value === undefined) return true;
  const bar = value.lastIndexOf('|');
  return bar > 0 && checksum(value.slice(0, bar)) === value.slice(bar + 1);
}

// Stress runs take minutes on a shared 2-core machine.
describe('several workers on one map', { timeout: SCALE > 1 ? 600_000 : 60_000 }, () => {
  it('N workers × M computeIfPresent increments give exact totals', async () => {
    const map = new SharedShardedHashMap({ shards: 4, key: codecs.string, value: codecs.number });
    const keys = 16;
    for (let k = 0; k < keys; k++) map.insert(`c${k}`, 0);
    const rounds = 4000 * SCALE;
    const workers = [0, 1, 2].map((id) => start(map.handle, 'increment', id, { rounds, keys }));
    // The main thread increments too, through the async twin (its event loop keeps turning).
    for (let i = 0; i < 500; i++) await map.computeIfPresentAsync(`c${i % keys}`, (n) => n + 1);
    const results = await Promise.all(workers.map(result));
    expect(results.map((r) => r.done)).toEqual([rounds, rounds, rounds]);
    let total = 0;
    for (const [, n] of map.iter()) total += n;
    expect(total).toBe(3 * rounds + 500);
    map.close();
  });

  // A custom codec's values are copied before they are decoded; the built-in string codec decodes
  // in place and validates after: both must never hand out a torn value.
  it.each([
    ['a custom codec', checked],
    ['codecs.string', codecs.string],
  ])('readers never see a torn value while writers overwrite, grow and remove (%s)', async (_name, valueCodec) => {
    const map = new SharedShardedHashMap({ shards: 2, key: codecs.string, value: valueCodec, initialBytes: 1 });
    const rounds = 3000 * SCALE;
    const writers = [0, 1].map((id) => start(map.handle, 'write-checked', id, { rounds, keys: 8 }));
    const readers = [2, 3].map((id) => start(map.handle, 'read-checked', id, { rounds: rounds * 2, keys: 8 }));
    const results = await Promise.all([...writers, ...readers].map(result));
    for (const r of results.slice(2)) {
      expect(r.torn).toBe(0);
      expect(r.reads).toBe(rounds * 2);
    }
    let entries = 0;
    for (const [, v] of map.iter()) {
      expect(verify(v)).toBe(true);
      entries++;
    }
    expect(entries).toBe(map.len());
    map.close();
  });

  it('growth while other workers read and write loses nothing', async () => {
    const map = new SharedShardedHashMap({ shards: 4, key: codecs.number, value: codecs.string, initialBytes: 1 });
    const before = map.shardBytes();
    const rounds = 6000 * SCALE;
    const workers = [0, 1, 2].map((id) => start(map.handle, 'grow', id, { rounds }));
    const results = await Promise.all(workers.map(result));
    for (const r of results) expect(r.lost).toBe(0);
    expect(map.len()).toBe(3 * rounds);
    for (let i = 0; i < 3 * rounds; i++) expect(map.get(i)).toBe(`v${i}`);
    const after = map.shardBytes();
    for (let s = 0; s < 4; s++) expect(after[s]).toBeGreaterThan(before[s] as number);
    map.close();
  });

  it('a worker terminated while holding a lock: waiters get LockTimeoutError naming the shard, recoverThread frees it', async () => {
    const map = new SharedShardedHashMap({ shards: 4, key: codecs.string, value: codecs.number, lockTimeoutMs: 150 });
    map.insert('k', 1);
    const worker = start(map.handle, 'hold-lock', 0);
    await message(worker, 'locked');
    const threadId = worker.threadId;
    await worker.terminate();
    let error: unknown;
    try {
      map.insert('k', 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockTimeoutError);
    const e = error as Shared.LockTimeoutError;
    expect(e.ownerThreadId).toBe(threadId);
    expect(e.message).toContain(`shard ${e.shard}`);
    await expect(map.getAsync('k')).rejects.toBeInstanceOf(LockTimeoutError);
    expect(map.recoverThread(threadId)).toBe(1);
    expect(map.insert('k', 2)).toBe(1);
    expect(map.get('k')).toBe(2);
    map.close();
  });

  it('terminating workers mid-run leaves the map usable and uncorrupted (watchWorker recovers)', async () => {
    const map = new SharedShardedHashMap({ shards: 2, key: codecs.string, value: codecs.number, lockTimeoutMs: 2_000 });
    const keys = 8;
    for (let k = 0; k < keys; k++) map.insert(`c${k}`, 0);
    for (let round = 0; round < 3 * SCALE; round++) {
      const victims = [0, 1].map((id) => start(map.handle, 'slow-increment', id, { keys }));
      for (const v of victims) map.watchWorker(v);
      await Promise.all(victims.map((v) => message(v, 'started')));
      await new Promise((r) => setTimeout(r, 20 + round * 7));
      const exits = victims.map((v) => new Promise((r) => v.once('exit', r)));
      await Promise.all(victims.map((v) => v.terminate()));
      await Promise.all(exits);
      // Every counter is whole, the count is right, and exact increments still work.
      const snapshot = new Map(map.iter());
      expect(snapshot.size).toBe(keys);
      expect(map.len()).toBe(keys);
      for (const n of snapshot.values()) expect(Number.isInteger(n)).toBe(true);
      const rounds = 800;
      const fresh = [2, 3].map((id) => start(map.handle, 'increment', id, { rounds, keys }));
      await Promise.all(fresh.map(result));
      let before = 0;
      for (const n of snapshot.values()) before += n;
      let after = 0;
      for (const [, n] of map.iter()) after += n;
      expect(after - before).toBe(2 * rounds);
    }
    map.close();
  });
});
