/**
 * Job records and their state machine, stored at `jobs/<tenant>/<job id>/job.json` and changed
 * only by compare-and-swap (If-Match on the record's ETag), so the API, the inference function
 * and the sweeper can race without losing an update.
 *
 *   queued ──claim──▶ running ──complete──▶ succeeded
 *     ▲                 │  └────fail───────▶ failed
 *     └──lease expired / lost dispatch (attempts left)──┘ (no attempts left ▶ failed, unbilled)
 *   queued / running ──cancel (its owner)──▶ cancelled (unbilled; a running attempt's outputs are discarded)
 *
 * Outputs of attempt n live under `jobs/<tenant>/<id>/attempt-<n>/` and are written before the
 * record points at them: a reader sees either no result or a complete one.
 */
import { PromptsegError, type ErrorBody, type JobOutputFormat, type JobRequest, type JobStatus, type EngineId } from '@promptseg/shared';
import type { ObjectStore } from './objects.js';
import type { UsageKind, UsageRef } from './usage.js';
import { enqueueJobWebhook, type JobWebhook } from './webhooks.js';

export interface StoredOutput {
  format: JobOutputFormat;
  name: string;
  key: string;
  content_type: string;
  bytes: number;
}

export interface JobRecord {
  job_id: string;
  tenant: string;
  key_id: string;
  mode: 'async' | 'sync';
  status: JobStatus;
  /** The validated request (wire form). */
  request: JobRequest;
  /** sha256 of the request + input: a replayed Idempotency-Key with a different body is refused. */
  request_hash: string;
  input: { key: string; bytes: number; content_type: string };
  created_at: number;
  updated_at: number;
  /** Last time it was (re)queued and dispatched. */
  queued_at: number;
  started_at?: number;
  finished_at?: number;
  /** Runs started so far; a claim increments it. */
  attempt: number;
  max_attempts: number;
  /** Dispatches sent so far (first + re-dispatches after a lost invoke or an expired lease). */
  dispatches: number;
  /** While running: the attempt's deadline (ms since epoch). */
  lease_until?: number;
  /** While running: a random token of the attempt holding the lease (only it may finish the job). */
  lease_owner?: string;
  billing: UsageRef & { billable: boolean };
  result_key?: string;
  outputs?: StoredOutput[];
  engine?: EngineId;
  error?: ErrorBody;
  timings_ms: Record<string, number>;
  /** Why it was re-queued, for operators. */
  history: string[];
  /** Where its ending is POSTed (core/webhooks.ts); absent without a webhook. */
  webhook?: JobWebhook;
  /** 'video' for a clip (inference/video-job.ts); absent for images. */
  kind?: 'video';
  /** A video job's plan and progress, written by its coordinator and segments. */
  video?: VideoJobState;
}

/** One segment of a video job's plan (model's VideoSegment; `end` null = to the clip's end, as JSON has no Infinity). */
export interface StoredSegment {
  index: number;
  start: number;
  owns: number;
  end: number | null;
  frames: number;
  leadIn: number;
}

/**
 * A video job's fan-out state. The plan is written once, by the first attempt that probes the
 * clip, and reused by every retry, so segment results (kept per job, not per attempt) and the
 * billed seconds stay valid: a rerun resumes with the segments still missing.
 */
export interface VideoJobState {
  width: number;
  height: number;
  /** Sampled frames of the clip, and their rate. */
  frames_total: number;
  rate: number;
  /** Seconds billed (usage.ts billedVideoSeconds of the span processed). */
  seconds: number;
  segments: StoredSegment[];
  /** Frames done per segment (its owned frames), updated by its heartbeats. */
  done: number[];
  /** Segments whose result is written. */
  finished: number[];
  /** The largest stitched prefix written so far (GET shows it as `partial`). */
  partial?: { key: string; frames: number; tracks: number; segments: number };
}

/** Objects of a video job's fan-out: segment results and claims, partial documents, the finish claim. */
export const videoKey = (tenant: string, id: string, name: string) => `${jobPrefix(tenant, id)}video/${name}`;

export const jobPrefix = (tenant: string, id: string) => `jobs/${tenant}/${id}/`;
export const jobKey = (tenant: string, id: string) => `${jobPrefix(tenant, id)}job.json`;
export const attemptPrefix = (tenant: string, id: string, attempt: number) => `${jobPrefix(tenant, id)}attempt-${attempt}/`;
/** Index of unfinished jobs, so the sweeper lists only those. */
export const activeKey = (tenant: string, id: string) => `active/${tenant}/${id}`;

export const JOB_ID_PATTERN = /^job_[a-z2-7]{26}$/;

/**
 * The tenant's job index for GET /v1/jobs: one empty object per job, named so that S3's
 * ascending key order is newest first (13 digits of MAX_MS − created_at, then the id). Under the
 * tenant's jobs/ prefix, so it expires with the records; "index" can never be a job id.
 */
const MAX_MS = 9_999_999_999_999;
export const jobIndexPrefix = (tenant: string) => `jobs/${tenant}/index/`;
export const jobIndexName = (job: Pick<JobRecord, 'created_at' | 'job_id'>) => `${String(MAX_MS - job.created_at).padStart(13, '0')}-${job.job_id}`;
export const JOB_INDEX_NAME = /^\d{13}-(job_[a-z2-7]{26})$/;

export async function readJob(store: ObjectStore, tenant: string, id: string): Promise<{ value: JobRecord; etag: string } | null> {
  if (!JOB_ID_PATTERN.test(id)) return null;
  return store.getJson<JobRecord>(jobKey(tenant, id));
}

/** Creates the record if no job with this id exists; returns false if one does (idempotent replay). */
export async function createJob(store: ObjectStore, job: JobRecord): Promise<boolean> {
  const put = await store.putJson(jobKey(job.tenant, job.job_id), job, { ifNoneMatch: true });
  if (put) {
    await store.putBytes(activeKey(job.tenant, job.job_id), new Uint8Array(0), 'application/octet-stream');
    await store.putBytes(`${jobIndexPrefix(job.tenant)}${jobIndexName(job)}`, new Uint8Array(0), 'application/octet-stream');
  }
  return put !== null;
}

/**
 * Applies `change` to the current record with compare-and-swap, re-reading on conflict.
 * `change` returns the new record, or null to leave it as it is. Returns the record as stored.
 */
export async function updateJob(store: ObjectStore, tenant: string, id: string, change: (job: JobRecord) => JobRecord | null): Promise<JobRecord> {
  for (let i = 0; i < 8; i++) {
    const cur = await readJob(store, tenant, id);
    if (!cur) throw new PromptsegError('not_found', `Job ${id} does not exist.`, 'Check the job id.');
    const next = change(structuredClone(cur.value));
    if (!next) return cur.value;
    next.updated_at = Date.now();
    if (await store.putJson(jobKey(tenant, id), next, { ifMatch: cur.etag })) {
      if (isTerminal(next.status) && !isTerminal(cur.value.status) && next.webhook) {
        // Enqueued before the job leaves the active index; if this fails the job stays there and
        // the sweeper enqueues it (sweepJobs). The job's own outcome is never affected.
        const queued = await enqueueJobWebhook(store, next).then(
          () => true,
          (e: unknown) => (console.error(`[jobs] ${id}: webhook delivery not recorded yet (the sweeper retries):`, e), false),
        );
        if (!queued) return next;
      }
      // Unbilled failures and cancellations stay in the active index until their usage void is written (lifecycle.ts).
      if (next.status === 'succeeded' || (next.status === 'failed' && next.billing.billable)) await store.delete(activeKey(tenant, id));
      return next;
    }
  }
  throw new PromptsegError('conflict', `Job ${id} is being changed by several processes at once.`, 'Retry in a moment.');
}

export function isTerminal(s: JobStatus): boolean {
  return s === 'succeeded' || s === 'failed' || s === 'cancelled';
}

export function newUsageRef(tenant: string, keyId: string, jobId: string, day: string, engine: string, kind: UsageKind): UsageRef {
  return { tenant, keyId, eventId: jobId, day, engine, kind };
}

/** Fills the queue/run/total timings from the record's clock fields. */
export function withClockTimings(job: JobRecord): Record<string, number> {
  const t: Record<string, number> = { ...job.timings_ms };
  if (job.started_at) t.queue = job.started_at - job.created_at;
  if (job.started_at && job.finished_at) t.run = job.finished_at - job.started_at;
  if (job.finished_at) t.total = job.finished_at - job.created_at;
  return t;
}

export interface JobPage {
  jobs: JobRecord[];
  /** The index name to continue after; null at the end. */
  next: string | null;
}

/** Index entries read per page at most when filtering, so a rare status cannot make one request scan everything. */
export const JOB_LIST_SCAN_LIMIT = 1000;

/**
 * One page of a tenant's jobs, newest first: index entries after `after` (an index name), their
 * records read in parallel batches, kept when `keep` says so, until `limit` are found (then the
 * last one kept is the cursor) or JOB_LIST_SCAN_LIMIT entries were read (then the last one read).
 * Pages continue exactly where the previous one stopped, so they cover every job once.
 */
export async function listJobs(store: ObjectStore, tenant: string, opts: { limit: number; after?: string; keep?: (job: JobRecord) => boolean }): Promise<JobPage> {
  const prefix = jobIndexPrefix(tenant);
  const jobs: JobRecord[] = [];
  let scanned = 0;
  let batch: string[] = [];
  // reads the batch's records; returns the index name to stop at, or null to go on
  const flush = async (): Promise<string | null> => {
    const records = await Promise.all(batch.map((name) => readJob(store, tenant, JOB_INDEX_NAME.exec(name)![1])));
    const names = batch;
    batch = [];
    for (let i = 0; i < names.length; i++) {
      const r = records[i]?.value; // a record that just expired may leave its index entry for a moment
      if (r && (opts.keep?.(r) ?? true)) {
        jobs.push(r);
        if (jobs.length === opts.limit) return names[i];
      }
    }
    return scanned >= JOB_LIST_SCAN_LIMIT ? names[names.length - 1] : null;
  };
  const page = async (stop: string): Promise<JobPage> => ({ jobs, next: (await hasAfter(store, prefix, stop)) ? stop : null });
  for await (const o of store.list(prefix, opts.after === undefined ? undefined : `${prefix}${opts.after}`)) {
    const name = o.key.slice(prefix.length);
    if (!JOB_INDEX_NAME.test(name)) continue;
    batch.push(name);
    scanned++;
    // unfiltered, read just what the page still needs; filtered, in batches of 25
    if (batch.length >= (opts.keep ? 25 : Math.min(25, opts.limit - jobs.length)) || scanned >= JOB_LIST_SCAN_LIMIT) {
      const stop = await flush();
      if (stop !== null) return page(stop);
    }
  }
  if (batch.length) {
    const stop = await flush();
    if (stop !== null) return page(stop);
  }
  return { jobs, next: null };
}

async function hasAfter(store: ObjectStore, prefix: string, name: string): Promise<boolean> {
  for await (const o of store.list(prefix, `${prefix}${name}`)) if (JOB_INDEX_NAME.test(o.key.slice(prefix.length))) return true;
  return false;
}
