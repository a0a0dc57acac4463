export { RebalanceSupersededError } from './errors.js';
export { rebalance } from './rebalancePlugin.js';
export type {
  AsyncRebalanceApi,
  AutoExpandOptions,
  BackgroundRebalanceOptions,
  RebalanceApi,
  RebalanceOptions,
  RebalancePluginOptions,
  RebalanceReport,
  RebalanceStatus,
} from './rebalancePlugin.types.js';
