/**
 * Webhook deliveries as S3 objects, kept apart from job records so that nothing a receiver does
 * can change a job's status or its billing:
 *
 *   webhooks/<tenant>/deliveries/<delivery id>.json   the delivery and every attempt (CAS on ETag)
 *   webhooks/<tenant>/index/<13 digits>-<delivery id>  newest-first listing (as jobs/<tenant>/index/)
 *   webhooks-due/<tenant>/<delivery id>               marker while the delivery is pending
 *
 * A job ends once, so it has at most one delivery; its id is derived from the job id
 * (`msg_` + the job id's 26 characters) and is the `webhook-id` header of every attempt and
 * redelivery, so receivers dedupe on it. The job-finishing path (jobs.ts updateJob) enqueues it
 * with a conditional create, before the job leaves the active index: a crash in between leaves
 * the job in active/, and the sweeper enqueues it then (same id, created once).
 *
 *   pending ──attempt 2xx──▶ succeeded
 *     ▲  └──attempt fails, attempts left: next_attempt_at = now + backoff──┐ (none left ▶ failed)
 *     └───────────────────────────────────────────────────────────────────┘
 *   succeeded / failed ──redeliver (its tenant)──▶ pending (a new round of attempts, same id)
 *
 * An attempt is claimed with a lease (CAS), so overlapping deliverer runs never send the same
 * attempt twice at once; a deliverer that dies mid-attempt leaves the lease to expire and the
 * attempt counts. Edge-safe: the API lists and redelivers with it; webhooks/ (Node) sends.
 */
import { PromptsegError, type JobStatus, type WebhookAttempt, type WebhookDelivery, type WebhookEventType } from '@promptseg/shared';
import { randomSecret } from './ids.js';
import type { JobRecord } from './jobs.js';
import type { ObjectStore } from './objects.js';

export interface DeliveryRecord {
  delivery_id: string;
  tenant: string;
  job_id: string;
  event: WebhookEventType;
  url: string;
  status: WebhookDelivery['status'];
  created_at: number;
  updated_at: number;
  next_attempt_at?: number;
  lease_until?: number;
  lease_owner?: string;
  round_attempts: number;
  max_attempts: number;
  redeliveries: number;
  attempts: WebhookAttempt[];
}

/** What a job record carries when it was created with a webhook (set by the API at acceptance). */
export interface JobWebhook {
  url: string;
  events: WebhookEventType[];
  /** The API's public base URL at creation: the job view's status_url in the payload. */
  public_base: string;
  /** Attempts per round (PROMPTSEG_WEBHOOK_MAX_ATTEMPTS when the job was accepted). */
  max_attempts: number;
}

export interface DeliveryPolicy {
  maxAttempts: number;
  /** First retry's delay; each next one doubles, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** One attempt's limit (connect + answer). */
  timeoutMs: number;
}

export const DELIVERY_ID_PATTERN = /^msg_[a-z2-7]{26}$/;
export const DELIVERY_INDEX_NAME = /^\d{13}-(msg_[a-z2-7]{26})$/;
/** Attempts kept in a record (the oldest are dropped past this). */
export const ATTEMPTS_KEPT = 50;
const MAX_MS = 9_999_999_999_999;

export const deliveryKey = (tenant: string, id: string) => `webhooks/${tenant}/deliveries/${id}.json`;
export const deliveryIndexPrefix = (tenant: string) => `webhooks/${tenant}/index/`;
export const deliveryIndexName = (d: Pick<DeliveryRecord, 'created_at' | 'delivery_id'>) => `${String(MAX_MS - d.created_at).padStart(13, '0')}-${d.delivery_id}`;
export const DUE_PREFIX = 'webhooks-due/';
export const dueKey = (tenant: string, id: string) => `${DUE_PREFIX}${tenant}/${id}`;

export const deliveryIdOf = (jobId: string) => `msg_${jobId.slice('job_'.length)}`;

export function eventOf(status: JobStatus): WebhookEventType | null {
  return status === 'succeeded' ? 'job.succeeded' : status === 'failed' ? 'job.failed' : status === 'cancelled' ? 'job.cancelled' : null;
}

/**
 * Records the delivery of a job that just ended, if it asked for that event. Idempotent: the
 * record is created once; index and due marker are rewritten while it is still pending and
 * untried, which finishes an enqueue that crashed halfway.
 */
export async function enqueueJobWebhook(store: ObjectStore, job: JobRecord, now = Date.now()): Promise<void> {
  const hook = job.webhook;
  const event = eventOf(job.status);
  if (!hook || !event || !hook.events.includes(event)) return;
  const d: DeliveryRecord = {
    delivery_id: deliveryIdOf(job.job_id),
    tenant: job.tenant,
    job_id: job.job_id,
    event,
    url: hook.url,
    status: 'pending',
    created_at: now,
    updated_at: now,
    next_attempt_at: now,
    round_attempts: 0,
    max_attempts: hook.max_attempts,
    redeliveries: 0,
    attempts: [],
  };
  const created = await store.putJson(deliveryKey(d.tenant, d.delivery_id), d, { ifNoneMatch: true });
  const stored = created ? d : (await store.getJson<DeliveryRecord>(deliveryKey(d.tenant, d.delivery_id)))?.value;
  if (!stored || stored.status !== 'pending' || stored.attempts.length > 0) return;
  await store.putBytes(`${deliveryIndexPrefix(d.tenant)}${deliveryIndexName(stored)}`, new Uint8Array(0), 'application/octet-stream');
  await store.putBytes(dueKey(d.tenant, d.delivery_id), new Uint8Array(0), 'application/octet-stream');
}

export async function readDelivery(store: ObjectStore, tenant: string, id: string): Promise<{ value: DeliveryRecord; etag: string } | null> {
  if (!DELIVERY_ID_PATTERN.test(id)) return null;
  return store.getJson<DeliveryRecord>(deliveryKey(tenant, id));
}

/** Compare-and-swap as updateJob: `change` returns the new record or null to leave it. */
export async function updateDelivery(store: ObjectStore, tenant: string, id: string, change: (d: DeliveryRecord) => DeliveryRecord | null, now = Date.now()): Promise<DeliveryRecord> {
  for (let i = 0; i < 8; i++) {
    const cur = await readDelivery(store, tenant, id);
    if (!cur) throw deliveryNotFound(id);
    const next = change(structuredClone(cur.value));
    if (!next) return cur.value;
    next.updated_at = now;
    if (await store.putJson(deliveryKey(tenant, id), next, { ifMatch: cur.etag })) return next;
  }
  throw new PromptsegError('conflict', `Delivery ${id} is being changed by several processes at once.`, 'Retry in a moment.');
}

export const deliveryNotFound = (id: string) =>
  new PromptsegError('not_found', `No webhook delivery ${id} for this API key.`, 'List them with GET /v1/webhooks/deliveries (deliveries are private to their tenant and kept as long as their jobs).');

/** Exponential backoff with "equal jitter": half the doubled delay fixed, half random, so a receiver's outage does not bring every retry back at once. */
export function backoffMs(failedAttempts: number, policy: Pick<DeliveryPolicy, 'backoffMs' | 'maxBackoffMs'>, random = Math.random): number {
  const full = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(full / 2 + random() * (full / 2));
}

export interface DeliveryClaim {
  delivery: DeliveryRecord;
  owner: string;
}

/** Takes the delivery's next attempt if it is due and nobody holds it; null otherwise. */
export async function claimDelivery(store: ObjectStore, tenant: string, id: string, policy: DeliveryPolicy, now = Date.now()): Promise<DeliveryClaim | null> {
  const owner = randomSecret(12);
  const d = await updateDelivery(
    store,
    tenant,
    id,
    (d) => {
      if (d.status !== 'pending' || (d.next_attempt_at ?? 0) > now || (d.lease_until ?? 0) > now) return null;
      if (d.round_attempts >= d.max_attempts) {
        // The last attempt's deliverer stopped before recording it: the round is over.
        return finish(d, 'failed');
      }
      d.round_attempts += 1;
      // Lease: the attempt's time limit plus margin for recording it.
      d.lease_until = now + policy.timeoutMs + 30_000;
      d.lease_owner = owner;
      return d;
    },
    now,
  );
  if (d.status !== 'pending') await store.delete(dueKey(tenant, id));
  return d.lease_owner === owner && d.status === 'pending' ? { delivery: d, owner } : null;
}

function finish(d: DeliveryRecord, status: 'succeeded' | 'failed'): DeliveryRecord {
  return { ...d, status, next_attempt_at: undefined, lease_until: undefined, lease_owner: undefined };
}

/** Records an attempt's outcome (only by the claim that made it) and schedules the next one or ends the round. */
export async function recordAttempt(store: ObjectStore, claim: DeliveryClaim, attempt: Omit<WebhookAttempt, 'attempt'>, policy: DeliveryPolicy, now = Date.now(), random = Math.random): Promise<DeliveryRecord> {
  const { tenant, delivery_id: id } = claim.delivery;
  const ok = attempt.status_code !== undefined && attempt.status_code >= 200 && attempt.status_code < 300 && attempt.error === undefined;
  const d = await updateDelivery(
    store,
    tenant,
    id,
    (d) => {
      if (d.lease_owner !== claim.owner) return null;
      const number = (d.attempts.at(-1)?.attempt ?? 0) + 1;
      d.attempts = [...d.attempts, { attempt: number, ...attempt }].slice(-ATTEMPTS_KEPT);
      if (ok) return finish(d, 'succeeded');
      if (d.round_attempts >= d.max_attempts) return finish(d, 'failed');
      return { ...d, next_attempt_at: now + backoffMs(d.round_attempts, policy, random), lease_until: undefined, lease_owner: undefined };
    },
    now,
  );
  if (d.status !== 'pending') await store.delete(dueKey(tenant, id));
  return d;
}

/** Its tenant asks for the delivery again: a new round of attempts with the same webhook-id. */
export async function redeliver(store: ObjectStore, tenant: string, id: string, now = Date.now()): Promise<DeliveryRecord> {
  let restarted = false;
  const d = await updateDelivery(
    store,
    tenant,
    id,
    (d) => {
      restarted = d.status !== 'pending';
      if (!restarted) return null;
      return { ...d, status: 'pending', next_attempt_at: now, round_attempts: 0, redeliveries: d.redeliveries + 1 };
    },
    now,
  );
  if (!restarted) {
    throw new PromptsegError('conflict', `Delivery ${id} is still pending (attempt ${d.round_attempts} of ${d.max_attempts} so far); it cannot be redelivered yet.`, 'Wait for it to succeed or fail (GET /v1/webhooks/deliveries/{id}), then redeliver.');
  }
  await store.putBytes(dueKey(tenant, id), new Uint8Array(0), 'application/octet-stream');
  return d;
}

/** The wire form (GET /v1/webhooks/deliveries): no lease fields. */
export function deliveryView(d: DeliveryRecord): WebhookDelivery {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    delivery_id: d.delivery_id,
    job_id: d.job_id,
    event: d.event,
    url: d.url,
    status: d.status,
    created_at: iso(d.created_at),
    updated_at: iso(d.updated_at),
    ...(d.status === 'pending' && d.next_attempt_at !== undefined ? { next_attempt_at: iso(d.next_attempt_at) } : {}),
    round_attempts: d.round_attempts,
    max_attempts: d.max_attempts,
    redeliveries: d.redeliveries,
    attempts: d.attempts,
  };
}

export interface DeliveryPage {
  deliveries: DeliveryRecord[];
  next: string | null;
}

/** One page of a tenant's deliveries, newest first (index after `after`). */
export async function listDeliveries(store: ObjectStore, tenant: string, opts: { limit: number; after?: string }): Promise<DeliveryPage> {
  const prefix = deliveryIndexPrefix(tenant);
  const names: string[] = [];
  let more = false;
  for await (const o of store.list(prefix, opts.after === undefined ? undefined : `${prefix}${opts.after}`)) {
    const name = o.key.slice(prefix.length);
    if (!DELIVERY_INDEX_NAME.test(name)) continue;
    if (names.length === opts.limit) {
      more = true;
      break;
    }
    names.push(name);
  }
  const records = await Promise.all(names.map((n) => readDelivery(store, tenant, DELIVERY_INDEX_NAME.exec(n)![1])));
  // a record that just expired with its job may leave its index entry for a moment
  const deliveries = records.flatMap((r) => (r ? [r.value] : []));
  return { deliveries, next: more ? names[names.length - 1] : null };
}

/** Every pending delivery's marker: (tenant, delivery id). */
export async function* listDue(store: ObjectStore): AsyncGenerator<{ tenant: string; id: string; key: string }> {
  for await (const o of store.list(DUE_PREFIX)) {
    const m = /^webhooks-due\/([^/]+)\/(msg_[a-z2-7]{26})$/.exec(o.key);
    if (m) yield { tenant: m[1], id: m[2], key: o.key };
  }
}
