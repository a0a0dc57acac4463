// The package as it would be published: built files, publint --strict, attw --pack, both module
// formats, and no hard dependency on @starshard/advanced (an optional peer).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describePublishedPackage } from '@starshard/vitest-config/packageChecks';
import { describe, expect, inject, it } from 'vitest';

/** packages/redis (dist is built before the test task). */
const root = fileURLToPath(new URL('..', import.meta.url));
describePublishedPackage(root);

describe('the published package, beyond the shared checks', () => {
  it('exports the same names from CommonJS and ESM', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(`${root}/dist/index.cjs`);
    const esm = await import(`${root}/dist/index.js`);
    const names = [
      'CrossSlotTransactionError',
      'RedisCodecError',
      'RedisReplica',
      'RedisShardedHashMap',
      'RedisTransaction',
      'RedisUnavailableError',
      'jsonCodec',
      'keySlot',
      'numberCodec',
      'serializrCodec',
      'stringCodec',
    ];
    expect(Object.keys(cjs).sort()).toEqual(names);
    expect(Object.keys(esm).sort()).toEqual(names);
  });

  it('runs @starshard/advanced’s Transaction of the same module format (no dual-package hazard)', async () => {
    const require = createRequire(import.meta.url);
    const url = `redis://127.0.0.1:${inject('redisPort')}`;
    const formats = [
      [require(`${root}/dist/index.cjs`), require('@starshard/advanced')],
      [await import(`${root}/dist/index.js`), await import('@starshard/advanced')],
    ];
    for (const [i, [redis, advanced]] of formats.entries()) {
      const map = new redis.RedisShardedHashMap(url, { prefix: `pkg:${process.pid}:${i}:` });
      const txn = new advanced.Transaction().expectAbsent('a').write('a', 1).read('a');
      expect(await map.executeTransaction(txn)).toEqual({ status: 'committed', reads: new Map([['a', 1]]) });
      await map.clear();
      await map.close();
    }
  });

  it('imports @starshard/advanced only lazily (optional peer) and never in its declarations', () => {
    for (const file of ['dist/index.d.ts', 'dist/index.d.cts'])
      expect(readFileSync(`${root}/${file}`, 'utf8')).not.toMatch(/^import .*from ['"]@starshard\/advanced['"]/m);
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const code = readFileSync(`${root}/${file}`, 'utf8');
      expect(code).not.toMatch(/^import .*from ['"]@starshard\/advanced['"]/m);
      expect(code).not.toMatch(/^(const|var) .*= require\("@starshard\/advanced"\)/m);
    }
  });
});
