// The package as it would be published: built files, publint --strict, attw --pack, and both
// module formats working with the core's registry augmented.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describePublishedPackage } from '@starshard/vitest-config/packageChecks';
import { describe, expect, it } from 'vitest';

/** packages/async (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
describePublishedPackage(root);

describe('the published package, beyond the shared checks', () => {
  it('ships the registry augmentation in both declaration files, and only the public names', () => {
    for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
      const dts = readFileSync(`${root}/${file}`, 'utf8');
      expect(dts).toMatch(/declare module '@starshard\/core'/);
      expect(dts).toMatch(/async: AsyncMapConstructor/);
      expect(dts).toMatch(/async: AsyncShardedHashMap<K, V> & ApiOf<AsyncPluginApis<K, V>, P>/);
    }
  });

  it('works from CommonJS and ESM alike', async () => {
    const cjs = createRequire(import.meta.url)(`${root}/dist/index.cjs`);
    const esm = await import(`${root}/dist/index.js`);
    for (const mod of [cjs, esm]) {
      expect(Object.keys(mod).sort()).toEqual([
        'AsyncRwLock',
        'AsyncShardedHashMap',
        'LockReentrancyError',
        'LockTimeoutError',
      ]);
      const map = new mod.AsyncShardedHashMap(8);
      await map.insert('a', 1);
      expect(await map.computeIfPresent('a', async (n: number) => n + 1)).toBe(2);
      expect(map.shardCount()).toBe(8);
    }
  });
});
