/**
 * Transitions of the job state machine (see jobs.ts) plus the billing rule tied to them: a job
 * that fails on our side (a 5xx error code) gets its usage event voided. Used by the inference
 * function (claim, complete, fail), and by the API and the sweeper (settle: expired leases and
 * lost dispatches are retried while attempts are left, then failed).
 */
import { PromptsegError, isServerFault, type ErrorBody } from '@promptseg/shared';
import { randomSecret } from './ids.js';
import { activeKey, isTerminal, readJob, updateJob, type JobRecord } from './jobs.js';
import type { ObjectStore } from './objects.js';
import { voidEvent } from './usage.js';
import { enqueueJobWebhook } from './webhooks.js';

export interface LifecyclePolicy {
  jobTimeoutMs: number;
  maxAttempts: number;
  queueTimeoutMs: number;
}

export interface Claim {
  job: JobRecord;
  /** Set when this caller now owns the attempt. */
  owner?: string;
}

/** Inference side: take the job if it is queued (or its previous attempt's lease ran out). */
export async function claimJob(store: ObjectStore, tenant: string, id: string, policy: Pick<LifecyclePolicy, 'jobTimeoutMs'>, now = Date.now()): Promise<Claim> {
  const owner = randomSecret(12);
  const job = await updateJob(store, tenant, id, (j) => {
    if (isTerminal(j.status)) return null;
    if (j.status === 'running' && (j.lease_until ?? 0) > now) return null; // another attempt holds it
    if (j.attempt >= j.max_attempts) return null; // settle() fails it; not ours to run
    j.status = 'running';
    j.attempt += 1;
    j.started_at = now;
    j.lease_until = now + policy.jobTimeoutMs;
    j.lease_owner = owner;
    j.history.push(`${new Date(now).toISOString()} attempt ${j.attempt} started`);
    return j;
  });
  return job.status === 'running' && job.lease_owner === owner ? { job, owner } : { job };
}

/** Marks the attempt succeeded if this caller still owns it; false when it lost the lease meanwhile. */
export async function completeJob(store: ObjectStore, tenant: string, id: string, owner: string, patch: Pick<JobRecord, 'result_key' | 'outputs' | 'engine' | 'timings_ms'>): Promise<boolean> {
  let applied = false;
  await updateJob(store, tenant, id, (j) => {
    applied = j.status === 'running' && j.lease_owner === owner;
    if (!applied) return null;
    return { ...j, ...patch, status: 'succeeded', finished_at: Date.now(), lease_until: undefined, lease_owner: undefined };
  });
  return applied;
}

/**
 * Fails the job (if `owner` is given, only while that attempt still owns it). Failures on our
 * side are not billed: the usage event is voided after the record says so, and settle() finishes
 * the void if the process died in between.
 */
export async function failJob(store: ObjectStore, tenant: string, id: string, error: ErrorBody, owner?: string): Promise<JobRecord> {
  const job = await updateJob(store, tenant, id, (j) => {
    if (isTerminal(j.status)) return null;
    if (owner !== undefined && (j.status !== 'running' || j.lease_owner !== owner)) return null;
    const billable = !isServerFault(error.code);
    return { ...j, status: 'failed', error, finished_at: Date.now(), lease_until: undefined, lease_owner: undefined, billing: { ...j.billing, billable } };
  });
  return finishVoid(store, job);
}

/** Writes the void marker of an unbilled failure or a cancellation, then drops the job from the active index. */
async function finishVoid(store: ObjectStore, job: JobRecord): Promise<JobRecord> {
  if ((job.status === 'failed' || job.status === 'cancelled') && !job.billing.billable) {
    await voidEvent(store, job.billing, job.error?.code ?? 'internal');
    // idempotent: finishes an enqueue that updateJob could not (the delivery is created once)
    await enqueueJobWebhook(store, job);
    await store.delete(activeKey(job.tenant, job.job_id));
  }
  return job;
}

export const cancelledError = (was: 'queued' | 'running'): ErrorBody =>
  new PromptsegError(
    'job_cancelled',
    was === 'queued' ? 'The job was cancelled before it started.' : 'The job was cancelled while it ran; its result was discarded.',
    'You were not billed for it. Create a new job to run it again.',
  ).toJSON();

/**
 * Its owner cancels the job (POST /v1/jobs/{id}/cancel). The billing rule: a cancelled job is
 * never billed — the caller gets no result, whether it was queued or already running (a running
 * attempt may finish its model call, but completeJob() then refuses it and its outputs are
 * deleted). A job that already succeeded or failed cannot be cancelled: `conflict`, and it stays
 * billed or not as it was. Cancelling a cancelled job answers it again (idempotent).
 */
export async function cancelJob(store: ObjectStore, tenant: string, id: string): Promise<JobRecord> {
  const job = await updateJob(store, tenant, id, (j) => {
    if (isTerminal(j.status)) return null;
    const was = j.status as 'queued' | 'running';
    j.history.push(`${new Date().toISOString()} cancelled by its owner while ${was}`);
    return { ...j, status: 'cancelled', error: cancelledError(was), finished_at: Date.now(), lease_until: undefined, lease_owner: undefined, billing: { ...j.billing, billable: false } };
  });
  if (job.status === 'succeeded' || job.status === 'failed') {
    throw new PromptsegError('conflict', `Job ${id} already ${job.status}; a finished job cannot be cancelled.`, job.status === 'succeeded' ? 'Its result stays available (and billed): GET /v1/jobs/{id}.' : 'Nothing to cancel: create a new job to run it again.');
  }
  return finishVoid(store, job);
}

export const timeoutError = (job: JobRecord, policy: LifecyclePolicy): ErrorBody =>
  new PromptsegError(
    'job_timeout',
    `The job did not finish: ${job.attempt} attempt(s) each ran past the ${Math.round(policy.jobTimeoutMs / 1000)} s limit or stopped (the inference worker crashed or was stopped).`,
    'You were not billed for it. Submit the job again; if it keeps failing, try a smaller image or the lite engine.',
  ).toJSON();

export const dispatchError = (): ErrorBody =>
  new PromptsegError('inference_unavailable', 'The inference function never picked the job up.', 'You were not billed for it. Submit the job again in a moment.').toJSON();

/** Why an unfinished job's clock ran out (its running attempt's lease, or a dispatch nobody picked up), or null. */
function overdue(j: JobRecord, policy: LifecyclePolicy, now: number): 'lease expired' | 'dispatch lost' | null {
  if (j.status === 'running' && (j.lease_until ?? 0) <= now) return 'lease expired';
  if (j.status === 'queued' && now - j.queued_at > policy.queueTimeoutMs) return 'dispatch lost';
  return null;
}

/**
 * Looks at a job from outside (API read, sweeper) and moves it on when its clock ran out:
 * an expired lease or a dispatch never picked up is re-dispatched while attempts are left,
 * otherwise the job fails unbilled. `dispatch` sends the async invoke.
 */
export async function settleJob(store: ObjectStore, job: JobRecord, policy: LifecyclePolicy, dispatch: (job: JobRecord) => Promise<void>, now = Date.now()): Promise<JobRecord> {
  if (job.status === 'failed' || job.status === 'cancelled') return finishVoid(store, job);
  if (isTerminal(job.status)) return job;
  if (!overdue(job, policy, now)) return job;

  let redispatch = false;
  let failWith: ErrorBody | null = null;
  const next = await updateJob(store, job.tenant, job.job_id, (j) => {
    redispatch = false;
    failWith = null;
    const late = overdue(j, policy, now);
    if (!late) return null;
    const expired = late === 'lease expired';
    const attemptsLeft = j.mode === 'async' && j.attempt < j.max_attempts && j.dispatches < j.max_attempts + 1;
    if (attemptsLeft) {
      redispatch = true;
      j.history.push(`${new Date(now).toISOString()} ${expired ? `attempt ${j.attempt} lease expired` : 'dispatch not picked up'}; dispatching again`);
      return { ...j, status: 'queued', queued_at: now, dispatches: j.dispatches + 1, lease_until: undefined, lease_owner: undefined };
    }
    failWith = expired || j.attempt > 0 ? timeoutError(j, policy) : dispatchError();
    return null;
  });
  if (failWith) return failJob(store, job.tenant, job.job_id, failWith);
  if (redispatch) {
    // A failed invoke leaves the job queued; the next settle after queueTimeout tries again.
    await dispatch(next).catch(() => undefined);
  }
  return next;
}

/** Sweeper: settles every unfinished job (lists only the active index). Returns how many changed. */
export async function sweepJobs(store: ObjectStore, policy: LifecyclePolicy, dispatch: (job: JobRecord) => Promise<void>, now = Date.now()): Promise<number> {
  let changed = 0;
  for await (const o of store.list('active/')) {
    const m = /^active\/([^/]+)\/([^/]+)$/.exec(o.key);
    if (!m) continue;
    const cur = await readJob(store, m[1], m[2]);
    if (!cur) {
      await store.delete(o.key);
      continue;
    }
    const after = await settleJob(store, cur.value, policy, dispatch, now);
    if (after.status !== cur.value.status || after.queued_at !== cur.value.queued_at) changed++;
    if (isTerminal(after.status) && (after.status === 'succeeded' || after.billing.billable)) {
      // Still listed although finished: the process that finished it may have died before recording its webhook delivery.
      await enqueueJobWebhook(store, after);
      await store.delete(o.key);
    }
  }
  return changed;
}
