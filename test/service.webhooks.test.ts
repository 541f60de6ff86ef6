// Webhooks end to end on 127.0.0.1: real local mode (S3, Lambda Invoke endpoint, inference worker,
// the deliverer on its timer) and real receivers. Every delivery is verified with the
// `standardwebhooks` package, as a customer's receiver would; receivers that fail, and one that
// never answers, show the retries are bounded and leave the job and its bill alone; refused URLs
// are refused before billing; the delivery log lists and redelivers with the same webhook-id.
// Backoff is shortened by configuration (0.2 s doubling to 0.5 s, 1 s per attempt, 3 attempts).
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView, WebhookDelivery, WebhookDeliveryListResponse, WebhookPayload, WebhookSecretResponse } from '@promptseg/shared';
import { startTestStack, type Client, type ErrorAnswer, type TestStack } from './service-kit.js';

const horse = new Uint8Array(readFileSync(new URL('../web/public/samples/horse.png', import.meta.url)));
// Passes the API's format sniff, fails decoding: a job that ends `failed` (corrupt_image, billed).
const PNG_HEADER_ONLY = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

const env = {
  PROMPTSEG_WEBHOOK_MAX_ATTEMPTS: '3',
  PROMPTSEG_WEBHOOK_BACKOFF_S: '0.2',
  PROMPTSEG_WEBHOOK_MAX_BACKOFF_S: '0.5',
  PROMPTSEG_WEBHOOK_TIMEOUT_S: '1',
};

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A customer's receiver: records every request; per path it answers 200, fails the first
 * `fail` requests with 500, or never answers. `handled` is what its handler processed after
 * deduping on webhook-id (the Standard Webhooks advice).
 */
class Receiver {
  server!: Server;
  received: Received[] = [];
  handled = new Map<string, WebhookPayload>();
  private failuresLeft = new Map<string, number>();
  private hung: ServerResponse[] = [];

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ path, headers: req.headers, body, at: Date.now() });
        if (path.startsWith('/hang')) return void this.hung.push(res);
        const left = this.failuresLeft.get(path) ?? 0;
        if (left > 0) {
          this.failuresLeft.set(path, left - 1);
          res.writeHead(500).end('not now');
          return;
        }
        const id = String(req.headers['webhook-id']);
        if (!this.handled.has(id)) this.handled.set(id, JSON.parse(body) as WebhookPayload);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  failFirst(path: string, n: number): void {
    this.failuresLeft.set(path, n);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    for (const r of this.hung) r.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

let stack: TestStack;
const receiver = new Receiver();

beforeAll(async () => {
  await receiver.start();
  stack = await startTestStack({ env, webhookIntervalMs: 100 });
});
afterAll(async () => {
  await stack?.teardown();
  await receiver.close();
});

async function waitFor<T>(what: string, get: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function usage(api: Client) {
  const r = await api.request<{ total_billable: number; days: { accepted: number; voided: number }[] }>('GET', '/v1/usage');
  return { billable: r.body.total_billable, accepted: r.body.days.reduce((n, d) => n + d.accepted, 0), voided: r.body.days.reduce((n, d) => n + d.voided, 0) };
}

async function tenant(name: string): Promise<{ api: Client; secret: string }> {
  const api = stack.client(await stack.newKey({ tenant: name }));
  const r = await api.request<WebhookSecretResponse>('POST', '/v1/webhooks/secret');
  expect(r.status).toBe(201);
  expect(r.headers.get('cache-control')).toBe('no-store');
  return { api, secret: r.body.secret };
}

const delivery = (api: Client, id: string) => api.request<WebhookDelivery & ErrorAnswer>('GET', `/v1/webhooks/deliveries/${id}`);
const headersOf = (r: Received) => ({ 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) });
/** The job view without what legitimately differs between two reads (fresh presigned URLs). */
const stable = (v: JobView) => ({ ...v, downloads: v.downloads?.map(({ url: _u, expires_at: _e, ...d }) => d) });

describe('webhook deliveries', () => {
  it('a finished job is POSTed once, signed per Standard Webhooks, with the job view as GET /v1/jobs/{id} shows it', async () => {
    const { api, secret } = await tenant('hook-ok');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const key = await api.uploadOk(horse, 'image/png');
    const created = await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', outputs: ['json', 'mask'], webhook: receiver.url('/ok') });
    expect(created.status).toBe(202);
    const jobId = created.body.job_id;
    const job = await api.waitJob(jobId);
    expect(job.status).toBe('succeeded');
    expect(job.webhook).toEqual({ url: receiver.url('/ok'), events: ['job.succeeded', 'job.failed', 'job.cancelled'] });

    const [got] = await waitFor('the delivery', () => receiver.at('/ok'), (r) => r.length === 1);
    expect(got.headers['content-type']).toBe('application/json');
    const payload = new Webhook(secret).verify(got.body, headersOf(got)) as WebhookPayload;
    expect(payload.type).toBe('job.succeeded');
    expect(payload.timestamp).toBe(job.finished_at);
    expect(stable(payload.data)).toEqual(stable((await api.getJob(jobId)).body));
    expect(payload.data.result).toBeDefined();
    expect((await fetch(payload.data.downloads![0].url)).status).toBe(200); // presigned URL usable by the receiver
    expect(got.headers['webhook-id']).toBe(`msg_${jobId.slice(4)}`);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    // A receiver with another secret, or a changed body, refuses it.
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 7).toString('base64')}`).verify(got.body, headersOf(got))).toThrow(/No matching signature/);
    expect(() => new Webhook(secret).verify(got.body.replace('succeeded', 'failed'), headersOf(got))).toThrow(/No matching signature/);

    const d = await waitFor('the delivery record', () => delivery(api, `msg_${jobId.slice(4)}`), (r) => r.body.status === 'succeeded');
    expect(d.body).toMatchObject({ job_id: jobId, event: 'job.succeeded', url: receiver.url('/ok'), round_attempts: 1, max_attempts: 3, redeliveries: 0 });
    expect(d.body.attempts).toEqual([{ attempt: 1, at: expect.any(String), status_code: 204, duration_ms: expect.any(Number) }]);
    expect(await usage(api)).toEqual({ billable: 1, accepted: 1, voided: 0 });
  });

  it('a receiver failing twice gets the same webhook-id three times, with growing gaps; its handler processes it once', async () => {
    const { api, secret } = await tenant('hook-flaky');
    receiver.failFirst('/flaky', 2);
    const key = await api.uploadOk(horse, 'image/png');
    const jobId = (await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', webhook: receiver.url('/flaky') })).body.job_id;
    const d = await waitFor('delivered', () => delivery(api, `msg_${jobId.slice(4)}`), (r) => r.body.status === 'succeeded');
    expect(d.body.attempts.map((a) => a.status_code)).toEqual([500, 500, 204]);
    expect(d.body.attempts[0].error).toBe('HTTP 500');
    const got = receiver.at('/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([`msg_${jobId.slice(4)}`]));
    for (const r of got) expect((new Webhook(secret).verify(r.body, headersOf(r)) as WebhookPayload).data.job_id).toBe(jobId);
    // backoff: >= half the 0.2 s base before the first retry (jitter), and the second gap at least as long as that half of the doubled delay
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(100);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(200);
    expect([...receiver.handled.values()].filter((p) => p.data.job_id === jobId)).toHaveLength(1);
    expect((await api.getJob(jobId)).body.status).toBe('succeeded');
    expect(await usage(api)).toEqual({ billable: 1, accepted: 1, voided: 0 });
  });

  it('a receiver that never answers: bounded attempts, recorded failed; the job stays succeeded and billed once', async () => {
    const { api } = await tenant('hook-hang');
    const key = await api.uploadOk(horse, 'image/png');
    const jobId = (await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', webhook: receiver.url('/hang') })).body.job_id;
    const d = await waitFor('recorded failed', () => delivery(api, `msg_${jobId.slice(4)}`), (r) => r.body.status === 'failed', 40_000);
    expect(d.body.round_attempts).toBe(3);
    expect(d.body.attempts).toHaveLength(3);
    for (const a of d.body.attempts) {
      expect(a.error).toBe('no answer within 1000 ms');
      expect(a.status_code).toBeUndefined();
    }
    expect(d.body.next_attempt_at).toBeUndefined();
    // No more attempts come after the round.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.at('/hang')).toHaveLength(3);
    const job = (await api.getJob(jobId)).body;
    expect(job).toMatchObject({ status: 'succeeded', billable: true });
    expect(await usage(api)).toEqual({ billable: 1, accepted: 1, voided: 0 });
  });

  it('sends only the events asked for: job.failed for a failed job, nothing for a succeeded one; POST /v1/segment too', async () => {
    const { api, secret } = await tenant('hook-events');
    const broken = await api.uploadOk(PNG_HEADER_ONLY, 'image/png');
    const good = await api.uploadOk(horse, 'image/png');
    const failed = (await api.createJob({ upload_key: broken, prompt: 'horse', engine: 'lite', webhook: receiver.url('/events'), webhook_events: ['job.failed'] })).body.job_id;
    const skipped = (await api.createJob({ upload_key: good, prompt: 'horse', engine: 'lite', webhook: receiver.url('/events'), webhook_events: ['job.failed'] })).body.job_id;
    expect((await api.waitJob(failed)).status).toBe('failed');
    expect((await api.waitJob(skipped)).status).toBe('succeeded');
    const sync = await api.request<JobView>('POST', '/v1/segment', { upload_key: good, prompt: 'horse', engine: 'lite', webhook: receiver.url('/sync') });
    expect(sync.status).toBe(200);

    const [f] = await waitFor('job.failed', () => receiver.at('/events'), (r) => r.length >= 1);
    const payload = new Webhook(secret).verify(f.body, headersOf(f)) as WebhookPayload;
    expect(payload).toMatchObject({ type: 'job.failed', data: { job_id: failed, status: 'failed', error: { code: 'corrupt_image' } } });
    const [s] = await waitFor('the sync job', () => receiver.at('/sync'), (r) => r.length === 1);
    expect((new Webhook(secret).verify(s.body, headersOf(s)) as WebhookPayload).data).toMatchObject({ job_id: sync.body.job_id, mode: 'sync', status: 'succeeded' });
    await stack.deliverNow();
    expect(receiver.at('/events')).toHaveLength(1);
    expect((await delivery(api, `msg_${skipped.slice(4)}`)).status).toBe(404);
  });
});

describe('refused webhook URLs', () => {
  it('are refused with invalid_webhook_url before billing; no secret yet is webhook_secret_missing, also unbilled', async () => {
    const { api } = await tenant('hook-refused');
    const key = await api.uploadOk(horse, 'image/png');
    const cases: [unknown, RegExp][] = [
      ['http://10.0.0.7/hook', /10\.0\.0\.7 is a private/],
      ['https://192.168.1.20/hook', /private/],
      ['https://169.254.169.254/latest/meta-data/', /link-local/],
      ['https://100.64.1.1/hook', /CGNAT/],
      ['https://[fd00::1]/hook', /unique local/],
      ['https://[fe80::1]/hook', /link-local/],
      ['ftp://127.0.0.1/hook', /got ftp:/],
      ['not a url', /not an absolute URL/],
      ['http://example.com/hook', /https/],
      [42, /webhook must be a URL string/],
    ];
    for (const [webhook, why] of cases) {
      const r = await api.createJob({ upload_key: key, prompt: 'horse', webhook });
      expect(r.status, String(webhook)).toBe(400);
      expect(r.body.error.code).toBe('invalid_webhook_url');
      expect(r.body.error.message).toMatch(why);
      expect(r.body.error.hint.length).toBeGreaterThan(20);
    }
    const bad = await api.createJob({ upload_key: key, prompt: 'horse', webhook_events: ['job.failed'] });
    expect(bad.body.error).toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/webhook_events needs a webhook/) });
    const unknown = await api.createJob({ upload_key: key, prompt: 'horse', webhook: receiver.url('/x'), webhook_events: ['job.done'] });
    expect(unknown.body.error.message).toMatch(/webhook_events must be among job.succeeded, job.failed, job.cancelled/);

    const noSecret = stack.client(await stack.newKey({ tenant: 'hook-nosecret' }));
    const key2 = await noSecret.uploadOk(horse, 'image/png');
    const r = await noSecret.createJob({ upload_key: key2, prompt: 'horse', webhook: receiver.url('/x') });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'webhook_secret_missing', hint: expect.stringMatching(/POST \/v1\/webhooks\/secret/) });
    expect(await usage(api)).toEqual({ billable: 0, accepted: 0, voided: 0 });
    expect(await usage(noSecret)).toEqual({ billable: 0, accepted: 0, voided: 0 });
  });

  it('production settings refuse loopback receivers and plain http, unbilled', async () => {
    // A second stack with the production flag; its worker never starts (nothing is accepted).
    const prod = await startTestStack({ env: { PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK: 'false' }, warm: false });
    try {
      const api = prod.client(await prod.newKey({ tenant: 'prod' }));
      expect((await api.request('POST', '/v1/webhooks/secret')).status).toBe(201);
      const key = await api.uploadOk(horse, 'image/png');
      for (const [webhook, why] of [
        [receiver.url('/ok'), /https/],
        ['https://127.0.0.1/hook', /loopback/],
        ['https://localhost:8443/hook', /loopback/],
        ['https://[::1]/hook', /loopback/],
        ['https://2130706433/hook', /loopback/],
      ] as const) {
        const r = await api.createJob({ upload_key: key, prompt: 'horse', webhook });
        expect(r.status, webhook).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'invalid_webhook_url', message: expect.stringMatching(why) });
      }
      expect(await usage(api)).toEqual({ billable: 0, accepted: 0, voided: 0 });
      expect(prod.pool.coldStarts).toBe(0);
    } finally {
      await prod.teardown();
    }
  });
});

describe('the delivery log', () => {
  it('lists newest first in cursor pages, redelivers with the same webhook-id (signed with old and new secret after a rotation), and is private to its tenant', async () => {
    const { api, secret } = await tenant('hook-log');
    const key = await api.uploadOk(horse, 'image/png');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = (await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', webhook: receiver.url(`/log/${i}`) })).body.job_id;
      await api.waitJob(id);
      ids.push(`msg_${id.slice(4)}`);
    }
    await waitFor('three deliveries', () => ids.map((_, i) => receiver.at(`/log/${i}`).length), (n) => n.every((x) => x === 1));
    const pages: WebhookDelivery[][] = [];
    let cursor: string | null | undefined;
    do {
      const r = await api.request<WebhookDeliveryListResponse>('GET', `/v1/webhooks/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      pages.push(r.body.deliveries);
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages.flat().map((d) => d.delivery_id)).toEqual([...ids].reverse());
    expect(pages.flat().every((d) => d.status === 'succeeded')).toBe(true);
    expect((await api.request<ErrorAnswer>('GET', '/v1/webhooks/deliveries?cursor=nope')).body.error.code).toBe('invalid_option');

    // Rotate: the new secret is shown once; for a grace period deliveries carry both signatures.
    const rotated = await api.request<WebhookSecretResponse>('POST', '/v1/webhooks/secret');
    expect(rotated.body.secret).not.toBe(secret);
    expect(Date.parse(rotated.body.previous_valid_until!)).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const re = await api.request<WebhookDelivery>('POST', `/v1/webhooks/deliveries/${ids[0]}/redeliver`);
    expect(re.status).toBe(202);
    expect(re.body).toMatchObject({ delivery_id: ids[0], status: 'pending', round_attempts: 0, redeliveries: 1 });
    const [first, again] = await waitFor('the redelivery', () => receiver.at('/log/0'), (r) => r.length === 2);
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(String(again.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const s of [secret, rotated.body.secret]) expect((new Webhook(s).verify(again.body, headersOf(again)) as WebhookPayload).type).toBe('job.succeeded');
    expect([...receiver.handled.keys()].filter((k) => k === ids[0])).toHaveLength(1); // deduped by the handler
    const after = await waitFor('recorded', () => delivery(api, ids[0]), (r) => r.body.status === 'succeeded');
    expect(after.body.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(after.body.redeliveries).toBe(1);
    // redelivering is not billing: still three billable jobs
    expect((await usage(api)).billable).toBe(3);

    const stranger = stack.client(await stack.newKey({ tenant: 'hook-stranger' }));
    expect((await stranger.request<WebhookDeliveryListResponse>('GET', '/v1/webhooks/deliveries')).body.deliveries).toEqual([]);
    expect((await stranger.request<ErrorAnswer>('POST', `/v1/webhooks/deliveries/${ids[1]}/redeliver`)).status).toBe(404);
    expect((await stranger.request<ErrorAnswer>('GET', `/v1/webhooks/deliveries/${ids[1]}`)).status).toBe(404);
    expect(receiver.at('/log/1')).toHaveLength(1);
  });
});
