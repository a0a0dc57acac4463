// The package as it would be published: built files, publint --strict, attw --pack, both module
// formats, the registry augmentation in the declarations, no hard dependency on the async
// package (an optional peer), and the replica worker entry.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describePluginDeclarations, describePublishedPackage } from '@starshard/vitest-config/packageChecks';
import { describe, expect, it } from 'vitest';

/** packages/advanced (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
describePublishedPackage(root);
describePluginDeclarations(root, [
  'advanced: AdvancedApi<K, V>',
  'advanced: AsyncAdvancedApi<K, V>',
  'advanced: AdvancedOptions<K, V>',
]);

describe('the published package, beyond the shared checks', () => {
  it('works from CommonJS and ESM alike, composed onto the core map of the same format', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(`${root}/dist/index.cjs`);
    const esm = await import(`${root}/dist/index.js`);
    const cores = [require('@starshard/core'), await import('@starshard/core')];
    for (const [i, mod] of [cjs, esm].entries()) {
      expect(Object.keys(mod).sort()).toEqual([
        'DEFAULT_QUORUM_TIMEOUT_MS',
        'MessagePortReplica',
        'QuorumConfig',
        'QuorumError',
        'ReplicaError',
        'ReplicationOp',
        'Transaction',
        'advanced',
        'serveReplica',
      ]);
      const Adv = cores[i].ShardedHashMap.with(mod.advanced);
      const map = new Adv(8);
      const result = map.executeTransaction(new mod.Transaction().write('a', 1).read('a'));
      expect(result).toEqual({ status: 'committed', reads: new Map([['a', 1]]) });
      expect(map.compareAndSwap('a', 1, 2)).toEqual({ success: true, value: 2 });
    }
  });

  it('exports the replica worker script for both formats', () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('@starshard/advanced/replica-worker')).toMatch(/dist[\\/]replicaWorker\.cjs$/);
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    expect(pkg.exports['./replica-worker'].import.default).toBe('./dist/replicaWorker.js');
  });
});
