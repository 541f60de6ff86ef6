/**
 * The deployed webhook deliverer, run for real behind its own least-privilege policy: the
 * Webhooks cron's S3 statements are recorded from sst.config.ts (./iam-proxy.ts), and the real
 * `deliverHandler` (functions/src/webhooks/handler.ts, the scheduled function's entry) sends a
 * cancelled job's delivery while it sees the bucket only through a proxy that enforces them. A
 * receiver on 127.0.0.1 verifies the signature with `standardwebhooks`, as a customer's would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookPayload } from '@promptseg/shared';
import { createApp, createDeps } from '../../functions/src/api/app.ts';
import { loadApiConfig, WEBHOOK_ENV } from '../../functions/src/config.ts';
import { createKey } from '../../functions/src/core/keys.ts';
import { ObjectStore } from '../../functions/src/core/objects.ts';
import { deliveryIdOf, dueKey, readDelivery } from '../../functions/src/core/webhooks.ts';
import { createInvokeServer } from '../../functions/src/inference/invoke-api.ts';
import { startLocalS3, type LocalS3 } from '../../functions/src/local/s3-gate.ts';
import { cronStatements, iamProxy, listen, type ProxiedRequest } from './iam-proxy.ts';

const BUCKET = 'promptseg-hooks';
const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const PNG_HEADER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

let dir: string;
let s3: LocalS3;
let proxy: Server;
let lambda: Server;
let receiver: Server;
let receiverUrl: string;
let store: ObjectStore;
let app: ReturnType<typeof createApp>;
let key: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const requests: ProxiedRequest[] = [];

beforeAll(async () => {
  const statements = await cronStatements('Webhooks', BUCKET);
  dir = mkdtempSync(join(tmpdir(), 'ps-hooks-'));
  s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: dir, bucket: BUCKET, credentials: creds, maxPostBytes: 1 << 20 });
  proxy = iamProxy(s3.port, statements, requests);
  const proxyUrl = await listen(proxy);
  // Jobs are dispatched to an inference function that never runs them: they stay queued until cancelled.
  lambda = createInvokeServer({ resolve: (name) => (name === 'fn' ? { invoke: async () => undefined } : undefined) });
  const lambdaUrl = await listen(lambda);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  receiverUrl = await listen(receiver);
  const env = {
    PROMPTSEG_BUCKET: BUCKET,
    PROMPTSEG_KEY_PEPPER: 'p'.repeat(40),
    PROMPTSEG_LAMBDA_ENDPOINT: lambdaUrl,
    PROMPTSEG_INFERENCE_FUNCTION: 'fn',
    PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK: 'true', // the receiver is on 127.0.0.1; production sets false
    AWS_REGION: 'us-east-1',
  };
  const config = loadApiConfig({ ...env, PROMPTSEG_S3_ENDPOINT: s3.url });
  config.storage.credentials = creds;
  const deps = createDeps(config);
  store = deps.store;
  app = createApp(deps);
  key = (await createKey(store, config.pepper, { tenant: 'acme' })).key;
  // The Lambda runtime gives the function its variables and role credentials in process.env.
  for (const name of Object.keys(env)) expect(WEBHOOK_ENV.map((v) => v.name), name).toContain(name);
  Object.assign(process.env, env, { PROMPTSEG_S3_ENDPOINT: proxyUrl, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey });
});

afterAll(async () => {
  for (const s of [proxy, lambda, receiver]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

const headers = () => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });

async function cancelledJobWithWebhook(): Promise<string> {
  const u = (await (await app.request('/v1/uploads', { method: 'POST', headers: headers(), body: JSON.stringify({ content_type: 'image/png' }) })).json()) as { url: string; fields: Record<string, string>; upload_key: string };
  const fd = new FormData();
  for (const [k, v] of Object.entries(u.fields)) fd.append(k, v);
  fd.append('file', new Blob([PNG_HEADER]));
  expect((await fetch(u.url, { method: 'POST', body: fd })).status).toBe(204);
  const r = await app.request('/v1/jobs', { method: 'POST', headers: headers(), body: JSON.stringify({ upload_key: u.upload_key, prompt: 'cat', engine: 'lite', webhook: `${receiverUrl}/hook` }) });
  expect(r.status).toBe(202);
  const jobId = ((await r.json()) as { job_id: string }).job_id;
  expect((await app.request(`/v1/jobs/${jobId}/cancel`, { method: 'POST', headers: headers() })).status).toBe(200);
  return jobId;
}

describe('the scheduled webhook deliverer (deliverHandler) under its deployed IAM statements', () => {
  it('signs and sends the delivery, records it and drops its due marker, with no request refused', async () => {
    const secretAnswer = await app.request('/v1/webhooks/secret', { method: 'POST', headers: headers() });
    expect(secretAnswer.status).toBe(201);
    const { secret } = (await secretAnswer.json()) as { secret: string };
    const jobId = await cancelledJobWithWebhook();
    const id = deliveryIdOf(jobId);
    expect(await store.head(dueKey('acme', id))).not.toBeNull();

    const { deliverHandler } = await import('../../functions/src/webhooks/handler.ts');
    const out = await deliverHandler();

    expect(requests.filter((r) => !r.allowed)).toEqual([]);
    expect(new Set(requests.map((r) => r.action))).toEqual(new Set(['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject']));
    expect(out).toMatchObject({ attempted: 1, delivered: 1 });
    expect(received).toHaveLength(1);
    const got = received[0]!;
    const payload = new Webhook(secret).verify(got.body, {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    }) as WebhookPayload;
    expect(payload).toMatchObject({ type: 'job.cancelled', data: { job_id: jobId, status: 'cancelled' } });
    expect(got.headers['webhook-id']).toBe(id);
    const record = (await readDelivery(store, 'acme', id))?.value;
    expect(record).toMatchObject({ status: 'succeeded', round_attempts: 1 });
    expect(await store.head(dueKey('acme', id))).toBeNull();
  });

  it('the same statements refuse what the deliverer has no business touching (API keys, uploads, job writes)', async () => {
    const before = requests.length;
    const client = new ObjectStore({ ...store.config, endpoint: process.env.PROMPTSEG_S3_ENDPOINT, credentials: creds });
    await expect(client.getBytes('keys/anything.json')).rejects.toMatchObject({ code: 'storage_unavailable' });
    await expect(client.getBytes('uploads/acme/upl_x')).rejects.toMatchObject({ code: 'storage_unavailable' });
    await expect(client.putBytes('jobs/acme/job_x.json', new Uint8Array(1), 'application/json')).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(requests.slice(before).map((r) => [r.action, r.allowed])).toEqual([
      ['s3:GetObject', false],
      ['s3:GetObject', false],
      ['s3:PutObject', false],
    ]);
  });
});
