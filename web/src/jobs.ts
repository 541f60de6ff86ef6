/**
 * Running one segmentation through the service: upload once per image (presigned, straight to
 * storage), then one job per prompt, polled with back-off. Shared by the single view and batch.
 */
import type { JobRequestInput, SegmentResult } from '@promptseg/shared';
import { ApiError, type ApiClient } from './api/client.js';
import { poll } from './api/poll.js';
import { t } from './i18n/index.js';
import type { JobView } from './api/types.js';
import { imageType } from './input/validate.js';

/** What these flows need from the client (an interface, so tests can answer like the service). */
export type JobsApi = Pick<ApiClient, 'presign' | 'upload' | 'createJob' | 'getJob' | 'segment' | 'cancelJob'>;

export interface Uploaded {
  key: string;
  ms: number;
}

/** Presign + upload; resolves to the upload key to name in jobs. */
export async function uploadImage(api: JobsApi, file: File, signal?: AbortSignal, onProgress?: (sent: number, total: number) => void): Promise<Uploaded> {
  const t0 = performance.now();
  const type = imageType(file.name, file.type) ?? 'application/octet-stream';
  const p = await api.presign(file, type);
  if (file.size > p.max_bytes) {
    throw new ApiError(413, 'payload_too_large', t('upload.tooLarge', { name: file.name }), t('upload.tooLarge.hint'));
  }
  await api.upload(p, file, type, signal, onProgress);
  return { key: p.upload_key, ms: Math.round(performance.now() - t0) };
}

export type JobBody = Omit<JobRequestInput, 'upload_key' | 'image_id'>;

export interface JobOutcome {
  job: JobView;
  result: SegmentResult;
}

/** Polls a job to the end; a failed or cancelled job throws its error. */
export async function waitJob(api: JobsApi, jobId: string, onState: (job: JobView) => void, signal?: AbortSignal): Promise<JobOutcome> {
  const job = await poll<JobView>({
    read: () => api.getJob(jobId, signal),
    done: (j) => j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled',
    onUpdate: onState,
    signal,
    timeoutMs: 10 * 60_000,
  });
  if (job.status !== 'succeeded' || !job.result) {
    const e = job.error;
    throw new ApiError(0, e?.code ?? 'internal', e?.message ?? t('job.failedSilently'), e?.hint ?? t('common.tryAgain'));
  }
  return { job, result: job.result };
}

/**
 * Creates a job for an uploaded image (one Idempotency-Key per logical request) and waits for it.
 * `onAccepted` gets the job id at once, so the caller can cancel it (cancelJob) while it runs.
 */
export async function runJob(api: JobsApi, uploadKey: string, body: JobBody, onState: (job: JobView) => void, signal?: AbortSignal, onAccepted?: (jobId: string) => void): Promise<JobOutcome> {
  const accepted = await api.createJob({ ...body, upload_key: uploadKey }, crypto.randomUUID(), signal);
  onAccepted?.(accepted.job_id);
  return waitJob(api, accepted.job_id, onState, signal);
}

/**
 * A quick call for click refinement: POST /v1/segment answers with the finished job when the
 * image is small enough. If the service is still working (202, or 504 with the job id) the page
 * polls that same job — never a second, billed request; an image too big for the sync route
 * (413) goes through a job instead.
 */
export async function runQuick(api: JobsApi, uploadKey: string, body: JobBody, signal?: AbortSignal): Promise<SegmentResult> {
  let view: Partial<JobView>;
  try {
    view = (await api.segment({ ...body, upload_key: uploadKey }, signal)) as Partial<JobView>;
  } catch (e) {
    if (e instanceof ApiError && e.status === 413) return (await runJob(api, uploadKey, body, () => {}, signal)).result;
    const id = e instanceof ApiError && e.status === 504 ? e.details?.job_id : undefined;
    if (typeof id === 'string') return (await waitJob(api, id, () => {}, signal)).result;
    throw e;
  }
  if (view.result) return view.result;
  if (view.job_id && view.status !== 'failed') return (await waitJob(api, view.job_id, () => {}, signal)).result;
  throw new ApiError(0, view.error?.code ?? 'internal', view.error?.message ?? t('job.noResult'), view.error?.hint ?? t('common.tryAgain'));
}
