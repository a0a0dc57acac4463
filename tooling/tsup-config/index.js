// One build for every package: swapping tsup for tsdown later is a change to this file only.
import { defineConfig } from 'tsup';

/**
 * The shared tsup config: ESM + CJS + .d.ts from `src/index.ts`, no minification (users'
 * bundlers minify), sourcemaps for stack traces, Node 20 syntax.
 * @param {import('tsup').Options} [overrides] per-package additions (extra entries, externals)
 */
export function packageConfig(overrides = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    splitting: false,
    ...overrides,
  });
}
