/**
 * Typed errors shared by every part of promptseg. Each error carries a stable `code`, a
 * user-facing `message` (what was wrong) and a `hint` (what to do). The HTTP status and the CLI
 * exit code of each code live in ONE table each (below), so the API and the CLI never disagree.
 */

export const ERROR_CODES = [
  // input problems (the caller can fix them)
  'bad_request',
  'invalid_option',
  'invalid_prompt',
  'unsupported_image',
  'corrupt_image',
  /** A video file ffprobe/ffmpeg cannot read, or one cut off before the end its index promises. */
  'corrupt_video',
  /** A video longer (seconds or sampled frames) than the configured limit; refused before any work. */
  'video_too_long',
  'image_too_large',
  'image_too_small',
  'payload_too_large',
  'request_headers_too_large',
  'unknown_engine',
  'engine_unavailable',
  'not_found',
  'file_not_found',
  'unauthorized',
  'forbidden',
  'quota_exceeded',
  'rate_limited',
  'conflict',
  /** A job's `webhook` is not an https URL of a public address (loopback, private and link-local addresses are refused). */
  'invalid_webhook_url',
  /** A job asked for a webhook before its tenant created a signing secret (POST /v1/webhooks/secret). */
  'webhook_secret_missing',
  /** The job was cancelled by its owner (POST /v1/jobs/{id}/cancel) before it finished. */
  'job_cancelled',
  // model files
  'model_missing',
  'model_invalid',
  'download_failed',
  'checksum_mismatch',
  'auth_required',
  'disk_full',
  'network_unavailable',
  // our side
  'storage_unavailable',
  'inference_unavailable',
  'job_timeout',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one table of HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_option: 400,
  invalid_prompt: 400,
  unsupported_image: 415,
  corrupt_image: 422,
  corrupt_video: 422,
  video_too_long: 413,
  image_too_large: 413,
  image_too_small: 422,
  payload_too_large: 413,
  request_headers_too_large: 431,
  unknown_engine: 400,
  engine_unavailable: 409,
  not_found: 404,
  file_not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  quota_exceeded: 402,
  rate_limited: 429,
  conflict: 409,
  invalid_webhook_url: 400,
  webhook_secret_missing: 409,
  job_cancelled: 409,
  model_missing: 409,
  model_invalid: 500,
  download_failed: 502,
  checksum_mismatch: 502,
  auth_required: 401,
  disk_full: 507,
  network_unavailable: 503,
  storage_unavailable: 503,
  inference_unavailable: 503,
  job_timeout: 504,
  internal: 500,
};

/** CLI exit code of a batch of several inputs where some failed and the rest finished. */
export const EXIT_SOME_INPUTS_FAILED = 1;
/** CLI exit code after Ctrl-C (128 + SIGINT), as shells expect. */
export const EXIT_INTERRUPTED = 130;

/** The one table of CLI exit codes (0 = success, 1 = some inputs failed in a batch). */
export const EXIT_CODE: Record<ErrorCode, number> = {
  bad_request: 2,
  invalid_option: 2,
  invalid_prompt: 2,
  unsupported_image: 3,
  corrupt_image: 3,
  corrupt_video: 3,
  video_too_long: 3,
  image_too_large: 3,
  image_too_small: 3,
  payload_too_large: 3,
  request_headers_too_large: 2,
  unknown_engine: 2,
  engine_unavailable: 4,
  not_found: 5,
  file_not_found: 5,
  unauthorized: 6,
  forbidden: 6,
  quota_exceeded: 6,
  rate_limited: 6,
  conflict: 6,
  invalid_webhook_url: 2,
  webhook_secret_missing: 6,
  job_cancelled: EXIT_INTERRUPTED,
  model_missing: 4,
  model_invalid: 4,
  download_failed: 7,
  checksum_mismatch: 7,
  auth_required: 7,
  disk_full: 7,
  network_unavailable: 7,
  storage_unavailable: 8,
  inference_unavailable: 8,
  job_timeout: 8,
  internal: 70,
};

/** Whether a failure with this code is our fault (not billed, may be retried). */
export function isServerFault(code: ErrorCode): boolean {
  return HTTP_STATUS[code] >= 500;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint: string;
  details?: Record<string, unknown>;
}

export class PromptsegError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, hint: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'PromptsegError';
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  get exitCode(): number {
    return EXIT_CODE[this.code];
  }

  toJSON(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message, hint: this.hint };
    if (this.details) body.details = this.details;
    return body;
  }
}

export function isPromptsegError(e: unknown): e is PromptsegError {
  return e instanceof PromptsegError;
}

/** Wraps anything thrown into a PromptsegError, keeping typed errors as they are. */
export function toPromptsegError(e: unknown): PromptsegError {
  if (e instanceof PromptsegError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new PromptsegError('internal', `Unexpected error: ${msg}`, 'This is a bug in promptseg; please report it with the input that caused it.');
}
