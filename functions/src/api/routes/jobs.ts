/** POST /v1/jobs (accept + asynchronous dispatch, 202), GET /v1/jobs (the tenant's jobs, newest first), GET /v1/jobs/{id} (status, result, downloads) and POST /v1/jobs/{id}/cancel. */
import type { Hono } from 'hono';
import { JOB_LIST_DEFAULT_LIMIT, JobListQuerySchema, PromptsegError, type JobAccepted, type JobListResponse } from '@promptseg/shared';
import { JOB_INDEX_NAME, listJobs, readJob } from '../../core/jobs.js';
import { cancelJob, settleJob } from '../../core/lifecycle.js';
import { acceptJob } from '../accept.js';
import { parseBody } from '../body.js';
import type { ApiDeps, ApiEnv } from '../context.js';
import { validationError } from '../errors.js';
import { jobSummary, jobView, publicBase, statusUrl } from '../job-view.js';
import { z } from 'zod';

export function registerJobs(app: Hono<ApiEnv>, deps: ApiDeps): void {
  app.post('/v1/jobs', async (c) => {
    const key = c.get('key');
    const body = await parseBody(c, z.unknown(), 'job request');
    const { job, replayed } = await acceptJob(deps, key, body, 'async', c.req.header('Idempotency-Key'), publicBase(deps.config, c.req.url));
    if (!replayed) {
      // The job is durable and billed already; a failed invoke leaves it queued and the
      // sweeper / the next status read dispatches it again after PROMPTSEG_QUEUE_TIMEOUT_S.
      await deps.dispatcher.dispatch(job).catch((e: unknown) => console.error(`[api] dispatch of ${job.job_id} failed; it stays queued for re-dispatch:`, e));
    }
    const out: JobAccepted = { job_id: job.job_id, status: job.status, status_url: statusUrl(publicBase(deps.config, c.req.url), job.job_id) };
    return c.json(out, 202, replayed ? { 'Idempotent-Replayed': 'true' } : {});
  });

  app.get('/v1/jobs', async (c) => {
    const key = c.get('key');
    const parsed = JobListQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw validationError(parsed.error, 'job list query');
    const { status, limit = JOB_LIST_DEFAULT_LIMIT, cursor } = parsed.data;
    if (cursor !== undefined && !JOB_INDEX_NAME.test(cursor)) {
      throw new PromptsegError('invalid_option', 'Invalid job list query: cursor is not a cursor this API returned.', 'Pass next_cursor of the previous page unchanged, or leave cursor out for the newest jobs.');
    }
    const wanted = status ? new Set(status) : undefined;
    const page = await listJobs(deps.store, key.tenant, { limit, after: cursor, keep: wanted ? (j) => wanted.has(j.status) : undefined });
    const base = publicBase(deps.config, c.req.url);
    const out: JobListResponse = { jobs: page.jobs.map((j) => jobSummary(j, base)), next_cursor: page.next };
    return c.json(out);
  });

  app.get('/v1/jobs/:id', async (c) => {
    const key = c.get('key');
    const id = c.req.param('id');
    const found = await readJob(deps.store, key.tenant, id);
    if (!found) throw new PromptsegError('not_found', `No job ${id} for this API key.`, 'Use the job_id returned by POST /v1/jobs with the same key (jobs are private to their tenant).');
    const job = await settleJob(deps.store, found.value, deps.config, (j) => deps.dispatcher.dispatch(j));
    return c.json(await jobView(deps.store, job, publicBase(deps.config, c.req.url), deps.config.downloadUrlTtlS));
  });

  // Cancel (rule in core/lifecycle.ts cancelJob): a queued or running job ends `cancelled`,
  // unbilled, without a result; a finished one answers 409 conflict.
  app.post('/v1/jobs/:id/cancel', async (c) => {
    const key = c.get('key');
    const id = c.req.param('id');
    const found = await readJob(deps.store, key.tenant, id);
    if (!found) throw new PromptsegError('not_found', `No job ${id} for this API key.`, 'Use the job_id returned by POST /v1/jobs with the same key (jobs are private to their tenant).');
    const job = await cancelJob(deps.store, key.tenant, id);
    return c.json(await jobView(deps.store, job, publicBase(deps.config, c.req.url), deps.config.downloadUrlTtlS));
  });
}
