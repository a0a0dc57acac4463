// `starshard`: every package re-exported, with ShardedHashMap and AsyncShardedHashMap composed
// with every plugin (local exports take precedence over the star re-exports of the same name).
export * from '@starshard/advanced';
// Both @starshard/async and @starshard/advanced export this (the same shape; advanced restates it
// to stay usable without the async package): the umbrella exports the async package's.
export type { AsyncCallOptions } from '@starshard/async';
export * from '@starshard/async';
export * from '@starshard/core';
export * from '@starshard/lifecycle';
export * from '@starshard/rebalance';
export * from '@starshard/serde';
export * from '@starshard/snapshot';
export { AsyncShardedHashMap, ShardedHashMap } from './composed.js';
export { ALL_PLUGINS, type AllPlugins } from './plugins.js';
