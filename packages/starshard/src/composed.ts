import { AsyncShardedHashMap as AsyncCore } from '@starshard/async';
import { ShardedHashMap as Core, type MapKinds } from '@starshard/core';
import { ALL_PLUGINS, type AllPlugins } from './plugins.js';

/**
 * `ShardedHashMap` composed with every plugin: snapshot modes, rebalance, lifecycle (stats,
 * eviction, TTL, metrics), advanced (transactions, CAS, versioned snapshots, profiling) and
 * serde. The same class as `ShardedHashMap.with(...ALL_PLUGINS)` from `@starshard/core`, so
 * `.with(myPlugin)` adds to it.
 *
 * @example
 * import { ShardedHashMap, SnapshotMode } from 'starshard';
 *
 * const m = new ShardedHashMap<string, number>(64, { snapshotMode: SnapshotMode.Cow });
 * m.insert('a', 1);
 * const before = m.snapshot();
 * m.insert('a', 2);
 * before.get('a'); // 1
 * m.rebalanceTo(128);
 */
export const ShardedHashMap = Core.with(...ALL_PLUGINS);

/** An instance of the umbrella's {@link ShardedHashMap}: the core API and every plugin's. */
export type ShardedHashMap<K, V> = MapKinds<AllPlugins, K, V>['sync'];

/**
 * `AsyncShardedHashMap` composed with every plugin's async facet: the umbrella's
 * {@link ShardedHashMap} API, each method returning a promise, behind per-shard fair locks.
 *
 * @example
 * import { AsyncShardedHashMap } from 'starshard';
 *
 * const m = new AsyncShardedHashMap<string, number>(64);
 * await m.insert('a', 1);
 * const snap = await m.snapshot();
 * await m.rebalanceTo(128);
 */
export const AsyncShardedHashMap = AsyncCore.with(...ALL_PLUGINS);

/** An instance of the umbrella's {@link AsyncShardedHashMap}. */
export type AsyncShardedHashMap<K, V> = MapKinds<AllPlugins, K, V>['async'];
