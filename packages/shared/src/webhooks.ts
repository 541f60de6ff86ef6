/**
 * The webhook wire format (README "Webhooks"): what a receiver gets, how it is signed, and the
 * API's delivery log. Deliveries follow the Standard Webhooks spec (standardwebhooks.com): the
 * body is `{type, timestamp, data}`, signed with the tenant's `whsec_…` secret over
 * `<webhook-id>.<webhook-timestamp>.<body>` (HMAC-SHA256, base64, `v1,` prefix). The typed client
 * and the tests verify with the `standardwebhooks` package against these constants.
 */
import { z } from 'zod';
import { JobViewSchema, WEBHOOK_EVENTS } from './api.js';

/** The three headers of every delivery (Standard Webhooks). */
export const WEBHOOK_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/** Signing secrets start with this (the `standardwebhooks` package strips it and base64-decodes the rest). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * The body of a delivery. `data` is the job exactly as GET /v1/jobs/{id} shows it at the time
 * of the attempt (so its presigned download URLs are fresh on every attempt); `timestamp` is
 * when the job ended (the same on every attempt). Dedupe on the `webhook-id` header, which stays
 * the same across retries and redeliveries.
 */
export const WebhookPayloadSchema = z.object({
  type: z.enum(WEBHOOK_EVENTS),
  timestamp: z.string(),
  data: JobViewSchema,
});
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

/** POST /v1/webhooks/secret: the new secret, shown this once (the API keeps it encrypted and never returns it again). */
export const WebhookSecretResponseSchema = z.object({
  secret: z.string(),
  created_at: z.string(),
  /** When the secret this one replaced stops signing (deliveries carry both signatures until then); null when there was none. */
  previous_valid_until: z.string().nullable(),
});
export type WebhookSecretResponse = z.infer<typeof WebhookSecretResponseSchema>;

/** `pending`: waiting for its next attempt (or in flight); `succeeded`: a 2xx answer; `failed`: every attempt failed. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WebhookAttemptSchema = z.object({
  /** 1-based, counted across redeliveries. */
  attempt: z.number(),
  at: z.string(),
  /** The receiver's HTTP status; absent when no answer came (timeout, refused connection, refused address). */
  status_code: z.number().optional(),
  /** Why it did not count as delivered; absent for a 2xx. */
  error: z.string().optional(),
  duration_ms: z.number(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;

export const WebhookDeliverySchema = z.object({
  /** Also the `webhook-id` header: the same on every attempt and redelivery. */
  delivery_id: z.string(),
  job_id: z.string(),
  event: z.enum(WEBHOOK_EVENTS),
  url: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  created_at: z.string(),
  updated_at: z.string(),
  /** When pending: when the next attempt is due. */
  next_attempt_at: z.string().optional(),
  /** Attempts in this round (a redelivery starts a new round); the bound is `max_attempts`. */
  round_attempts: z.number(),
  max_attempts: z.number(),
  redeliveries: z.number(),
  /** Every attempt, oldest first (the latest 50). */
  attempts: z.array(WebhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WEBHOOK_DELIVERY_LIST_DEFAULT_LIMIT = 20;
export const WEBHOOK_DELIVERY_LIST_MAX_LIMIT = 100;

/** GET /v1/webhooks/deliveries?limit=&cursor= */
export const WebhookDeliveryListQuerySchema = z
  .object({
    limit: z
      .string()
      .regex(/^\d+$/, { message: 'limit must be a whole number' })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, { message: `limit must be between 1 and ${WEBHOOK_DELIVERY_LIST_MAX_LIMIT}` })
          .max(WEBHOOK_DELIVERY_LIST_MAX_LIMIT, { message: `limit must be between 1 and ${WEBHOOK_DELIVERY_LIST_MAX_LIMIT}` }),
      )
      .optional(),
    cursor: z.string().max(256).optional(),
  })
  .strict();

export const WebhookDeliveryListResponseSchema = z.object({
  /** Newest first (by when the job ended). */
  deliveries: z.array(WebhookDeliverySchema),
  /** Pass as `cursor` for the next page; null at the end. */
  next_cursor: z.string().nullable(),
});
export type WebhookDeliveryListResponse = z.infer<typeof WebhookDeliveryListResponseSchema>;
