// `pnpm bench [--quick] [--workload <id>]`: runs the benchmark suite (BENCH.md protocol) and
// writes bench-results/. The parent only plans, collects and reports; children measure.

import { parseOptions, USAGE } from './options.js';
import { findWorkload, WORKLOADS, type Workload } from './workloads/index.js';

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let selected: readonly Workload[] = WORKLOADS;
  if (options.workloads !== undefined) {
    const found: Workload[] = [];
    for (const name of options.workloads) {
      const workload = findWorkload(name);
      if (workload === undefined) {
        const known = WORKLOADS.map((w) => [w.id, ...w.aliases].join('|')).join(', ');
        process.stderr.write(`unknown workload "${name}"; known: ${known}\n`);
        return 2;
      }
      if (!found.includes(workload)) found.push(workload);
    }
    selected = found;
  }
  const mode = options.render ? 'render' : options.quick ? 'quick' : 'full';
  process.stderr.write(`starshard bench (${mode}): ${selected.map((w) => `${w.id} — ${w.title}`).join('; ')}\n`);
  for (const workload of selected) await (options.render ? workload.render(options) : workload.run(options));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
