/**
 * Accepting a job (POST /v1/jobs and POST /v1/segment): validate, resolve the tenant's upload,
 * replay an Idempotency-Key, check the quota, write the job record, then the billable event.
 * Only after both are durable does the route answer, so an accepted call is never lost, and a
 * replay lands on the same job and the same event (billed once).
 */
import { PromptsegError, JobRequestSchema, isVideoContentType, OUTPUT_FORMATS, parsePrompt, VIDEO_API_OUTPUTS, WEBHOOK_EVENTS, type EngineInfo, type JobRequest } from '@promptseg/shared';
import { readEngines } from '../core/engines.js';
import { idempotentId, randomId, sha256Hex } from '../core/ids.js';
import { createJob, readJob, newUsageRef, type JobRecord } from '../core/jobs.js';
import type { KeyRecord } from '../core/keys.js';
import { monthlyBillable, recordEvent, utcDay, utcMonth } from '../core/usage.js';
import { checkWebhookUrl } from '../core/webhook-url.js';
import { hasWebhookSecret } from '../core/webhook-secret.js';
import type { JobWebhook } from '../core/webhooks.js';
import type { ApiDeps } from './context.js';
import { UPLOAD_ID_PATTERN, uploadKeyOf } from './context.js';
import { SNIFF_BYTES, checkImageHead, checkVideoHead } from './sniff.js';
import { validationError } from './errors.js';

export interface Accepted {
  job: JobRecord;
  replayed: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const uploadNotFound = () =>
  new PromptsegError('not_found', 'No such upload for this API key.', 'Upload the image first with POST /v1/uploads and pass its upload_key (or upload_id as image_id); presigned uploads that were never completed do not exist.');

function resolveUploadKey(tenant: string, req: JobRequest): string {
  if (req.image_id !== undefined) {
    if (!UPLOAD_ID_PATTERN.test(req.image_id)) throw uploadNotFound();
    return uploadKeyOf(tenant, req.image_id);
  }
  const key = req.upload_key ?? '';
  const m = /^uploads\/([^/]+)\/([^/]+)$/.exec(key);
  // Another tenant's key answers exactly like a missing one: no hint that it exists.
  if (!m || m[1] !== tenant || !UPLOAD_ID_PATTERN.test(m[2])) throw uploadNotFound();
  return key;
}

/**
 * The job's webhook, checked before anything is billed: an https URL of public addresses only
 * (core/webhook-url.ts; names resolved when the runtime can), and a signing secret to sign with.
 */
async function acceptWebhook(deps: ApiDeps, tenant: string, req: JobRequest, publicBase: string): Promise<JobWebhook | undefined> {
  if (req.webhook === undefined) return undefined;
  const url = await checkWebhookUrl(req.webhook, deps.config.webhooks, deps.resolveHost);
  if (!(await hasWebhookSecret(deps.store, tenant))) {
    throw new PromptsegError('webhook_secret_missing', 'This job asks for a webhook, but your tenant has no webhook signing secret yet.', 'Create one with POST /v1/webhooks/secret (it is shown once: store it where your receiver can verify signatures), then send the job again.');
  }
  return { url: url.href, events: [...new Set(req.webhook_events ?? WEBHOOK_EVENTS)], public_base: publicBase, max_attempts: deps.config.webhooks.maxAttempts };
}

export async function acceptJob(deps: ApiDeps, key: KeyRecord, body: unknown, mode: 'async' | 'sync', idempotencyKey: string | undefined, publicBase: string): Promise<Accepted> {
  const { store, config } = deps;
  const parsed = JobRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'job request');
  const req = parsed.data;
  // The same prompt rules as segment(): an empty prompt is fine only with box/point prompts.
  const userPrompts = (req.boxes?.length ?? 0) > 0 || req.points !== undefined;
  if (!(userPrompts && req.prompt.trim() === '')) parsePrompt(req.prompt);
  const webhook = await acceptWebhook(deps, key.tenant, req, publicBase);
  const inputKey = resolveUploadKey(key.tenant, req);
  const requestHash = await sha256Hex(JSON.stringify({ mode, inputKey, req }));

  let jobId: string;
  if (idempotencyKey !== undefined) {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new PromptsegError('bad_request', 'The Idempotency-Key header must be 1-255 visible ASCII characters.', 'Use a UUID per logical request and resend it unchanged on retries.');
    }
    jobId = await idempotentId('job', config.pepper, key.tenant, idempotencyKey);
    const replay = await replayJob(deps, key.tenant, jobId, requestHash);
    if (replay) return replay;
  } else {
    jobId = randomId('job');
  }

  // Before the quota and the billable event: a job the service cannot run as asked is refused, unbilled.
  refuseUnrunnable((await readEngines(store)).engines, req);

  const limit = key.quota_monthly ?? config.defaultQuotaMonthly;
  const now = Date.now();
  if (limit !== null) {
    const month = utcMonth(now);
    const used = await monthlyBillable(store, key.tenant, month, key.key_id);
    if (used >= limit) {
      throw new PromptsegError('quota_exceeded', `This key's quota of ${limit} calls for ${month} is used up (${used} billed).`, 'Ask for a higher quota or wait for the next month (UTC); failed calls on our side do not count.', { used, limit, month });
    }
  }

  const head = await store.head(inputKey);
  if (!head) throw uploadNotFound();
  const video = isVideoContentType(head.contentType) || (req.video !== undefined && head.contentType === 'image/gif');
  checkJobKind(req, mode, video, head.contentType);
  const maxBytes = video ? config.maxVideoUploadBytes : mode === 'sync' ? config.syncMaxBytes : config.maxUploadBytes;
  if (head.size > maxBytes) {
    throw new PromptsegError(
      'payload_too_large',
      `The ${video ? 'clip' : 'image'} is ${head.size} bytes; ${video ? 'video jobs' : mode === 'sync' ? 'POST /v1/segment' : 'jobs'} accept at most ${maxBytes} bytes.`,
      video ? 'Cut the clip (ffmpeg -ss/-t) or re-encode it smaller.' : mode === 'sync' ? 'Use POST /v1/jobs for large images (then poll the job).' : 'Downscale or recompress the image.',
    );
  }
  const first = await store.getBytes(inputKey, { start: 0, end: SNIFF_BYTES - 1 });
  if (!first) throw uploadNotFound();
  if (video) checkVideoHead(first.bytes);
  else checkImageHead(first.bytes);

  const job: JobRecord = {
    job_id: jobId,
    tenant: key.tenant,
    key_id: key.key_id,
    mode,
    status: 'queued',
    request: req,
    request_hash: requestHash,
    input: { key: inputKey, bytes: head.size, content_type: head.contentType ?? 'application/octet-stream' },
    created_at: now,
    updated_at: now,
    queued_at: now,
    attempt: 0,
    // A sync caller waits for one answer: retrying after it gave up helps nobody.
    max_attempts: mode === 'sync' ? 1 : config.maxAttempts,
    dispatches: 1,
    billing: { ...newUsageRef(key.tenant, key.key_id, jobId, utcDay(now), req.engine, mode === 'sync' ? 'sync' : 'job'), billable: true },
    timings_ms: {},
    history: [`${new Date(now).toISOString()} accepted`],
    ...(webhook ? { webhook } : {}),
    ...(video ? { kind: 'video' as const } : {}),
  };
  if (!(await createJob(store, job))) {
    // A concurrent request with the same Idempotency-Key created it first.
    const replay = await replayJob(deps, key.tenant, jobId, requestHash);
    if (replay) return replay;
    throw new PromptsegError('conflict', 'The job was created and removed concurrently.', 'Retry the request.');
  }
  await recordEvent(store, job.billing, { job_id: jobId });
  return { job, replayed: false };
}

/**
 * What an image job and a video job may ask for, checked before billing: a clip runs only as an
 * asynchronous job, takes the clip outputs and no box/point prompts or polygons (those are
 * per-image); an image takes no clip outputs and no `video` sampling.
 */
export function checkJobKind(req: JobRequest, mode: 'async' | 'sync', video: boolean, contentType: string | undefined): void {
  if (!video) {
    if (req.video !== undefined) {
      throw new PromptsegError('invalid_option', `"video" sampling was given, but the upload is ${contentType ?? 'not a clip'}, not a clip.`, 'Upload an MP4, WebM, MOV (or an animated GIF) for a video job, or leave "video" out for an image.');
    }
    const clipOnly = req.outputs.filter((f) => !(OUTPUT_FORMATS as readonly string[]).includes(f));
    if (clipOnly.length) {
      throw new PromptsegError('invalid_option', `outputs ${clipOnly.join(', ')} ${clipOnly.length > 1 ? 'are' : 'is'} for clips; this upload is an image.`, `Image jobs take outputs among ${OUTPUT_FORMATS.join(', ')}.`);
    }
    return;
  }
  if (mode === 'sync') {
    throw new PromptsegError('invalid_option', 'POST /v1/segment takes images only; a clip runs as an asynchronous job.', 'Create it with POST /v1/jobs, then poll its status_url (it shows progress and partial results) or pass a webhook.');
  }
  const wrong = req.outputs.filter((f) => !(VIDEO_API_OUTPUTS as readonly string[]).includes(f));
  if (wrong.length) {
    throw new PromptsegError('invalid_option', `outputs ${wrong.join(', ')} ${wrong.length > 1 ? 'are' : 'is'} for images; this upload is a clip.`, `Video jobs take outputs among ${VIDEO_API_OUTPUTS.join(', ')} (per-frame masks are the document's RLE; the cut-out WebM carries them as alpha).`);
  }
  if ((req.boxes?.length ?? 0) > 0 || req.points !== undefined) {
    throw new PromptsegError('invalid_option', 'Box and point prompts are for images; a video job is prompted by text.', 'Remove "boxes" and "points" and name the objects in "prompt" (e.g. "person, dog").');
  }
  if (req.polygons) {
    throw new PromptsegError('invalid_option', 'polygons are for image jobs; a video job\'s masks are RLE per frame.', 'Remove "polygons" (or set it false).');
  }
}

/** auto's choice, as the model registry makes it: sam3 when installed, else lite. */
const AUTO_ORDER = ['sam3', 'lite'];

/**
 * Refuses what the engines the inference function reported (GET /v1/health) cannot run: an engine
 * that is not installed (engine_unavailable, with the report's hint), boxes or negative boxes
 * the chosen engine (or auto's choice) takes no box prompts for, and clicks (`points`) on an
 * engine named explicitly that has no point prompts (auto answers the prompt's concepts then, as
 * segment() does). Engines whose report lists no `prompts` (the default list) are only checked
 * for being installed.
 */
export function refuseUnrunnable(engines: readonly EngineInfo[], req: Pick<JobRequest, 'engine' | 'boxes' | 'points'>): void {
  const byId = new Map(engines.map((e) => [e.id, e]));
  let chosen: EngineInfo | undefined;
  if (req.engine === 'auto') {
    chosen = AUTO_ORDER.map((id) => byId.get(id)).find((e) => e?.installed);
    if (!chosen) throw new PromptsegError('engine_unavailable', 'No engine is installed on this service right now.', 'Retry in a minute (the inference function reports its engines after its warm-up); GET /v1/health lists them.');
  } else {
    chosen = byId.get(req.engine);
    if (!chosen?.installed) {
      throw new PromptsegError('engine_unavailable', `The ${req.engine} engine is not installed on this service.`, chosen?.hint ?? 'GET /v1/health lists the engines that can run; use engine "auto" or "lite".', { engine: req.engine });
    }
  }
  const p = chosen.prompts;
  if (!p) return;
  const boxes = req.boxes ?? [];
  const other = chosen.id === 'lite' ? 'sam3' : 'lite';
  if (boxes.length && !p.boxes) {
    throw new PromptsegError('invalid_option', `The ${chosen.id} engine${req.engine === 'auto' ? ' (auto\'s choice)' : ''} on this service takes no box prompts.`, `Remove "boxes", or ask for engine "${other}" if GET /v1/health lists it with box prompts.`, { engine: chosen.id });
  }
  if (boxes.some((b) => b.negative) && !p.negative_boxes) {
    throw new PromptsegError('invalid_option', `The ${chosen.id} engine${req.engine === 'auto' ? ' (auto\'s choice)' : ''} takes only positive boxes; boxes[${boxes.findIndex((b) => b.negative)}] is negative.`, `Remove the negative boxes, or ask for engine "${other}" if GET /v1/health lists it with negative boxes.`, { engine: chosen.id });
  }
  if (req.points !== undefined && req.engine !== 'auto' && !p.points) {
    throw new PromptsegError('invalid_option', `The ${chosen.id} engine takes no click (point) prompts.`, `Remove "points", or ask for engine "${other}" (or "auto") for click refinement.`, { engine: chosen.id });
  }
}

async function replayJob(deps: ApiDeps, tenant: string, jobId: string, requestHash: string): Promise<Accepted | null> {
  const existing = await readJob(deps.store, tenant, jobId);
  if (!existing) return null;
  if (existing.value.request_hash !== requestHash) {
    throw new PromptsegError('conflict', 'This Idempotency-Key was already used with a different request.', 'Use a new Idempotency-Key for a new request; reuse a key only to retry the identical request.', { job_id: jobId });
  }
  // The first attempt may have died between writing the job and its event: write it again (same object).
  await recordEvent(deps.store, existing.value.billing, { job_id: jobId });
  return { job: existing.value, replayed: true };
}
