// The package as it would be published: built files, publint --strict, attw --pack, both module
// formats, the registry augmentation shipped in the declarations, and no hard dependency on the
// async package (an optional peer).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describePluginDeclarations, describePublishedPackage } from '@starshard/vitest-config/packageChecks';
import { describe, expect, it } from 'vitest';

/** packages/snapshot (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
describePublishedPackage(root);
describePluginDeclarations(root, [
  'snapshot: SnapshotApi<K, V>',
  'snapshot: AsyncSnapshotApi<K, V>',
  'snapshot: SnapshotStatics<Kind, P>',
]);

describe('the published package, beyond the shared checks', () => {
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
