/**
 * `promptseg segment … --api URL --key KEY`: the same batch through the hosted (or local) API.
 * A Processor (processor.ts) for the batch runner, so outputs, progress and resume are the local
 * ones: per image, presigned upload → job (with an Idempotency-Key, so a retried request is
 * billed once) → polling with backoff → downloads renamed to the local output names.
 * All HTTP goes through @promptseg/client (the typed client the page and users share); this file
 * only maps the batch's requests onto it and its errors onto the CLI's exit codes.
 */
import { createHash } from 'node:crypto';
import { PromptsegClient, isPromptsegApiError, type Job, type JobOptions } from '@promptseg/client';
import { ERROR_CODES, PromptsegError, binaryOutputs, type ErrorCode, type SegmentResult } from '@promptseg/shared';
import type { ExportFile } from '@promptseg/model';
import type { Processed, ProcessRequest, Processor } from './processor.js';

export interface ApiClientOptions {
  baseUrl: string;
  key: string;
  /** Longest wait for one job (default 10 minutes). */
  jobTimeoutMs?: number;
  /** Retries of one HTTP call after network errors, 429 and 502/503/504 (default 4). */
  retries?: number;
  fetch?: typeof fetch;
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** The client's error as the CLI's typed error, so the exit-code table applies (bad key → 2, …). */
export function toCliError(e: unknown): unknown {
  if (!isPromptsegApiError(e)) return e;
  const code = (KNOWN_CODES.has(e.code) ? e.code : 'internal') as ErrorCode;
  return new PromptsegError(code, e.message, e.hint, e.details);
}

/** Same text as the model's resultJson(): the file a local run writes. */
const resultJson = (r: SegmentResult) => `${JSON.stringify(r, null, 2)}\n`;

/** One Idempotency-Key per logical request: the same upload, prompt, options and outputs. */
function idempotencyKey(uploadKey: string, body: Record<string, unknown>, retry: number): string {
  const h = createHash('sha256').update(JSON.stringify({ uploadKey, body, retry })).digest('hex');
  return `cli-${h.slice(0, 40)}`;
}

async function run(client: PromptsegClient, req: ProcessRequest, jobTimeoutMs: number): Promise<Processed> {
  const up = await client.upload(req.bytes);
  const options = {
    prompt: req.prompt,
    threshold: req.options.threshold,
    refine: req.options.refine,
    top_k: req.options.topK,
    engine: req.options.engine,
    boxes: req.options.boxes,
    points: req.options.points,
    outputs: req.formats.length ? [...req.formats] : ['json'],
    ...(req.polygons ? { polygons: true } : {}),
    ...(req.tolerance !== undefined ? { polygon_tolerance: req.tolerance } : {}),
  } as JobOptions;
  let job: Job | undefined;
  // A failure on the service's side is not billed: try once more under a new key.
  for (let retry = 0; retry < 2; retry++) {
    const accepted = await client.createJob({ ...options, upload_key: up.upload_key }, { idempotencyKey: idempotencyKey(up.upload_key, options as Record<string, unknown>, retry) });
    job = await client.waitForJob(accepted.job_id, { timeoutMs: jobTimeoutMs });
    if (!(job.status === 'failed' && !job.billable)) break;
  }
  if (!job || job.status !== 'succeeded' || !job.result) {
    const e = job?.error;
    throw e ? new PromptsegError(e.code as ErrorCode, e.message, e.hint, { job_id: job?.job_id }) : new PromptsegError('internal', 'The job finished without a result.', 'Report this with the job id.');
  }
  const served = job.result as unknown as SegmentResult;
  const result = { ...served, image: { path: req.path, ...served.image } };
  const files: ExportFile[] = [];
  if (req.formats.includes('json')) files.push({ name: `${req.baseName}.json`, contentType: 'application/json', bytes: new TextEncoder().encode(resultJson(result)) });
  const wanted = new Set<string>(binaryOutputs(req.formats));
  for (const d of job.downloads ?? []) {
    if (!wanted.has(d.format)) continue;
    // The service names files after the job id; locally they are named after the image.
    const name = d.name.startsWith(job.job_id) ? `${req.baseName}${d.name.slice(job.job_id.length)}` : d.name;
    files.push({ name, contentType: d.content_type, bytes: await client.download(d) });
  }
  return { result, files };
}

/** The batch runner's processor for API mode. */
export function createApiProcessor(opts: ApiClientOptions): Processor {
  const client = new PromptsegClient({ baseUrl: opts.baseUrl, apiKey: opts.key, retries: opts.retries, fetch: opts.fetch });
  return {
    async process(req: ProcessRequest): Promise<Processed> {
      try {
        return await run(client, req, opts.jobTimeoutMs ?? 600_000);
      } catch (e) {
        throw toCliError(e);
      }
    },
  };
}
