import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The published-package checks every starshard package runs as part of its tests: everything
 * package.json points at exists (dist is built before the test task), `publint --strict` and
 * `attw --pack` pass.
 * @param {string} root the package folder (the one holding package.json and node_modules/.bin)
 */
export function describePublishedPackage(root) {
  /** Runs a package linter in `root`; returns its exit status and everything it printed. */
  const lint = (name, args) => {
    const result = spawnSync(join(root, 'node_modules', '.bin', name), args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      timeout: 60_000,
    });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  };

  describe('the published package', () => {
    it('has been built: every file package.json points at exists', () => {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      expect(pkg.sideEffects, 'every package is sideEffects: false').toBe(false);
      const targets = [
        pkg.main,
        pkg.module,
        pkg.types,
        ...JSON.stringify(pkg.exports).matchAll(/"(\.\/dist\/[^"]+)"/g),
      ];
      for (const target of targets) {
        const path = typeof target === 'string' ? target : target[1];
        expect(existsSync(join(root, path)), `${path} (run the build first)`).toBe(true);
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
}

/**
 * The checks every plugin package adds: both declaration files carry its registry entries
 * (`declare module '@starshard/core'` with each of `entries`, say `'snapshot: SnapshotApi<K, V>'`),
 * and neither the declarations nor the code require `@starshard/async` (an optional peer).
 * @param {string} root the package folder
 * @param {readonly string[]} entries registry lines the declarations must contain, verbatim
 */
export function describePluginDeclarations(root, entries) {
  describe('the published plugin declarations', () => {
    it('ship the registry augmentation in both declaration files, without requiring @starshard/async', () => {
      for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
        const dts = readFileSync(join(root, file), 'utf8');
        expect(dts, file).toContain("declare module '@starshard/core'");
        for (const entry of entries) expect(dts, file).toContain(entry);
        expect(dts, file).not.toMatch(/from '@starshard\/async'/);
      }
      for (const file of ['dist/index.js', 'dist/index.cjs']) {
        expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/@starshard\/async/);
      }
    });
  });
}
