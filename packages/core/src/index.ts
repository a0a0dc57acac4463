export { composeClass } from './composeClass.js';
export { DEFAULT_SHARDS, MAX_SHARDS } from './constants.js';
export {
  InvalidArgumentError,
  PluginConflictError,
  PluginDependencyError,
  ShardCountError,
  StarshardError,
  type StarshardErrorCode,
} from './errors.js';
export { defaultHasher, type Hasher, seededHasher } from './hashing.js';
export {
  type AnyPlugin,
  type ApiOf,
  type AsyncPluginApis,
  type ComposedClass,
  type ComposedConstructors,
  type ComposedOptions,
  definePlugin,
  type Facet,
  type FacetBases,
  type KindOptions,
  type MapKind,
  type MapKinds,
  type Plugin,
  type PluginApis,
  type PluginDefinition,
  type PluginOptions,
  type PluginStatics,
  type SyncMapConstructor,
} from './plugin.js';
export { ShardedHashMap } from './shardedHashMap.js';
export type { ShardedHashMapOptions, ShardStats, WriteOp } from './types.js';
