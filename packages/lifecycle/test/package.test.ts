// The package as it would be published: built files, publint --strict, attw --pack, both module
// formats, the registry augmentation shipped in the declarations, and no hard dependency on the
// async package (an optional peer).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describePluginDeclarations, describePublishedPackage } from '@starshard/vitest-config/packageChecks';
import { describe, expect, it } from 'vitest';

/** packages/lifecycle (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
describePublishedPackage(root);
describePluginDeclarations(root, [
  'lifecycle: LifecycleApi<K, V>',
  'lifecycle: AsyncLifecycleApi<K, V>',
  'lifecycle: LifecycleOptions',
]);

describe('the published package, beyond the shared checks', () => {
  it('works from CommonJS and ESM alike, composed onto the core map of the same format', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(`${root}/dist/index.cjs`);
    const esm = await import(`${root}/dist/index.js`);
    const cores = [require('@starshard/core'), await import('@starshard/core')];
    for (const [i, mod] of [cjs, esm].entries()) {
      expect(Object.keys(mod).sort()).toEqual(['EvictionConfigError', 'lifecycle']);
      const Life = cores[i].ShardedHashMap.with(mod.lifecycle);
      const map = new Life(1, { eviction: { policy: 'lru', maxEntries: 2 } });
      map.insert('a', 1);
      map.insert('b', 2);
      map.get('a');
      map.insert('c', 3);
      expect(map.len()).toBe(2);
      expect(map.metrics().evictions).toBe(1);
      expect(() => new Life(2, { eviction: { policy: 'nope' } })).toThrow(mod.EvictionConfigError);
    }
  });
});
