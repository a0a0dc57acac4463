// The lru workload (issue 6): a get-heavy workload with LRU eviction, starshard + lifecycle
// against lru-cache (the BENCH.md anchor) and mnemonist, each in its own child process, the
// children taking turns slice by slice. Also the cost of composing lifecycle without eviction:
// plain gets on starshard + lifecycle (no eviction) against the core map, in the same run.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment, type Environment } from '../../environment.js';
import type { Timing } from '../../measure.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { formatNs } from '../../report/format.js';
import { renderHorizontalBarChart } from '../../report/svg.js';
import { renderTable } from '../../report/table.js';
import { figuresOf, ratioWithRounds, roundRatiosOf, SamplePool } from '../pool.js';
import type { Workload } from '../workload.js';
import {
  cellsOf,
  LRU_IMPLS,
  LRU_LABELS,
  type LruCell,
  type LruImpl,
  type LruJob,
  type LruReply,
  type LruRequest,
} from './job.js';
import { OwnChild } from './ownChild.js';

/** Seed of round 0's streams; round r uses `BASE_SEED + r`. */
const BASE_SEED = 0x1a0;
/** The aim: starshard LRU at most 1.5× lru-cache's time per op. */
const TARGET = 1.5;

interface LruConfig {
  readonly mode: 'quick' | 'full';
  readonly capacities: readonly { readonly capacity: number; readonly shards: number }[];
  readonly slices: number;
  readonly rounds: number;
  readonly timing: Timing;
}

interface LruResult {
  readonly capacity: number;
  readonly shards: number;
  readonly cell: LruCell;
  readonly impl: LruImpl;
  readonly medianNs: number;
  readonly spreadNs: { readonly p25: number; readonly p75: number };
  /** Time per op ÷ lru-cache's (same cell, same run). */
  readonly ratioVsLruCache: number;
  readonly roundRatiosVsLruCache: readonly number[];
  /** Time per op ÷ the core map's (get cell only). */
  readonly ratioVsCore: number | undefined;
  readonly hitRate: number;
  /** Most entries held after a slice (must not exceed the capacity for bounded caches). */
  readonly maxSize: number;
}

interface LruReport {
  readonly workload: 'lru';
  readonly title: string;
  readonly environment: Environment;
  readonly config: LruConfig;
  readonly method: readonly string[];
  readonly results: readonly LruResult[];
}

function configFor(options: BenchOptions): LruConfig {
  return options.quick
    ? {
        mode: 'quick',
        capacities: [
          { capacity: 1000, shards: 16 },
          { capacity: 20_000, shards: 64 },
        ],
        slices: 3,
        rounds: options.rounds ?? 1,
        timing: { timeMs: 40, warmupMs: 10 },
      }
    : {
        mode: 'full',
        capacities: [
          { capacity: 1000, shards: 16 },
          { capacity: 100_000, shards: 64 },
        ],
        slices: 8,
        rounds: options.rounds ?? 2,
        timing: { timeMs: 50, warmupMs: 15 },
      };
}

const METHOD = [
  'One child process per (implementation, capacity, round); the children of a capacity take turns, one slice each per cell, in an order rotated every slice, so load drift on the shared machine falls on all alike.',
  'Keys "key:" + i, flat strings, reused for lookups. Streams precomputed from a seeded PRNG (the same for every implementation of a round).',
  'get: the cache holds `capacity` keys; uniform random gets of present keys (every get hits; LRU caches reorder on each; starshard LRU is bounded at 2 × capacity here, since per-shard bounds cannot hold exactly `capacity` hashed keys). cache-aside: a stream over 2 × capacity keys, 80% of accesses to a hot fifth (which fits), 20% uniform; each access is get, and on a miss set (which evicts once full). The cache is filled by one pass of the stream first.',
  'lru-cache: new LRUCache({ max: capacity }), get/set. mnemonist: new LRUCache(capacity), get/set. starshard LRU: ShardedHashMap.with(lifecycle), { eviction: { policy: "lru", maxEntries: capacity } } (per-shard exact LRU, bounds summing to capacity), get/insert via set. starshard + lifecycle without eviction and the core map: get cell only (unbounded).',
  'Timing: tinybench batches of 1,000 accesses, hrtime minus the timer cost, ÷ 1,000. Headline = median of every sample of every slice and round; ratio = this ÷ lru-cache (time per op; lower is better); round ratios in brackets.',
];

function key(impl: LruImpl, capacity: number, cell: LruCell): string {
  return `${impl}|${capacity}|${cell}`;
}

function renderTables(report: LruReport): string {
  const rows = report.results.map((r) => [
    String(r.capacity),
    r.cell,
    LRU_LABELS[r.impl],
    formatNs(r.medianNs),
    `${formatNs(r.spreadNs.p25)}–${formatNs(r.spreadNs.p75)}`,
    ratioWithRounds(r.ratioVsLruCache, r.roundRatiosVsLruCache),
    r.ratioVsCore === undefined ? '' : `${r.ratioVsCore.toFixed(2)}×`,
    `${(r.hitRate * 100).toFixed(1)}%`,
    String(r.maxSize),
  ]);
  const table = renderTable(
    [
      { header: 'capacity', align: 'right' },
      { header: 'cell' },
      { header: 'implementation' },
      { header: 'median', align: 'right' },
      { header: 'p25–p75', align: 'right' },
      { header: 'time ÷ lru-cache', align: 'right' },
      { header: 'time ÷ core', align: 'right' },
      { header: 'hit rate', align: 'right' },
      { header: 'max size', align: 'right' },
    ],
    rows,
  );
  return `## lru: ${report.title}\n\n${table}\n\nTarget: starshard LRU ≤ ${TARGET}× lru-cache's time per op.\n`;
}

function renderChart(report: LruReport): string {
  const bars = report.results.map((r) => ({
    label: `${r.capacity} ${r.cell} ${r.impl}`,
    value: r.ratioVsLruCache,
    caption: `${r.ratioVsLruCache.toFixed(2)}× (${formatNs(r.medianNs)})`,
    color: r.impl.startsWith('starshard') ? '#2b6cb0' : '#a0aec0',
  }));
  return renderHorizontalBarChart({
    title: 'lru: time per op ÷ lru-cache (lower is better)',
    subtitle: `Node ${report.environment.node}, ${report.config.mode} run`,
    bars,
    markers: [
      { value: 1, label: 'lru-cache', color: '#718096' },
      { value: TARGET, label: `target ${TARGET}×`, color: '#c53030' },
    ],
    max: Math.max(TARGET * 1.2, ...bars.map((b) => b.value)) * 1.05,
    notes: ['each implementation in its own process, taking turns; median of every sample'],
    labelWidth: 300,
  });
}

function publish(report: LruReport, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderTables(report)}`);
  const files = [writeResultFile(options.outDir, 'lru.svg', renderChart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'lru.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** The lru workload: starshard LRU eviction against lru-cache on a get-heavy workload. */
export const lru: Workload = {
  id: 'lru',
  aliases: ['lifecycle', 'eviction'],
  title: 'get-heavy workload with LRU eviction: starshard + lifecycle against lru-cache',
  async run(options) {
    const config = configFor(options);
    const environment = currentEnvironment();
    const progress = new Progress('lru', config.rounds * config.capacities.length);
    const pool = new SamplePool();
    const tally = new Map<string, { hits: number; misses: number; maxSize: number }>();
    for (let round = 0; round < config.rounds; round++) {
      for (const { capacity, shards } of config.capacities) {
        progress.next(`round ${round + 1}/${config.rounds}, capacity ${capacity}`);
        const children = await Promise.all(
          LRU_IMPLS.map((impl) =>
            OwnChild.open<LruRequest, LruReply>(`lru ${impl} ${capacity}`, {
              kind: 'lru',
              impl,
              capacity,
              shards,
              seed: BASE_SEED + round,
            } satisfies LruJob),
          ),
        );
        try {
          for (let slice = 0; slice < config.slices; slice++) {
            progress.detail(`slice ${slice + 1}/${config.slices}`);
            for (let turn = 0; turn < children.length; turn++) {
              const i = (turn + slice + round) % children.length;
              const impl = LRU_IMPLS[i] as LruImpl;
              for (const cell of cellsOf(impl)) {
                const reply = await (children[i] as OwnChild<LruRequest, LruReply>).call({
                  cell,
                  timing: config.timing,
                });
                const k = key(impl, capacity, cell);
                pool.add(k, round, reply.nsPerOp);
                const t = tally.get(k) ?? { hits: 0, misses: 0, maxSize: 0 };
                t.hits += reply.hits;
                t.misses += reply.misses;
                t.maxSize = Math.max(t.maxSize, reply.size);
                tally.set(k, t);
              }
            }
          }
        } finally {
          await Promise.all(children.map((child) => child.close()));
        }
      }
    }
    progress.done();

    const results: LruResult[] = [];
    for (const { capacity, shards } of config.capacities) {
      for (const cell of ['get', 'cache-aside'] as const) {
        const anchor = pool.get(key('lru-cache', capacity, cell));
        const core = pool.get(key('starshard-core', capacity, cell));
        if (anchor === undefined) throw new Error('lru: the anchor was not measured');
        const anchorNs = figuresOf(anchor).medianNs;
        const coreNs = core === undefined ? undefined : figuresOf(core).medianNs;
        for (const impl of LRU_IMPLS) {
          const cellPool = pool.get(key(impl, capacity, cell));
          if (cellPool === undefined) continue;
          const figures = figuresOf(cellPool);
          const t = tally.get(key(impl, capacity, cell)) ?? { hits: 0, misses: 0, maxSize: 0 };
          results.push({
            capacity,
            shards,
            cell,
            impl,
            medianNs: figures.medianNs,
            spreadNs: { p25: figures.spreadNs.p25, p75: figures.spreadNs.p75 },
            ratioVsLruCache: figures.medianNs / anchorNs,
            roundRatiosVsLruCache: roundRatiosOf(cellPool, anchor, 'time'),
            ratioVsCore: coreNs === undefined ? undefined : figures.medianNs / coreNs,
            hitRate: t.hits + t.misses === 0 ? 0 : t.hits / (t.hits + t.misses),
            maxSize: t.maxSize,
          });
        }
      }
    }
    publish(
      {
        workload: 'lru',
        title: 'get-heavy workload with LRU eviction: starshard + lifecycle against lru-cache and mnemonist',
        environment,
        config,
        method: METHOD,
        results,
      },
      options,
      true,
    );
    const overflow = results.filter((r) => cellsOf(r.impl).length > 1 && r.maxSize > r.capacity);
    if (overflow.length > 0) {
      process.stderr.write(
        `lru: a bounded cache held more than its capacity: ${overflow.map((r) => r.impl).join(', ')}\n`,
      );
      process.exitCode = 1;
    }
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'lru.json'), 'utf8')) as LruReport;
    publish(report, options, false);
  },
};
