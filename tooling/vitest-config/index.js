import { defineConfig } from 'vitest/config';

/**
 * The shared vitest config. Runs `test/**\/*.test.ts` and type tests in `*.test-d.ts`, and
 * writes `.vitest-results.json`, which `scripts/test.mjs` at the root sums into the one
 * `tests: N passed, N failed, N skipped` line.
 * @param {import('vitest/config').ViteUserConfig['test']} [overrides]
 */
export function packageTestConfig(overrides = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
      reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
      testTimeout: 30_000,
      ...overrides,
    },
  });
}
