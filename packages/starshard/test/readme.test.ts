// The root README's quick start, run: the snippet's statements are checked to stand in the README
// verbatim, and what its comments promise is asserted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AsyncShardedHashMap, ShardedHashMap, SnapshotMode, Transaction } from '../src/index.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('The classes `starshard` exports'));

describe('the README quick start', () => {
  it('is the code run here', () => {
    for (const line of [
      "import { AsyncShardedHashMap, ShardedHashMap, SnapshotMode, Transaction } from 'starshard';",
      "  eviction: { policy: 'lru', maxEntries: 100_000, ttlMs: 60_000 },",
      '  snapshotMode: SnapshotMode.Cow,',
      "cache.insert('/home', '<html>');",
      'const view = cache.snapshot();',
      'cache.rebalanceTo(256);',
      'JSON.stringify(cache);',
      "await accounts.batchInsert([['alice', 100], ['bob', 0]]);",
      "  new Transaction<string, number>().expect('alice', 100).write('alice', 60).write('bob', 40),",
    ]) {
      expect(quickStart, line).toContain(line);
    }
  });

  it('does what its comments say', async () => {
    const cache = new ShardedHashMap<string, string>(64, {
      eviction: { policy: 'lru', maxEntries: 100_000, ttlMs: 60_000 },
      snapshotMode: SnapshotMode.Cow,
    });
    cache.insert('/home', '<html>');
    cache.get('/home');
    cache.get('/about');
    expect(cache.metrics()).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5 });
    const view = cache.snapshot();
    cache.insert('/home', '<new>');
    cache.rebalanceTo(256);
    expect([view.get('/home'), cache.get('/home'), cache.shardCount()]).toEqual(['<html>', '<new>', 256]);
    expect(JSON.parse(JSON.stringify(cache))).toEqual({ shard_count: 256, entries: [['/home', '<new>']] });

    const accounts = new AsyncShardedHashMap<string, number>(64);
    await accounts.batchInsert([
      ['alice', 100],
      ['bob', 0],
    ]);
    const transfer = new Transaction<string, number>().expect('alice', 100).write('alice', 60).write('bob', 40);
    expect((await accounts.executeTransaction(transfer)).status).toBe('committed');
    expect((await accounts.executeTransaction(transfer)).status).toBe('conflict'); // nothing applied twice
    expect([await accounts.get('alice'), await accounts.get('bob')]).toEqual([60, 40]);
  });
});
