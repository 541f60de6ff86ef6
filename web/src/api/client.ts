/**
 * The page's only door to the service: HTTP + JSON, the API key as a Bearer token, errors
 * turned into ApiError (code, message, hint) from the service's `{error: {code, message, hint}}`.
 * Shapes follow functions/src/api (see types.ts).
 */
import { API_BASE } from '../config.js';
import { t } from '../i18n/index.js';
import { retryAfterMs } from './poll.js';
import type { Health, JobAccepted, JobRequestInput, JobView, UploadResponse } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly retryAfterMs?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; hint?: string; details?: Record<string, unknown> };
}

async function toApiError(res: Response, what: string): Promise<ApiError> {
  let body: ErrorEnvelope = {};
  try {
    body = (await res.json()) as ErrorEnvelope;
  } catch {
    // not JSON (a proxy's HTML page, S3's XML): keep the status line
  }
  const e = body.error;
  return new ApiError(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? t('api.failed', { what, status: res.status, statusText: res.statusText }).trim(),
    e?.hint ?? (res.status === 401 ? t('api.hint.key') : t('api.hint.retry')),
    retryAfterMs(res.headers.get('Retry-After')),
    e?.details,
  );
}

export class ApiClient {
  constructor(
    private readonly key: () => string,
    readonly base: string = API_BASE,
  ) {}

  private async call<T>(method: string, path: string, what: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(this.key() ? { Authorization: `Bearer ${this.key()}` } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new ApiError(0, 'network_unavailable', t('api.noAnswer', { what, url: this.base || location.origin }), t('api.noAnswer.hint'));
    }
    if (!res.ok) throw await toApiError(res, what);
    return (await res.json()) as T;
  }

  health(): Promise<Health> {
    return this.call<Health>('GET', '/v1/health', t('api.what.health'));
  }

  /** Local mode only: the dev key it created, so the page works with no setup. */
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
    return this.call<UploadResponse>('POST', '/v1/uploads', t('api.what.upload'), { content_type: contentType, size: file.size, method: 'POST' });
  }

  /**
   * Puts the bytes straight into S3 with the presigned request (never through the API). An
   * XMLHttpRequest, not fetch: fetch cannot report upload progress, and a 24 s upload of a big
   * photo needs a progress bar. `onProgress(sent, total)` follows the bytes.
   */
  upload(p: UploadResponse, file: Blob, contentType: string, signal?: AbortSignal, onProgress?: (sent: number, total: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      let body: XMLHttpRequestBodyInit;
      if (p.fields) {
        // presigned POST policy: fields first, the file last
        const form = new FormData();
        for (const [k, v] of Object.entries(p.fields)) form.append(k, v);
        form.append('file', file);
        xhr.open('POST', p.url);
        body = form;
      } else {
        xhr.open(p.method, p.url);
        xhr.setRequestHeader('Content-Type', contentType);
        for (const [k, v] of Object.entries(p.headers ?? {})) xhr.setRequestHeader(k, v);
        body = file;
      }
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      const abort = () => xhr.abort();
      signal?.addEventListener('abort', abort, { once: true });
      xhr.onabort = () => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
      xhr.onerror = () => reject(new ApiError(0, 'storage_unavailable', t('storage.failed'), t('storage.failed.hint')));
      xhr.onload = () => {
        signal?.removeEventListener('abort', abort);
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress?.(file.size, file.size);
          return resolve();
        }
        const text = xhr.responseText ?? '';
        const s3code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
        const s3msg = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
        reject(new ApiError(xhr.status, s3code === 'EntityTooLarge' ? 'payload_too_large' : 'storage_unavailable', t('storage.refused', { status: xhr.status, detail: `${s3code ? `, ${s3code}` : ''}${s3msg ? `: ${s3msg}` : ''}` }), s3code === 'EntityTooLarge' ? t('upload.tooLarge.hint') : t('storage.refused.hint')));
      };
      xhr.send(body);
    });
  }

  /** POST /v1/jobs/{id}/cancel: the job ends `cancelled` and is not billed (README "API"). */
  cancelJob(id: string): Promise<JobView> {
    return this.call<JobView>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`, t('api.what.cancel'));
  }

  createJob(body: JobRequestInput, idempotencyKey: string, signal?: AbortSignal): Promise<JobAccepted> {
    return this.call<JobAccepted>('POST', '/v1/jobs', t('api.what.create'), body, { 'Idempotency-Key': idempotencyKey }, signal);
  }

  getJob(id: string, signal?: AbortSignal): Promise<JobView> {
    return this.call<JobView>('GET', `/v1/jobs/${encodeURIComponent(id)}`, t('api.what.read'), undefined, {}, signal);
  }

  /** POST /v1/segment; jobs.ts/resultOf reads the answer. */
  segment(body: JobRequestInput, signal?: AbortSignal): Promise<unknown> {
    return this.call<unknown>('POST', '/v1/segment', t('api.what.refine'), body, {}, signal);
  }
}
