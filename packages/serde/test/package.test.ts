// The package as it would be published: built files, publint --strict, attw --pack, both module
// formats, the registry augmentation shipped in the declarations, serializr as a dependency (not
// bundled), and no hard dependency on the async package (an optional peer).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describePluginDeclarations, describePublishedPackage } from '@starshard/vitest-config/packageChecks';
import { describe, expect, it } from 'vitest';

/** packages/serde (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
describePublishedPackage(root);
describePluginDeclarations(root, [
  'serde: SerdeApi<K, V>',
  'serde: AsyncSerdeApi<K, V>',
  'serde: SerdeStatics<Kind, P>',
]);

describe('the published package, beyond the shared checks', () => {
  it('imports serializr from both builds', () => {
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      expect(readFileSync(`${root}/${file}`, 'utf8')).toMatch(/from ['"]serializr['"]|require\(['"]serializr['"]\)/);
    }
  });

  it('works from CommonJS and ESM alike, composed onto the core map of the same format', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(`${root}/dist/index.cjs`);
    const esm = await import(`${root}/dist/index.js`);
    const cores = [require('@starshard/core'), await import('@starshard/core')];
    const { date } = require('serializr');
    for (const [i, mod] of [cjs, esm].entries()) {
      expect(Object.keys(mod).sort()).toEqual([
        'DeserializeError',
        'SerializeError',
        'deserializeMap',
        'deserializeMapStream',
        'serde',
        'serializeMap',
        'serializeMapStream',
      ]);
      const Serde = cores[i].ShardedHashMap.with(mod.serde);
      const map = new Serde(8, { serde: { value: date() } });
      map.insert('a', new Date(5));
      const text = JSON.stringify(map);
      expect(text).toBe('{"shard_count":8,"entries":[["a",5]]}');
      expect(Serde.fromJSON(text, { value: date() }).get('a').getTime()).toBe(5);
      expect(() => mod.deserializeMap('{}')).toThrow(mod.DeserializeError);
    }
  });
});
