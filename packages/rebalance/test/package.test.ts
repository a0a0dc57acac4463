import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** packages/rebalance: the package as it would be published (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

/** Runs a package linter in packages/rebalance; returns its exit status and everything it printed. */
function lint(name: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(bin(name), args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('the published package', () => {
  it('has been built: every file package.json points at exists', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    const targets = [pkg.main, pkg.module, pkg.types, ...JSON.stringify(pkg.exports).matchAll(/"(\.\/dist\/[^"]+)"/g)];
    for (const target of targets) {
      const path = typeof target === 'string' ? target : target[1];
      expect(existsSync(`${root}/${path}`), `${path} (run the build first)`).toBe(true);
    }
  });

  it('passes publint --strict', { timeout: 60_000 }, () => {
    const { status, output } = lint('publint', ['--strict']);
    expect(status, output).toBe(0);
    expect(output).toContain('All good');
  });

  it('passes attw --pack: types resolve for node10, node16 (CJS and ESM) and bundlers', { timeout: 60_000 }, () => {
    const { status, output } = lint('attw', ['--pack', '.', '--format', 'table-flipped']);
    expect(status, output).toBe(0);
    expect(output).toContain('No problems found');
  });
});
