/**
 * THE list of environment variables each handler reads, with their documented defaults. It is
 * data (API_ENV, INFERENCE_ENV, LOCAL_ENV) so sst.config.ts and the README table can be checked
 * against it; the loaders below are the only code that reads process.env for the service.
 * Edge-safe: no Node imports (the API function imports this file).
 */

export interface EnvVar {
  name: string;
  /** Used when the variable is unset or empty; null = no default (see `required`). */
  default: string | null;
  /** 'always': the handler refuses to start without it. */
  required?: 'always';
  description: string;
}

/** Read by both the API function and the inference function. */
export const COMMON_ENV: EnvVar[] = [
  { name: 'PROMPTSEG_BUCKET', default: 'promptseg-local', description: 'S3 bucket holding uploads, jobs, results, API keys and usage events.' },
  { name: 'PROMPTSEG_S3_ENDPOINT', default: '', description: 'S3 endpoint URL; empty = AWS. Local mode sets its S3-compatible store (path-style addressing is used when set).' },
  { name: 'AWS_REGION', default: 'us-east-1', description: 'AWS region of the bucket and the inference function (set by the Lambda runtime).' },
  { name: 'PROMPTSEG_JOB_TIMEOUT_S', default: '300', description: 'Lease of one inference attempt; a job running longer is retried or failed (job_timeout). Keep it >= the inference function timeout.' },
  { name: 'PROMPTSEG_JOB_MAX_ATTEMPTS', default: '2', description: 'Attempts per job (first run + retries after a crash or lost dispatch) before it fails, unbilled.' },
];

export const API_ENV: EnvVar[] = [
  ...COMMON_ENV,
  { name: 'PROMPTSEG_KEY_PEPPER', default: null, required: 'always', description: 'Secret HMAC key for API-key hashes (>= 32 characters). Changing it invalidates every key.' },
  { name: 'PROMPTSEG_INFERENCE_FUNCTION', default: 'promptseg-inference', description: 'Name or ARN of the inference function the API invokes.' },
  { name: 'PROMPTSEG_LAMBDA_ENDPOINT', default: '', description: 'Lambda endpoint URL; empty = AWS. Local mode sets its Lambda Invoke endpoint.' },
  { name: 'PROMPTSEG_S3_PUBLIC_ENDPOINT', default: '', description: 'Endpoint used in presigned URLs handed to clients; empty = PROMPTSEG_S3_ENDPOINT (or AWS).' },
  { name: 'PROMPTSEG_MAX_UPLOAD_BYTES', default: '20971520', description: 'Largest image upload (bytes), bound into every presigned policy/signature.' },
  { name: 'PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES', default: '209715200', description: 'Largest video upload (bytes: MP4, WebM, MOV), bound into its presigned policy/signature like the image limit.' },
  { name: 'PROMPTSEG_UPLOAD_URL_TTL_S', default: '900', description: 'Lifetime of presigned upload URLs (seconds).' },
  { name: 'PROMPTSEG_DOWNLOAD_URL_TTL_S', default: '300', description: 'Lifetime of presigned download URLs in job results (seconds).' },
  { name: 'PROMPTSEG_SYNC_MAX_BYTES', default: '4194304', description: 'Largest image POST /v1/segment accepts (bytes); larger ones must use jobs.' },
  { name: 'PROMPTSEG_SYNC_TIMEOUT_S', default: '25', description: 'How long POST /v1/segment waits for the result before answering 504 with the job id to poll.' },
  { name: 'PROMPTSEG_QUEUE_TIMEOUT_S', default: '120', description: 'A job still queued this long after dispatch is dispatched again (lost invoke).' },
  { name: 'PROMPTSEG_DEFAULT_RATE_LIMIT', default: '600', description: 'Requests per minute per API key, for keys created without their own limit.' },
  { name: 'PROMPTSEG_DEFAULT_QUOTA', default: '10000', description: 'Billable calls per calendar month (UTC) per key, for keys created without their own quota; 0 = unlimited.' },
  { name: 'PROMPTSEG_CORS_ORIGINS', default: '*', description: 'Comma-separated origins allowed to call the API from a browser.' },
  { name: 'PROMPTSEG_WEBHOOK_MAX_ATTEMPTS', default: '10', description: 'Delivery attempts of one webhook (first + retries) before it is recorded failed; a redelivery starts a new round.' },
  { name: 'PROMPTSEG_WEBHOOK_BACKOFF_S', default: '30', description: 'Delay before the first webhook retry (seconds, fractions allowed); each next retry doubles it, with jitter.' },
  { name: 'PROMPTSEG_WEBHOOK_MAX_BACKOFF_S', default: '7200', description: 'Longest delay between two webhook attempts (seconds).' },
  { name: 'PROMPTSEG_WEBHOOK_TIMEOUT_S', default: '10', description: 'Time limit of one webhook attempt (connect + answer); no 2xx in time counts as a failed attempt.' },
  { name: 'PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK', default: 'false', description: 'true: webhook URLs may be http:// and loopback (127.0.0.1, ::1, localhost). Local mode only; production refuses them.' },
  { name: 'PROMPTSEG_PUBLIC_URL', default: '', description: 'Base URL clients reach the API at (AWS: the CloudFront Router URL); absolute URLs the API returns (status_url, OpenAPI servers) start with it. Empty = the request URL\'s origin (right when clients call the API directly).' },
];

export const INFERENCE_ENV: EnvVar[] = [
  ...COMMON_ENV,
  { name: 'PROMPTSEG_MAX_PIXELS', default: '40000000', description: 'Largest image (pixels) the inference function decodes; bigger ones fail with image_too_large.' },
  { name: 'PROMPTSEG_SAM3_S3_PREFIX', default: '', description: 's3://bucket/prefix of SAM 3 ONNX files copied to local disk at cold start; empty = lite only (auto falls back).' },
  { name: 'PROMPTSEG_MODEL_DIR', default: '/tmp/promptseg-models', description: 'Local directory the SAM 3 files are copied to (Lambda: /tmp).' },
  { name: 'PROMPTSEG_DEVICE', default: 'cpu', description: 'Where SAM 3 runs: cpu, cuda (fails if the CUDA provider cannot load) or auto (CUDA when available, else CPU). The lite engine always runs on the CPU. The GPU variant sets cuda.' },
  { name: 'PROMPTSEG_VIDEO_MAX_SECONDS', default: '600', description: 'Longest span of video one job (or CLI run) processes, in seconds; longer clips are refused before any work (video_too_long).' },
  { name: 'PROMPTSEG_VIDEO_MAX_FRAMES', default: '18000', description: 'Most sampled frames one video job processes; more are refused before any work (video_too_long).' },
  { name: 'PROMPTSEG_VIDEO_SEGMENT_FRAMES', default: '60', description: 'Sampled frames per fan-out segment of a video job (one inference invocation each; ~1 s a frame with lite at 4 GB).' },
  { name: 'PROMPTSEG_VIDEO_MAX_SEGMENTS', default: '10', description: 'Most segments (concurrent invocations) one video job fans out to; longer clips get longer segments.' },
  { name: 'PROMPTSEG_SEGMENT_FUNCTION', default: '', description: 'Function the coordinator of a video job invokes per segment; empty = this function\'s own live alias on Lambda (AWS_LAMBDA_FUNCTION_NAME:live), or no fan-out (the coordinator runs every segment itself).' },
  { name: 'PROMPTSEG_LAMBDA_ENDPOINT', default: '', description: 'Lambda endpoint URL for segment invocations; empty = AWS. Local mode sets its Invoke endpoint.' },
];

/** The GPU variant's entry (inference/invoke-server.ts): the inference handler behind the Invoke API. */
export const INVOKE_SERVER_ENV: EnvVar[] = [
  ...INFERENCE_ENV,
  { name: 'PROMPTSEG_INVOKE_PORT', default: '8080', description: 'Port the GPU variant serves the Lambda Invoke API on (all interfaces; keep it on a private network).' },
];

/** The sweeper (api/sweep.ts, run on a schedule): settles jobs whose lease or dispatch ran out. */
export const SWEEPER_ENV: EnvVar[] = API_ENV;

/** The webhook deliverer (webhooks/handler.ts, run on a schedule): the API's settings (it builds the job view and reads the pepper). */
export const WEBHOOK_ENV: EnvVar[] = API_ENV;

/** Local mode only (`npm start`); the production handlers never read these. */
export const LOCAL_ENV: EnvVar[] = [
  { name: 'PROMPTSEG_HOST', default: '127.0.0.1', description: 'Interface every local server binds to.' },
  { name: 'PROMPTSEG_PORT', default: '7860', description: 'Port of the API (and the web page).' },
  { name: 'PROMPTSEG_S3_PORT', default: '7861', description: 'Port of the local S3-compatible store.' },
  { name: 'PROMPTSEG_LAMBDA_PORT', default: '7862', description: 'Port of the local Lambda Invoke endpoint.' },
  { name: 'PROMPTSEG_DATA_DIR', default: '.local-data', description: 'Directory of the local store, pepper and dev key.' },
  { name: 'PROMPTSEG_WEB_DIR', default: 'web/dist', description: 'Built web page served at / when present.' },
  { name: 'PROMPTSEG_LOCAL_CONCURRENCY', default: '2', description: 'Invocations the local inference worker runs at once.' },
];

export type Env = Record<string, string | undefined>;

/** process.env where it exists (Node, Lambda), else an empty record (edge runtimes pass bindings). */
export function processEnv(): Env {
  return typeof process !== 'undefined' && process.env ? process.env : {};
}

function spec(list: EnvVar[], name: string): EnvVar {
  const s = list.find((v) => v.name === name);
  if (!s) throw new Error(`config: ${name} is not declared in the env list`);
  return s;
}

/** The value of a declared variable (default applied); throws a clear message for required ones. */
export function envString(list: EnvVar[], env: Env, name: string): string {
  const s = spec(list, name);
  const v = env[name];
  if (v !== undefined && v !== '') return v;
  if (s.default === null) throw new Error(`${name} is not set. ${s.description}`);
  return s.default;
}

export function envNumber(list: EnvVar[], env: Env, name: string): number {
  const raw = envString(list, env, name);
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number (got "${raw}"). ${spec(list, name).description}`);
  return n;
}

export interface StorageConfig {
  bucket: string;
  region: string;
  /** Custom S3 endpoint (local mode); undefined = AWS. */
  endpoint?: string;
  /** Endpoint in presigned URLs; undefined = endpoint. */
  publicEndpoint?: string;
  /** Static credentials (local mode); undefined = the SDK's default chain (Lambda role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface JobPolicy {
  jobTimeoutMs: number;
  maxAttempts: number;
}

export interface ApiConfig extends JobPolicy {
  storage: StorageConfig;
  pepper: string;
  inferenceFunction: string;
  lambdaEndpoint?: string;
  maxUploadBytes: number;
  maxVideoUploadBytes: number;
  uploadUrlTtlS: number;
  downloadUrlTtlS: number;
  syncMaxBytes: number;
  syncTimeoutMs: number;
  queueTimeoutMs: number;
  defaultRateLimitPerMin: number;
  /** null = unlimited. */
  defaultQuotaMonthly: number | null;
  corsOrigins: string[];
  /** Base of absolute URLs in answers (no trailing slash); undefined = the request's origin. */
  publicUrl?: string;
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  /** Local mode: http:// and loopback receivers allowed. */
  allowLoopback: boolean;
}

export interface InferenceConfig extends JobPolicy {
  storage: StorageConfig;
  video: VideoJobConfig;
  maxPixels: number;
  sam3S3Prefix?: string;
  modelDir: string;
  device: InferenceDevice;
}

export interface VideoJobConfig {
  maxSeconds: number;
  maxFrames: number;
  segmentFrames: number;
  maxSegments: number;
  /** Where segment invocations go; undefined = no fan-out. */
  segmentFunction?: string;
  lambdaEndpoint?: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export const INFERENCE_DEVICES = ['cpu', 'cuda', 'auto'] as const;
export type InferenceDevice = (typeof INFERENCE_DEVICES)[number];

function storageFrom(list: EnvVar[], env: Env): StorageConfig {
  const endpoint = envString(list, env, 'PROMPTSEG_S3_ENDPOINT') || undefined;
  const s: StorageConfig = { bucket: envString(list, env, 'PROMPTSEG_BUCKET'), region: envString(list, env, 'AWS_REGION'), endpoint };
  if (list.some((v) => v.name === 'PROMPTSEG_S3_PUBLIC_ENDPOINT')) s.publicEndpoint = envString(list, env, 'PROMPTSEG_S3_PUBLIC_ENDPOINT') || undefined;
  return s;
}

function jobPolicyFrom(list: EnvVar[], env: Env): JobPolicy {
  return {
    jobTimeoutMs: envNumber(list, env, 'PROMPTSEG_JOB_TIMEOUT_S') * 1000,
    maxAttempts: Math.max(1, Math.floor(envNumber(list, env, 'PROMPTSEG_JOB_MAX_ATTEMPTS'))),
  };
}

export const MIN_PEPPER_CHARS = 32;

export function loadApiConfig(env: Env = processEnv()): ApiConfig {
  const pepper = envString(API_ENV, env, 'PROMPTSEG_KEY_PEPPER');
  if (pepper.length < MIN_PEPPER_CHARS) throw new Error(`PROMPTSEG_KEY_PEPPER must be at least ${MIN_PEPPER_CHARS} characters (a random secret).`);
  const quota = envNumber(API_ENV, env, 'PROMPTSEG_DEFAULT_QUOTA');
  return {
    ...jobPolicyFrom(API_ENV, env),
    storage: storageFrom(API_ENV, env),
    pepper,
    inferenceFunction: envString(API_ENV, env, 'PROMPTSEG_INFERENCE_FUNCTION'),
    lambdaEndpoint: envString(API_ENV, env, 'PROMPTSEG_LAMBDA_ENDPOINT') || undefined,
    maxUploadBytes: envNumber(API_ENV, env, 'PROMPTSEG_MAX_UPLOAD_BYTES'),
    maxVideoUploadBytes: envNumber(API_ENV, env, 'PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES'),
    uploadUrlTtlS: envNumber(API_ENV, env, 'PROMPTSEG_UPLOAD_URL_TTL_S'),
    downloadUrlTtlS: envNumber(API_ENV, env, 'PROMPTSEG_DOWNLOAD_URL_TTL_S'),
    syncMaxBytes: envNumber(API_ENV, env, 'PROMPTSEG_SYNC_MAX_BYTES'),
    syncTimeoutMs: envNumber(API_ENV, env, 'PROMPTSEG_SYNC_TIMEOUT_S') * 1000,
    queueTimeoutMs: envNumber(API_ENV, env, 'PROMPTSEG_QUEUE_TIMEOUT_S') * 1000,
    defaultRateLimitPerMin: envNumber(API_ENV, env, 'PROMPTSEG_DEFAULT_RATE_LIMIT'),
    defaultQuotaMonthly: quota === 0 ? null : quota,
    corsOrigins: envString(API_ENV, env, 'PROMPTSEG_CORS_ORIGINS').split(',').map((s) => s.trim()).filter(Boolean),
    publicUrl: publicUrlFrom(envString(API_ENV, env, 'PROMPTSEG_PUBLIC_URL')),
    webhooks: {
      maxAttempts: Math.max(1, Math.floor(envNumber(API_ENV, env, 'PROMPTSEG_WEBHOOK_MAX_ATTEMPTS'))),
      backoffMs: envNumber(API_ENV, env, 'PROMPTSEG_WEBHOOK_BACKOFF_S') * 1000,
      maxBackoffMs: envNumber(API_ENV, env, 'PROMPTSEG_WEBHOOK_MAX_BACKOFF_S') * 1000,
      timeoutMs: Math.max(100, envNumber(API_ENV, env, 'PROMPTSEG_WEBHOOK_TIMEOUT_S') * 1000),
      allowLoopback: envBoolean(API_ENV, env, 'PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK'),
    },
  };
}

export function envBoolean(list: EnvVar[], env: Env, name: string): boolean {
  const raw = envString(list, env, name);
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false (got "${raw}"). ${spec(list, name).description}`);
}

/** PROMPTSEG_PUBLIC_URL checked at start (a typo would otherwise only show in clients' 404s). */
function publicUrlFrom(raw: string): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PROMPTSEG_PUBLIC_URL must be an absolute http(s) URL such as https://d111111abcdef8.cloudfront.net (got "${raw}").`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new Error(`PROMPTSEG_PUBLIC_URL must be an http(s) URL without query or fragment (got "${raw}").`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function loadInferenceConfig(env: Env = processEnv()): InferenceConfig {
  return {
    ...jobPolicyFrom(INFERENCE_ENV, env),
    storage: storageFrom(INFERENCE_ENV, env),
    maxPixels: envNumber(INFERENCE_ENV, env, 'PROMPTSEG_MAX_PIXELS'),
    sam3S3Prefix: envString(INFERENCE_ENV, env, 'PROMPTSEG_SAM3_S3_PREFIX') || undefined,
    modelDir: envString(INFERENCE_ENV, env, 'PROMPTSEG_MODEL_DIR'),
    device: deviceFrom(envString(INFERENCE_ENV, env, 'PROMPTSEG_DEVICE')),
    video: videoFrom(env),
  };
}

function videoFrom(env: Env): VideoJobConfig {
  const own = env.AWS_LAMBDA_FUNCTION_NAME ? `${env.AWS_LAMBDA_FUNCTION_NAME}:${INFERENCE_ALIAS}` : undefined;
  const whole = (name: string) => Math.max(1, Math.floor(envNumber(INFERENCE_ENV, env, name)));
  const keyId = env.AWS_ACCESS_KEY_ID, secret = env.AWS_SECRET_ACCESS_KEY;
  const endpoint = envString(INFERENCE_ENV, env, 'PROMPTSEG_LAMBDA_ENDPOINT') || undefined;
  return {
    maxSeconds: envNumber(INFERENCE_ENV, env, 'PROMPTSEG_VIDEO_MAX_SECONDS'),
    maxFrames: whole('PROMPTSEG_VIDEO_MAX_FRAMES'),
    segmentFrames: whole('PROMPTSEG_VIDEO_SEGMENT_FRAMES'),
    maxSegments: whole('PROMPTSEG_VIDEO_MAX_SEGMENTS'),
    segmentFunction: envString(INFERENCE_ENV, env, 'PROMPTSEG_SEGMENT_FUNCTION') || own,
    lambdaEndpoint: endpoint,
    region: envString(INFERENCE_ENV, env, 'AWS_REGION'),
    // Static keys only against a local endpoint; on AWS the SDK's default chain (the role) signs.
    ...(endpoint && keyId && secret ? { credentials: { accessKeyId: keyId, secretAccessKey: secret } } : {}),
  };
}

/** The alias the API invokes (sst.config.ts creates it; provisioned concurrency sits on it); video segments go to it too. */
export const INFERENCE_ALIAS = 'live';

function deviceFrom(raw: string): InferenceDevice {
  const d = INFERENCE_DEVICES.find((x) => x === raw);
  if (!d) throw new Error(`PROMPTSEG_DEVICE must be one of ${INFERENCE_DEVICES.join(', ')} (got "${raw}").`);
  return d;
}
