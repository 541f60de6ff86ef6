/**
 * GET /v1/openapi.json (and /openapi.json), generated from the same zod schemas that validate requests (z.toJSONSchema),
 * so the document cannot drift from what the API accepts.
 */
import { z } from 'zod';
import {
  ErrorResponseSchema,
  HealthResponseSchema,
  JobAcceptedSchema,
  JobListResponseSchema,
  JobRequestSchema,
  JOB_LIST_DEFAULT_LIMIT,
  JOB_LIST_MAX_LIMIT,
  JOB_STATUSES,
  JobViewSchema,
  UploadRequestSchema,
  UploadResponseSchema,
  UsageResponseSchema,
  WEBHOOK_DELIVERY_LIST_DEFAULT_LIMIT,
  WEBHOOK_DELIVERY_LIST_MAX_LIMIT,
  WEBHOOK_EVENTS,
  WebhookDeliveryListResponseSchema,
  WebhookDeliverySchema,
  WebhookPayloadSchema,
  WebhookSecretResponseSchema,
  HTTP_STATUS,
  type ErrorCode,
} from '@promptseg/shared';
import type { ApiConfig } from '../config.js';

type JsonSchema = Record<string, unknown>;

const input = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const output = (s: z.ZodType): JsonSchema => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as JsonSchema;

const json = (schemaRef: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaRef}` } } } });

function errors(...codes: ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(HTTP_STATUS[c], [...(byStatus.get(HTTP_STATUS[c]) ?? []), c]);
  const out: Record<string, unknown> = {};
  for (const [status, cs] of byStatus) out[String(status)] = { description: `error codes: ${cs.join(', ')}`, ...json('Error') };
  return out;
}

const AUTH_ERRORS: ErrorCode[] = ['unauthorized', 'rate_limited', 'storage_unavailable', 'request_headers_too_large'];
const JOB_ERRORS: ErrorCode[] = [...AUTH_ERRORS, 'bad_request', 'invalid_option', 'invalid_prompt', 'unknown_engine', 'engine_unavailable', 'not_found', 'unsupported_image', 'corrupt_image', 'payload_too_large', 'quota_exceeded', 'conflict', 'invalid_webhook_url', 'webhook_secret_missing'];

/** Where the document is served behind the Router (only /v1/* reaches the API there). */
export const OPENAPI_PATH = '/v1/openapi.json';

/** `base`: the public base URL (PROMPTSEG_PUBLIC_URL or the request's origin), the document's server. */
export function buildOpenApi(config: ApiConfig, version: string, base: string): Record<string, unknown> {
  const idem = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Retries with the same key return the same job and are billed once.' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'promptseg API',
      version,
      description: 'Type what to cut out of a picture; get one mask per object (COCO RLE) with label and score. Billing: one event per accepted job or sync call; failures on our side (5xx codes) and cancelled jobs are not billed.',
    },
    servers: [{ url: base }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key psk_…' } },
      schemas: {
        UploadRequest: input(UploadRequestSchema),
        UploadResponse: output(UploadResponseSchema),
        JobRequest: input(JobRequestSchema),
        JobAccepted: output(JobAcceptedSchema),
        Job: output(JobViewSchema),
        JobList: output(JobListResponseSchema),
        Usage: output(UsageResponseSchema),
        Health: output(HealthResponseSchema),
        WebhookSecret: output(WebhookSecretResponseSchema),
        WebhookDelivery: output(WebhookDeliverySchema),
        WebhookDeliveryList: output(WebhookDeliveryListResponseSchema),
        WebhookPayload: output(WebhookPayloadSchema),
        Error: output(ErrorResponseSchema),
      },
    },
    // OpenAPI 3.1: what we POST to the caller's `webhook` URL (README "Webhooks").
    webhooks: {
      jobEnded: {
        post: {
          summary: `Sent when a job with a webhook ends (${WEBHOOK_EVENTS.join(', ')}); signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); answer 2xx within the timeout, else it is retried with backoff`,
          security: [],
          parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
          requestBody: { required: true, ...json('WebhookPayload') },
          responses: { '200': { description: 'Any 2xx: delivered (no retry)' } },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/uploads': {
        post: {
          summary: `Presigned upload of one image (≤ ${config.maxUploadBytes} bytes; type and size bound by the signature)`,
          requestBody: { required: true, ...json('UploadRequest') },
          responses: { '201': { description: 'Upload URL and fields/headers', ...json('UploadResponse') }, ...errors(...AUTH_ERRORS, 'bad_request', 'invalid_option', 'payload_too_large') },
        },
      },
      '/v1/jobs': {
        post: {
          summary: 'Create a segmentation job (asynchronous). An engine the service reports as not installed (engine_unavailable), or boxes / points the chosen engine cannot use (invalid_option), are refused before billing.',
          parameters: [idem],
          requestBody: { required: true, ...json('JobRequest') },
          responses: { '202': { description: 'Accepted (billed once)', ...json('JobAccepted') }, ...errors(...JOB_ERRORS) },
        },
        get: {
          summary: "The caller's jobs (its tenant's), newest first, in pages: pass next_cursor as cursor until it is null",
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string' }, description: `One state or a comma-separated list of: ${JOB_STATUSES.join(', ')}.` },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: JOB_LIST_MAX_LIMIT, default: JOB_LIST_DEFAULT_LIMIT } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor of the previous page.' },
          ],
          responses: { '200': { description: 'A page of jobs (without result documents and downloads: GET /v1/jobs/{id})', ...json('JobList') }, ...errors(...AUTH_ERRORS, 'invalid_option') },
        },
      },
      '/v1/jobs/{id}': {
        get: {
          summary: 'Job status; when succeeded the result document and presigned downloads',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The job', ...json('Job') }, ...errors(...AUTH_ERRORS, 'not_found') },
        },
      },
      '/v1/jobs/{id}/cancel': {
        post: {
          summary: 'Cancel a queued or running job: it ends `cancelled` (error code job_cancelled), is never billed, and a running attempt\'s outputs are discarded',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The job, now cancelled (again, if it was already)', ...json('Job') }, ...errors(...AUTH_ERRORS, 'not_found', 'conflict') },
        },
      },
      '/v1/webhooks/secret': {
        post: {
          summary: "Create or rotate the tenant's webhook signing secret (whsec_…), shown only in this answer; the replaced one keeps signing for 24 h",
          responses: { '201': { description: 'The new secret', ...json('WebhookSecret') }, ...errors(...AUTH_ERRORS) },
        },
      },
      '/v1/webhooks/deliveries': {
        get: {
          summary: "The tenant's webhook deliveries, newest first, in pages: pass next_cursor as cursor until it is null",
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: WEBHOOK_DELIVERY_LIST_MAX_LIMIT, default: WEBHOOK_DELIVERY_LIST_DEFAULT_LIMIT } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor of the previous page.' },
          ],
          responses: { '200': { description: 'A page of deliveries with their attempts', ...json('WebhookDeliveryList') }, ...errors(...AUTH_ERRORS, 'invalid_option') },
        },
      },
      '/v1/webhooks/deliveries/{id}': {
        get: {
          summary: 'One delivery: status (pending, succeeded, failed) and every attempt',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The delivery', ...json('WebhookDelivery') }, ...errors(...AUTH_ERRORS, 'not_found') },
        },
      },
      '/v1/webhooks/deliveries/{id}/redeliver': {
        post: {
          summary: 'Send a delivery again (a new round of attempts, same webhook-id); refused while it is pending',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '202': { description: 'The delivery, pending again', ...json('WebhookDelivery') }, ...errors(...AUTH_ERRORS, 'not_found', 'conflict') },
        },
      },
      '/v1/segment': {
        post: {
          summary: `Synchronous segmentation for images ≤ ${config.syncMaxBytes} bytes, answered within ${config.syncTimeoutMs / 1000} s`,
          parameters: [idem],
          requestBody: { required: true, ...json('JobRequest') },
          responses: {
            '200': { description: 'The finished job with its result', ...json('Job') },
            '202': { description: 'Replayed Idempotency-Key of a job still running', ...json('JobAccepted') },
            ...errors(...JOB_ERRORS, 'image_too_large', 'image_too_small', 'engine_unavailable', 'model_missing', 'inference_unavailable', 'job_timeout', 'internal'),
          },
        },
      },
      '/v1/usage': {
        get: {
          summary: 'Metered calls by day and engine, and the monthly quota',
          parameters: [
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
          ],
          responses: { '200': { description: 'Usage', ...json('Usage') }, ...errors(...AUTH_ERRORS, 'invalid_option') },
        },
      },
      '/v1/health': { get: { security: [], summary: 'Liveness, storage reachability and the engines the inference function reported', responses: { '200': { description: 'OK', ...json('Health') }, '503': { description: 'Storage unavailable', ...json('Health') } } } },
      [OPENAPI_PATH]: { get: { security: [], summary: 'This document (also at /openapi.json when the API is reached directly)', responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/openapi.json': { get: { security: [], summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  };
}
