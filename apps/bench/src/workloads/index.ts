import { capacity } from './capacity/index.js';
import { lru } from './lru/index.js';
import { memory } from './memory/index.js';
import { sharedWorkload } from './shared/index.js';
import type { Workload } from './workload.js';
import { workload1 } from './workload1/index.js';
import { workload2 } from './workload2/index.js';
import { workload4 } from './workload4/index.js';
import { workload5 } from './workload5/index.js';
import { workload6 } from './workload6/index.js';
import { workload7 } from './workload7/index.js';
import { workload8 } from './workload8/index.js';
import { workload9 } from './workload9/index.js';
import { workload10 } from './workload10/index.js';

export type { Workload } from './workload.js';

/** Every workload `pnpm bench` knows, in run order. */
export const WORKLOADS: readonly Workload[] = [
  workload1,
  workload2,
  capacity,
  workload4,
  workload5,
  workload6,
  workload7,
  workload8,
  workload9,
  workload10,
  lru,
  memory,
  sharedWorkload,
];

/**
 * The workload named `name` (its id or an alias), or `undefined`.
 *
 * @example
 * findWorkload('3'); // the capacity workload
 */
export function findWorkload(name: string): Workload | undefined {
  const wanted = name.toLowerCase();
  return WORKLOADS.find((w) => w.id === wanted || w.aliases.includes(wanted));
}
