// `starshard`: every package re-exported, with ShardedHashMap and AsyncShardedHashMap composed
// with every plugin (local exports take precedence over the star re-exports of the same name).
export * from '@starshard/async';
export * from '@starshard/core';
export * from '@starshard/rebalance';
export * from '@starshard/snapshot';
export { AsyncShardedHashMap, ShardedHashMap } from './composed.js';
export { ALL_PLUGINS, type AllPlugins } from './plugins.js';
