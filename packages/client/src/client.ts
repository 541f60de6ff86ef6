/**
 * PromptsegClient: the promptseg API from a browser or Node 20 (fetch only; no Node modules).
 *
 *   const ps = new PromptsegClient({ baseUrl: 'http://127.0.0.1:7860', apiKey: 'psk_…' });
 *   const job = await ps.segment(bytes, { prompt: 'horse', outputs: ['json', 'cutout'] });
 *
 * Every call that can be billed (POST /v1/jobs, POST /v1/segment) carries an Idempotency-Key —
 * the caller's, or one the client makes per call — and retries reuse it, so a retry after a lost
 * answer returns the same job and is billed once.
 */
import { POLL_BACKOFF, RETRY_BACKOFF, backoffDelay, sleep, type Backoff } from './backoff.js';
import { PromptsegApiError, jobError } from './errors.js';
import { call, type CallOptions, type Transport } from './http.js';
import { fetchSender, sniffContentType, storageError, storageRequest, type UploadSender } from './upload.js';
import { isFinal, type Download, type Health, type Job, type JobAccepted, type JobList, type JobOptions, type JobRequest, type JobStatus, type JobSummary, type UploadRequest, type UploadResponse, type Usage } from './types.js';

export interface PromptsegClientOptions {
  /** The service's base URL, e.g. http://127.0.0.1:7860 (local mode) or the deployed Router URL. */
  baseUrl: string;
  /** `psk_…`; a function is read at every call (a key the user can change, as on the web page). */
  apiKey?: string | (() => string | undefined);
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Retries of one request after network errors, 429 and 502/503/504 (default 4). */
  retries?: number;
  /** Longest Retry-After the client waits by itself before throwing the 429 (default 60 000 ms). */
  maxRetryAfterMs?: number;
  /** How upload bytes reach storage (default: fetch; the page passes an XMLHttpRequest sender for progress). */
  sendUpload?: UploadSender;
}

export type UploadData = Blob | ArrayBuffer | Uint8Array;

export interface UploadOptions {
  /** The image type; default: from the Blob's type, else from the first bytes. */
  contentType?: string;
  /** PUT (default: the signature binds the exact size) or POST (a policy with a size range). */
  method?: 'PUT' | 'POST';
  signal?: AbortSignal;
  onProgress?: (sent: number, total: number) => void;
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Give up after this long with job_timeout (default 10 minutes); the job itself keeps running. */
  timeoutMs?: number;
  /** Delays between polls (default 250 ms growing ×1.6 to 5 s, ±20 % jitter). */
  backoff?: Partial<Backoff>;
  /** Each status read, e.g. to show queued → running. */
  onUpdate?: (job: Job) => void;
}

export interface CreateOptions {
  /** One per logical request; resend it unchanged on retries (default: a new random key per call). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface SegmentOptions extends WaitOptions, Pick<UploadOptions, 'contentType' | 'onProgress'> {
  idempotencyKey?: string;
}

export interface ListOptions {
  /** One state or several. */
  status?: JobStatus | JobStatus[];
  /** Jobs per page, 1–100 (default 20). */
  limit?: number;
  /** Start after this page (next_cursor of an earlier page). */
  cursor?: string;
  signal?: AbortSignal;
}

const enc = encodeURIComponent;

/** 128 random bits as hex; crypto.getRandomValues also works where randomUUID does not (plain-http pages). */
export function newIdempotencyKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return `ik-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

function toBlob(data: UploadData, contentType: string): Blob {
  if (data instanceof Blob) return data.type === contentType ? data : new Blob([data], { type: contentType });
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  return new Blob([new Uint8Array(bytes)], { type: contentType });
}

async function contentTypeOf(data: UploadData, given?: string): Promise<string> {
  if (given) return given;
  if (data instanceof Blob && data.type.startsWith('image/')) return data.type;
  const head = data instanceof Blob ? new Uint8Array(await data.slice(0, 16).arrayBuffer()) : data instanceof Uint8Array ? data.subarray(0, 16) : new Uint8Array(data, 0, Math.min(16, data.byteLength));
  const sniffed = sniffContentType(head);
  if (!sniffed) {
    throw new PromptsegApiError({ status: 0, code: 'unsupported_image', message: 'The file is not an image type the service reads (JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF).', hint: 'Convert it to JPEG or PNG, or pass contentType if it is one of these.' });
  }
  return sniffed;
}

export class PromptsegClient {
  readonly baseUrl: string;
  private readonly t: Transport;
  private readonly send: UploadSender;

  constructor(opts: PromptsegClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    const key = opts.apiKey;
    // globalThis.fetch is looked up at call time, so a test or page that replaces it is honoured.
    const f: typeof fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.t = {
      base: this.baseUrl,
      fetch: f,
      apiKey: typeof key === 'function' ? key : () => key,
      retries: opts.retries ?? 4,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
    };
    this.send = opts.sendUpload ?? fetchSender(f);
  }

  private async json<T>(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<T> {
    return (await call<T>(this.t, method, path, body, opts)).body;
  }

  /** GET /v1/health (no key): status, storage, the engines installed, the upload and pixel limits. */
  health(opts: { signal?: AbortSignal } = {}): Promise<Health> {
    return this.json<Health>('GET', '/v1/health', undefined, { auth: false, signal: opts.signal });
  }

  /** POST /v1/uploads: a presigned upload (the first hop of upload()). */
  presignUpload(req: UploadRequest, opts: { signal?: AbortSignal } = {}): Promise<UploadResponse> {
    return this.json<UploadResponse>('POST', '/v1/uploads', req, { signal: opts.signal });
  }

  /**
   * Puts the bytes into storage with a presigned upload, retrying network errors and 5xx (the
   * presigned request can be sent again until it expires). Storage's refusals become typed errors.
   */
  async sendToStorage(p: UploadResponse, file: Blob, opts: Pick<UploadOptions, 'signal' | 'onProgress'> = {}): Promise<void> {
    const req = storageRequest(p, file);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= Math.min(this.t.retries, 2);
      let answer: { status: number; text: string };
      try {
        answer = await this.send(req, opts);
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        if (!last) {
          await sleep(backoffDelay(attempt, RETRY_BACKOFF), opts.signal);
          continue;
        }
        throw new PromptsegApiError({ status: 0, code: 'network_unavailable', message: `The upload to storage failed: ${(e as Error).message}.`, hint: 'Check the network and retry.', cause: e });
      }
      if (answer.status >= 200 && answer.status < 300) return;
      if (answer.status >= 500 && !last) {
        await sleep(backoffDelay(attempt, RETRY_BACKOFF), opts.signal);
        continue;
      }
      throw storageError(answer.status, answer.text, file.size, p.max_bytes);
    }
  }

  /** Presign + the bytes straight to storage; resolves to the presigned upload (its `upload_key` names the image in jobs). */
  async upload(data: UploadData, opts: UploadOptions = {}): Promise<UploadResponse> {
    const contentType = await contentTypeOf(data, opts.contentType);
    const file = toBlob(data, contentType);
    const method = opts.method ?? 'PUT';
    const p = await this.presignUpload({ content_type: contentType as UploadRequest['content_type'], method, size: file.size }, { signal: opts.signal });
    if (file.size > p.max_bytes) {
      throw new PromptsegApiError({ status: 0, code: 'payload_too_large', message: `The image is ${file.size} bytes; the service accepts at most ${p.max_bytes}.`, hint: 'Downscale or recompress it.', details: { max_bytes: p.max_bytes } });
    }
    await this.sendToStorage(p, file, opts);
    return p;
  }

  /** POST /v1/jobs (202): validated, refused before billing when it cannot run, billed once per Idempotency-Key. */
  createJob(req: JobRequest, opts: CreateOptions = {}): Promise<JobAccepted> {
    return this.json<JobAccepted>('POST', '/v1/jobs', req, { signal: opts.signal, headers: { 'Idempotency-Key': opts.idempotencyKey ?? newIdempotencyKey() } });
  }

  /**
   * POST /v1/segment: the finished job for small images (200), or — a replayed key of a job still
   * running — its acceptance (202). A 504 job_timeout carries the job id (error.jobId): poll it
   * with waitForJob, never send a second request.
   */
  segmentSync(req: JobRequest, opts: CreateOptions = {}): Promise<Job | JobAccepted> {
    return this.json<Job | JobAccepted>('POST', '/v1/segment', req, { signal: opts.signal, headers: { 'Idempotency-Key': opts.idempotencyKey ?? newIdempotencyKey() }, noRetry: [504] });
  }

  /** GET /v1/jobs/{id}. */
  getJob(id: string, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    return this.json<Job>('GET', `/v1/jobs/${enc(id)}`, undefined, { signal: opts.signal });
  }

  /**
   * Polls until the job is succeeded, failed or cancelled and returns it (a failed job is returned,
   * not thrown: see segment() for that). Delays grow with jitter; a 429 waits its Retry-After.
   * Aborting rejects with the signal's reason; after timeoutMs it throws job_timeout.
   */
  async waitForJob(id: string, opts: WaitOptions = {}): Promise<Job> {
    const backoff = { ...POLL_BACKOFF, ...opts.backoff };
    const timeoutMs = opts.timeoutMs ?? 600_000;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const job = await this.getJob(id, { signal: opts.signal });
      opts.onUpdate?.(job);
      if (isFinal(job.status)) return job;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new PromptsegApiError({ status: 0, code: 'job_timeout', message: `Job ${id} is still ${job.status} after ${Math.round(timeoutMs / 1000)} s.`, hint: `It may still finish: GET ${this.baseUrl}/v1/jobs/${id}, or cancel it.`, details: { job_id: id } });
      }
      await sleep(Math.min(backoffDelay(attempt, backoff), left), opts.signal);
    }
  }

  /** POST /v1/jobs/{id}/cancel: the job ends cancelled and is not billed; a finished job is 409 conflict. */
  cancelJob(id: string, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    return this.json<Job>('POST', `/v1/jobs/${enc(id)}/cancel`, undefined, { signal: opts.signal });
  }

  /** GET /v1/jobs: one page, newest first. */
  listJobsPage(opts: ListOptions = {}): Promise<JobList> {
    const status = Array.isArray(opts.status) ? opts.status.join(',') : opts.status;
    return this.json<JobList>('GET', '/v1/jobs', undefined, { signal: opts.signal, query: { status, limit: opts.limit, cursor: opts.cursor } });
  }

  /** Every job of the caller's tenant, newest first, fetching pages as the loop asks for them. */
  async *listJobs(opts: ListOptions = {}): AsyncGenerator<JobSummary, void, undefined> {
    let cursor = opts.cursor;
    do {
      const page = await this.listJobsPage({ ...opts, cursor });
      yield* page.jobs;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /** GET /v1/usage: billable calls by day and engine, and the monthly quota. Days are YYYY-MM-DD (UTC). */
  usage(opts: { from?: string; to?: string; signal?: AbortSignal } = {}): Promise<Usage> {
    return this.json<Usage>('GET', '/v1/usage', undefined, { signal: opts.signal, query: { from: opts.from, to: opts.to } });
  }

  /** The bytes of one of a job's downloads (a presigned URL: no key is sent), retried on network errors and 5xx. */
  async download(d: Download | string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const target = typeof d === 'string' ? d : d.url;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= Math.min(this.t.retries, 2);
      let res: Response;
      try {
        res = await this.t.fetch(target, { signal: opts.signal });
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        if (!last) {
          await sleep(backoffDelay(attempt, RETRY_BACKOFF), opts.signal);
          continue;
        }
        throw new PromptsegApiError({ status: 0, code: 'network_unavailable', message: `Downloading a result file failed: ${(e as Error).message}.`, hint: 'Check the network and try again.', cause: e });
      }
      if (res.ok) return new Uint8Array(await res.arrayBuffer());
      if (res.status >= 500 && !last) {
        await sleep(backoffDelay(attempt, RETRY_BACKOFF), opts.signal);
        continue;
      }
      throw new PromptsegApiError({
        status: res.status,
        code: 'storage_unavailable',
        message: `Downloading a result file failed (HTTP ${res.status}).`,
        hint: res.status === 403 ? 'Download links live 5 minutes: read the job again (getJob) for fresh ones.' : 'Try again; if it keeps failing, report it with the job id.',
      });
    }
  }

  /**
   * Upload + job + wait: resolves to the succeeded job (result document and downloads); a failed or
   * cancelled job throws its own error (code, message, hint; error.jobId names it).
   */
  async segment(data: UploadData, options: JobOptions, opts: SegmentOptions = {}): Promise<Job> {
    const up = await this.upload(data, { contentType: opts.contentType, signal: opts.signal, onProgress: opts.onProgress });
    const accepted = await this.createJob({ ...options, upload_key: up.upload_key }, { idempotencyKey: opts.idempotencyKey, signal: opts.signal });
    const job = await this.waitForJob(accepted.job_id, opts);
    if (job.status !== 'succeeded') throw jobError(job);
    return job;
  }
}
