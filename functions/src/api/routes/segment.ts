/**
 * POST /v1/segment: the synchronous convenience for small images. Same body as POST /v1/jobs;
 * the image must be at most PROMPTSEG_SYNC_MAX_BYTES and the answer comes within
 * PROMPTSEG_SYNC_TIMEOUT_S, else 504 job_timeout with the job id to poll (the job keeps running).
 * It is a job underneath (one billing event, Idempotency-Key honoured) run by a RequestResponse invoke.
 */
import type { Hono } from 'hono';
import { PromptsegError } from '@promptseg/shared';
import { readJob, isTerminal, type JobRecord } from '../../core/jobs.js';
import { failJob } from '../../core/lifecycle.js';
import { acceptJob } from '../accept.js';
import { parseBody } from '../body.js';
import type { ApiDeps, ApiEnv } from '../context.js';
import { errorResponse } from '../errors.js';
import { jobView, publicBase, statusUrl } from '../job-view.js';
import { z } from 'zod';

export function registerSegment(app: Hono<ApiEnv>, deps: ApiDeps): void {
  app.post('/v1/segment', async (c) => {
    const key = c.get('key');
    const body = await parseBody(c, z.unknown(), 'segment request');
    const base = publicBase(deps.config, c.req.url);
    const { job, replayed } = await acceptJob(deps, key, body, 'sync', c.req.header('Idempotency-Key'), publicBase(deps.config, c.req.url));
    let done: JobRecord = job;
    if (!replayed || !isTerminal(job.status)) {
      if (!replayed) {
        try {
          await deps.dispatcher.run(job, deps.config.syncTimeoutMs);
        } catch (e) {
          const err = e instanceof PromptsegError ? e : null;
          if (err?.code === 'job_timeout') {
            return errorResponse(c, new PromptsegError('job_timeout', err.message, err.hint, { job_id: job.job_id, status_url: statusUrl(base, job.job_id) }));
          }
          // Could not run it: fail it (unbilled) so it is not left queued.
          const failed = await failJob(deps.store, job.tenant, job.job_id, (err ?? new PromptsegError('inference_unavailable', String(e), 'Retry in a moment.')).toJSON());
          if (failed.status === 'failed' && failed.error) return errorResponse(c, new PromptsegError(failed.error.code, failed.error.message, failed.error.hint, { job_id: job.job_id }));
        }
      }
      done = (await readJob(deps.store, job.tenant, job.job_id))?.value ?? job;
    }
    if ((done.status === 'failed' || done.status === 'cancelled') && done.error) {
      return errorResponse(c, new PromptsegError(done.error.code, done.error.message, done.error.hint, { job_id: done.job_id, status_url: statusUrl(base, done.job_id) }));
    }
    if (done.status !== 'succeeded') {
      return c.json({ job_id: done.job_id, status: done.status, status_url: statusUrl(base, done.job_id) }, 202);
    }
    return c.json(await jobView(deps.store, done, base, deps.config.downloadUrlTtlS));
  });
}
