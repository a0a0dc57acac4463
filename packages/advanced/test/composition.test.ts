import { AsyncShardedHashMap } from '@starshard/async';
import { definePlugin, PluginConflictError, ShardedHashMap } from '@starshard/core';
import { rebalance } from '@starshard/rebalance';
import { snapshot } from '@starshard/snapshot';
import { describe, expect, it } from 'vitest';
import { advanced } from '../src/index.js';

describe('composition', () => {
  it('composes with snapshot and rebalance on both map kinds, in any order, without member clashes', () => {
    const A = ShardedHashMap.with(advanced, snapshot, rebalance);
    expect(ShardedHashMap.with(rebalance, advanced, snapshot)).toBe(A);
    const B = AsyncShardedHashMap.with(snapshot, rebalance, advanced);
    expect(AsyncShardedHashMap.with(advanced, rebalance, snapshot)).toBe(B);
    expect(A.plugins.map((p) => p.name)).toEqual(['advanced', 'rebalance', 'snapshot']);
    // Internals are fields, `#private` methods or symbols: the prototype adds only the public API and seam overrides.
    const own = Reflect.ownKeys(ShardedHashMap.with(advanced).prototype).filter((k) => typeof k === 'string');
    expect(own.sort()).toEqual(
      [
        'compareAndRemove',
        'compareAndSwap',
        'constructor',
        'cowSnapshot',
        'currentVersion',
        'diagnostics',
        'enableProfiling',
        'executeTransaction',
        'layoutChanged',
        'lockProfiles',
        'shardForRead',
        'shardForWrite',
        'snapshotAtVersion',
        'versionedSnapshot',
      ].sort(),
    );
  });

  it('a plugin defining one of its methods conflicts at .with()', () => {
    const rival = definePlugin({
      name: 'rival',
      sync: (Base) =>
        class extends Base {
          diagnostics() {
            return 1;
          }
        },
    });
    expect(() => ShardedHashMap.with(advanced, rival)).toThrow(PluginConflictError);
  });

  it('instances of one composed class share one hidden class (same own keys, same order)', () => {
    const Full = ShardedHashMap.with(advanced, snapshot, rebalance);
    const a = new Full<string, number>(4);
    const b = new Full<number, string>(64, { historyLimit: 2, seed: 1 });
    a.enableProfiling(true);
    a.insert('x', 1);
    a.versionedSnapshot();
    expect(Reflect.ownKeys(a)).toEqual(Reflect.ownKeys(b));
    const AsyncFull = AsyncShardedHashMap.with(advanced, snapshot, rebalance);
    expect(Reflect.ownKeys(new AsyncFull(4))).toEqual(Reflect.ownKeys(new AsyncFull(8, { historyLimit: 1 })));
  });
});
