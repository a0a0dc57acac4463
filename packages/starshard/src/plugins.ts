import { advanced } from '@starshard/advanced';
import { lifecycle } from '@starshard/lifecycle';
import { rebalance } from '@starshard/rebalance';
import { serde } from '@starshard/serde';
import { snapshot } from '@starshard/snapshot';

/**
 * Every plugin of the starshard packages, in the order the umbrella composes them (the Cargo
 * `full` feature). Compose a subset yourself from the feature packages when you want less.
 *
 * @example
 * import { ShardedHashMap as Core } from '@starshard/core';
 * import { ALL_PLUGINS } from 'starshard';
 *
 * const Full = Core.with(...ALL_PLUGINS); // the class `starshard` exports as ShardedHashMap
 */
export const ALL_PLUGINS = [snapshot, rebalance, lifecycle, advanced, serde] as const;

/** The tuple type of {@link ALL_PLUGINS}. */
export type AllPlugins = typeof ALL_PLUGINS;
