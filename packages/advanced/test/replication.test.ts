import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { AsyncShardedHashMap } from '@starshard/async';
import { ShardedHashMap } from '@starshard/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  advanced,
  MessagePortReplica,
  QuorumConfig,
  QuorumError,
  type Replica,
  ReplicaError,
  ReplicationOp,
  serveReplica,
} from '../src/index.js';

const AsyncAdv = AsyncShardedHashMap.with(advanced);

/** The built worker script (turbo builds the package before its tests). */
const workerFile = fileURLToPath(new URL('../dist/replicaWorker.js', import.meta.url));

/** An in-process replica: a plain Map, optionally failing or never answering. */
class MemoryReplica implements Replica<string, number> {
  readonly state = new Map<string, number>();
  mode: 'ok' | 'fail' | 'hang' | 'refuse' = 'ok';
  constructor(readonly id: string) {}
  replicate(op: ReplicationOp<string, number>): Promise<void> {
    if (this.mode === 'fail') return Promise.reject(new Error(`${this.id} is down`));
    if (this.mode === 'hang') return new Promise(() => {});
    if (this.mode === 'refuse') return Promise.resolve(false) as never;
    if (op.type === 'insert') this.state.set(op.key, op.value);
    else if (op.type === 'remove') this.state.delete(op.key);
    else this.state.clear();
    return Promise.resolve();
  }
  fetchState() {
    return [...this.state];
  }
}

function memoryMap(quorum: (n: number) => QuorumConfig = (n) => QuorumConfig.majority(n, { timeoutMs: 200 })) {
  const replicas = ['r0', 'r1', 'r2'].map((id) => new MemoryReplica(id));
  const map = new AsyncAdv<string, number>(8, { replication: { replicas, quorum: quorum(3) } });
  return { map, replicas };
}

describe('QuorumConfig', () => {
  it('strict, majority, isValid, timeoutMs', () => {
    expect(QuorumConfig.strict(3)).toMatchObject({ replicas: 3, writeQuorum: 3, timeoutMs: 1000 });
    expect([1, 2, 3, 4, 5].map((n) => QuorumConfig.majority(n).writeQuorum)).toEqual([1, 2, 2, 3, 3]);
    expect(QuorumConfig.majority(3, { timeoutMs: 50 }).timeoutMs).toBe(50);
    expect(new QuorumConfig(3, 2, 10).isValid()).toBe(true);
    for (const bad of [
      new QuorumConfig(3, 4),
      new QuorumConfig(3, 0),
      new QuorumConfig(2.5, 1),
      new QuorumConfig(3, 2, 0),
    ]) {
      expect(bad.isValid()).toBe(false);
    }
    expect(QuorumConfig.majority(3).withTimeout(20)).toMatchObject({ replicas: 3, writeQuorum: 2, timeoutMs: 20 });
    expect(new QuorumConfig({ replicas: 3, writeQuorum: 3, timeoutMs: 7 })).toEqual(
      QuorumConfig.strict(3, { timeoutMs: 7 }),
    );
  });

  it('a bad replication option throws at construction', () => {
    const r = new MemoryReplica('r');
    expect(() => new AsyncAdv(8, { replication: { replicas: [r], quorum: new QuorumConfig(1, 2) } })).toThrow(
      /not valid/,
    );
    expect(() => new AsyncAdv(8, { replication: { replicas: [r], quorum: QuorumConfig.majority(3) } })).toThrow(
      /for 3 replicas but 1 are configured/,
    );
    expect(() => new AsyncAdv(8, { replication: { replicas: [], quorum: QuorumConfig.majority(1) } })).toThrow(
      /non-empty array/,
    );
    expect(
      () => new AsyncAdv(8, { replication: { replicas: [{}] as never, quorum: QuorumConfig.majority(1) } }),
    ).toThrow(/replicas\[0\] must be a Replica/);
    expect(() => new AsyncAdv(8, { replication: { replicas: [r], quorum: 'majority' as never } })).toThrow(
      /must be a QuorumConfig/,
    );
    // A plain object is read (replicas defaults to the count configured), and copied: changing it later changes nothing.
    const plain = { writeQuorum: 1, timeoutMs: 30 };
    const map = new AsyncAdv<string, number>(8, { replication: { replicas: [r], quorum: plain as never } });
    plain.writeQuorum = 5;
    return map.insertReplicated('a', 1).then((previous) => expect(previous).toBeUndefined());
  });
});

describe('replicated writes (in-process replicas)', () => {
  it('majority(3) commits with one dead replica; with two dead it rejects and nothing changes locally', async () => {
    const { map, replicas } = memoryMap();
    (replicas[0] as MemoryReplica).mode = 'fail';
    expect(await map.insertReplicated('a', 1)).toBeUndefined();
    expect(await map.get('a')).toBe(1);
    expect((replicas[1] as MemoryReplica).state.get('a')).toBe(1);
    (replicas[1] as MemoryReplica).mode = 'fail';
    const error = await map.insertReplicated('a', 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuorumError);
    const q = error as QuorumError;
    expect([q.required, q.acknowledged, q.code]).toEqual([2, 0, 'ERR_STARSHARD_QUORUM']);
    expect(q.outcomes.map((o) => [o.replica, o.status])).toEqual([
      ['r0', 'failed'],
      ['r1', 'failed'],
      ['r2', 'pending'],
    ]);
    expect(q.outcomes[0]?.error).toMatchObject({ reason: 'rejected' });
    (replicas[1] as MemoryReplica).mode = 'refuse'; // resolving false is a refusal, not an acknowledgement
    const refused = (await map.insertReplicated('a', 2).catch((e: unknown) => e)) as QuorumError;
    expect(refused.outcomes[1]).toMatchObject({ status: 'failed', error: { reason: 'rejected' } });
    expect(refused.outcomes[1]?.error).toMatchObject({ message: expect.stringMatching(/resolved false/) });
    expect(await map.get('a')).toBe(1);
    await expect(map.removeReplicated('a')).rejects.toBeInstanceOf(QuorumError);
    await expect(map.clearReplicated()).rejects.toBeInstanceOf(QuorumError);
    expect(await map.iter()).toEqual([['a', 1]]);
    expect(await map.currentVersion()).toBe(1);
  });

  it('a replica that times out is counted as failed within timeoutMs', async () => {
    const { map, replicas } = memoryMap((n) => QuorumConfig.strict(n, { timeoutMs: 100 }));
    (replicas[2] as MemoryReplica).mode = 'hang';
    const started = performance.now();
    const error = (await map.insertReplicated('k', 1).catch((e: unknown) => e)) as QuorumError;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(QuorumError);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(400);
    const hung = error.outcomes[2];
    expect(hung?.status).toBe('failed');
    expect(hung?.error).toMatchObject({ reason: 'timeout' });
    expect(hung?.elapsedMs).toBeGreaterThanOrEqual(95);
    expect(error.outcomes.slice(0, 2).map((o) => o.status)).toEqual(['acknowledged', 'acknowledged']);
    expect(await map.contains('k')).toBe(false);
    // With majority, the same hang does not block: the write commits once two acknowledged.
    const { map: tolerant, replicas: others } = memoryMap((n) => QuorumConfig.majority(n, { timeoutMs: 5000 }));
    (others[2] as MemoryReplica).mode = 'hang';
    const t0 = performance.now();
    await tolerant.insertReplicated('k', 1);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('writes the key only after the quorum: a plain write of the key waits, other keys do not', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow: Replica<string, number> = { replicate: () => gate, fetchState: () => [] };
    const map = new AsyncAdv<string, number>(8, {
      replication: { replicas: [slow], quorum: QuorumConfig.strict(1, { timeoutMs: 5000 }) },
    });
    const replicated = map.insertReplicated('a', 1);
    const plain = map.insert('a', 2);
    await map.insert('b', 3);
    expect([await map.get('a'), await map.get('b')]).toEqual([undefined, 3]);
    release();
    await replicated;
    expect(await plain).toBe(1); // ran after the replicated write
    expect(await map.get('a')).toBe(2);
  });

  it('a caller’s signal gives up the write, leaving the map unchanged', async () => {
    const { map, replicas } = memoryMap((n) => QuorumConfig.strict(n, { timeoutMs: 5000 }));
    (replicas[0] as MemoryReplica).mode = 'hang';
    const controller = new AbortController();
    const write = map.insertReplicated('a', 1, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(write).rejects.toThrow('stop');
    expect(await map.contains('a')).toBe(false);
  });

  it('without replication configured, replicated writes reject and plain ones work', async () => {
    const map = new AsyncAdv<string, number>(8);
    await expect(map.insertReplicated('a', 1)).rejects.toThrow(/no replication configured/);
    await expect(map.clearReplicated()).rejects.toThrow(/no replication configured/);
    await map.insert('a', 1);
    expect(await map.get('a')).toBe(1);
  });
});

describe('MessagePortReplica', () => {
  const workers: Worker[] = [];
  const start = () => {
    const worker = new Worker(workerFile);
    workers.push(worker);
    return worker;
  };
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.terminate()));
  });

  it('replicates to maps in worker threads; survives one dead worker; rejects with two; a restarted one catches up', async () => {
    const replicas = [0, 1, 2].map((i) => new MessagePortReplica<string, number>(start(), { id: `w${i}` }));
    const map = new AsyncAdv<string, number>(8, {
      replication: { replicas, quorum: QuorumConfig.majority(3, { timeoutMs: 2000 }) },
    });
    for (let i = 0; i < 50; i++) await map.insertReplicated(`k${i}`, i);
    await map.removeReplicated('k0');
    const local = new Map(await map.iter());
    for (const r of replicas) expect(new Map(await r.fetchState())).toEqual(local);
    expect(await Promise.all(replicas.map((r) => r.healthCheck()))).toEqual([true, true, true]);

    await workers[0]?.terminate();
    await map.insertReplicated('after-one-dead', 1);
    expect(await map.get('after-one-dead')).toBe(1);
    expect(await replicas[0]?.healthCheck()).toBe(false);
    await expect(replicas[0]?.fetchState()).rejects.toMatchObject({ reason: 'closed' });

    await workers[1]?.terminate();
    const started = performance.now();
    const error = (await map.insertReplicated('after-two-dead', 2).catch((e: unknown) => e)) as QuorumError;
    expect(error).toBeInstanceOf(QuorumError);
    expect(performance.now() - started).toBeLessThan(1000); // dead workers fail fast, no timeout wait
    expect(error.outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'pending']);
    expect(error.outcomes[1]?.error).toMatchObject({ reason: 'closed' });
    expect(await map.contains('after-two-dead')).toBe(false);

    // Restart both and catch them up from their (empty) fetched state.
    replicas[0]?.reconnect(start());
    replicas[1]?.reconnect(start());
    expect(await map.catchUpReplica(replicas[0] as MessagePortReplica<string, number>)).toEqual({
      inserted: 50,
      removed: 0,
    });
    await map.catchUpReplica(replicas[1] as MessagePortReplica<string, number>);
    // The survivor applied the rejected write (a replica cannot know the quorum failed): a
    // catch-up removes it.
    expect(new Map(await replicas[2]?.fetchState()).get('after-two-dead')).toBe(2);
    expect(await map.catchUpReplica(replicas[2] as MessagePortReplica<string, number>)).toEqual({
      inserted: 0,
      removed: 1,
    });
    await map.insertReplicated('after-restart', 3);
    const now = new Map(await map.iter());
    for (const r of replicas) expect(new Map(await r.fetchState())).toEqual(now);
    await map.clearReplicated();
    for (const r of replicas) expect(await r.fetchState()).toEqual([]);
    expect(await map.len()).toBe(0);
  });

  it('reaches a worker through a MessagePort it was handed, and notices the port closing when the worker dies', async () => {
    const { port1, port2 } = new MessageChannel();
    const library = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       require(${JSON.stringify(library)}).serveReplica(workerData.port);`,
      { eval: true, workerData: { port: port2 }, transferList: [port2] },
    );
    workers.push(worker);
    const replica = new MessagePortReplica<string, number>(port1, { id: 'ported' });
    const map = new AsyncAdv<string, number>(8, {
      replication: { replicas: [replica], quorum: QuorumConfig.strict(1, { timeoutMs: 2000 }) },
    });
    await map.insertReplicated('a', 1);
    expect(await replica.fetchState()).toEqual([['a', 1]]);
    await worker.terminate();
    const error = (await map.insertReplicated('b', 2).catch((e: unknown) => e)) as QuorumError;
    expect(error).toBeInstanceOf(QuorumError);
    expect(error.outcomes[0]?.error).toMatchObject({ reason: 'closed' });
    expect(await map.contains('b')).toBe(false);
    replica.close();
  });

  it('catchUpReplica sends only the differences, including removals', async () => {
    const replica = new MessagePortReplica<string, number>(start());
    await replica.replicate(ReplicationOp.insert('stale', 1));
    await replica.replicate({ type: 'insert', key: 'same', value: 2 });
    await replica.replicate({ type: 'insert', key: 'old', value: 3 });
    const map = new AsyncAdv<string, number>(8);
    await map.batchInsert([
      ['same', 2],
      ['old', 4],
      ['new', 5],
    ]);
    expect(await map.catchUpReplica(replica)).toEqual({ inserted: 2, removed: 1 });
    expect(new Map(await replica.fetchState())).toEqual(new Map(await map.iter()));
    await expect(map.catchUpReplica({} as never)).rejects.toThrow(/expected a Replica/);
  });

  it('serveReplica over a MessageChannel: answers, reports remote errors, ignores foreign messages', async () => {
    const { port1, port2 } = new MessageChannel();
    const served = serveReplica<string, unknown>(port2);
    const replica = new MessagePortReplica<string, unknown>(port1, { id: 'chan', timeoutMs: 500 });
    port1.postMessage({ unrelated: true });
    await replica.replicate({ type: 'insert', key: 'a', value: { nested: [1, 2] } });
    expect(served.map.get('a')).toEqual({ nested: [1, 2] });
    await expect(replica.replicate({ type: 'explode' } as never)).rejects.toMatchObject({ reason: 'remote' });
    // A value that cannot be cloned fails on the sending side, unchanged.
    await expect(replica.replicate({ type: 'insert', key: 'f', value: () => 1 })).rejects.toBeInstanceOf(ReplicaError);
    expect(served.map.contains('f')).toBe(false);
    served.close();
    expect(await replica.healthCheck()).toBe(false); // nobody answers any more: times out
    replica.close();
    await expect(replica.fetchState()).rejects.toMatchObject({ reason: 'closed' });
    expect(() => new MessagePortReplica({} as never)).toThrow(/expected a Worker or MessagePort/);
    port1.close();
  });
});

describe('the sync map ignores replication', () => {
  it('accepts the option (its async twin uses it) and has no replicated methods', () => {
    const map = new (ShardedHashMap.with(advanced))<string, number>(8);
    expect('insertReplicated' in map).toBe(false);
  });
});
