export { EvictionConfigError } from './evictionConfigError.js';
export { lifecycle } from './lifecycleFeature.js';
export type {
  AsyncLifecycleApi,
  EvictionConfig,
  EvictionPolicy,
  LifecycleApi,
  LifecycleOptions,
  MemoryStats,
  MetricsStats,
  PerShardLoad,
} from './lifecycleFeature.types.js';
