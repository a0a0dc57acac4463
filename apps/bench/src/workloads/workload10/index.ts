// Workload 10 (BENCH.md): serialize and deserialize 1M entries with @starshard/serde, against
// JSON.stringify / JSON.parse of the same [key, value] pairs. Target: at least 0.5× their
// throughput. Each (implementation, value kind, round) runs in its own child process
// (./child.ts), in rotated order per round.

import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentEnvironment, type Environment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { formatCount, formatRatio } from '../../report/format.js';
import { renderHorizontalBarChart } from '../../report/svg.js';
import type { Workload } from '../workload.js';
import {
  WORKLOAD10_IMPLS,
  WORKLOAD10_LABELS,
  type Workload10ChildResult,
  type Workload10Impl,
  type Workload10Job,
  type Workload10Message,
  type Workload10Request,
  type Workload10Values,
} from './job.js';

/** BENCH.md's target: throughput at least this fraction of JSON.stringify / JSON.parse. */
const TARGET = 0.5;
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const VALUE_KINDS: readonly Workload10Values[] = ['number', 'object'];

interface Config {
  readonly mode: 'quick' | 'full';
  readonly entries: number;
  readonly shards: number;
  readonly rounds: number;
  /** Timed iterations per child. */
  readonly iterations: number;
  /**
   * Entries and iterations of the serializr path (`serde-schema`), which is one to two orders of
   * magnitude slower: measured on fewer entries, compared by throughput (entries per second).
   */
  readonly schemaEntries: number;
  readonly schemaIterations: number;
}

function configFor(options: BenchOptions): Config {
  return options.quick
    ? {
        mode: 'quick',
        entries: 100_000,
        shards: 64,
        rounds: options.rounds ?? 1,
        iterations: 3,
        schemaEntries: 20_000,
        schemaIterations: 2,
      }
    : {
        mode: 'full',
        entries: 1_000_000,
        shards: 64,
        rounds: options.rounds ?? 2,
        iterations: 5,
        schemaEntries: 100_000,
        schemaIterations: 3,
      };
}

/** One implementation and value kind, pooled over rounds. */
interface Result {
  readonly impl: Workload10Impl;
  readonly values: Workload10Values;
  /** Entries per operation (the serializr path runs on fewer: see the config). */
  readonly entries: number;
  readonly serializeMs: number;
  readonly deserializeMs: number;
  /** Throughput (entries per second, from the median time) ÷ the anchor's. */
  readonly serializeRatio: number;
  readonly deserializeRatio: number;
  /** The same ratio within each round. */
  readonly roundRatios: { readonly serialize: number; readonly deserialize: number }[];
  readonly entriesPerSecond: { readonly serialize: number; readonly deserialize: number };
  readonly textLength: number;
  readonly checked: boolean;
  readonly met?: boolean;
}

interface Report {
  readonly workload: '10';
  readonly title: string;
  readonly environment: Environment;
  readonly config: Config;
  readonly method: readonly string[];
  readonly results: readonly Result[];
}

const METHOD = [
  'One child process per (implementation, value kind, round), forked with tsx and --expose-gc; in each round the implementations run one after another in rotated order.',
  'Each child builds the pairs ["key:" + i, value] and a ShardedHashMap (64 shards) of them, then alternates serialize and deserialize, a forced GC before each, one warm-up of each, then the timed iterations.',
  'Anchor: JSON.stringify(pairs) and JSON.parse(text). serde: JSON.stringify(serializeMap(map, opts)) and deserializeMap(text, opts), i.e. map to text and text to a new map. stream: serializeMapStream collected into an array of chunks, and deserializeMapStream of those chunks.',
  'Values: numbers (i), or objects { id, name, score } (class instances through object(schema) on the serializr path, plain JSON elsewhere). Every deserialized map is checked (size and probed values).',
  "Figures: median ms per whole operation over every iteration of every round; ratio = this one's throughput (entries per second at the median) ÷ the anchor's. The serializr path (serde-schema) runs on fewer entries (config.schemaEntries): it is one to two orders of magnitude slower.",
];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function runChild(job: Workload10Job): Promise<Workload10ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: [...process.execArgv, '--expose-gc'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (message: Workload10Message) => {
      settled = true;
      if (message.type === 'result') resolve(message.result);
      else reject(new Error(`workload 10 child (${job.impl}, ${job.values}) failed:\n${message.message}`));
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`workload 10 child (${job.impl}, ${job.values}) exited with code ${code}`));
    });
    child.send({ type: 'run', job } satisfies Workload10Request);
  });
}

/**
 * {@link runChild}, retried once (after 5 s) when the child could not load a workspace package:
 * on a shared work tree another build may be replacing a package's dist/ at that moment.
 */
async function runChildRetrying(job: Workload10Job): Promise<Workload10ChildResult> {
  try {
    return await runChild(job);
  } catch (error) {
    if (!String(error).includes('exited with code')) throw error;
    process.stderr.write(`workload 10: ${(error as Error).message}; retrying once\n`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return runChild(job);
  }
}

function renderTable(report: Report): string {
  const { config } = report;
  const lines = [
    `### Workload 10: serialize / deserialize ${formatCount(config.entries)} entries (${config.mode}, ${config.rounds} round${config.rounds === 1 ? '' : 's'})`,
    '',
    `Target: serde (no schema) at least ${TARGET}× the throughput of JSON.stringify / JSON.parse of the same pairs.`,
    '',
    '| values | implementation | entries | serialize ms | ratio | deserialize ms | ratio | per round (ser / de) | checked |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of report.results) {
    const rounds = r.roundRatios.map((x) => `${x.serialize.toFixed(2)} / ${x.deserialize.toFixed(2)}`).join(', ');
    const met = r.met === undefined ? '' : r.met ? ' ✓' : ' ✗';
    lines.push(
      `| ${r.values} | ${WORKLOAD10_LABELS[r.impl]}${met} | ${formatCount(r.entries)} | ${r.serializeMs.toFixed(0)} | ${formatRatio(r.serializeRatio)} | ${r.deserializeMs.toFixed(0)} | ${formatRatio(r.deserializeRatio)} | ${rounds} | ${r.checked ? 'yes' : 'NO'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Short bar labels (the table has the long ones). */
const SHORT_LABELS: Readonly<Record<Workload10Impl, string>> = {
  json: 'JSON (anchor)',
  serde: 'serde, no schema',
  'serde-primitive': 'serde, primitive()',
  'serde-schema': 'serde, serializr schemas',
  'serde-stream': 'serde, NDJSON stream',
};

/** One bar per (values, implementation, direction): throughput ÷ the anchor's, the target marked. */
function renderChart(report: Report): string {
  const bars = report.results
    .filter((r) => r.impl !== 'json')
    .flatMap((r) =>
      (['serialize', 'deserialize'] as const).map((dir) => {
        const ratio = dir === 'serialize' ? r.serializeRatio : r.deserializeRatio;
        return {
          label: `${r.values} · ${SHORT_LABELS[r.impl]} · ${dir === 'serialize' ? 'ser' : 'de'}`,
          value: ratio,
          caption: `${formatRatio(ratio)} of JSON.${dir === 'serialize' ? 'stringify' : 'parse'}`,
          color: ratio >= TARGET ? '#1d4ed8' : '#9ca3af',
        };
      }),
    );
  const { config, environment } = report;
  return renderHorizontalBarChart({
    title: `Workload 10: serialize / deserialize ${formatCount(config.entries)} entries`,
    subtitle: `Throughput ÷ JSON.stringify / JSON.parse of the same pairs (higher is better); ${config.mode} run, ${config.rounds} round(s); Node ${environment.node}, load ${environment.loadAverage}.`,
    bars,
    markers: [
      { value: TARGET, label: `target ≥ ${TARGET}×`, color: '#dc2626' },
      { value: 1, label: 'JSON', color: '#6b7280' },
    ],
    max: Math.max(1.2, ...bars.map((b) => b.value)),
    labelWidth: 330,
    notes: [
      `The serializr path runs on ${formatCount(config.schemaEntries)} entries and is compared by entries per second.`,
      'Blue: at or above the target; grey: below it.',
    ],
  });
}

function publish(report: Report, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderTable(report)}`);
  if (writeJson) process.stdout.write(`wrote ${writeResultFile(options.outDir, 'workload-10.json', toJson(report))}\n`);
  process.stdout.write(`wrote ${writeResultFile(options.outDir, 'workload-10.svg', renderChart(report))}\n`);
}

/** Workload 10: serde against JSON.stringify / JSON.parse of the same pairs. */
export const workload10: Workload = {
  id: '10',
  aliases: ['workload10', 'serde'],
  title: 'serialize / deserialize 1M entries against JSON.stringify / JSON.parse of the same pairs',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const cells = VALUE_KINDS.flatMap((values) => WORKLOAD10_IMPLS.map((impl) => ({ impl, values })));
    const progress = new Progress('workload 10', config.rounds * cells.length);
    const samples = new Map<string, { round: number; result: Workload10ChildResult }[]>();
    for (let round = 0; round < config.rounds; round++) {
      for (const values of VALUE_KINDS) {
        const impls = WORKLOAD10_IMPLS.map((_, i) => WORKLOAD10_IMPLS[(i + round) % WORKLOAD10_IMPLS.length]);
        for (const impl of impls as Workload10Impl[]) {
          progress.next(`round ${round + 1}/${config.rounds}: ${impl}, ${values} values`);
          const schema = impl === 'serde-schema';
          const iterations = schema ? config.schemaIterations : config.iterations;
          const result = await runChildRetrying({
            impl,
            values,
            entries: schema ? config.schemaEntries : config.entries,
            shards: config.shards,
            iterations,
          });
          const key = `${impl}/${values}`;
          samples.set(key, [...(samples.get(key) ?? []), { round, result }]);
        }
      }
    }
    progress.done();

    const results: Result[] = cells.map(({ impl, values }) => {
      const mine = samples.get(`${impl}/${values}`) ?? [];
      const anchor = samples.get(`json/${values}`) ?? [];
      const all = (list: typeof mine, pick: (r: Workload10ChildResult) => readonly number[]) =>
        median(list.flatMap((s) => [...pick(s.result)]));
      const entries = impl === 'serde-schema' ? config.schemaEntries : config.entries;
      // Throughput ratios (entries per ms), so that the serializr path's smaller size compares too.
      const rate = (list: typeof mine, pick: (r: Workload10ChildResult) => readonly number[], n: number) =>
        n / all(list, pick);
      const ser = all(mine, (r) => r.serializeMs);
      const de = all(mine, (r) => r.deserializeMs);
      const serializeRatio = entries / ser / rate(anchor, (r) => r.serializeMs, config.entries);
      const deserializeRatio = entries / de / rate(anchor, (r) => r.deserializeMs, config.entries);
      const roundRatios = Array.from({ length: config.rounds }, (_, round) => {
        const m = mine.filter((s) => s.round === round);
        const a = anchor.filter((s) => s.round === round);
        return {
          serialize: rate(m, (r) => r.serializeMs, entries) / rate(a, (r) => r.serializeMs, config.entries),
          deserialize: rate(m, (r) => r.deserializeMs, entries) / rate(a, (r) => r.deserializeMs, config.entries),
        };
      });
      return {
        impl,
        values,
        entries,
        serializeMs: ser,
        deserializeMs: de,
        serializeRatio,
        deserializeRatio,
        roundRatios,
        entriesPerSecond: { serialize: (entries / ser) * 1000, deserialize: (entries / de) * 1000 },
        textLength: mine[0]?.result.textLength ?? 0,
        checked: mine.every((s) => s.result.checked),
        ...(impl === 'serde' ? { met: serializeRatio >= TARGET && deserializeRatio >= TARGET } : {}),
      };
    });
    publish(
      {
        workload: '10',
        title: 'serialize / deserialize with @starshard/serde against JSON.stringify / JSON.parse of the same pairs',
        environment,
        config,
        method: METHOD,
        results,
      },
      options,
      true,
    );
    if (results.some((r) => !r.checked)) {
      process.stderr.write('workload 10: a deserialized map had the wrong size or values\n');
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'workload-10.json'), 'utf8')) as Report;
    publish(report, options, false);
  },
};
