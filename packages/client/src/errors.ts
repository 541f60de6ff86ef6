/**
 * PromptsegApiError: every failure the client reports, with the service's own `code`, `message`
 * and `hint` when the service sent them (`{"error": {code, message, hint}}`), else a code of the
 * same table (network_unavailable, storage_unavailable, job_timeout, …) and a message saying what
 * the client saw. `status` is the HTTP status of the answer that carried it (0: no HTTP error —
 * a network failure, a failed or cancelled job, a wait that timed out).
 */
import type { ErrorBody, ErrorCode } from './types.js';

export interface ApiErrorInit {
  status: number;
  code: ErrorCode;
  message: string;
  hint: string;
  details?: Record<string, unknown>;
  /** Retry-After of a 429/503, in milliseconds. */
  retryAfterMs?: number;
  /** True when code, message and hint are the service's own words (its error body or a failed job's error). */
  fromService?: boolean;
  cause?: unknown;
}

export class PromptsegApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details?: Record<string, unknown>;
  readonly retryAfterMs?: number;
  readonly fromService: boolean;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PromptsegApiError';
    this.status = init.status;
    this.code = init.code;
    this.hint = init.hint;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
    this.fromService = init.fromService ?? false;
  }

  /** The job this error is about, when the service named one (a failed job, a 504 of POST /v1/segment, an Idempotency-Key conflict). */
  get jobId(): string | undefined {
    const id = this.details?.job_id;
    return typeof id === 'string' ? id : undefined;
  }

  toJSON(): ErrorBody {
    return { code: this.code, message: this.message, hint: this.hint, ...(this.details ? { details: this.details } : {}) };
  }
}

export function isPromptsegApiError(e: unknown): e is PromptsegApiError {
  return e instanceof PromptsegApiError;
}

/** A failed or cancelled job as an error (its own code, message and hint). */
export function jobError(job: { job_id: string; status: string; error?: ErrorBody }): PromptsegApiError {
  const e = job.error;
  if (e) return new PromptsegApiError({ status: 0, code: e.code, message: e.message, hint: e.hint, details: { ...e.details, job_id: job.job_id }, fromService: true });
  return new PromptsegApiError({ status: 0, code: 'internal', message: `Job ${job.job_id} ended ${job.status} without a result or an error.`, hint: 'Report this with the job id.', details: { job_id: job.job_id } });
}
