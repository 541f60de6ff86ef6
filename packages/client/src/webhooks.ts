/**
 * verifyWebhook: checks a delivery from the service per the Standard Webhooks spec with the
 * maintained `standardwebhooks` package — HMAC-SHA256 over `id.timestamp.body` with the tenant's
 * `whsec_…` secret, compared in constant time, and a timestamp within 5 minutes (replays of an
 * old delivery are refused) — then returns the body parsed: the job view.
 *
 * Pass the body exactly as received (the raw text or bytes, not re-serialised JSON: one changed
 * byte fails the signature). Webhook deliveries may repeat (retries, redelivery): dedupe on the
 * `webhook-id` header, which stays the same across retries of one delivery.
 */
import { Webhook, WebhookVerificationError as LibVerificationError } from 'standardwebhooks';
import type { Job } from './types.js';

/** A Fetch Headers object, or a plain record such as Node's IncomingHttpHeaders (any case). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export type WebhookErrorCode = 'missing_headers' | 'invalid_signature' | 'stale_timestamp' | 'invalid_secret' | 'invalid_body';

export class WebhookVerificationError extends Error {
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

const NAMES = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function pick(headers: WebhookHeaders): Record<(typeof NAMES)[number], string | undefined> {
  const get = (name: string): string | undefined => {
    if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
    const rec = headers as Record<string, string | string[] | undefined>;
    const k = Object.keys(rec).find((h) => h.toLowerCase() === name);
    const v = k === undefined ? undefined : rec[k];
    return Array.isArray(v) ? v.join(' ') : v;
  };
  return { 'webhook-id': get('webhook-id'), 'webhook-timestamp': get('webhook-timestamp'), 'webhook-signature': get('webhook-signature') };
}

/**
 * Returns the delivery's payload (the job view) when the signature and timestamp are right;
 * throws WebhookVerificationError (code, message, hint) otherwise. Answer 2xx only after it passed.
 */
export function verifyWebhook<T = Job>(secret: string, headers: WebhookHeaders, body: string | Uint8Array | ArrayBuffer): T {
  const h = pick(headers);
  const missing = NAMES.filter((n) => !h[n]);
  if (missing.length) {
    throw new WebhookVerificationError('missing_headers', `The request lacks the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, 'Pass the delivery request\'s headers unchanged (a proxy may have dropped them).');
  }
  let wh: Webhook;
  try {
    wh = new Webhook(secret);
  } catch (e) {
    throw new WebhookVerificationError('invalid_secret', `The webhook secret cannot be used: ${(e as Error).message}.`, 'Use the whsec_… secret the service showed when it was created, unchanged.');
  }
  const payload = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
  let parsed: unknown;
  try {
    parsed = wh.verify(payload, h as Record<string, string>);
  } catch (e) {
    if (!(e instanceof LibVerificationError)) {
      throw new WebhookVerificationError('invalid_body', `The body passed the signature check but is not JSON: ${(e as Error).message}.`, 'Report this delivery (its webhook-id) to the service.');
    }
    if (/timestamp/i.test(e.message)) {
      throw new WebhookVerificationError('stale_timestamp', `The delivery's timestamp is more than 5 minutes from now (${e.message.toLowerCase()}).`, 'Refuse it (it may be a replay); check this machine\'s clock if every delivery fails so.');
    }
    throw new WebhookVerificationError('invalid_signature', `The signature does not match the body (${e.message.toLowerCase()}).`, 'Verify the raw body exactly as received, with the secret of this endpoint\'s tenant.');
  }
  return parsed as T;
}
