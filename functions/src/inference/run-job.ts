/**
 * One invocation of the inference function: claim the job (lease), read the image from S3, run
 * segment(), write the binary outputs and the result JSON under the attempt's own prefix, and
 * only then point the job record at them (succeeded). Any typed error ends the job `failed`
 * with that error (unbilled when it is our fault). A crash leaves the lease to expire; the
 * API / sweeper then retries or fails the job (core/lifecycle.ts).
 *
 * Cancellation (POST /v1/jobs/{id}/cancel): a job cancelled while queued is never claimed; one
 * cancelled while running is checked for before the model call and again before any output is
 * written, so the worker is freed as early as it can be (the model call itself is not
 * interrupted); outputs written before a late cancel are deleted, and the record stays
 * `cancelled` (completeJob only finishes a job its attempt still owns as `running`).
 */
import { binaryOutputs, isDatasetFormat, isPromptsegError, jobRequestOptions, PromptsegError, toPromptsegError, type OutputFormat } from '@promptseg/shared';
import { exportDataset, exportOutputs, resultJson, segment, withPolygons, type ExportableOutcome, type ExportFile } from '@promptseg/model';
import type { InferenceConfig } from '../config.js';
import type { InferenceEvent, InferenceResponse, SegmentEvent } from '../core/dispatch.js';
import { attemptPrefix, isTerminal, JOB_ID_PATTERN, readJob, type JobRecord, type StoredOutput } from '../core/jobs.js';
import { TENANT_PATTERN } from '../core/keys.js';
import { claimJob, completeJob, failJob } from '../core/lifecycle.js';
import type { ObjectStore } from '../core/objects.js';
import { recordEvent } from '../core/usage.js';
import { runSegmentEvent, startVideoJob } from './video-job.js';

export interface RunDeps {
  store: ObjectStore;
  config: InferenceConfig;
  /** Test seam for fault injection (local mode's worker): runs after the claim, before any work. */
  afterClaim?: (job: JobRecord) => Promise<void>;
}

export function parseEvent(event: unknown): InferenceEvent | SegmentEvent {
  const e = (typeof event === 'string' ? JSON.parse(event) : event) as Partial<InferenceEvent | SegmentEvent> | null;
  const ids = !!e && typeof e.tenant === 'string' && TENANT_PATTERN.test(e.tenant) && typeof e.job_id === 'string' && JOB_ID_PATTERN.test(e.job_id);
  if (ids && e.type === 'job') return { type: 'job', tenant: e.tenant!, job_id: e.job_id! };
  if (ids && e.type === 'video_segment' && Number.isInteger(e.attempt) && Number.isInteger(e.segment) && e.segment! >= 0) {
    return { type: 'video_segment', tenant: e.tenant!, job_id: e.job_id!, attempt: e.attempt!, segment: e.segment! };
  }
  throw new PromptsegError('bad_request', `Not an inference event: ${JSON.stringify(event).slice(0, 200)}.`, 'The API sends {"type":"job","tenant":…,"job_id":…}; video coordinators send {"type":"video_segment",…,"attempt":n,"segment":i}.');
}

/** Runs what an event asks: a job (image, or a video's coordinator) or one segment of a video job. */
export function runEvent(deps: RunDeps, event: InferenceEvent | SegmentEvent): Promise<InferenceResponse> {
  return event.type === 'video_segment' ? runSegmentEvent(deps, event) : runJob(deps, event);
}

export async function runJob(deps: RunDeps, event: InferenceEvent): Promise<InferenceResponse> {
  const { store, config } = deps;
  const claim = await claimJob(store, event.tenant, event.job_id, config);
  const job = claim.job;
  if (!claim.owner) {
    const skipped = job.status === 'cancelled' ? 'cancelled' : isTerminal(job.status) ? 'finished' : job.status === 'running' ? 'in_progress' : 'exhausted';
    return { job_id: job.job_id, status: job.status, ran: false, skipped };
  }
  const owner = claim.owner;
  try {
    // Every job that runs has its billable event, even if the API died right after writing the job.
    await recordEvent(store, job.billing, { job_id: job.job_id });
    await deps.afterClaim?.(job);
    if (await cancelled(deps, job)) return cancelledResponse(job);
    if (job.kind === 'video') return await startVideoJob(deps, job, owner);

    const t0 = performance.now();
    const input = await store.getBytes(job.input.key);
    if (!input) throw new PromptsegError('not_found', 'The uploaded image no longer exists.', 'Uploads are deleted after a day; upload the image again and create a new job.');
    const tRead = performance.now();

    const segmented = await segment(input.bytes, job.request.prompt, { ...jobRequestOptions(job.request), maxPixels: config.maxPixels });
    const tolerance = job.request.polygon_tolerance;
    // older records (accepted before polygons existed) have neither field: the defaults
    const outcome = job.request.polygons ? { ...segmented, result: withPolygons(segmented.result, segmented.masks, tolerance) } : segmented;
    const tSegment = performance.now();
    if (await cancelled(deps, job)) return cancelledResponse(job);

    const prefix = attemptPrefix(job.tenant, job.job_id, job.attempt);
    const outputs: StoredOutput[] = [];
    // (the API accepts only image formats for an image job: accept.ts)
    for (const format of binaryOutputs(job.request.outputs) as OutputFormat[]) {
      for (const f of await exportFormat(outcome, format, job, tolerance)) {
        const key = `${prefix}${f.name}`;
        await store.putBytes(key, f.bytes, f.contentType);
        outputs.push({ format, name: f.name, key, content_type: f.contentType, bytes: f.bytes.length });
      }
    }
    const resultKey = `${prefix}result.json`;
    await store.putBytes(resultKey, new TextEncoder().encode(resultJson(outcome.result)), 'application/json');
    const tWrite = performance.now();

    const timings: Record<string, number> = {};
    for (const [k, v] of Object.entries(outcome.result.timings_ms)) timings[`segment_${k}`] = v;
    timings.read_input = round(tRead - t0);
    timings.write_outputs = round(tWrite - tSegment);
    // The record is written last: until now readers saw "running", never a partial result.
    const applied = await completeJob(store, job.tenant, job.job_id, owner, { result_key: resultKey, outputs, engine: outcome.result.engine, timings_ms: timings });
    if (!applied) {
      if (await cancelled(deps, job)) {
        await Promise.all([...outputs.map((o) => o.key), resultKey].map((k) => store.delete(k).catch(() => undefined)));
        return cancelledResponse(job);
      }
      console.warn(`[inference] ${job.job_id}: attempt ${job.attempt} finished after losing its lease; its outputs are discarded.`);
      return { job_id: job.job_id, status: 'running', ran: true, skipped: 'in_progress' };
    }
    return { job_id: job.job_id, status: 'succeeded', ran: true };
  } catch (e) {
    const err = toPromptsegError(e);
    if (!isPromptsegError(e)) console.error(`[inference] ${job.job_id}: unexpected error`, e);
    // If storage is down this throws too: the invocation fails and the lease decides later.
    const after = await failJob(store, job.tenant, job.job_id, err.toJSON(), owner);
    return { job_id: job.job_id, status: after.status, ran: true, error: err.toJSON() };
  }
}

const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/tiff': 'tif', 'image/avif': 'avif', 'image/heif': 'heif', 'image/heic': 'heic' };

/**
 * One format's files, named after the job id. The dataset formats (COCO, YOLO, Label Studio) hold
 * this one image, named `<job id>.<ext>` in them (the API never sees the client's file name).
 */
async function exportFormat(outcome: ExportableOutcome, format: OutputFormat, job: JobRecord, tolerance: number | undefined): Promise<ExportFile[]> {
  if (!isDatasetFormat(format)) return exportOutputs(outcome, [format], job.job_id, { tolerance });
  const file = `${job.job_id}.${EXTENSION[job.input.content_type] ?? 'img'}`;
  return exportDataset([{ result: outcome.result, file, stem: job.job_id }], [format], { tolerance });
}

/** Whether the job's owner cancelled it since this attempt claimed it (one record read). */
async function cancelled(deps: RunDeps, job: JobRecord): Promise<boolean> {
  const cur = await readJob(deps.store, job.tenant, job.job_id);
  return cur?.value.status === 'cancelled';
}

function cancelledResponse(job: JobRecord): InferenceResponse {
  console.log(`[inference] ${job.job_id}: cancelled by its owner during attempt ${job.attempt}; nothing kept.`);
  return { job_id: job.job_id, status: 'cancelled', ran: true, skipped: 'cancelled' };
}

const round = (v: number) => Math.round(v * 10) / 10;
