import type { CapacityJob, CapacityResult } from './workloads/capacity/job.js';
import type { Workload1Job, Workload1Reply, Workload1Request } from './workloads/workload1/job.js';
import type { Workload2Job, Workload2Result } from './workloads/workload2/job.js';
import type { Workload4Job, Workload4Reply, Workload4Request } from './workloads/workload4/job.js';
import type { Workload5Job, Workload5Reply, Workload5Request } from './workloads/workload5/job.js';
import type { Workload6Job, Workload6Reply, Workload6Request } from './workloads/workload6/job.js';
import type { Workload7Job, Workload7Result } from './workloads/workload7/job.js';
import type { Workload8Job, Workload8Result } from './workloads/workload8/job.js';
import type { Workload9Job, Workload9Result } from './workloads/workload9/job.js';

/** A one-shot job: the child runs it, sends the result and exits. */
export type Job = CapacityJob | Workload2Job | Workload7Job | Workload8Job | Workload9Job;

/** The result type of each one-shot job kind. */
export interface JobResults {
  /** Result of a {@link CapacityJob}. */
  capacity: CapacityResult;
  /** Result of a {@link Workload2Job}. */
  workload2: Workload2Result;
  /** Result of a {@link Workload7Job} (its `task` says which). */
  workload7: Workload7Result;
  /** Result of a {@link Workload8Job}. */
  workload8: Workload8Result;
  /** Result of a {@link Workload9Job}. */
  workload9: Workload9Result;
}

/** The result of one-shot job `J`. */
export type JobResult<J extends Job> = JobResults[J['kind']];

/**
 * A session job: the child sets up (keys, maps), then answers requests until closed. Sessions
 * let the parent interleave several children's measurements slice by slice.
 */
export type SessionJob = Workload1Job | Workload4Job | Workload5Job | Workload6Job;

/** The requests and replies of each session kind. */
export interface SessionProtocols {
  /** Workload 1: measure a cell for one slice, or read balances. */
  workload1: { request: Workload1Request; reply: Workload1Reply };
  /** Workload 4: time a slice of awaited gets at one size. */
  workload4: { request: Workload4Request; reply: Workload4Reply };
  /** Workload 5: run a slice of read-modify-write storms. */
  workload5: { request: Workload5Request; reply: Workload5Reply };
  /** Workload 6: run a slice of thundering herds. */
  workload6: { request: Workload6Request; reply: Workload6Reply };
}

/** A request of session job `J`. */
export type SessionRequest<J extends SessionJob> = SessionProtocols[J['kind']]['request'];

/** A reply of session job `J`. */
export type SessionReply<J extends SessionJob> = SessionProtocols[J['kind']]['reply'];

/** Messages the parent sends a child over IPC. */
export type ParentMessage =
  | { readonly type: 'run'; readonly job: Job }
  | { readonly type: 'open'; readonly job: SessionJob }
  | { readonly type: 'call'; readonly request: SessionRequest<SessionJob> }
  | { readonly type: 'close' };

/** Messages a child sends its parent over IPC: progress notes, and one reply per message. */
export type ChildMessage =
  | { readonly type: 'progress'; readonly text: string }
  | { readonly type: 'reply'; readonly value: unknown }
  | { readonly type: 'error'; readonly message: string };
