// The shared-map workload: conc-map-bench's mixes (ReadHeavy 98/1/1, Exchange 10/40/40/10 with
// 75% prefill, RapidGrow 5/80/5/10 from empty) on u32 and short string keys, measured as total
// ops/s of 1, 2 (and, on bigger machines, every core's) worker threads over one
// SharedShardedHashMap, against npm `sharedmap` (the SharedArrayBuffer map on npm) and an
// owner-thread `Map` served over postMessage (one call at a time, and 64 in flight), plus the
// single-thread `get` cost against a native `Map`. Every thread runs one implementation only,
// in its own isolate (threads.mjs), and every cell starts fresh threads.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel as NodeMessageChannel, Worker } from 'node:worker_threads';
import { codecs, SharedShardedHashMap } from '@starshard/shared';
import sharedmapModule from 'sharedmap';
import { currentEnvironment, type Environment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { formatNs, formatRate, formatRatio } from '../../report/format.js';
import { renderLogBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import { median } from '../../stats.js';
import type { Workload } from '../workload.js';

const THREADS_FILE = new URL('./threads.mjs', import.meta.url);
// sharedmap ships a UMD build whose default export is the class; its typings declare a named one.
const SharedMap = sharedmapModule as unknown as typeof import('sharedmap').SharedMap;

type KeyKind = 'u32' | 'string';
type Impl = 'shared' | 'sharedmap' | 'owner1' | 'owner64';
/** What a cell runs: an implementation, or the machine's control loop. */
type Subject = Impl | 'control';
interface Mix {
  readonly name: 'ReadHeavy' | 'Exchange' | 'RapidGrow';
  /** [read, insert, remove, update] in percent. */
  readonly ops: readonly [number, number, number, number];
  /** Fraction of the key space inserted before measuring. */
  readonly prefill: number;
  /** Inserts take fresh keys, so the map grows all along. */
  readonly grow: boolean;
}

const MIXES: readonly Mix[] = [
  { name: 'ReadHeavy', ops: [98, 1, 1, 0], prefill: 0.75, grow: false },
  { name: 'Exchange', ops: [10, 40, 40, 10], prefill: 0.75, grow: false },
  { name: 'RapidGrow', ops: [5, 80, 5, 10], prefill: 0, grow: true },
];
const KEY_KINDS: readonly KeyKind[] = ['u32', 'string'];
const IMPL_LABEL: Record<Impl, string> = {
  shared: 'SharedShardedHashMap',
  sharedmap: 'npm sharedmap',
  owner1: 'owner-thread Map, postMessage, 1 in flight',
  owner64: 'owner-thread Map, postMessage, 64 in flight',
};

interface Cell {
  readonly mix: Mix['name'];
  readonly keyKind: KeyKind;
  readonly impl: Impl;
  readonly threads: number;
  /** ops/s of each round. */
  readonly rounds: number[];
  /** What went wrong or was clipped (sharedmap full...). */
  readonly notes: string[];
}

interface SharedReport {
  readonly workload: 'shared';
  readonly title: string;
  readonly environment: Environment;
  readonly config: {
    readonly mode: 'quick' | 'full';
    readonly capacity: number;
    readonly warmupMs: number;
    readonly measureMs: number;
    readonly rounds: number;
    readonly threads: readonly number[];
  };
  readonly cells: readonly Cell[];
  /** Single-thread `get`: ns per get of each round, per key kind. */
  readonly singleGet: Record<KeyKind, { mapNs: number[]; sharedNs: number[] }>;
  /** The control loop (no shared memory): thousands of arithmetic steps per second, per thread count, each round. */
  readonly control: Record<string, number[]>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (kind: KeyKind, i: number) => (kind === 'u32' ? Math.imul(i, 0x9e3779b1) >>> 0 : `key:${i}`);

interface Plan {
  readonly capacity: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly sharedmapSize: number;
}

/** Measures one cell once: fresh map, prefill, fresh threads, warm-up, a timed window. */
async function measureCell(plan: Plan, mix: Mix, keyKind: KeyKind, impl: Subject, threads: number, notes: string[]) {
  const prefill = Math.floor(plan.capacity * mix.prefill);
  const control = new SharedArrayBuffer(8);
  const ctl = new Int32Array(control);
  const base = {
    role: 'client',
    impl,
    kind: keyKind,
    mix: mix.ops,
    capacity: plan.capacity,
    grow: mix.grow,
    control,
  };
  const workers: Worker[] = [];
  let shared: SharedShardedHashMap<string | number, number> | undefined;
  let owner: Worker | undefined;
  if (impl === 'control') {
    for (let t = 0; t < threads; t++)
      workers.push(new Worker(THREADS_FILE, { workerData: { role: 'control', id: t, control } }));
  } else if (impl === 'shared') {
    shared = new SharedShardedHashMap<string | number, number>({
      shards: 64,
      key: (keyKind === 'u32' ? codecs.number : codecs.string) as never,
      value: codecs.number,
      maxThreads: threads + 2,
    });
    for (let i = 0; i < prefill; i++) shared.set(keyOf(keyKind, i), i);
    for (let t = 0; t < threads; t++) {
      workers.push(new Worker(THREADS_FILE, { workerData: { ...base, id: t, handle: shared.handle } }));
    }
  } else if (impl === 'sharedmap') {
    const map = new SharedMap(plan.sharedmapSize, 16, 8);
    for (let i = 0; i < prefill; i++) map.set(String(keyOf(keyKind, i)), i);
    for (let t = 0; t < threads; t++) {
      workers.push(new Worker(THREADS_FILE, { workerData: { ...base, id: t, handle: map } }));
    }
  } else {
    const channels = Array.from({ length: threads }, () => new NodeMessageChannel());
    const ports = channels.map((c) => c.port1);
    const entries = Array.from({ length: prefill }, (_, i) => [keyOf(keyKind, i), i]);
    owner = new Worker(THREADS_FILE, { workerData: { role: 'owner', ports, prefill: entries }, transferList: ports });
    await new Promise((resolve) => owner?.once('message', resolve));
    for (let t = 0; t < threads; t++) {
      const port = channels[t]?.port2 as import('node:worker_threads').MessagePort;
      workers.push(
        new Worker(THREADS_FILE, {
          workerData: { ...base, id: t, port, lanes: impl === 'owner64' ? 64 : 1 },
          transferList: [port],
        }),
      );
    }
  }
  const results = workers.map(
    (w) =>
      new Promise<{ ops: number }>((resolve, reject) => {
        w.on('message', (m: { ops?: number; note?: string }) => {
          if (m.note !== undefined) notes.push(m.note);
          else resolve(m as { ops: number });
        });
        w.once('error', reject);
      }),
  );
  while (Atomics.load(ctl, 1) < threads) await sleep(2);
  await sleep(plan.warmupMs);
  Atomics.store(ctl, 0, 1);
  const started = performance.now();
  await sleep(plan.measureMs);
  Atomics.store(ctl, 0, 2);
  const elapsed = performance.now() - started;
  const ops = (await Promise.all(results)).reduce((sum, r) => sum + r.ops, 0);
  await Promise.all(workers.map((w) => w.terminate()));
  await owner?.terminate();
  shared?.close();
  return ops / (elapsed / 1000);
}

async function measureSingleGet(plan: Plan, keyKind: KeyKind, rounds: number, getsPerRound: number) {
  const worker = new Worker(THREADS_FILE, {
    workerData: { role: 'single', kind: keyKind, capacity: plan.capacity, rounds, getsPerRound },
  });
  const result = await new Promise<{ mapNs: number[]; sharedNs: number[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  return result;
}

function threadCounts(cores: number): number[] {
  return cores > 2 ? [1, 2, cores] : [1, 2];
}

function rate(report: SharedReport, mix: string, keyKind: KeyKind, impl: Impl, threads: number): number {
  const cell = report.cells.find(
    (c) => c.mix === mix && c.keyKind === keyKind && c.impl === impl && c.threads === threads,
  );
  return cell === undefined ? Number.NaN : median(cell.rounds);
}

function renderTables(report: SharedReport): string {
  const out: string[] = [];
  const threads = report.config.threads;
  for (const keyKind of KEY_KINDS) {
    const rows: string[][] = [];
    for (const mix of MIXES) {
      for (const impl of Object.keys(IMPL_LABEL) as Impl[]) {
        for (const t of threads) {
          const cell = report.cells.find(
            (c) => c.mix === mix.name && c.keyKind === keyKind && c.impl === impl && c.threads === t,
          );
          if (cell === undefined) continue;
          const ops = median(cell.rounds);
          const ours = rate(report, mix.name, keyKind, 'shared', t);
          const spread =
            cell.rounds.length > 1
              ? `${formatRate(Math.min(...cell.rounds))}–${formatRate(Math.max(...cell.rounds))}`
              : '';
          rows.push([
            mix.name,
            IMPL_LABEL[impl],
            String(t),
            formatRate(ops),
            spread,
            impl === 'shared'
              ? formatRatio(ops / rate(report, mix.name, keyKind, 'shared', 1))
              : formatRatio(ours / ops),
            cell.notes.length > 0 ? (cell.notes[0]?.slice(0, 60) ?? '') : '',
          ]);
        }
      }
    }
    out.push(
      `### ${keyKind === 'u32' ? 'u32' : 'short string ("key:" + i)'} keys, total ops/s (median of ${report.config.rounds} round(s))\n\n` +
        renderTable(
          [
            { header: 'mix' },
            { header: 'implementation' },
            { header: 'threads', align: 'right' },
            { header: 'ops/s', align: 'right' },
            { header: 'spread', align: 'right' },
            { header: 'ratio', align: 'right' },
            { header: 'note' },
          ],
          rows,
        ),
      'ratio: SharedShardedHashMap rows are ÷ its own 1-thread figure (scaling); other rows are SharedShardedHashMap ÷ that row at the same thread count.\n',
    );
  }
  const targets: string[][] = [];
  for (const keyKind of KEY_KINDS) {
    const scale = rate(report, 'ReadHeavy', keyKind, 'shared', 2) / rate(report, 'ReadHeavy', keyKind, 'shared', 1);
    targets.push([
      keyKind,
      'ReadHeavy: 2 threads ÷ 1 thread',
      '≥ 1.7×',
      formatRatio(scale),
      scale >= 1.7 ? 'met' : 'missed',
    ]);
    for (const [impl, goal] of [
      ['sharedmap', 10],
      ['owner1', 20],
      ['owner64', 2],
    ] as const) {
      for (const t of threads) {
        const ratio = rate(report, 'ReadHeavy', keyKind, 'shared', t) / rate(report, 'ReadHeavy', keyKind, impl, t);
        targets.push([
          keyKind,
          `ReadHeavy ${t} thread(s) ÷ ${IMPL_LABEL[impl]}`,
          `≥ ${goal}×`,
          formatRatio(ratio),
          ratio >= goal ? 'met' : 'missed',
        ]);
      }
    }
    const single = report.singleGet[keyKind];
    const m = median(single.mapNs);
    const s = median(single.sharedNs);
    targets.push([
      keyKind,
      `single-thread get: ${formatNs(s)} ns vs Map ${formatNs(m)} ns`,
      'report',
      formatRatio(s / m),
      '',
    ]);
  }
  const ceiling: string[][] = threads.map((t) => {
    const perSecond = median(report.control?.[t] ?? []);
    return [
      String(t),
      `${formatRate(perSecond * 1000)} steps/s`,
      formatRatio(perSecond / median(report.control?.[1] ?? [])),
    ];
  });
  out.push(
    `### Control: what the machine gave T threads during this run\n\n${renderTable(
      [
        { header: 'threads', align: 'right' },
        { header: 'arithmetic loop', align: 'right' },
        { header: '÷ 1 thread', align: 'right' },
      ],
      ceiling,
    )}\nA loop touching no shared memory: the ceiling for any map's scaling on this machine at this time (other processes share its cores).\n`,
  );
  out.push(
    `### Targets\n\n${renderTable(
      [
        { header: 'keys' },
        { header: 'what' },
        { header: 'target' },
        { header: 'measured', align: 'right' },
        { header: '' },
      ],
      targets,
    )}`,
  );
  return `${out.join('\n')}\n`;
}

function renderChart(report: SharedReport): string {
  const threads = report.config.threads;
  const impls = Object.keys(IMPL_LABEL) as Impl[];
  const colors = ['#2563eb', '#60a5fa', '#f97316', '#a3a3a3', '#525252', '#16a34a', '#86efac', '#facc15'];
  const series = impls.flatMap((impl) => threads.map((t) => ({ impl, t })));
  return renderLogBarChart({
    title: 'One map, several threads: total ops/s (log scale)',
    subtitle: [
      `conc-map-bench mixes, capacity ${report.config.capacity} keys, ${report.environment.cores} cores (${report.config.mode})`,
    ],
    series: series.map(({ impl, t }, i) => ({
      label: `${IMPL_LABEL[impl]} × ${t}`,
      color: colors[i % colors.length] as string,
    })),
    groups: KEY_KINDS.flatMap((keyKind) =>
      MIXES.map((mix) => ({
        label: `${mix.name}, ${keyKind}`,
        values: series.map(({ impl, t }) => {
          const v = rate(report, mix.name, keyKind, impl, t);
          return Number.isFinite(v) && v > 0 ? v : undefined;
        }),
      })),
    ),
    format: formatRate,
    axisLabel: 'operations per second, all threads together',
    notes: ['Every thread runs one implementation in its own isolate; fresh threads per cell; medians over rounds.'],
    labelWidth: 170,
  });
}

function publish(report: SharedReport, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n## shared: ${report.title}\n\n${renderTables(report)}`);
  const files = [writeResultFile(options.outDir, 'shared.svg', renderChart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'shared.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** The shared-map workload (one map across worker threads). */
export const sharedWorkload: Workload = {
  id: 'shared',
  aliases: ['shared-map', 'conc-map-bench'],
  title: 'one map across worker threads: SharedShardedHashMap vs sharedmap vs an owner thread over postMessage',
  async run(options) {
    const environment = currentEnvironment();
    const quick = options.quick;
    const plan: Plan = {
      capacity: quick ? 1 << 14 : 1 << 17,
      warmupMs: quick ? 80 : 300,
      measureMs: quick ? 200 : 1000,
      sharedmapSize: quick ? 1 << 20 : 1 << 22,
    };
    const rounds = options.rounds ?? (quick ? 1 : 2);
    const threads = threadCounts(environment.cores);
    const impls = Object.keys(IMPL_LABEL) as Impl[];
    const cells: Cell[] = [];
    for (const mix of MIXES) {
      for (const keyKind of KEY_KINDS) {
        for (const impl of impls)
          for (const t of threads) cells.push({ mix: mix.name, keyKind, impl, threads: t, rounds: [], notes: [] });
      }
    }
    const progress = new Progress('shared', (cells.length + threads.length) * rounds + KEY_KINDS.length);
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round, so drift on a shared machine lands on every implementation.
      const order = cells.map((_, i) => cells[(i + round * 7) % cells.length] as Cell);
      for (const cell of order) {
        progress.next(`${cell.mix} ${cell.keyKind} · ${IMPL_LABEL[cell.impl]} × ${cell.threads}`);
        const mix = MIXES.find((m) => m.name === cell.mix) as Mix;
        cell.rounds.push(await measureCell(plan, mix, cell.keyKind, cell.impl, cell.threads, cell.notes));
      }
    }
    const control: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const t of threads) {
        progress.next(`control loop × ${t}`);
        const rates = control[t] ?? [];
        rates.push(await measureCell(plan, MIXES[0] as Mix, 'u32', 'control', t, []));
        control[t] = rates;
      }
    }
    const singleGet = {} as SharedReport['singleGet'];
    for (const keyKind of KEY_KINDS) {
      progress.next(`single-thread get · ${keyKind}`);
      singleGet[keyKind] = await measureSingleGet(plan, keyKind, quick ? 3 : 7, quick ? 200_000 : 1_000_000);
    }
    progress.done();
    publish(
      {
        workload: 'shared',
        title: `conc-map-bench mixes over ${plan.capacity} keys, ${threads.join('/')} threads`,
        environment,
        config: {
          mode: quick ? 'quick' : 'full',
          capacity: plan.capacity,
          warmupMs: plan.warmupMs,
          measureMs: plan.measureMs,
          rounds,
          threads,
        },
        cells,
        singleGet,
        control,
      },
      options,
      true,
    );
  },
  async render(options) {
    const file = path.join(options.outDir, 'shared.json');
    publish(JSON.parse(readFileSync(file, 'utf8')) as SharedReport, options, false);
  },
};
