// The package as it would be published: built files, publint --strict, attw --pack, both module
// formats, the registry augmentation shipped in the declarations, and no hard dependency on the
// async package (an optional peer).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** packages/snapshot (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

/** Runs a package linter in packages/snapshot; returns its exit status and everything it printed. */
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
    expect(pkg.sideEffects).toBe(false);
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

  it('ships the registry augmentation in both declaration files, without requiring @starshard/async', () => {
    for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
      const dts = readFileSync(`${root}/${file}`, 'utf8');
      expect(dts).toMatch(/declare module '@starshard\/core'/);
      expect(dts).toMatch(/snapshot: SnapshotApi<K, V>/);
      expect(dts).toMatch(/snapshot: AsyncSnapshotApi<K, V>/);
      expect(dts).toMatch(/snapshot: SnapshotStatics<Kind, P>/);
      expect(dts).not.toMatch(/from '@starshard\/async'/);
    }
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      expect(readFileSync(`${root}/${file}`, 'utf8')).not.toMatch(/@starshard\/async/);
    }
  });

  it('works from CommonJS and ESM alike, composed onto the core map of the same format', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(`${root}/dist/index.cjs`);
    const esm = await import(`${root}/dist/index.js`);
    const cores = [require('@starshard/core'), await import('@starshard/core')];
    for (const [i, mod] of [cjs, esm].entries()) {
      expect(Object.keys(mod).sort()).toEqual(['SnapshotMode', 'snapshot']);
      const Snap = cores[i].ShardedHashMap.with(mod.snapshot);
      const map = Snap.withSnapshotMode(8, mod.SnapshotMode.Cow);
      map.insert('a', 1);
      const snap = map.snapshot();
      map.insert('a', 2);
      expect([snap.get('a'), map.get('a'), snap.version, map.snapshotMode()]).toEqual([1, 2, 1, 'cow']);
    }
  });
});
