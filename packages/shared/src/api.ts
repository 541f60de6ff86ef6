/**
 * Wire schemas of the HTTP API (requests and responses). The API validates bodies with these,
 * `GET /openapi.json` is generated from them, and the CLI's API client and the web page use the
 * inferred types. Field names are snake_case because this is a wire format; the segmentation
 * options reuse SegmentOptionsSchema's field schemas so the CLI and the API accept the same values.
 */
import { z } from 'zod';
import { MAX_PROMPT_CHARS, OUTPUT_FORMATS, SegmentOptionsSchema, type SegmentOptionsInput, type OutputFormat } from './options.js';
import { DEFAULT_POLYGON_TOLERANCE, POLYGON_TOLERANCE_MAX } from './polygons.js';
import { ERROR_CODES } from './errors.js';
import { VIDEO_OUTPUT_FORMATS } from './video.js';

/** Image types the inference function decodes (packages/model/src/io/decode.ts). */
export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/avif', 'image/heif', 'image/heic'] as const;
/**
 * Clip types a video job takes (an animated GIF, image/gif above, becomes a video job when the
 * job asks for `video`). They have their own upload limit (PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES),
 * bound into the presigned policy like the image limit.
 */
export const VIDEO_UPLOAD_CONTENT_TYPES = ['video/mp4', 'video/webm', 'video/quicktime'] as const;
export type VideoUploadContentType = (typeof VIDEO_UPLOAD_CONTENT_TYPES)[number];
export const isVideoContentType = (t: string | undefined): boolean => (VIDEO_UPLOAD_CONTENT_TYPES as readonly string[]).includes(t ?? '');
const ANY_UPLOAD_TYPES = [...UPLOAD_CONTENT_TYPES, ...VIDEO_UPLOAD_CONTENT_TYPES] as const;

/** What a job may ask for in `outputs`: the image formats, plus the clip formats (video jobs take VIDEO_API_OUTPUTS). */
export const JOB_OUTPUT_FORMATS = [...OUTPUT_FORMATS, 'youtube_vis', 'mot'] as const;
export type JobOutputFormat = (typeof JOB_OUTPUT_FORMATS)[number];
/**
 * The outputs of a video job: the clip's document, the overlay MP4, the cut-out WebM with alpha,
 * YouTube-VIS and MOT. (`mask`, a PNG folder per track, is the CLI's: over HTTP the masks are the
 * document's RLE, or the cut-out's alpha.)
 */
export const VIDEO_API_OUTPUTS = VIDEO_OUTPUT_FORMATS.filter((f) => f !== 'mask');

/** Sampling of a video job (README "Video"); every field optional. */
export const VideoSamplingSchema = z
  .object({
    fps: z.number({ error: 'video.fps must be a number of frames per second' }).positive({ message: 'video.fps must be above 0' }).max(120, { message: 'video.fps must be at most 120' }).optional(),
    start: z.number({ error: 'video.start must be a time in seconds' }).min(0, { message: 'video.start must be 0 or more seconds' }).optional(),
    end: z.number({ error: 'video.end must be a time in seconds' }).positive({ message: 'video.end must be above 0 seconds' }).optional(),
    max_frames: z.number({ error: 'video.max_frames must be a whole number' }).int({ message: 'video.max_frames must be a whole number' }).positive({ message: 'video.max_frames must be at least 1' }).optional(),
  })
  .strict()
  .refine((v) => v.start === undefined || v.end === undefined || v.end > v.start, { message: 'video.end must be after video.start', path: ['end'] });

export const UploadRequestSchema = z
  .object({
    content_type: z.enum(ANY_UPLOAD_TYPES, { error: `content_type must be one of ${ANY_UPLOAD_TYPES.join(', ')}` }),
    /** Needed for `method: "PUT"` (the signature then binds the exact length); optional for POST. */
    size: z.number().int({ message: 'size must be a whole number of bytes' }).positive({ message: 'size must be at least 1 byte' }).optional(),
    /** POST (default): a presigned POST policy with a content-length-range; PUT: a presigned PUT binding content-type and content-length. */
    method: z.enum(['POST', 'PUT'], { error: 'method must be POST or PUT' }).default('POST'),
  })
  .strict();
export type UploadRequest = z.output<typeof UploadRequestSchema>;

export const UploadResponseSchema = z.object({
  upload_id: z.string(),
  /** Pass this (or upload_id as image_id) to POST /v1/jobs. */
  upload_key: z.string(),
  method: z.enum(['POST', 'PUT']),
  url: z.string(),
  /** POST: form fields to send before the `file` field. */
  fields: z.record(z.string(), z.string()).optional(),
  /** PUT: headers the request must carry exactly (they are signed). */
  headers: z.record(z.string(), z.string()).optional(),
  content_type: z.string(),
  max_bytes: z.number(),
  expires_at: z.string(),
});
export type UploadResponse = z.infer<typeof UploadResponseSchema>;

const opt = SegmentOptionsSchema.shape;

/**
 * Webhook events, one per way a job ends (a job ends once, so it sends at most one). Named
 * `<resource>.<past tense>` as Standard Webhooks suggests; the payload's `type`.
 */
export const WEBHOOK_EVENTS = ['job.succeeded', 'job.failed', 'job.cancelled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** Longest webhook URL accepted (browsers and proxies handle 2 KB URLs everywhere). */
export const WEBHOOK_URL_MAX_CHARS = 2048;

/**
 * The prompt's shape only; its meaning (empty, too many concepts, nothing nameable) is checked by
 * parsePrompt, which the API runs on every request so it refuses exactly what segment() would.
 */
export const PromptSchema = z
  .string({ error: 'prompt must be a string, e.g. "person, dog"' })
  .max(MAX_PROMPT_CHARS, { message: `prompt is longer than ${MAX_PROMPT_CHARS} characters` });

export const JobRequestSchema = z
  .object({
    /** The `upload_key` returned by POST /v1/uploads. */
    upload_key: z.string().max(512).optional(),
    /** Or the `upload_id` returned by POST /v1/uploads. */
    image_id: z.string().max(128).optional(),
    prompt: PromptSchema,
    threshold: opt.threshold,
    refine: opt.refine,
    top_k: opt.topK,
    engine: opt.engine,
    boxes: opt.boxes,
    points: opt.points,
    outputs: z
      .array(z.enum(JOB_OUTPUT_FORMATS, { error: `outputs must be among ${OUTPUT_FORMATS.join(', ')} (images) or ${VIDEO_API_OUTPUTS.join(', ')} (clips)` }))
      .max(JOB_OUTPUT_FORMATS.length)
      .default(['json']),
    /** Sampling of a clip (video jobs only): a video upload makes a video job; with an animated GIF, `video` asks for one. */
    video: VideoSamplingSchema.optional(),
    /** Add each instance's outline (`polygons`: outer rings and holes, pixel coordinates) to the result document. */
    polygons: z.boolean({ error: 'polygons must be true or false' }).default(false),
    /** Simplification of polygons, GeoJSON and YOLO outlines in pixels (0 = the exact pixel outline). */
    polygon_tolerance: z
      .number({ error: 'polygon_tolerance must be a number of pixels' })
      .min(0, { message: `polygon_tolerance must be between 0 and ${POLYGON_TOLERANCE_MAX}` })
      .max(POLYGON_TOLERANCE_MAX, { message: `polygon_tolerance must be between 0 and ${POLYGON_TOLERANCE_MAX}` })
      .default(DEFAULT_POLYGON_TOLERANCE),
    /** POSTed (signed, Standard Webhooks) when the job ends; https, a public address. The API checks it before billing (invalid_webhook_url). */
    webhook: z
      .string({ error: 'webhook must be a URL string, e.g. "https://example.com/hooks/promptseg"' })
      .max(WEBHOOK_URL_MAX_CHARS, { message: `webhook is longer than ${WEBHOOK_URL_MAX_CHARS} characters` })
      .optional(),
    /** Which endings are sent to `webhook`; default all of WEBHOOK_EVENTS. */
    webhook_events: z
      .array(z.enum(WEBHOOK_EVENTS, { error: `webhook_events must be among ${WEBHOOK_EVENTS.join(', ')}` }))
      .min(1, { message: 'webhook_events must name at least one event (leave it out for all)' })
      .max(WEBHOOK_EVENTS.length)
      .optional(),
  })
  .strict()
  .refine((b) => (b.upload_key === undefined) !== (b.image_id === undefined), {
    message: 'give exactly one of upload_key or image_id (from POST /v1/uploads)',
    path: ['upload_key'],
  })
  .refine((b) => b.webhook_events === undefined || b.webhook !== undefined, {
    message: 'webhook_events needs a webhook URL to send them to',
    path: ['webhook_events'],
  });
export type JobRequestInput = z.input<typeof JobRequestSchema>;
export type JobRequest = z.output<typeof JobRequestSchema>;

/** The segment() options a job request carries (wire snake_case → SegmentOptionsInput). */
export function jobRequestOptions(r: JobRequest): SegmentOptionsInput {
  const o: SegmentOptionsInput = { threshold: r.threshold, refine: r.refine, engine: r.engine };
  if (r.top_k !== undefined) o.topK = r.top_k;
  if (r.boxes !== undefined) o.boxes = r.boxes;
  if (r.points !== undefined) o.points = r.points;
  return o;
}

/** The binary outputs a job writes ('json' is the result document itself). */
export function binaryOutputs<F extends string>(outputs: readonly F[]): Exclude<F, 'json'>[] {
  return [...new Set(outputs)].filter((f): f is Exclude<F, 'json'> => f !== 'json');
}

/** `cancelled`: its owner cancelled it (POST /v1/jobs/{id}/cancel) before it succeeded; never billed. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const ErrorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  hint: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export const ErrorResponseSchema = z.object({ error: ErrorBodySchema });

export const DownloadSchema = z.object({
  format: z.enum(JOB_OUTPUT_FORMATS),
  name: z.string(),
  content_type: z.string(),
  bytes: z.number(),
  url: z.string(),
  expires_at: z.string(),
});
export type Download = z.infer<typeof DownloadSchema>;

export const JobViewSchema = z.object({
  job_id: z.string(),
  status: z.enum(JOB_STATUSES),
  status_url: z.string(),
  mode: z.enum(['async', 'sync']),
  /** `video` for a clip (README "Video over the API"); image jobs leave it out. */
  kind: z.enum(['image', 'video']).optional(),
  prompt: z.string(),
  engine: z.string(),
  outputs: z.array(z.enum(JOB_OUTPUT_FORMATS)),
  created_at: z.string(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  attempts: z.number(),
  /** queue (created → started), run (started → finished), total (created → finished), and the engine's own stages. */
  timings_ms: z.record(z.string(), z.number()),
  /** When succeeded: the result document (README "Result JSON schema", the CLI's --json). */
  result: z.record(z.string(), z.unknown()).optional(),
  /** When succeeded: short-lived presigned GET URLs of the requested binary outputs. */
  downloads: z.array(DownloadSchema).optional(),
  /** When failed (or cancelled: code job_cancelled): what went wrong and what to do. */
  error: ErrorBodySchema.optional(),
  /** Whether this job counts as a billable call (false for failures on our side and for cancelled jobs). */
  billable: z.boolean(),
  /** Video jobs while running (and after): sampled frames done of the clip's total, and segments (one inference invocation each) finished. */
  progress: z.object({ frames_done: z.number(), frames_total: z.number(), segments_done: z.number(), segments_total: z.number() }).optional(),
  /**
   * Video jobs while running: the clip's document so far (the frames from the clip's start up to
   * the first unfinished segment, tracks stitched as in the final result), as a short-lived URL.
   */
  partial: z.object({ frames: z.number(), tracks: z.number(), url: z.string(), expires_at: z.string() }).optional(),
  /** When the job was created with a webhook: where its ending is POSTed, and which endings (GET /v1/webhooks/deliveries shows each delivery). */
  webhook: z.object({ url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)) }).optional(),
});
export type JobView = z.infer<typeof JobViewSchema>;

/** A job as GET /v1/jobs lists it: the job view without the result document and downloads (GET /v1/jobs/{id} has them). */
export const JobSummarySchema = JobViewSchema.omit({ result: true, downloads: true });
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JOB_LIST_DEFAULT_LIMIT = 20;
export const JOB_LIST_MAX_LIMIT = 100;

/** GET /v1/jobs?status=&limit=&cursor= (query strings: status is one state or a comma-separated list of JOB_STATUSES). */
export const JobListQuerySchema = z
  .object({
    status: z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(JOB_STATUSES, { error: `status must be among ${JOB_STATUSES.join(', ')}` })).min(1, { message: 'status must name at least one state' }))
      .optional(),
    limit: z
      .string()
      .regex(/^\d+$/, { message: 'limit must be a whole number' })
      .transform(Number)
      .pipe(z.number().min(1, { message: `limit must be between 1 and ${JOB_LIST_MAX_LIMIT}` }).max(JOB_LIST_MAX_LIMIT, { message: `limit must be between 1 and ${JOB_LIST_MAX_LIMIT}` }))
      .optional(),
    /** `next_cursor` of the previous page. */
    cursor: z.string().max(256).optional(),
  })
  .strict();
export type JobListQuery = z.output<typeof JobListQuerySchema>;

export const JobListResponseSchema = z.object({
  /** Newest first. */
  jobs: z.array(JobSummarySchema),
  /** Pass as `cursor` for the next page; null when there are no more jobs. A page may hold fewer than `limit` jobs and still have a next one (a status filter scans a bounded number of jobs per page). */
  next_cursor: z.string().nullable(),
});
export type JobListResponse = z.infer<typeof JobListResponseSchema>;

export const JobAcceptedSchema = z.object({ job_id: z.string(), status: z.enum(JOB_STATUSES), status_url: z.string() });
export type JobAccepted = z.infer<typeof JobAcceptedSchema>;

/** A day as the usage API and `promptseg keys usage` take it: YYYY-MM-DD (UTC). */
export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const UsageQuerySchema = z.object({
  from: z.string().regex(ISO_DAY, { message: 'from must be a date YYYY-MM-DD' }).optional(),
  to: z.string().regex(ISO_DAY, { message: 'to must be a date YYYY-MM-DD' }).optional(),
});

export const UsageResponseSchema = z.object({
  tenant: z.string(),
  from: z.string(),
  to: z.string(),
  /** Billable calls (accepted minus voided) in the range. */
  total_billable: z.number(),
  days: z.array(
    z.object({
      day: z.string(),
      engine: z.string(),
      kind: z.enum(['job', 'sync']),
      accepted: z.number(),
      voided: z.number(),
      billable: z.number(),
      /** Seconds of video billed (video jobs: the sampled span, rounded up per job; 0 for images). */
      video_seconds: z.number(),
    }),
  ),
  /** Seconds of video billed in the range. */
  total_video_seconds: z.number(),
  quota: z.object({ month: z.string(), used: z.number(), limit: z.number().nullable() }),
});
export type UsageResponse = z.infer<typeof UsageResponseSchema>;

/** One engine as GET /v1/health lists it (the web page greys out engines not installed and shows the hint). */
export const EngineInfoSchema = z.object({
  id: z.string(),
  installed: z.boolean(),
  /** Why it cannot run and how to install it; only when not installed. */
  hint: z.string().optional(),
  /** Prompts it takes besides text, when installed (jobs asking for others are refused before billing); absent in the default list. */
  prompts: z.object({ boxes: z.boolean(), negative_boxes: z.boolean(), points: z.boolean() }).optional(),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  time: z.string(),
  storage: z.enum(['ok', 'unavailable']),
  /** Largest image upload in bytes (PROMPTSEG_MAX_UPLOAD_BYTES), so clients can check before uploading. */
  max_upload_bytes: z.number().optional(),
  /** Largest video upload in bytes (PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES). */
  max_video_upload_bytes: z.number().optional(),
  /** Largest image in pixels the inference function decodes (its PROMPTSEG_MAX_PIXELS, from its engine report; absent until it reported). */
  max_pixels: z.number().optional(),
  /** The engines the inference function reported after its warm-up (a default list until it has). */
  engines: z.array(EngineInfoSchema).optional(),
  /** When the inference function wrote that list; null = not reported yet (the default list). */
  engines_reported_at: z.string().nullable().optional(),
});
