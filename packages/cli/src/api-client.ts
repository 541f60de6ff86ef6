/**
 * `promptseg segment … --api URL --key KEY`: the same batch through the hosted (or local) API.
 * A Processor (processor.ts) for the batch runner, so outputs, progress and resume are the local
 * ones: per image, presigned upload → job (with an Idempotency-Key, so a retried request is
 * billed once) → polling with backoff → downloads renamed to the local output names.
 * Talks HTTP only (fetch); no model code is loaded.
 */
import { createHash } from 'node:crypto';
import {
  FORMAT_CONTENT_TYPE,
  PromptsegError,
  binaryOutputs,
  sniffImageFormat,
  type ErrorBody,
  type JobAccepted,
  type JobView,
  type SegmentResult,
  type UploadResponse,
} from '@promptseg/shared';
import type { ExportFile } from '@promptseg/model';
import type { Processed, ProcessRequest, Processor } from './processor.js';

export interface ApiClientOptions {
  baseUrl: string;
  key: string;
  /** Longest wait for one job (default 10 minutes). */
  jobTimeoutMs?: number;
  /** Polling backoff: first delay, growth, cap (ms). */
  pollStartMs?: number;
  pollMaxMs?: number;
  /** Retries of one HTTP call after network errors, 429 and 5xx (default 4). */
  retries?: number;
  fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function apiError(status: number, body: unknown): PromptsegError {
  const e = (body as { error?: ErrorBody } | null)?.error;
  if (e?.code) return new PromptsegError(e.code, e.message, e.hint, e.details);
  return new PromptsegError(status >= 500 ? 'inference_unavailable' : 'bad_request', `The API answered HTTP ${status} without an error body.`, 'Check --api: it must be the service base URL, e.g. http://127.0.0.1:7860.');
}

/** Same text as the model's resultJson(): the file a local run writes. */
const resultJson = (r: SegmentResult) => `${JSON.stringify(r, null, 2)}\n`;

export class ApiClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: ApiClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.fetch = opts.fetch ?? fetch;
  }

  /** One API call with retries on network errors, 429 (Retry-After) and 5xx. */
  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const retries = this.opts.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetch(`${this.base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${this.opts.key}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (e) {
        if (attempt < retries) {
          await sleep(500 * 2 ** attempt);
          continue;
        }
        throw new PromptsegError('network_unavailable', `Cannot reach the API at ${this.base}: ${(e as Error).message}.`, 'Check --api and that the service is running (local mode: `npm start`).');
      }
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      if (res.ok) return parsed as T;
      const retryable = res.status === 429 || res.status >= 500;
      if (retryable && attempt < retries && !(res.status === 504 && path === '/v1/segment')) {
        const after = Number(res.headers.get('Retry-After'));
        await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : 500 * 2 ** attempt);
        continue;
      }
      throw apiError(res.status, parsed);
    }
  }

  /** Presigned POST upload of one image; returns its upload key. */
  async upload(bytes: Uint8Array): Promise<string> {
    const format = sniffImageFormat(bytes);
    const contentType = format ? FORMAT_CONTENT_TYPE[format] : 'image/png';
    const u = await this.call<UploadResponse>('POST', '/v1/uploads', { content_type: contentType });
    const fd = new FormData();
    for (const [k, v] of Object.entries(u.fields ?? {})) fd.append(k, v);
    fd.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }));
    let res: Response | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        res = await this.fetch(u.url, { method: 'POST', body: fd });
        if (res.status < 500) break;
      } catch (e) {
        if (attempt === 2) throw new PromptsegError('network_unavailable', `The upload to storage failed: ${(e as Error).message}.`, 'Check the network and retry.');
      }
      await sleep(500 * 2 ** attempt);
    }
    if (!res || !res.ok) {
      const xml = res ? await res.text() : '';
      const code = /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? `HTTP ${res?.status}`;
      const msg = /<Message>([^<]+)<\/Message>/.exec(xml)?.[1] ?? '';
      if (code === 'EntityTooLarge') throw new PromptsegError('payload_too_large', `The image is ${bytes.length} bytes; the service accepts at most ${u.max_bytes}.`, 'Downscale or recompress it.');
      throw new PromptsegError('storage_unavailable', `Storage refused the upload (${code}${msg ? `: ${msg}` : ''}).`, 'Retry; if it keeps failing, report it with this message.');
    }
    return u.upload_key;
  }

  createJob(body: Record<string, unknown>, idempotencyKey: string): Promise<JobAccepted> {
    return this.call<JobAccepted>('POST', '/v1/jobs', body, { 'Idempotency-Key': idempotencyKey });
  }

  getJob(id: string): Promise<JobView> {
    return this.call<JobView>('GET', `/v1/jobs/${encodeURIComponent(id)}`);
  }

  /** Polls with exponential backoff until the job finishes. */
  async waitJob(id: string): Promise<JobView> {
    const deadline = Date.now() + (this.opts.jobTimeoutMs ?? 600_000);
    let delay = this.opts.pollStartMs ?? 250;
    for (;;) {
      const job = await this.getJob(id);
      if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return job;
      if (Date.now() > deadline) {
        throw new PromptsegError('job_timeout', `Job ${id} is still ${job.status} after ${Math.round((this.opts.jobTimeoutMs ?? 600_000) / 1000)} s.`, `It may still finish: GET ${this.base}/v1/jobs/${id}.`);
      }
      await sleep(delay);
      delay = Math.min(Math.round(delay * 1.6), this.opts.pollMaxMs ?? 5000);
    }
  }

  async download(url: string): Promise<Uint8Array> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.fetch(url);
        if (r.ok) return new Uint8Array(await r.arrayBuffer());
        if (r.status < 500 || attempt >= 2) throw new PromptsegError('storage_unavailable', `Downloading a result file failed (HTTP ${r.status}).`, 'Rerun: finished images are skipped and this one is fetched again.');
      } catch (e) {
        if (e instanceof PromptsegError) throw e;
        if (attempt >= 2) throw new PromptsegError('network_unavailable', `Downloading a result file failed: ${(e as Error).message}.`, 'Check the network and rerun.');
      }
      await sleep(500 * 2 ** attempt);
    }
  }
}

/** One Idempotency-Key per logical request: the same upload, prompt, options and outputs. */
function idempotencyKey(uploadKey: string, body: Record<string, unknown>, retry: number): string {
  const h = createHash('sha256').update(JSON.stringify({ uploadKey, body, retry })).digest('hex');
  return `cli-${h.slice(0, 40)}`;
}

/** The batch runner's processor for API mode. */
export function createApiProcessor(opts: ApiClientOptions): Processor {
  const client = new ApiClient(opts);
  return {
    async process(req: ProcessRequest): Promise<Processed> {
      const uploadKey = await client.upload(req.bytes);
      const body: Record<string, unknown> = {
        upload_key: uploadKey,
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
      };
      let job: JobView | undefined;
      // A failure on the service's side is not billed: try once more under a new key.
      for (let retry = 0; retry < 2; retry++) {
        const accepted = await client.createJob(body, idempotencyKey(uploadKey, body, retry));
        job = await client.waitJob(accepted.job_id);
        if (!(job.status === 'failed' && !job.billable)) break;
      }
      if (!job || job.status !== 'succeeded' || !job.result) {
        const e = job?.error;
        throw e ? new PromptsegError(e.code, e.message, e.hint, { job_id: job?.job_id }) : new PromptsegError('internal', 'The job finished without a result.', 'Report this with the job id.');
      }
      const result = { ...(job.result as unknown as SegmentResult), image: { path: req.path, ...(job.result as unknown as SegmentResult).image } };
      const files: ExportFile[] = [];
      if (req.formats.includes('json')) files.push({ name: `${req.baseName}.json`, contentType: 'application/json', bytes: new TextEncoder().encode(resultJson(result)) });
      const wanted = new Set(binaryOutputs(req.formats));
      for (const d of job.downloads ?? []) {
        if (!wanted.has(d.format)) continue;
        // The service names files after the job id; locally they are named after the image.
        const name = d.name.startsWith(job.job_id) ? `${req.baseName}${d.name.slice(job.job_id.length)}` : d.name;
        files.push({ name, contentType: d.content_type, bytes: await client.download(d.url) });
      }
      return { result, files };
    },
  };
}
