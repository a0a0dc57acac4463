#!/usr/bin/env node
// The README's test command ends here: lint, then build, typecheck and test every workspace
// package with turbo, then sum each package's vitest JSON results into one plain closing line,
//   tests: N passed, N failed, N skipped
// which CI reads. Exits non-zero if anything failed, if a package's results are missing, or
// if nothing ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.CI ? '0' : '1' };

/** Runs a command in the repo root with inherited output; returns its exit code. */
function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return r.status ?? 1;
}

/** Every workspace package that declares a `test` script, with its folder. */
function testedPackages() {
  const out = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pj = join(dir, name, 'package.json');
      if (!existsSync(pj)) continue;
      const pkg = JSON.parse(readFileSync(pj, 'utf8'));
      if (pkg.scripts?.test) out.push({ name: pkg.name, dir: join(dir, name) });
    }
  }
  return out;
}

const packages = testedPackages();
for (const p of packages) rmSync(join(p.dir, '.vitest-results.json'), { force: true });

let failed = 0;
const problems = [];
if (run('pnpm', ['run', 'lint']) !== 0) {
  failed += 1;
  problems.push('lint (biome check) failed: run `pnpm format` to fix formatting, then fix what remains');
}
// At most three tasks at once: the suites include stress, worker-thread and Redis tests that
// measure time (lock timeouts, leases); on a 2-core machine ten parallel suites starve them.
const turboStatus = run('pnpm', ['exec', 'turbo', 'run', 'typecheck', 'test', '--continue', '--concurrency=3']);

let passed = 0;
let skipped = 0;
console.log('\nPer package:');
for (const p of packages) {
  const file = join(p.dir, '.vitest-results.json');
  if (!existsSync(file)) {
    failed += 1;
    problems.push(`${p.name}: no test results (its build or test run failed before reporting)`);
    console.log(`  ${p.name.padEnd(28)} no results`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const s = r.numPendingTests + r.numTodoTests;
  // A test file that fails to load reports no tests but a failed suite: count it once.
  const brokenSuites = r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenSuites;
  skipped += s;
  console.log(
    `  ${p.name.padEnd(28)} ${r.numPassedTests} passed, ${r.numFailedTests + brokenSuites} failed, ${s} skipped`,
  );
}
if (turboStatus !== 0 && failed === 0) {
  failed += 1;
  problems.push(`turbo run typecheck test exited with ${turboStatus} (a build or typecheck failed: see above)`);
}
for (const p of problems) console.log(`problem: ${p}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
