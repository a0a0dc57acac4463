// Worker threads of the shared-map workload (plain JavaScript: worker threads do not inherit
// tsx's loader). Each thread runs one implementation only, in its own V8 isolate, so no
// implementation pays for another's type feedback.
//
// Roles (workerData.role):
// - 'client': runs the op mix of workerData.mix against workerData.impl until told to stop,
//   counting the operations done while the parent's control word says "measure".
// - 'owner': the owner thread of the postMessage anchor: a plain Map answering requests.
// - 'single': single-thread get cost, SharedShardedHashMap against native Map in one thread.
// - 'control': a pure arithmetic loop touching no shared memory: what T threads can get from
//   the machine at that moment (the ceiling any map's scaling is measured against).
import { parentPort, workerData } from 'node:worker_threads';
import { codecs, SharedShardedHashMap } from '@starshard/shared';
import SharedMap from 'sharedmap';

/** Operation codes of an op stream. */
const READ = 0;
const INSERT = 1;
const REMOVE = 2;
const UPDATE = 3;
/** Control words: [phase (0 warm-up, 1 measure, 2 stop), threads ready]. */
const PHASE = 0;
const READY = 1;
/** Operations between two looks at the control word. */
const BATCH = 128;
/** Length of a thread's precomputed op stream (cycled). */
const STREAM = 1 << 16;

/** A small seeded PRNG (mulberry32): the same streams in every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The key of index `i`: a u32 spread over the range, or `"key:" + i`. */
function keyOf(kind, i) {
  return kind === 'u32' ? Math.imul(i, 0x9e3779b1) >>> 0 : JSON.parse(JSON.stringify(`key:${i}`));
}

/**
 * The op stream of thread `id`: op codes drawn from `mix` ([read, insert, remove, update] in %)
 * and key indices. Steady mixes draw keys from [0, capacity); a growing mix inserts fresh keys
 * (the thread's own range) and reads, updates or removes keys it inserted recently.
 */
function buildStream(mix, id, capacity, grow) {
  const rand = prng(0x5eed + id * 7919);
  const ops = new Uint8Array(STREAM);
  const idx = new Uint32Array(STREAM);
  let fresh = 0;
  for (let i = 0; i < STREAM; i++) {
    const r = rand() * 100;
    const op = r < mix[0] ? READ : r < mix[0] + mix[1] ? INSERT : r < mix[0] + mix[1] + mix[2] ? REMOVE : UPDATE;
    ops[i] = op;
    if (!grow) idx[i] = Math.floor(rand() * capacity);
    else if (op === INSERT) idx[i] = fresh++;
    else idx[i] = fresh === 0 ? 0 : Math.max(0, fresh - 1 - Math.floor(rand() * Math.min(fresh, 1024)));
  }
  return { ops, idx, fresh };
}

/** Key table of a thread: steady mixes share [0, capacity); a growing mix has its own range per pass. */
function keyTable(kind, id, capacity, grow, fresh) {
  const n = grow ? fresh : capacity;
  const keys = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = keyOf(kind, grow ? capacity + id * (1 << 24) + i : i);
  return keys;
}

/** A sync adapter over one implementation: get / insert / remove / update. */
function syncAdapter(impl, handle, kind) {
  if (impl === 'shared') {
    const map = SharedShardedHashMap.attach(handle);
    return {
      get: (k) => map.get(k),
      insert: (k, v) => map.set(k, v),
      remove: (k) => map.delete(k),
      update: (k, v) => map.set(k, v),
    };
  }
  // sharedmap: string keys (u32 keys as their decimal text, the way its docs store numbers).
  const map = handle;
  Object.setPrototypeOf(map, SharedMap.prototype);
  const str = kind === 'u32' ? (k) => String(k) : (k) => k;
  return {
    get: (k) => map.get(str(k)),
    insert: (k, v) => map.set(str(k), v),
    remove: (k) => {
      // sharedmap's delete throws for an absent key: look first (another thread may still win the race).
      const key = str(k);
      if (!map.has(key)) return;
      try {
        map.delete(key);
      } catch {}
    },
    update: (k, v) => map.set(str(k), v),
  };
}

function runClientSync() {
  const { impl, handle, kind, mix, id, capacity, grow, control } = workerData;
  const ctl = new Int32Array(control);
  const map = syncAdapter(impl, handle, kind);
  const stream = buildStream(mix, id, capacity, grow);
  let keys = keyTable(kind, id, capacity, grow, stream.fresh);
  let pass = 0;
  let counted = 0;
  let full = false;
  Atomics.add(ctl, READY, 1);
  let i = 0;
  for (;;) {
    const phase = Atomics.load(ctl, PHASE);
    if (phase === 2) break;
    const { ops, idx } = stream;
    for (let b = 0; b < BATCH; b++, i++) {
      if (i === STREAM) {
        i = 0;
        if (grow) {
          // Next pass: a fresh key range, so inserts keep growing the map.
          pass++;
          keys = keyTable(kind, id + pass * 64, capacity, grow, stream.fresh);
        }
      }
      const k = keys[idx[i]];
      switch (ops[i]) {
        case READ:
          map.get(k);
          break;
        case INSERT:
          try {
            map.insert(k, i);
          } catch (e) {
            // sharedmap is allocated once: past its size it throws; note it and go on with the rest.
            if (!full) parentPort.postMessage({ note: `${impl}: ${e.message}` });
            full = true;
          }
          break;
        case REMOVE:
          map.remove(k);
          break;
        default:
          map.update(k, i);
      }
    }
    if (phase === 1) counted += BATCH;
  }
  parentPort.postMessage({ ops: counted, full });
}

/** Client of the owner thread: `lanes` requests in flight (1: one call at a time). */
async function runClientAsync() {
  const { kind, mix, id, capacity, grow, control, port, lanes } = workerData;
  const ctl = new Int32Array(control);
  const stream = buildStream(mix, id, capacity, grow);
  const keys = keyTable(kind, id, capacity, grow, stream.fresh);
  const waiting = new Array(lanes);
  port.on('message', (reply) => {
    const resolve = waiting[reply];
    waiting[reply] = undefined;
    resolve();
  });
  let counted = 0;
  let next = 0;
  Atomics.add(ctl, READY, 1);
  async function lane(l) {
    for (;;) {
      const phase = Atomics.load(ctl, PHASE);
      if (phase === 2) return;
      const i = next++ & (STREAM - 1);
      await new Promise((resolve) => {
        waiting[l] = resolve;
        port.postMessage([l, stream.ops[i], keys[stream.idx[i]], i]);
      });
      if (phase === 1) counted++;
    }
  }
  await Promise.all(Array.from({ length: lanes }, (_, l) => lane(l)));
  port.close();
  parentPort.postMessage({ ops: counted, full: false });
}

/** The owner thread: one Map, requests from every client port, answered one by one. */
function runOwner() {
  const { ports } = workerData;
  const map = new Map();
  for (const [k, v] of workerData.prefill) map.set(k, v);
  for (const port of ports) {
    port.on('message', ([lane, op, k, v]) => {
      if (op === READ) map.get(k);
      else if (op === REMOVE) map.delete(k);
      else map.set(k, v);
      port.postMessage(lane);
    });
  }
  parentPort.postMessage({ ready: true });
}

/** Single-thread get: ns per get for SharedShardedHashMap and Map over the same keys, in turns. */
function runSingle() {
  const { kind, capacity, rounds, getsPerRound } = workerData;
  const keys = keyTable(kind, 0, capacity, false, 0);
  const native = new Map();
  const shared = new SharedShardedHashMap({
    key: kind === 'u32' ? codecs.number : codecs.string,
    value: codecs.number,
  });
  for (let i = 0; i < capacity; i++) {
    native.set(keys[i], i);
    shared.set(keys[i], i);
  }
  const order = new Uint32Array(getsPerRound);
  const rand = prng(42);
  for (let i = 0; i < getsPerRound; i++) order[i] = Math.floor(rand() * capacity);
  const time = (get) => {
    let sum = 0;
    const t = process.hrtime.bigint();
    for (let i = 0; i < getsPerRound; i++) sum += get(keys[order[i]]);
    const ns = Number(process.hrtime.bigint() - t) / getsPerRound;
    if (sum < 0) throw new Error('unreachable');
    return ns;
  };
  const mapNs = [];
  const sharedNs = [];
  for (let r = 0; r < rounds; r++) {
    mapNs.push(time((k) => native.get(k)));
    sharedNs.push(time((k) => shared.get(k)));
  }
  shared.close();
  parentPort.postMessage({ mapNs, sharedNs });
}

/** The control: arithmetic only, counted like a client's operations (1 000 steps per count). */
function runControl() {
  const ctl = new Int32Array(workerData.control);
  let x = workerData.id + 1;
  let counted = 0;
  Atomics.add(ctl, READY, 1);
  for (;;) {
    const phase = Atomics.load(ctl, PHASE);
    if (phase === 2) break;
    for (let i = 0; i < 1000; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    if (phase === 1) counted++;
  }
  parentPort.postMessage({ ops: counted + (x & 0), full: false });
}

switch (workerData.role) {
  case 'control':
    runControl();
    break;
  case 'client':
    if (workerData.impl === 'shared' || workerData.impl === 'sharedmap') runClientSync();
    else await runClientAsync();
    break;
  case 'owner':
    runOwner();
    break;
  case 'single':
    runSingle();
    break;
  default:
    throw new Error(`unknown role ${workerData.role}`);
}
