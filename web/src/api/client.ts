/**
 * The page's only door to the service. All HTTP goes through @promptseg/client (the typed client
 * the CLI and users share: Bearer key, retries on network errors, 429 and 502–504, Idempotency-Key
 * on billable calls, storage's XML refusals read). This file adds what is the page's own: an
 * XMLHttpRequest upload sender (fetch cannot report upload progress), the local-mode dev key, and
 * errors worded in the page's language when they are not the service's own words.
 */
import { PromptsegApiError, PromptsegClient, isPromptsegApiError, type UploadSender } from '@promptseg/client/core';
import { API_BASE } from '../config.js';
import { t } from '../i18n/index.js';
import type { Health, JobAccepted, JobRequestInput, JobView, UploadResponse } from './types.js';

/** What the page shows of a failure: the client's typed error, built positionally. */
export class ApiError extends PromptsegApiError {
  constructor(status: number, code: string, message: string, hint: string, retryAfterMs?: number, details?: Record<string, unknown>) {
    super({ status, code: code as PromptsegApiError['code'], message, hint, retryAfterMs, details });
    this.name = 'ApiError';
  }
}

type Step = 'health' | 'upload' | 'create' | 'read' | 'refine' | 'cancel';

/** Streams the file with XMLHttpRequest so the progress bar follows the bytes; storage's answer is read by the client. */
const xhrSender: UploadSender = (req, opts) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(req.method, req.url);
    for (const [k, v] of Object.entries(req.headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : req.size);
    const abort = () => xhr.abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    xhr.onabort = () => reject(opts.signal?.reason ?? new DOMException('aborted', 'AbortError'));
    xhr.onerror = () => reject(new Error('network error or CORS refusal'));
    xhr.onload = () => {
      opts.signal?.removeEventListener('abort', abort);
      if (xhr.status >= 200 && xhr.status < 300) opts.onProgress?.(req.size, req.size);
      resolve({ status: xhr.status, text: xhr.responseText ?? '' });
    };
    xhr.send(req.body);
  });

export class ApiClient {
  private readonly ps: PromptsegClient;

  constructor(
    key: () => string,
    readonly base: string = API_BASE,
  ) {
    this.ps = new PromptsegClient({ baseUrl: base, apiKey: () => key() || undefined, sendUpload: xhrSender });
  }

  /** The client's error in the page's words where the client (not the service) wrote them. */
  private localize(e: unknown, step: Step): unknown {
    if (!isPromptsegApiError(e)) return e;
    const what = t(`api.what.${step}`);
    let { message, hint } = e;
    if (!e.fromService) {
      if (step === 'upload' && e.code === 'payload_too_large') hint = t('upload.tooLarge.hint');
      else if (step === 'upload' && e.status === 0) [message, hint] = [t('storage.failed'), t('storage.failed.hint')];
      else if (step === 'upload' && e.details?.storage_code !== undefined) [message, hint] = [t('storage.refused', { status: e.status, detail: `, ${String(e.details.storage_code)}` }), t('storage.refused.hint')];
      else if (e.code === 'network_unavailable') [message, hint] = [t('api.noAnswer', { what, url: this.base || location.origin }), t('api.noAnswer.hint')];
      else if (e.status > 0) [message, hint] = [t('api.failed', { what, status: e.status, statusText: '' }).trim(), e.status === 401 ? t('api.hint.key') : t('api.hint.retry')];
    }
    return new ApiError(e.status, e.code, message, hint, e.retryAfterMs, e.details);
  }

  private async step<T>(step: Step, run: () => Promise<unknown>): Promise<T> {
    try {
      return (await run()) as T;
    } catch (e) {
      throw this.localize(e, step);
    }
  }

  health(): Promise<Health> {
    return this.step('health', () => this.ps.health());
  }

  /** Local mode only: the dev key it created, so the page works with no setup (not part of the public API). */
  async localDevKey(): Promise<string | undefined> {
    try {
      const res = await fetch(`${this.base}/local/dev-key`);
      if (!res.ok) return undefined;
      const body = (await res.json()) as { key?: string; api_key?: string };
      return body.key ?? body.api_key;
    } catch {
      return undefined;
    }
  }

  /** A presigned POST policy: the size limit is in the policy, so S3 itself refuses bigger files. */
  presign(file: { name: string; size: number }, contentType: string): Promise<UploadResponse> {
    return this.step('upload', () => this.ps.presignUpload({ content_type: contentType as never, size: file.size, method: 'POST' }));
  }

  /** Puts the bytes straight into S3 with the presigned request (never through the API); `onProgress(sent, total)` follows the bytes. */
  upload(p: UploadResponse, file: Blob, _contentType: string, signal?: AbortSignal, onProgress?: (sent: number, total: number) => void): Promise<void> {
    return this.step('upload', () => this.ps.sendToStorage(p as never, file, { signal, onProgress }));
  }

  /** POST /v1/jobs/{id}/cancel: the job ends `cancelled` and is not billed (README "API"). */
  cancelJob(id: string): Promise<JobView> {
    return this.step('cancel', () => this.ps.cancelJob(id));
  }

  createJob(body: JobRequestInput, idempotencyKey: string, signal?: AbortSignal): Promise<JobAccepted> {
    return this.step('create', () => this.ps.createJob(body as never, { idempotencyKey, signal }));
  }

  getJob(id: string, signal?: AbortSignal): Promise<JobView> {
    return this.step('read', () => this.ps.getJob(id, { signal }));
  }

  /** POST /v1/segment; jobs.ts/resultOf reads the answer. */
  segment(body: JobRequestInput, signal?: AbortSignal): Promise<unknown> {
    return this.step('refine', () => this.ps.segmentSync(body as never, { signal }));
  }
}
