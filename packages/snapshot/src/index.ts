export type { MapSnapshot } from './mapSnapshot.js';
export { snapshot } from './snapshotFeature.js';
export type {
  AsyncSnapshotApi,
  SnapshotApi,
  SnapshotOptions,
  SnapshotStatics,
} from './snapshotFeature.types.js';
export { SnapshotMode } from './snapshotMode.js';
