/**
 * A job record as the API shows it: status and timings always; when succeeded, the result
 * document (read from S3) and short-lived presigned GET URLs of the binary outputs; when failed,
 * the error. Internal fields (leases, keys, hashes) never leave the server.
 */
import type { Download, JobSummary, JobView } from '@promptseg/shared';
import { withClockTimings, type JobRecord } from '../core/jobs.js';
import type { ObjectStore } from '../core/objects.js';
import type { ApiConfig } from '../config.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * The base of absolute URLs in answers: PROMPTSEG_PUBLIC_URL when set, else the request's origin.
 * Behind the CloudFront Router the request's Host is the function URL's, which clients must not
 * be sent to (it bypasses the Router), so production sets the Router URL.
 */
export function publicBase(config: Pick<ApiConfig, 'publicUrl'>, requestUrl: string): string {
  return config.publicUrl ?? new URL(requestUrl).origin;
}

export function statusUrl(base: string, jobId: string): string {
  return `${base}/v1/jobs/${encodeURIComponent(jobId)}`;
}

/** The job without its result and downloads (GET /v1/jobs lists these; no storage reads). */
export function jobSummary(job: JobRecord, base: string): JobSummary {
  const view: JobSummary = {
    job_id: job.job_id,
    status: job.status,
    status_url: statusUrl(base, job.job_id),
    mode: job.mode,
    prompt: job.request.prompt,
    engine: job.engine ?? job.request.engine,
    outputs: job.request.outputs,
    created_at: new Date(job.created_at).toISOString(),
    attempts: job.attempt,
    timings_ms: withClockTimings(job),
    billable: job.billing.billable,
  };
  if (job.status !== 'queued' && job.started_at) view.started_at = iso(job.started_at);
  if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') view.finished_at = iso(job.finished_at);
  if ((job.status === 'failed' || job.status === 'cancelled') && job.error) view.error = job.error;
  if (job.webhook) view.webhook = { url: job.webhook.url, events: job.webhook.events };
  if (job.kind === 'video') {
    view.kind = 'video';
    if (job.video) {
      const v = job.video;
      const done = job.status === 'succeeded' ? v.frames_total : Math.min(v.frames_total, v.done.reduce((a, b) => a + b, 0));
      view.progress = { frames_done: done, frames_total: v.frames_total, segments_done: v.finished.length, segments_total: v.segments.length };
    }
  }
  return view;
}

export async function jobView(store: ObjectStore, job: JobRecord, base: string, downloadTtlS: number): Promise<JobView> {
  const view: JobView = jobSummary(job, base);
  const partial = job.video?.partial;
  if (job.status === 'running' && partial) {
    // A video job's document so far: the stitched first segments (inference/video-job.ts).
    view.partial = { frames: partial.frames, tracks: partial.tracks, url: await store.presignGet(partial.key, downloadTtlS, `${job.job_id}.partial.json`), expires_at: new Date(Date.now() + downloadTtlS * 1000).toISOString() };
  }
  if (job.status === 'succeeded') {
    if (job.result_key) {
      const doc = await store.getJson<Record<string, unknown>>(job.result_key);
      if (doc) view.result = doc.value;
    }
    const expires = new Date(Date.now() + downloadTtlS * 1000).toISOString();
    view.downloads = await Promise.all(
      (job.outputs ?? []).map(
        async (o): Promise<Download> => ({
          format: o.format,
          name: o.name,
          content_type: o.content_type,
          bytes: o.bytes,
          url: await store.presignGet(o.key, downloadTtlS, o.name),
          expires_at: expires,
        }),
      ),
    );
  }
  return view;
}
