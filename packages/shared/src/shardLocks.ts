import { LockTimeoutError } from './errors.js';
import {
  C_HIGH_WATER,
  C_SLOTS_START,
  H_DRAIN,
  H_INTENT,
  H_OWNER,
  H_SEQ,
  H_VERSION,
  H_WAITERS,
  READ_ALL,
  S_READ,
  S_THREAD,
  SLOT_WORDS,
} from './layout.js';

/** A wait a lock's slow path asks for: `[words, index, expected value, timeout ms]`. */
type Wait = [Int32Array, number, number, number];

/** Runs a lock's slow path, blocking this thread in `Atomics.wait` at each step. */
function runSync<T>(steps: Generator<Wait, T>): T {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    const [a, i, v, ms] = step.value;
    Atomics.wait(a, i, v, ms);
  }
}

/** Runs a lock's slow path, waiting with `Atomics.waitAsync` (the event loop keeps running). */
async function runAsync<T>(steps: Generator<Wait, T>): Promise<T> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    const [a, i, v, ms] = step.value;
    const r = waitAsync(a, i, v, ms);
    if (r.async) await r.value;
  }
}

/** The result of a wait that may complete at once or later (`Atomics.waitAsync`). */
type WaitAsyncResult = { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (
  Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, t: number) => WaitAsyncResult }
).waitAsync;

/** Looks at a busy lock's words this many times before sleeping in `Atomics.wait`. */
const SPIN = 64;

function wake(h: Int32Array, word: number): void {
  Atomics.add(h, word, 1);
  Atomics.notify(h, word);
}

/**
 * @internal One reader-writer lock per shard, on `Atomics`, seen by every attached thread.
 *
 * Readers announce themselves in their own thread slot (one cache line each) and then check the
 * shard's owner and intent words; a writer takes the owner word and waits until no thread slot
 * announces its shard (Dekker-style: with sequentially consistent atomics one of the two sees the
 * other). So readers of a shard never write a shared word and run in parallel; writers are
 * exclusive. A writer that has to wait marks the shard's intent word, and new readers wait while it
 * is set, so a waiting writer is not starved by a stream of readers. Every wait is an
 * `Atomics.wait` (or `waitAsync`) on a futex word, bounded by the lock timeout, never a spin.
 * Owner and intent words hold the thread slot (not a bare flag), so the locks of a thread that
 * died can be found and released ({@link ShardLocks.releaseSlot}).
 */
export class ShardLocks {
  /** Per shard: the header words (owner, intent, waiters, seq, drain...). */
  readonly heads: Int32Array[];
  /** The control buffer: thread slots. */
  readonly ctl: Int32Array;
  /** This map's thread slot + 1 (stored as owner / intent). */
  readonly me: number;
  /** The word of `ctl` where this thread announces the shard it reads. */
  readonly readWord: number;
  /** Milliseconds a wait may last before `LockTimeoutError`. */
  timeoutMs: number;

  constructor(heads: Int32Array[], ctl: Int32Array, slot: number, timeoutMs: number) {
    this.heads = heads;
    this.ctl = ctl;
    this.me = slot + 1;
    this.readWord = C_SLOTS_START + slot * SLOT_WORDS + S_READ;
    this.timeoutMs = timeoutMs;
  }

  // ---- Read lock ----

  /**
   * Takes the read lock of `s` if it is free right now. Returns 1 (taken), 0 (this map holds the
   * write lock of `s`: read under it) or -1 (must wait: call {@link readSlow} / {@link readAsync}).
   */
  tryRead(s: number): number {
    const h = this.heads[s] as Int32Array;
    Atomics.store(this.ctl, this.readWord, s + 1);
    if (Atomics.load(h, H_OWNER) === 0 && Atomics.load(h, H_INTENT) === 0) return 1;
    this.unannounce(h);
    return Atomics.load(h, H_OWNER) === this.me ? 0 : -1;
  }

  /** Waits (blocking this thread) for the read lock of `s`; returns what {@link tryRead} does, never -1. */
  readSlow(s: number): number {
    const got = this.spinRead(s);
    return got >= 0 ? got : runSync(this.readSteps(s));
  }

  /**
   * A short, bounded spin before sleeping: locks are usually held for well under a microsecond,
   * far less than a futex wait and wake-up. Watches the words without writing any; -1 if the
   * lock is still busy after {@link SPIN} looks.
   */
  private spinRead(s: number): number {
    const h = this.heads[s] as Int32Array;
    for (let i = 0; i < SPIN; i++) {
      if (Atomics.load(h, H_OWNER) === 0 && Atomics.load(h, H_INTENT) === 0) {
        const got = this.tryRead(s);
        if (got >= 0) return got;
      }
    }
    return -1;
  }

  /** Waits without blocking the event loop (`Atomics.waitAsync`) for the read lock of `s`. */
  readAsync(s: number): Promise<number> {
    const got = this.spinRead(s);
    return got >= 0 ? Promise.resolve(got) : runAsync(this.readSteps(s));
  }

  private *readSteps(s: number): Generator<Wait, number> {
    const h = this.heads[s] as Int32Array;
    const deadline = performance.now() + this.timeoutMs;
    Atomics.add(h, H_WAITERS, 1);
    try {
      for (;;) {
        const seq = Atomics.load(h, H_SEQ);
        const got = this.tryRead(s);
        if (got >= 0) return got;
        yield [h, H_SEQ, seq, this.left(deadline, s, 'read')];
      }
    } finally {
      Atomics.sub(h, H_WAITERS, 1);
    }
  }

  /** Releases the read lock of `s`. */
  unlockRead(s: number): void {
    this.unannounce(this.heads[s] as Int32Array);
  }

  private unannounce(h: Int32Array): void {
    Atomics.store(this.ctl, this.readWord, 0);
    // A writer holding the owner word may be waiting for this thread to leave.
    if (Atomics.load(h, H_OWNER) !== 0) wake(h, H_DRAIN);
  }

  // ---- Read lock on every shard (iteration, stats) ----

  /**
   * Reads every shard at once: announces "all" and checks that no shard is write-locked or
   * awaited by a writer (shards this map write-locks itself are fine). Waits on a busy shard
   * without holding anything, then tries again.
   */
  readAll(): void {
    runSync(this.readAllSteps());
  }

  /** Async twin of {@link readAll}. */
  readAllAsync(): Promise<void> {
    return runAsync(this.readAllSteps());
  }

  private *readAllSteps(): Generator<Wait, void> {
    const deadline = performance.now() + this.timeoutMs;
    for (;;) {
      const busy = this.tryReadAll();
      if (busy < 0) return;
      const h = this.heads[busy] as Int32Array;
      Atomics.add(h, H_WAITERS, 1);
      try {
        for (;;) {
          const seq = Atomics.load(h, H_SEQ);
          if (Atomics.load(h, H_OWNER) === 0 && Atomics.load(h, H_INTENT) === 0) break;
          yield [h, H_SEQ, seq, this.left(deadline, busy, 'read')];
        }
      } finally {
        Atomics.sub(h, H_WAITERS, 1);
      }
    }
  }

  /** Announces "all"; returns -1 when every shard is readable, else a busy shard (announcement withdrawn). */
  private tryReadAll(): number {
    Atomics.store(this.ctl, this.readWord, READ_ALL);
    const me = this.me;
    const heads = this.heads;
    for (let s = 0; s < heads.length; s++) {
      const h = heads[s] as Int32Array;
      const owner = Atomics.load(h, H_OWNER);
      if (owner === me) continue;
      if (owner !== 0 || Atomics.load(h, H_INTENT) !== 0) {
        this.unlockReadAll();
        return s;
      }
    }
    return -1;
  }

  /** Releases the read lock on every shard. */
  unlockReadAll(): void {
    Atomics.store(this.ctl, this.readWord, 0);
    for (const h of this.heads) if (Atomics.load(h, H_OWNER) !== 0) wake(h, H_DRAIN);
  }

  // ---- Write lock ----

  /**
   * Takes the write lock of `s` if no one holds it or waits for it. Returns 1 (taken, readers
   * still to drain), 0 (this map already holds it: reentrant, do not release) or -1 (must wait).
   */
  private tryWrite(s: number): number {
    const h = this.heads[s] as Int32Array;
    const me = this.me;
    const intent = Atomics.load(h, H_INTENT);
    if ((intent === 0 || intent === me) && Atomics.compareExchange(h, H_OWNER, 0, me) === 0) {
      if (intent === me) Atomics.compareExchange(h, H_INTENT, me, 0);
      return 1;
    }
    return Atomics.load(h, H_OWNER) === me ? 0 : -1;
  }

  /** Takes the write lock of `s` (waiting if needed); false if this map already held it. */
  lockWrite(s: number): boolean {
    let got = this.tryWrite(s);
    if (got === 0) return false;
    if (got < 0) got = this.spinWrite(s);
    if (got === 1 && this.spinReaders(s)) return this.opened(s);
    return runSync(this.writeSteps(s, got));
  }

  /** Async twin of {@link lockWrite}: waits with `Atomics.waitAsync`. */
  async lockWriteAsync(s: number): Promise<boolean> {
    let got = this.tryWrite(s);
    if (got === 0) return false;
    if (got < 0) got = this.spinWrite(s);
    if (got === 1 && this.spinReaders(s)) return this.opened(s);
    return runAsync(this.writeSteps(s, got));
  }

  /** A short, bounded spin for the owner word (see {@link spinRead}); 1 if taken, else -1. */
  private spinWrite(s: number): number {
    const h = this.heads[s] as Int32Array;
    for (let i = 0; i < SPIN; i++) {
      if (Atomics.load(h, H_OWNER) === 0 && this.tryWrite(s) === 1) return 1;
    }
    return -1;
  }

  /** With the owner word taken: a short, bounded spin until no thread reads `s`. */
  private spinReaders(s: number): boolean {
    for (let i = 0; i < SPIN; i++) if (this.noReaders(s)) return true;
    return false;
  }

  /** Whether no other thread announces a read of `s` (checked right after taking the owner word). */
  private noReaders(s: number): boolean {
    const ctl = this.ctl;
    const n = Atomics.load(ctl, C_HIGH_WATER);
    const mine = this.readWord;
    for (let word = C_SLOTS_START + S_READ; word < C_SLOTS_START + n * SLOT_WORDS; word += SLOT_WORDS) {
      if (word === mine) continue;
      const v = Atomics.load(ctl, word);
      if (v === s + 1 || v === READ_ALL) return false;
    }
    return true;
  }

  /**
   * The slow path of a write lock: unless `got` says the owner word is already taken, marks the
   * writer's intent (new readers then wait) and waits for the owner word; then waits until no
   * thread reads shard `s`. On a timeout everything taken is given back.
   */
  private *writeSteps(s: number, got: number): Generator<Wait, true> {
    const h = this.heads[s] as Int32Array;
    const deadline = performance.now() + this.timeoutMs;
    if (got < 0) {
      Atomics.add(h, H_WAITERS, 1);
      try {
        for (;;) {
          const seq = Atomics.load(h, H_SEQ);
          Atomics.compareExchange(h, H_INTENT, 0, this.me);
          if (this.tryWrite(s) === 1) break;
          const left = deadline - performance.now();
          if (left <= 0) {
            this.dropIntent(h);
            throw this.timeout(s, 'write');
          }
          yield [h, H_SEQ, seq, left];
        }
      } finally {
        Atomics.sub(h, H_WAITERS, 1);
      }
    }
    // The owner word is ours: wait for the readers that entered before it to leave.
    const ctl = this.ctl;
    const n = Atomics.load(ctl, C_HIGH_WATER);
    const mine = this.readWord;
    for (let word = C_SLOTS_START + S_READ; word < C_SLOTS_START + n * SLOT_WORDS; word += SLOT_WORDS) {
      if (word === mine) continue;
      for (;;) {
        const d = Atomics.load(h, H_DRAIN);
        const v = Atomics.load(ctl, word);
        if (v !== s + 1 && v !== READ_ALL) break;
        const left = deadline - performance.now();
        if (left <= 0) {
          this.release(h);
          throw this.timeout(s, 'write');
        }
        yield [h, H_DRAIN, d, left];
      }
    }
    return this.opened(s);
  }

  /** The write lock of `s` is held and its readers are gone: the version turns odd (writes may start). */
  private opened(s: number): true {
    Atomics.add(this.heads[s] as Int32Array, H_VERSION, 1);
    return true;
  }

  private dropIntent(h: Int32Array): void {
    // Readers held back by this writer's intent must hear that it gave up.
    if (Atomics.compareExchange(h, H_INTENT, this.me, 0) === this.me) wake(h, H_SEQ);
  }

  /** Releases the write lock of `s`. */
  unlockWrite(s: number): void {
    const h = this.heads[s] as Int32Array;
    Atomics.add(h, H_VERSION, 1); // even again: the shard is consistent
    this.release(h);
  }

  private release(h: Int32Array): void {
    Atomics.store(h, H_OWNER, 0);
    if (Atomics.load(h, H_WAITERS) !== 0) wake(h, H_SEQ);
  }

  /**
   * Write-locks every shard in ascending order (the one order every multi-shard lock uses).
   * Returns which shards this call took (the others were already held by this map); on a
   * timeout, releases what it took and throws.
   */
  lockAllWrite(): boolean[] {
    const taken: boolean[] = [];
    try {
      for (let s = 0; s < this.heads.length; s++) taken.push(this.lockWrite(s));
    } catch (e) {
      this.unlockAllWrite(taken);
      throw e;
    }
    return taken;
  }

  /** Async twin of {@link lockAllWrite}. */
  async lockAllWriteAsync(): Promise<boolean[]> {
    const taken: boolean[] = [];
    try {
      for (let s = 0; s < this.heads.length; s++) taken.push(await this.lockWriteAsync(s));
    } catch (e) {
      this.unlockAllWrite(taken);
      throw e;
    }
    return taken;
  }

  /** Releases the shards {@link lockAllWrite} took. */
  unlockAllWrite(taken: readonly boolean[]): void {
    for (let s = 0; s < taken.length; s++) if (taken[s]) this.unlockWrite(s);
  }

  /** Milliseconds left before `deadline`; throws `LockTimeoutError` for shard `s` when none are. */
  private left(deadline: number, s: number, mode: 'read' | 'write'): number {
    const left = deadline - performance.now();
    if (left <= 0) throw this.timeout(s, mode);
    return left;
  }

  private timeout(s: number, mode: 'read' | 'write'): LockTimeoutError {
    return new LockTimeoutError(s, this.timeoutMs, mode, this.ownerThread(s));
  }

  // ---- Dead threads ----

  /**
   * Releases everything the thread slot `slot` holds: its read announcement, the write locks
   * and writer intents it owns. Calls `repair(shard)` for each shard it was writing, while the
   * lock is still held, so the shard is made consistent before anyone else enters.
   */
  releaseSlot(slot: number, repair: (shard: number) => void): number {
    const ctl = this.ctl;
    const id = slot + 1;
    let released = 0;
    const readWord = C_SLOTS_START + slot * SLOT_WORDS + S_READ;
    if (Atomics.load(ctl, readWord) !== 0) {
      Atomics.store(ctl, readWord, 0);
      released++;
      for (const h of this.heads) if (Atomics.load(h, H_OWNER) !== 0) wake(h, H_DRAIN);
    }
    for (let s = 0; s < this.heads.length; s++) {
      const h = this.heads[s] as Int32Array;
      if (Atomics.compareExchange(h, H_INTENT, id, 0) === id) wake(h, H_SEQ);
      if (Atomics.load(h, H_OWNER) === id) {
        repair(s);
        // The dead holder may have died before or after making the version odd.
        if ((Atomics.load(h, H_VERSION) & 1) === 1) Atomics.add(h, H_VERSION, 1);
        Atomics.store(h, H_OWNER, 0);
        wake(h, H_SEQ);
        released++;
      }
    }
    Atomics.store(ctl, C_SLOTS_START + slot * SLOT_WORDS + S_THREAD, 0);
    return released;
  }

  /** The `threadId` of the thread write-locking `s`, if any. */
  ownerThread(s: number): number | undefined {
    const owner = Atomics.load(this.heads[s] as Int32Array, H_OWNER);
    if (owner === 0) return undefined;
    const tid = Atomics.load(this.ctl, C_SLOTS_START + (owner - 1) * SLOT_WORDS + S_THREAD);
    return tid === 0 ? undefined : tid - 1;
  }
}
