/**
 * One API call: JSON in and out, the key as a Bearer token, the service's error body turned into
 * PromptsegApiError, and the one retry rule of the client — network errors, 429 (waiting what
 * Retry-After says) and 502/503/504 are retried with backoff; nothing else is. Retrying a POST is
 * safe because the client sends an Idempotency-Key with every call that can be billed.
 */
import { RETRY_BACKOFF, abortReason, backoffDelay, retryAfterMs, sleep } from './backoff.js';
import { PromptsegApiError } from './errors.js';
import type { ErrorBody, ErrorCode } from './types.js';

export interface Transport {
  /** Base URL without a trailing slash. */
  base: string;
  fetch: typeof fetch;
  apiKey: () => string | undefined;
  /** Retries of one call (default 4). */
  retries: number;
  /** Longest Retry-After the client waits by itself; beyond it the 429 is thrown (default 60 s). */
  maxRetryAfterMs: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** Send the API key (default true; health and the OpenAPI document need none). */
  auth?: boolean;
  /** Statuses to hand back instead of retrying (e.g. 504 of POST /v1/segment carries a job id to poll). */
  noRetry?: number[];
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** A code for an HTTP error that came without the service's error body (a proxy's page, a wrong URL). */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 504) return 'job_timeout';
  return status >= 500 ? 'inference_unavailable' : 'bad_request';
}

function errorFrom(t: Transport, res: Response, parsed: unknown): PromptsegApiError {
  const retryAfter = retryAfterMs(res.headers.get('Retry-After'));
  const e = (parsed as { error?: Partial<ErrorBody> } | null)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return new PromptsegApiError({ status: res.status, code: e.code, message: e.message, hint: e.hint ?? '', details: e.details, retryAfterMs: retryAfter, fromService: true });
  }
  return new PromptsegApiError({
    status: res.status,
    code: codeForStatus(res.status),
    message: `The API answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} without an error body.`,
    hint: `Check the base URL (${t.base}): it must be the service's, e.g. http://127.0.0.1:7860.`,
    retryAfterMs: retryAfter,
  });
}

function url(t: Transport, path: string, query?: CallOptions['query']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return `${t.base}${path}${s ? `?${s}` : ''}`;
}

export async function call<T>(t: Transport, method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<Answer<T>> {
  const key = opts.auth === false ? undefined : t.apiKey();
  const headers: Record<string, string> = {
    ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...(key ? { Authorization: `Bearer ${key}` } : {}),
    ...opts.headers,
  };
  const target = url(t, path, opts.query);
  for (let attempt = 0; ; attempt++) {
    const canRetry = attempt < t.retries;
    let res: Response;
    try {
      res = await t.fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: opts.signal });
    } catch (e) {
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      if (canRetry) {
        await sleep(backoffDelay(attempt, RETRY_BACKOFF), opts.signal);
        continue;
      }
      throw new PromptsegApiError({ status: 0, code: 'network_unavailable', message: `Cannot reach the API at ${t.base}: ${(e as Error).message}.`, hint: 'Check the base URL and the network, and that the service is running (local mode: `npm start`).', cause: e });
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = undefined; // not JSON: a proxy's HTML page, storage's XML, a wrong URL
    }
    if (res.ok) {
      if (parsed === undefined) {
        throw new PromptsegApiError({ status: res.status, code: 'bad_request', message: `${method} ${path} answered something that is not JSON (${res.headers.get('Content-Type') ?? 'no content type'}).`, hint: `Check the base URL (${t.base}): it must be the promptseg API's.` });
      }
      return { status: res.status, body: parsed as T, headers: res.headers };
    }
    const error = errorFrom(t, res, parsed);
    const retryable = RETRY_STATUSES.has(res.status) && !opts.noRetry?.includes(res.status);
    const wait = error.retryAfterMs ?? backoffDelay(attempt, RETRY_BACKOFF);
    if (retryable && canRetry && wait <= t.maxRetryAfterMs) {
      await sleep(wait, opts.signal);
      continue;
    }
    throw error;
  }
}
