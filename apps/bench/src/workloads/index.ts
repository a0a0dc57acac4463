import { capacity } from './capacity/index.js';
import type { Workload } from './workload.js';
import { workload1 } from './workload1/index.js';
import { workload4 } from './workload4/index.js';
import { workload5 } from './workload5/index.js';
import { workload6 } from './workload6/index.js';

export type { Workload } from './workload.js';

/** Every workload `pnpm bench` knows, in run order. Workloads 2 and 7–10 slot in here. */
export const WORKLOADS: readonly Workload[] = [workload1, capacity, workload4, workload5, workload6];

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
