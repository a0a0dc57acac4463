import { bigMap } from './bigMap.js';
import type { AnyImplementation, ImplementationId } from './implementation.js';
import { naiveSharded } from './naiveShardedMap.js';
import { nativeMap } from './nativeMap.js';
import { starshard } from './starshard.js';

export type { AnyImplementation, Balance, Implementation, ImplementationId } from './implementation.js';

/** Every implementation of workload 1, the anchor (`Map`) first; a child process builds one. */
export const IMPLEMENTATIONS: Readonly<Record<ImplementationId, () => AnyImplementation>> = {
  map: () => nativeMap,
  'starshard-64': () => starshard('starshard-64', 64),
  'starshard-1': () => starshard('starshard-1', 1),
  'naive-16': () => naiveSharded,
  'bigmap-64': () => bigMap,
};

/** The implementation ids in report order. */
export const IMPLEMENTATION_IDS = Object.keys(IMPLEMENTATIONS) as ImplementationId[];

/** The label of an implementation id, without loading it into a hot path. */
export const IMPLEMENTATION_LABELS: Readonly<Record<ImplementationId, string>> = {
  map: 'Map',
  'starshard-64': 'starshard 64',
  'starshard-1': 'starshard 1',
  'naive-16': 'naive 16',
  'bigmap-64': 'bigmap 64',
};
