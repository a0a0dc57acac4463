// The child side of workload 1: one implementation's maps, measured slice by slice on request.

import { type AnyImplementation, IMPLEMENTATIONS } from '../../implementations/index.js';
import { buildKeys, type Key } from '../../keys.js';
import { measureNsPerOp } from '../../measure.js';
import { mulberry32 } from '../../prng.js';
import type { Op, SizedBalance, Workload1Job, Workload1Reply, Workload1Request } from './job.js';
import { accessStream, MIX_BLOCK, mixStream, OP_GET, OP_INSERT } from './streams.js';

/** Lookup streams are at least this long, so a 1k-key set is read in many different orders. */
const MIN_STREAM = 1 << 16;

/** Hits and operations seen by the timed loops: checked after each slice, and keeps results live. */
const tally = { hits: 0, ops: 0 };

/** A batch of `batch` lookups, resuming where the previous batch stopped. */
function getBatch(impl: AnyImplementation, map: unknown, stream: readonly Key[], batch: number): () => void {
  const length = stream.length;
  let cursor = 0;
  return () => {
    let i = cursor;
    let hits = 0;
    for (let j = 0; j < batch; j++) {
      if (impl.get(map, stream[i] as Key) !== undefined) hits++;
      if (++i === length) i = 0;
    }
    cursor = i;
    tally.hits += hits;
    tally.ops += batch;
  };
}

/** A batch of `batch` steps of a 98-1-1 stream, resuming where the previous batch stopped. */
function mixBatch(
  impl: AnyImplementation,
  map: unknown,
  ops: Uint8Array,
  keys: readonly Key[],
  batch: number,
): () => void {
  const length = ops.length;
  let cursor = 0;
  return () => {
    let i = cursor;
    let hits = 0;
    for (let j = 0; j < batch; j++) {
      const op = ops[i];
      const key = keys[i] as Key;
      if (op === OP_GET) {
        if (impl.get(map, key) !== undefined) hits++;
      } else if (op === OP_INSERT) impl.insert(map, key, i);
      else impl.remove(map, key);
      if (++i === length) i = 0;
    }
    cursor = i;
    tally.hits += hits;
    tally.ops += batch;
  };
}

/** A fill of an empty map with every key, in random order: growth and shard allocation included. */
function fillBatch(impl: AnyImplementation, order: readonly Key[]): () => void {
  const n = order.length;
  return () => {
    const map = impl.create();
    for (let j = 0; j < n; j++) impl.insert(map, order[j] as Key, j);
    tally.ops += n;
  };
}

/** A cell ready to measure: its batch function and how many operations one call does. */
interface Cell {
  readonly batch: () => void;
  readonly opsPerIteration: number;
  /** Whether the cell had its first, longer warm-up. */
  warmed: boolean;
}

/** Runs `batch` for about `ms` milliseconds, untimed. */
function spin(batch: () => void, ms: number): void {
  const end = performance.now() + ms;
  do batch();
  while (performance.now() < end);
}

/**
 * Opens a workload-1 session in this process: builds every size's keys, streams and filled map
 * now, and returns the request handler. A `measure` request times one slice of one cell (after a
 * longer warm-up the first time) and checks that gets found their keys.
 *
 * @example
 * const handle = openWorkload1Session(job, console.error);
 * handle({ type: 'measure', size: 1000, op: 'get', timing: { timeMs: 50, warmupMs: 15 } });
 */
export function openWorkload1Session(
  job: Workload1Job,
  progress: (text: string) => void,
): (request: Workload1Request) => Workload1Reply {
  const impl = IMPLEMENTATIONS[job.impl]();
  const cells = new Map<string, Cell>();
  const balances: SizedBalance[] = [];
  for (const size of job.sizes) {
    progress(`building ${size.toLocaleString('en-US')} keys`);
    const rng = mulberry32(job.seed ^ size);
    const keys = buildKeys(job.keyKind, size, rng, job.keyForm);
    const fillOrder = accessStream(keys, size, rng);
    const lookups = accessStream(keys, Math.max(size, MIN_STREAM), rng);
    const mix = mixStream(keys, Math.ceil(Math.max(size, MIN_STREAM) / MIX_BLOCK), rng);
    const map = impl.create();
    for (let i = 0; i < size; i++) impl.insert(map, fillOrder[i] as Key, i);
    const balance = impl.balance(map);
    if (balance !== undefined) balances.push({ size, balance });
    cells.set(`${size}:get`, {
      batch: getBatch(impl, map, lookups, job.batch),
      opsPerIteration: job.batch,
      warmed: false,
    });
    cells.set(`${size}:mix`, {
      batch: mixBatch(impl, map, mix.ops, mix.keys, job.batch),
      opsPerIteration: job.batch,
      warmed: false,
    });
    cells.set(`${size}:insert`, { batch: fillBatch(impl, fillOrder), opsPerIteration: size, warmed: false });
  }

  return (request) => {
    if (request.type === 'balances') return balances;
    const { size, op } = request;
    const cell = cells.get(`${size}:${op}`);
    if (cell === undefined) throw new Error(`no cell ${op} at size ${size}`);
    if (!cell.warmed) {
      spin(cell.batch, job.firstWarmupMs);
      cell.warmed = true;
    }
    (globalThis as { gc?: () => void }).gc?.();
    tally.hits = 0;
    tally.ops = 0;
    const samples = measureNsPerOp(op, cell.batch, cell.opsPerIteration, request.timing);
    check(job, op, size);
    return samples;
  };
}

/** Throws if a slice's gets missed keys that must be present. */
function check(job: Workload1Job, op: Op, size: number): void {
  if (op === 'get' && tally.hits !== tally.ops) {
    throw new Error(`${job.impl} (${size} ${job.keyKind} keys): ${tally.ops - tally.hits} of ${tally.ops} gets missed`);
  }
  if (op === 'mix' && tally.hits < tally.ops * 0.95) {
    throw new Error(`${job.impl} (${size} ${job.keyKind} keys): the mix found only ${tally.hits} of ${tally.ops} keys`);
  }
}
