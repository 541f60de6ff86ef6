/**
 * The deliverer: every pending delivery whose attempt is due is claimed (lease, CAS), its body
 * built from the job as GET /v1/jobs/{id} shows it now, signed per Standard Webhooks with the
 * tenant's secret(s) through the `standardwebhooks` package, sent, and the outcome recorded
 * (core/webhooks.ts). It reads job records but never writes them: a receiver that fails, hangs
 * or answers garbage changes nothing about the job or its bill. Run by the scheduled Webhooks
 * function on AWS (handler.ts) and on a timer in local mode (local/stack.ts).
 */
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_HEADERS, type WebhookPayload } from '@promptseg/shared';
import { jobView } from '../api/job-view.js';
import type { ApiConfig } from '../config.js';
import { readJob } from '../core/jobs.js';
import type { ObjectStore } from '../core/objects.js';
import { signingSecrets } from '../core/webhook-secret.js';
import { claimDelivery, listDue, recordAttempt, type DeliveryClaim, type DeliveryPolicy } from '../core/webhooks.js';
import { sendWebhook, type SendResult, type SendWebhook } from './send.js';

export interface DelivererDeps {
  store: ObjectStore;
  config: Pick<ApiConfig, 'pepper' | 'publicUrl' | 'downloadUrlTtlS' | 'webhooks'>;
  /** The HTTP attempt (tests may wrap it). */
  send?: SendWebhook;
  log?: (line: string) => void;
}

export interface DeliveryPass {
  /** Pending deliveries seen (due or not). */
  pending: number;
  attempted: number;
  delivered: number;
}

/** Attempts in flight at once: one slow receiver must not hold up everyone else's deliveries. */
const CONCURRENCY = 8;

export function deliveryPolicy(config: DelivererDeps['config']): DeliveryPolicy {
  const w = config.webhooks;
  return { maxAttempts: w.maxAttempts, backoffMs: w.backoffMs, maxBackoffMs: w.maxBackoffMs, timeoutMs: w.timeoutMs };
}

/** One pass over the pending deliveries; each due one gets one attempt. */
export async function deliverDue(deps: DelivererDeps): Promise<DeliveryPass> {
  const pass: DeliveryPass = { pending: 0, attempted: 0, delivered: 0 };
  const running = new Set<Promise<void>>();
  for await (const due of listDue(deps.store)) {
    pass.pending++;
    const p = attemptOne(deps, due.tenant, due.id)
      .then((r) => {
        if (r) pass.attempted++;
        if (r?.status_code !== undefined && r.error === undefined) pass.delivered++;
      })
      .catch((e: unknown) => deps.log?.(`webhook ${due.id}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= CONCURRENCY) await Promise.race(running);
  }
  await Promise.all(running);
  return pass;
}

/** Claims and makes the delivery's next attempt if it is due; null when it was not (not due, or held by another run). */
export async function attemptOne(deps: DelivererDeps, tenant: string, id: string): Promise<SendResult | null> {
  const policy = deliveryPolicy(deps.config);
  const claim = await claimDelivery(deps.store, tenant, id, policy);
  if (!claim) return null;
  const at = new Date();
  let result: SendResult;
  try {
    result = await sendOnce(deps, claim, at);
  } catch (e) {
    // Our side (storage, a missing secret): recorded as a failed attempt, retried like any other.
    result = { error: `not sent: ${e instanceof Error ? e.message : String(e)}`, duration_ms: 0 };
  }
  await recordAttempt(deps.store, claim, { at: at.toISOString(), ...result }, policy);
  deps.log?.(`webhook ${id} (${claim.delivery.event}, job ${claim.delivery.job_id}) attempt ${claim.delivery.round_attempts}: ${result.error ?? `HTTP ${result.status_code}`}`);
  return result;
}

async function sendOnce(deps: DelivererDeps, claim: DeliveryClaim, at: Date): Promise<SendResult> {
  const d = claim.delivery;
  const found = await readJob(deps.store, d.tenant, d.job_id);
  if (!found) return { error: 'not sent: the job no longer exists (its retention period ended)', duration_ms: 0 };
  const job = found.value;
  const base = job.webhook?.public_base ?? deps.config.publicUrl ?? '';
  const payload: WebhookPayload = {
    type: d.event,
    timestamp: new Date(job.finished_at ?? job.updated_at).toISOString(),
    data: await jobView(deps.store, job, base, deps.config.downloadUrlTtlS),
  };
  const body = JSON.stringify(payload);
  const secrets = await signingSecrets(deps.store, deps.config.pepper, d.tenant);
  if (secrets.length === 0) return { error: 'not sent: the tenant has no webhook signing secret', duration_ms: 0 };
  // Every valid secret signs (space-separated): receivers still holding the replaced secret verify too.
  const signature = secrets.map((s) => new Webhook(s).sign(d.delivery_id, at, body)).join(' ');
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': 'promptseg-webhooks/1',
    [WEBHOOK_HEADERS.id]: d.delivery_id,
    [WEBHOOK_HEADERS.timestamp]: String(Math.floor(at.getTime() / 1000)),
    [WEBHOOK_HEADERS.signature]: signature,
  };
  return (deps.send ?? sendWebhook)(d.url, headers, body, { timeoutMs: deps.config.webhooks.timeoutMs, policy: deps.config.webhooks });
}
