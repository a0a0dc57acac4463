// The capacity demo (BENCH.md workload 3): a starshard map holds more entries than V8's 2^24
// per-Map limit, where a native Map throws. Each fill runs in its own child with a large heap.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { currentEnvironment } from '../../environment.js';
import type { BenchOptions } from '../../options.js';
import { Progress } from '../../progress.js';
import { toJson, writeResultFile } from '../../report/files.js';
import { formatCount } from '../../report/format.js';
import { runJob } from '../../runner.js';
import type { Workload } from '../workload.js';
import type { CapacityJob, CapacityResult } from './job.js';
import { type CapacityReport, MAP_LIMIT, renderCapacityChart, renderCapacityTable, tableFillNote } from './report.js';

/** Old-space limit of each child, MiB: 50M entries need a few GiB. */
const HEAP_MB = 8192;
const SHARDS = 64;

function entriesFor(options: BenchOptions): number {
  // Quick still passes 2^24 (the point of the demo); full is BENCH.md's 50M.
  return options.quick ? 20_000_000 : 50_000_000;
}

function publish(report: CapacityReport, options: BenchOptions, writeJson: boolean): void {
  process.stdout.write(`\n${renderCapacityTable(report)}`);
  const files = [writeResultFile(options.outDir, 'capacity.svg', renderCapacityChart(report))];
  if (writeJson) files.unshift(writeResultFile(options.outDir, 'capacity.json', toJson(report)));
  process.stdout.write(files.map((file) => `wrote ${file}\n`).join(''));
}

/** The capacity demo: past 2^24 entries, where `Map` throws. */
export const capacity: Workload = {
  id: 'capacity',
  aliases: ['3', 'workload3'],
  title: 'fill past 2^24 number keys (Map throws there)',
  async run(options) {
    const entries = entriesFor(options);
    const environment = currentEnvironment();
    const jobs: CapacityJob[] = [
      { kind: 'capacity', subject: 'map', entries, shards: SHARDS },
      { kind: 'capacity', subject: 'starshard', entries, shards: SHARDS },
    ];
    const progress = new Progress('capacity', jobs.length);
    const results: CapacityResult[] = [];
    for (const job of jobs) {
      progress.next(`${job.subject} · ${formatCount(entries)} number keys`);
      results.push(await runJob(job, { heapMb: HEAP_MB, onProgress: (text) => progress.detail(text) }));
    }
    progress.done();

    const [map, sharded] = results as [CapacityResult, CapacityResult];
    publish(
      {
        workload: 'capacity',
        title: `fill ${formatCount(entries)} number keys (0..n-1): native Map against starshard ${SHARDS}`,
        environment,
        config: {
          mode: options.quick ? 'quick' : 'full',
          entries,
          shards: SHARDS,
          heapMb: HEAP_MB,
          mapLimit: MAP_LIMIT,
        },
        method: [
          `Each fill runs in its own child (node --max-old-space-size=${HEAP_MB} --expose-gc), keys 0..n-1 in order, value = key.`,
          'heap Δ is process.memoryUsage().heapUsed after two forced GCs, minus the same before the fill; bytes/entry divides it by the entries held.',
          'Keys below 2^31 are Smis (no per-key allocation), so bytes/entry is the table cost alone.',
          tableFillNote(entries, SHARDS),
        ],
        results: [map, sharded],
        bytesPerEntryRatio: sharded.bytesPerEntry / map.bytesPerEntry,
        nsPerInsertRatio: sharded.nsPerInsert / map.nsPerInsert,
      },
      options,
      true,
    );
  },
  async render(options) {
    const report = JSON.parse(readFileSync(path.join(options.outDir, 'capacity.json'), 'utf8')) as CapacityReport;
    publish(report, options, false);
  },
};
