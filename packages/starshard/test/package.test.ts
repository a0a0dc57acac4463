// The umbrella as it would be published: built files, publint --strict, attw --pack, and both
// module formats composing the same plugin set.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describePublishedPackage } from '@starshard/vitest-config/packageChecks';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
describePublishedPackage(root);

describe('the published umbrella', () => {
  it('ESM and CommonJS builds export composed classes with every plugin', async () => {
    const cjs = createRequire(import.meta.url)(`${root}/dist/index.cjs`);
    const esm = await import(`${root}/dist/index.js`);
    for (const mod of [cjs, esm]) {
      const names = mod.ALL_PLUGINS.map((p: { name: string }) => p.name).sort();
      expect(mod.ShardedHashMap.plugins.map((p: { name: string }) => p.name).sort()).toEqual(names);
      expect(mod.AsyncShardedHashMap.plugins.map((p: { name: string }) => p.name).sort()).toEqual(names);
      expect(typeof new mod.ShardedHashMap(4).rebalanceTo).toBe('function');
    }
  });
});
