// AsyncRwLock on its own: sharing, exclusion, FIFO fairness, no writer starvation, abort and
// timeout leaving no trace, and a fast-check run of random schedules against the lock invariants.
import { InvalidArgumentError } from '@starshard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsyncRwLock, LockTimeoutError, type Release } from '../src/index.js';

/** Lets every pending promise reaction run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts an acquisition and records when it is granted, in `log`. */
function track(lock: AsyncRwLock, mode: 'read' | 'write', name: string, log: string[], signal?: AbortSignal) {
  const entry: { release?: Release; error?: unknown } = {};
  const promise = (mode === 'read' ? lock.acquireRead({ signal }) : lock.acquireWrite({ signal })).then(
    (release) => {
      log.push(name);
      entry.release = release;
    },
    (error: unknown) => {
      entry.error = error;
    },
  );
  return Object.assign(entry, { promise });
}

describe('AsyncRwLock', () => {
  it('lets readers share and keeps a writer alone', async () => {
    const lock = new AsyncRwLock();
    const r1 = await lock.acquireRead();
    const r2 = await lock.acquireRead();
    expect(lock.readers).toBe(2);
    const log: string[] = [];
    const w = track(lock, 'write', 'w', log);
    await settle();
    expect(log).toEqual([]);
    expect(lock.queueLength).toBe(1);
    expect(lock.pendingWriters).toBe(1);
    r1();
    await settle();
    expect(log).toEqual([]);
    r2();
    await settle();
    expect(log).toEqual(['w']);
    expect(lock.isWriteLocked).toBe(true);
    expect(lock.readers).toBe(0);
    w.release?.();
    expect(lock.isIdle).toBe(true);
  });

  it('grants in FIFO order, readers queued together entering together', async () => {
    const lock = new AsyncRwLock();
    const first = await lock.acquireWrite();
    const log: string[] = [];
    const waiters = [
      track(lock, 'read', 'r1', log),
      track(lock, 'read', 'r2', log),
      track(lock, 'write', 'w1', log),
      track(lock, 'read', 'r3', log),
      track(lock, 'write', 'w2', log),
    ];
    await settle();
    expect(lock.queueLength).toBe(5);
    first();
    await settle();
    expect(log).toEqual(['r1', 'r2']);
    waiters[0]?.release?.();
    waiters[1]?.release?.();
    await settle();
    expect(log).toEqual(['r1', 'r2', 'w1']);
    waiters[2]?.release?.();
    await settle();
    expect(log).toEqual(['r1', 'r2', 'w1', 'r3']);
    waiters[3]?.release?.();
    await settle();
    expect(log).toEqual(['r1', 'r2', 'w1', 'r3', 'w2']);
    waiters[4]?.release?.();
    expect(lock.isIdle).toBe(true);
  });

  it('does not starve a writer queued behind a continuous stream of readers', async () => {
    const lock = new AsyncRwLock();
    let writerIn = false;
    let readsAfterWriterQueued = 0;
    let stop = false;
    // Readers arrive continuously, each holding the lock across a macrotask, overlapping the next.
    const readers = (async () => {
      const inFlight: Promise<void>[] = [];
      while (!stop) {
        inFlight.push(
          lock.withRead(async () => {
            if (writerQueued) readsAfterWriterQueued++;
            await settle();
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await Promise.all(inFlight);
    })();
    let writerQueued = false;
    await new Promise((resolve) => setTimeout(resolve, 20));
    writerQueued = true;
    // A starved writer would wait for ever: give up after a second instead of hanging.
    await Promise.race([
      lock.withWrite(() => {
        writerIn = true;
        expect(lock.readers).toBe(0);
      }),
      new Promise((resolve) => setTimeout(resolve, 1000)),
    ]);
    stop = true;
    await readers;
    expect(writerIn).toBe(true);
    // Readers already holding may finish; readers arriving after the writer queued wait for it.
    expect(readsAfterWriterQueued).toBeLessThanOrEqual(2);
    expect(lock.isIdle).toBe(true);
  });

  it('removes an aborted waiter and rejects with the signal reason', async () => {
    const lock = new AsyncRwLock();
    const held = await lock.acquireWrite();
    const controller = new AbortController();
    const waiting = lock.acquireWrite({ signal: controller.signal });
    expect(lock.queueLength).toBe(1);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(lock.queueLength).toBe(0);
    held();
    expect(lock.isIdle).toBe(true);
  });

  it('lets the readers queued behind a cancelled writer in at once', async () => {
    const lock = new AsyncRwLock();
    const reader = await lock.acquireRead();
    const controller = new AbortController();
    const log: string[] = [];
    const writer = track(lock, 'write', 'w', log, controller.signal);
    const r2 = track(lock, 'read', 'r2', log);
    const r3 = track(lock, 'read', 'r3', log);
    await settle();
    expect(log).toEqual([]); // readers wait behind the queued writer
    controller.abort();
    await settle();
    expect(log).toEqual(['r2', 'r3']);
    expect(writer.error).toBeInstanceOf(DOMException);
    expect((writer.error as DOMException).name).toBe('AbortError');
    expect(lock.readers).toBe(3);
    reader();
    r2.release?.();
    r3.release?.();
    expect(lock.isIdle).toBe(true);
  });

  it('rejects at once, taking nothing, when the signal is already aborted', async () => {
    const lock = new AsyncRwLock();
    const reason = new Error('already');
    await expect(lock.acquireRead({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(lock.acquireWrite({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(lock.isIdle).toBe(true);
  });

  it('times out with LockTimeoutError and leaves the queue', async () => {
    const lock = new AsyncRwLock();
    const held = await lock.acquireWrite();
    const started = Date.now();
    const error = await lock.acquireRead({ timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).code).toBe('ERR_STARSHARD_LOCK_TIMEOUT');
    expect((error as LockTimeoutError).timeoutMs).toBe(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(lock.queueLength).toBe(0);
    held();
    // A waiter granted before its timeout keeps the lock.
    const release = await lock.acquireWrite({ timeoutMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(lock.isWriteLocked).toBe(true);
    release();
  });

  it('has idempotent release functions', async () => {
    const lock = new AsyncRwLock();
    const a = await lock.acquireRead();
    const b = await lock.acquireRead();
    a();
    a();
    a();
    expect(lock.readers).toBe(1);
    b();
    expect(lock.isIdle).toBe(true);
    const w = await lock.acquireWrite();
    w();
    w();
    expect(lock.isIdle).toBe(true);
  });

  it('tries without queueing', async () => {
    const lock = new AsyncRwLock();
    const r = lock.tryAcquireRead();
    expect(r).toBeTypeOf('function');
    expect(lock.tryAcquireWrite()).toBeUndefined();
    r?.();
    const w = lock.tryAcquireWrite();
    expect(w).toBeTypeOf('function');
    expect(lock.tryAcquireRead()).toBeUndefined();
    const queued = lock.acquireRead();
    w?.();
    // A reader may not jump a queued writer; once nobody waits it may share.
    (await queued)();
    const r2 = lock.tryAcquireRead();
    const queuedWriter = lock.acquireWrite();
    expect(lock.tryAcquireRead(), 'a queued writer blocks new readers').toBeUndefined();
    r2?.();
    (await queuedWriter)();
    expect(lock.isIdle).toBe(true);
  });

  it('runs a function under the lock and releases it even when it throws', async () => {
    const lock = new AsyncRwLock();
    expect(await lock.withRead(() => 1)).toBe(1);
    expect(await lock.withWrite(async () => 2)).toBe(2);
    await expect(
      lock.withWrite(async () => {
        throw new Error('inside');
      }),
    ).rejects.toThrow('inside');
    expect(lock.isIdle).toBe(true);
  });

  it('rejects bad options and non-functions with typed errors, taking nothing', async () => {
    const lock = new AsyncRwLock();
    for (const options of [
      null,
      5,
      'x',
      { signal: {} },
      { timeoutMs: -1 },
      { timeoutMs: Number.NaN },
      { timeoutMs: '5' },
    ]) {
      await expect(lock.acquireRead(options as never)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(lock.acquireWrite(options as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    await expect(lock.withRead(5 as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(lock.withWrite(undefined as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(lock.isIdle).toBe(true);
    expect(Object.prototype.toString.call(lock)).toBe('[object AsyncRwLock]');
  });

  it('keeps its invariants under random schedules of acquisitions, releases and aborts', async () => {
    type Step = { kind: 'read' | 'write' | 'release' | 'abort' | 'tick'; pick: number };
    const stepArb: fc.Arbitrary<Step> = fc.record({
      kind: fc.constantFrom('read', 'write', 'read', 'write', 'release', 'release', 'abort', 'tick'),
      pick: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 60 }), async (steps) => {
        const lock = new AsyncRwLock();
        type Req = {
          id: number;
          mode: 'read' | 'write';
          state: 'waiting' | 'held' | 'done';
          release?: Release;
          ac: AbortController;
        };
        const reqs: Req[] = [];
        const grants: number[] = [];
        let holdingReaders = 0;
        let holdingWriters = 0;
        const check = () => {
          expect(holdingWriters).toBeLessThanOrEqual(1);
          if (holdingWriters === 1) expect(holdingReaders).toBe(0);
          expect(lock.readers).toBe(holdingReaders);
          expect(lock.isWriteLocked).toBe(holdingWriters === 1);
          expect(lock.queueLength).toBe(reqs.filter((r) => r.state === 'waiting').length);
        };
        for (const step of steps) {
          if (step.kind === 'read' || step.kind === 'write') {
            const req: Req = { id: reqs.length, mode: step.kind, state: 'waiting', ac: new AbortController() };
            reqs.push(req);
            const p =
              step.kind === 'read'
                ? lock.acquireRead({ signal: req.ac.signal })
                : lock.acquireWrite({ signal: req.ac.signal });
            p.then(
              (release) => {
                req.state = 'held';
                req.release = release;
                grants.push(req.id);
                if (req.mode === 'read') holdingReaders++;
                else holdingWriters++;
              },
              () => {
                req.state = 'done';
              },
            );
          } else if (step.kind === 'release') {
            const held = reqs.filter((r) => r.state === 'held');
            const req = held[step.pick % Math.max(held.length, 1)];
            if (req !== undefined) {
              req.state = 'done';
              if (req.mode === 'read') holdingReaders--;
              else holdingWriters--;
              req.release?.();
              req.release?.(); // idempotent
            }
          } else if (step.kind === 'abort') {
            const waiting = reqs.filter((r) => r.state === 'waiting');
            waiting[step.pick % Math.max(waiting.length, 1)]?.ac.abort();
          }
          await settle();
          check();
        }
        // FIFO: among the requests that were granted, the order follows the request order, except
        // that readers may be granted together (a batch of readers is admitted at once).
        for (let i = 1; i < grants.length; i++) {
          const a = reqs[grants[i - 1] as number] as Req;
          const b = reqs[grants[i] as number] as Req;
          if (!(a.mode === 'read' && b.mode === 'read')) expect(b.id).toBeGreaterThan(a.id);
        }
        // No waiter is left behind once everything is released.
        for (const r of reqs) if (r.state === 'held') r.release?.();
        for (let round = 0; round < reqs.length + 1; round++) {
          await settle();
          for (const r of reqs) {
            if (r.state === 'held') {
              r.state = 'done';
              r.release?.();
            }
          }
        }
        expect(lock.isIdle).toBe(true);
        expect(reqs.every((r) => r.state === 'done')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
