// The memory workload (issue 6): memoryStats().estimatedBytes of starshard + lifecycle maps
// against the heap growth process.memoryUsage() measures when they are filled, per policy, key
// kind and size. Each (subject, key kind, size) runs in a fresh child process.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment, type Environment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { renderHorizontalBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import { OwnChild } from '../lru/ownChild.js';
import type { Workload } from '../workload.js';
import { MEMORY_SUBJECTS, type MemoryJob, type MemoryKeyKind, type MemoryReply, type MemorySubject } from './job.js';

interface MemoryResult {
  readonly subject: MemorySubject;
  readonly keyKind: MemoryKeyKind;
  readonly entries: number;
  readonly copies: number;
  readonly heapDeltaBytes: number;
  readonly estimatedBytes: number;
  readonly totalCapacity: number;
  /** estimatedBytes ÷ heapDeltaBytes. */
  readonly ratio: number;
}

interface MemoryReport {
  readonly workload: 'memory';
  readonly title: string;
  readonly environment: Environment;
  readonly shards: number;
  readonly method: readonly string[];
  readonly results: readonly MemoryResult[];
}

const SHARDS = 64;

const METHOD = [
  'One child process (a fresh heap) per subject, key kind and size. The keys are built first; then, between two readings of process.memoryUsage() (heapUsed + arrayBuffers: the LRU index keeps typed arrays, whose buffers live outside the JS heap) each after three forced GCs, `copies` maps are created and filled (values: small integers, so the delta is the maps’ own structures). Delta ÷ copies is compared with one map’s memoryStats().estimatedBytes.',
  'Subjects: ShardedHashMap.with(lifecycle) with 64 shards, no eviction (plain), { policy: "lru", maxEntries: entries }, { policy: "lfu", maxEntries: entries }, { policy: "ttl", ttlMs: 1 h, no sweep timer }.',
];

function renderTables(report: MemoryReport): string {
  const rows = report.results.map((r) => [
    r.subject,
    r.keyKind,
    String(r.entries),
    String(r.copies),
    (r.heapDeltaBytes / r.entries).toFixed(1),
    (r.estimatedBytes / r.entries).toFixed(1),
    `${r.ratio.toFixed(2)}×`,
  ]);
  const table = renderTable(
    [
      { header: 'subject' },
      { header: 'keys' },
      { header: 'entries', align: 'right' },
      { header: 'maps', align: 'right' },
      { header: 'heap delta B/entry', align: 'right' },
      { header: 'estimate B/entry', align: 'right' },
      { header: 'estimate ÷ delta', align: 'right' },
    ],
    rows,
  );
  return `## memory: ${report.title}\n\n${table}\n`;
}

function renderChart(report: MemoryReport): string {
  const bars = report.results.map((r) => ({
    label: `${r.subject} ${r.keyKind} ${r.entries}`,
    value: r.ratio,
    caption: `${r.ratio.toFixed(2)}× (${(r.estimatedBytes / r.entries).toFixed(0)} vs ${(r.heapDeltaBytes / r.entries).toFixed(0)} B/entry)`,
    color: '#2b6cb0',
  }));
  return renderHorizontalBarChart({
    title: 'memory: memoryStats().estimatedBytes ÷ measured heap growth',
    subtitle: `Node ${report.environment.node}, ${report.shards} shards`,
    bars,
    markers: [{ value: 1, label: 'exact', color: '#718096' }],
    max: Math.max(1.5, ...bars.map((b) => b.value)) * 1.05,
    notes: ['heapUsed + arrayBuffers after − before a fill (forced GCs), ÷ maps filled'],
    labelWidth: 220,
  });
}

function publish(report: MemoryReport, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderTables(report)}`);
  const files = [writeResultFile(options.outDir, 'memory.svg', renderChart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'memory.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** The memory workload: memoryStats() estimates against measured heap growth. */
export const memory: Workload = {
  id: 'memory',
  aliases: ['memorystats'],
  title: 'memoryStats().estimatedBytes against process.memoryUsage() heap growth',
  async run(options) {
    const sizes = options.quick ? [1000, 100_000] : [1000, 100_000, 1_000_000];
    const plan: MemoryJob[] = [];
    for (const subject of MEMORY_SUBJECTS) {
      for (const keyKind of ['u32', 'short'] as const) {
        for (const entries of sizes) {
          plan.push({
            kind: 'memory',
            subject,
            keyKind,
            entries,
            copies: Math.max(1, Math.floor(200_000 / entries)),
            shards: SHARDS,
          });
        }
      }
    }
    const environment = currentEnvironment();
    const progress = new Progress('memory', plan.length);
    const results: MemoryResult[] = [];
    for (const job of plan) {
      progress.next(`${job.subject} ${job.keyKind} ${job.entries}`);
      const child = await OwnChild.open<undefined, MemoryReply>(
        `memory ${job.subject} ${job.keyKind} ${job.entries}`,
        job,
      );
      try {
        const reply = await child.call(undefined);
        results.push({
          subject: job.subject,
          keyKind: job.keyKind,
          entries: job.entries,
          copies: job.copies,
          ...reply,
          ratio: reply.estimatedBytes / reply.heapDeltaBytes,
        });
      } finally {
        await child.close();
      }
    }
    progress.done();
    publish(
      {
        workload: 'memory',
        title: 'memoryStats().estimatedBytes against measured heap growth',
        environment,
        shards: SHARDS,
        method: METHOD,
        results,
      },
      options,
      true,
    );
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'memory.json'), 'utf8')) as MemoryReport;
    publish(report, options, false);
  },
};
