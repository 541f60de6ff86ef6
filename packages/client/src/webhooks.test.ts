// verifyWebhook against deliveries signed here with standardwebhooks' own sign(), as the
// service's sender signs them: a right one passes and yields the job view; a changed byte, an
// old timestamp, another tenant's secret or a missing header are refused with a typed error.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError, verifyWebhook } from './webhooks.js';

const secret = `whsec_${Buffer.from('a 32-byte secret for this tenant').toString('base64')}`;
const other = `whsec_${Buffer.from('another tenant, another secret!!').toString('base64')}`;
const job = { job_id: 'job_0123', status: 'succeeded', billable: true, prompt: 'horse' };
const body = JSON.stringify(job);

function delivery(payload: string, at = new Date(), id = 'msg_2f1c') {
  const signature = new Webhook(secret).sign(id, at, payload);
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

function refusal(f: () => unknown): WebhookVerificationError {
  try {
    f();
  } catch (e) {
    if (e instanceof WebhookVerificationError) return e;
    throw e;
  }
  throw new Error('verifyWebhook accepted it');
}

describe('verifyWebhook', () => {
  it('accepts a correctly signed delivery and returns the job view (plain record, Fetch Headers, bytes)', () => {
    const h = delivery(body);
    expect(verifyWebhook(secret, h, body)).toEqual(job);
    expect(verifyWebhook(secret, new Headers(h), new TextEncoder().encode(body))).toEqual(job);
    // Node's IncomingHttpHeaders: lower case; other proxies may capitalise.
    expect(verifyWebhook(secret, { 'Webhook-Id': h['webhook-id'], 'WEBHOOK-TIMESTAMP': h['webhook-timestamp'], 'webhook-signature': h['webhook-signature'] }, body)).toEqual(job);
  });

  it('accepts any of several signatures (secret rotation: the service signs with old and new)', () => {
    const h = delivery(body);
    const rotated = { ...h, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${h['webhook-signature']}` };
    expect(verifyWebhook(secret, rotated, body)).toEqual(job);
  });

  it('refuses a tampered body', () => {
    const h = delivery(body);
    const tampered = body.replace('"billable":true', '"billable":false');
    const e = refusal(() => verifyWebhook(secret, h, tampered));
    expect(e.code).toBe('invalid_signature');
    expect(e.hint).toMatch(/raw body/);
  });

  it('refuses a delivery signed with another secret', () => {
    expect(refusal(() => verifyWebhook(other, delivery(body), body)).code).toBe('invalid_signature');
  });

  it('refuses an old timestamp (a replay), even correctly signed', () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const e = refusal(() => verifyWebhook(secret, delivery(body, tenMinutesAgo), body));
    expect(e.code).toBe('stale_timestamp');
    expect(e.message).toMatch(/too old/);
    // and one from the future
    expect(refusal(() => verifyWebhook(secret, delivery(body, new Date(Date.now() + 10 * 60_000)), body)).code).toBe('stale_timestamp');
  });

  it('says which headers are missing, and refuses a secret that is not one', () => {
    const { 'webhook-signature': _s, ...noSig } = delivery(body);
    const e = refusal(() => verifyWebhook(secret, noSig, body));
    expect(e.code).toBe('missing_headers');
    expect(e.message).toContain('webhook-signature');
    expect(refusal(() => verifyWebhook('whsec_', delivery(body), body)).code).toBe('invalid_secret');
  });
});
