// The API in-process (app.request), with a real local S3 (s3rver + gate) and a real Lambda
// Invoke endpoint whose function records what it is sent: validation and its error codes, the
// OpenAPI document, and the job clock (expired leases, lost dispatches) — no model needed.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiConfig } from '../config.js';
import type { InferenceEvent } from '../core/dispatch.js';
import { ENGINES_KEY, writeEngines } from '../core/engines.js';
import { readJob, updateJob } from '../core/jobs.js';
import { createKey } from '../core/keys.js';
import { createInvokeServer } from '../inference/invoke-api.js';
import { startLocalS3, type LocalS3 } from '../local/s3-gate.js';
import { createApp, createDeps } from './app.js';
import type { ApiDeps } from './context.js';

const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const PNG_1PX_HEADER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

let dir: string;
let s3: LocalS3;
let lambda: Server;
let deps: ApiDeps;
let app: ReturnType<typeof createApp>;
let key: string;
let baseEnv: Record<string, string>;
const events: InferenceEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ps-api-'));
  s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: dir, bucket: 'api-test', credentials: creds, maxPostBytes: 1 << 20 });
  lambda = createInvokeServer({ resolve: (name) => (name === 'fn' ? { invoke: async (p) => void events.push(p as InferenceEvent) } : undefined) });
  await new Promise<void>((r) => lambda.listen(0, '127.0.0.1', () => r()));
  baseEnv = {
    PROMPTSEG_BUCKET: 'api-test',
    PROMPTSEG_S3_ENDPOINT: s3.url,
    PROMPTSEG_KEY_PEPPER: 'p'.repeat(40),
    PROMPTSEG_LAMBDA_ENDPOINT: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
    PROMPTSEG_INFERENCE_FUNCTION: 'fn',
    PROMPTSEG_JOB_MAX_ATTEMPTS: '2',
    PROMPTSEG_QUEUE_TIMEOUT_S: '60',
  };
  const config = loadApiConfig(baseEnv);
  config.storage.credentials = creds;
  deps = createDeps(config);
  app = createApp(deps);
  key = (await createKey(deps.store, config.pepper, { tenant: 'acme' })).key;
});

afterAll(async () => {
  lambda.closeAllConnections();
  await new Promise((r) => lambda.close(r));
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = () => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { ...auth(), ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function errorOf(r: Response): Promise<{ code: string; message: string; hint: string }> {
  const b = (await r.json()) as { error: { code: string; message: string; hint: string } };
  expect(b.error.hint.length).toBeGreaterThan(5);
  return b.error;
}

async function uploadedKey(bytes: Uint8Array = PNG_1PX_HEADER): Promise<string> {
  const r = await post('/v1/uploads', { content_type: 'image/png' });
  const u = (await r.json()) as { url: string; fields: Record<string, string>; upload_key: string };
  const fd = new FormData();
  for (const [k, v] of Object.entries(u.fields)) fd.append(k, v);
  fd.append('file', new Blob([new Uint8Array(bytes)]));
  expect((await fetch(u.url, { method: 'POST', body: fd })).status).toBe(204);
  return u.upload_key;
}

describe('meta routes', () => {
  it('health answers without a key and reports storage', async () => {
    const r = await app.request('/v1/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', storage: 'ok' });
  });

  it('openapi.json is generated from the request schemas', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/uploads', '/v1/jobs', '/v1/jobs/{id}', '/v1/segment', '/v1/usage', '/v1/health']));
    const job = doc.components.schemas.JobRequest.properties ?? {};
    expect(Object.keys(job)).toEqual(expect.arrayContaining(['upload_key', 'image_id', 'prompt', 'threshold', 'refine', 'top_k', 'engine', 'boxes', 'outputs']));
    expect(job.threshold).toMatchObject({ minimum: 0.1, maximum: 0.9 });
  });

  it('documents the exports, the job list, the engines\' prompts and the 431 / refusals', async () => {
    type Schema = { properties?: Record<string, Schema>; items?: Schema; enum?: string[]; maximum?: number; default?: unknown; $ref?: string };
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: Record<string, unknown> }>>; components: { schemas: Record<string, Schema> } };
    const job = doc.components.schemas.JobRequest.properties ?? {};
    expect(job.polygons).toMatchObject({ default: false });
    expect(job.polygon_tolerance).toMatchObject({ maximum: 20, default: 1 });
    expect(job.outputs.items?.enum).toEqual(expect.arrayContaining(['geojson', 'coco', 'yolo', 'labelstudio']));
    const list = doc.paths['/v1/jobs'].get;
    expect(list.parameters?.map((p) => p.name)).toEqual(['status', 'limit', 'cursor']);
    expect(JSON.stringify(list.responses['200'])).toContain('#/components/schemas/JobList');
    expect(Object.keys(doc.components.schemas.JobList.properties ?? {})).toEqual(['jobs', 'next_cursor']);
    expect(doc.components.schemas.JobList.properties?.jobs.items?.properties).not.toHaveProperty('result');
    const engine = doc.components.schemas.Health.properties?.engines.items?.properties ?? {};
    expect(Object.keys(engine.prompts?.properties ?? {})).toEqual(['boxes', 'negative_boxes', 'points']);
    const post = doc.paths['/v1/jobs'].post.responses;
    expect(Object.keys(post)).toEqual(expect.arrayContaining(['409', '431']));
    expect(JSON.stringify(post['409'])).toContain('engine_unavailable');
  });

  it('documents webhooks: the job fields, the secret and delivery routes, and the signed POST we send', async () => {
    type Schema = { properties?: Record<string, Schema>; items?: Schema; enum?: string[] };
    type Op = { parameters?: { name: string; in: string }[]; responses: Record<string, unknown>; requestBody?: unknown };
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, Op>>; webhooks: Record<string, Record<string, Op>>; components: { schemas: Record<string, Schema> } };
    const job = doc.components.schemas.JobRequest.properties ?? {};
    expect(job.webhook).toBeDefined();
    expect(job.webhook_events.items?.enum).toEqual(['job.succeeded', 'job.failed', 'job.cancelled']);
    expect(JSON.stringify(doc.paths['/v1/jobs'].post.responses['400'])).toContain('invalid_webhook_url');
    expect(JSON.stringify(doc.paths['/v1/jobs'].post.responses['409'])).toContain('webhook_secret_missing');
    expect(Object.keys(doc.paths['/v1/webhooks/secret'].post.responses)).toContain('201');
    expect(doc.paths['/v1/webhooks/deliveries'].get.parameters?.map((p) => p.name)).toEqual(['limit', 'cursor']);
    expect(Object.keys(doc.paths['/v1/webhooks/deliveries/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '404']));
    expect(Object.keys(doc.paths['/v1/webhooks/deliveries/{id}/redeliver'].post.responses)).toEqual(expect.arrayContaining(['202', '404', '409']));
    expect(Object.keys(doc.components.schemas.WebhookDelivery.properties ?? {})).toEqual(expect.arrayContaining(['status', 'attempts', 'event', 'job_id']));
    const sent = doc.webhooks.jobEnded.post;
    expect(sent.parameters?.map((p) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    expect(JSON.stringify(sent.requestBody)).toContain('#/components/schemas/WebhookPayload');
    expect(Object.keys(doc.components.schemas.WebhookPayload.properties ?? {})).toEqual(['type', 'timestamp', 'data']);
  });

  it('answers a header block over the limit with 431 and the error document', async () => {
    const r = await app.request('/v1/usage', { headers: { 'X-Padding': 'x'.repeat(20_000) } });
    expect(r.status).toBe(431);
    expect((await errorOf(r)).code).toBe('request_headers_too_large');
  });

  it('the OpenAPI document is also at /v1/openapi.json (the only prefix the Router sends here), without a key', async () => {
    const v1 = await app.request('/v1/openapi.json');
    expect(v1.status).toBe(200);
    const doc = (await v1.json()) as { paths: Record<string, unknown>; servers: { url: string }[] };
    expect(doc).toEqual(await (await app.request('/openapi.json')).json());
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/openapi.json', '/openapi.json']));
    expect(doc.servers).toEqual([{ url: 'http://localhost' }]); // no PROMPTSEG_PUBLIC_URL: the request's origin
    // Error hints point there too.
    expect((await errorOf(await app.request('/v2/nothing'))).hint).toMatch(/GET \/v1\/openapi\.json/);
  });

  it('health lists the engines: a default until the inference function reports, then its report', async () => {
    await deps.store.delete(ENGINES_KEY);
    const health = async () => (await (await app.request('/v1/health')).json()) as { status: string; engines: { id: string; installed: boolean; hint?: string }[]; engines_reported_at: string | null; max_pixels?: number };
    const before = await health();
    expect(before.status).toBe('ok');
    expect(before.max_pixels).toBeUndefined(); // unknown until the inference function says
    expect(before.engines_reported_at).toBeNull();
    expect(before.engines).toEqual([
      { id: 'lite', installed: true },
      { id: 'sam3', installed: false, hint: expect.stringMatching(/not reported by the inference function yet.*promptseg models pull sam3/) },
    ]);
    // What an inference container with SAM 3 writes after its warm-up (inference/models.ts).
    const report = { reported_at: '2026-11-26T10:00:00.000Z', device: 'cuda', engines: [{ id: 'sam3', installed: true }, { id: 'lite', installed: true }], max_pixels: 40_000_000 };
    await writeEngines(deps.store, report);
    const after = await health();
    expect(after.engines).toEqual(report.engines);
    expect(after.max_pixels).toBe(40_000_000); // the page checks a picked image against it before uploading
    expect(after.engines_reported_at).toBe(report.reported_at);
    // A damaged object is not passed on: the default list again.
    await deps.store.putJson(ENGINES_KEY, { engines: 'sam3' });
    expect((await health()).engines_reported_at).toBeNull();
    await deps.store.delete(ENGINES_KEY);
  });

  it('unknown routes answer the JSON error shape', async () => {
    const r = await app.request('/v2/nothing');
    expect(r.status).toBe(404);
    expect((await errorOf(r)).code).toBe('not_found');
  });
});

describe('request validation', () => {
  it.each([
    ['not JSON', '{"prompt": ', 'bad_request'],
    ['threshold NaN literal', '{"prompt":"cat","threshold":NaN}', 'bad_request'],
    ['a JSON array', '[1,2]', 'bad_request'],
  ])('%s → %s', async (_what, body, code) => {
    const r = await post('/v1/jobs', body);
    expect(r.status).toBe(400);
    expect((await errorOf(r)).code).toBe(code);
  });

  it.each([
    [{ prompt: 'cat', threshold: 2 }, 'invalid_option', /threshold must be between/],
    [{ prompt: 'cat', engine: 'gpt' }, 'unknown_engine', /engine must be one of/],
    [{ prompt: '   ' }, 'invalid_prompt', /empty/],
    [{ prompt: 'cat', topk: 3 }, 'invalid_option', /unknown field\(s\): topk/],
    [{ prompt: 'cat', outputs: ['gif'] }, 'invalid_option', /outputs must be among/],
  ])('%j → %s', async (body, code, message) => {
    const r = await post('/v1/jobs', { image_id: 'upl_aaaaaaaaaaaaaaaaaaaaaaaaaa', ...body });
    expect(r.status).toBe(400);
    const e = await errorOf(r);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('a job must name exactly one upload', async () => {
    const e = await errorOf(await post('/v1/jobs', { prompt: 'cat' }));
    expect(e).toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/exactly one of upload_key or image_id/) });
  });

  it('an upload that does not exist, or belongs to another tenant, is 404', async () => {
    const otherKey = (await createKey(deps.store, deps.config.pepper, { tenant: 'other' })).key;
    const uploadKey = await uploadedKey();
    const mine = await post('/v1/jobs', { upload_key: uploadKey.replace(/upl_\w+/, 'upl_bbbbbbbbbbbbbbbbbbbbbbbbbb'), prompt: 'cat' });
    expect(mine.status).toBe(404);
    const theirs = await post('/v1/jobs', { upload_key: uploadKey, prompt: 'cat' }, { Authorization: `Bearer ${otherKey}` });
    expect(theirs.status).toBe(404);
    expect((await errorOf(theirs)).message).toBe('No such upload for this API key.');
  });

  it('uploads: SVG type refused, PUT needs a size, a size over the limit is 413', async () => {
    expect((await errorOf(await post('/v1/uploads', { content_type: 'image/svg+xml' }))).code).toBe('invalid_option');
    expect((await errorOf(await post('/v1/uploads', { content_type: 'image/png', method: 'PUT' }))).message).toMatch(/size is required/);
    const big = await post('/v1/uploads', { content_type: 'image/png', size: deps.config.maxUploadBytes + 1 });
    expect(big.status).toBe(413);
  });

  it('a text file uploaded as image/png is refused when the job is created, unbilled', async () => {
    const k = await uploadedKey(new TextEncoder().encode('hello, I am not a picture'));
    const r = await post('/v1/jobs', { upload_key: k, prompt: 'cat' });
    expect(r.status).toBe(415);
    expect((await errorOf(r)).message).toMatch(/is text, not a supported image/);
  });
});

describe('behind the CloudFront Router (PROMPTSEG_PUBLIC_URL)', () => {
  // The Router forwards to the function URL, so the request the API sees names the function URL's host.
  const FUNCTION_URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws';
  const ROUTER = 'https://d111111abcdef8.cloudfront.net';
  let routed: ReturnType<typeof createApp>;
  beforeAll(() => {
    const config = loadApiConfig({ ...baseEnv, PROMPTSEG_PUBLIC_URL: `${ROUTER}/` });
    config.storage.credentials = creds;
    routed = createApp({ ...createDeps(config), dispatcher: deps.dispatcher });
  });
  const call = (method: string, path: string, body?: unknown) =>
    routed.request(`${FUNCTION_URL}${path}`, { method, headers: auth(), body: body === undefined ? undefined : JSON.stringify(body) });

  it('status_url of a new job, of its status, and of a sync call still running points at the Router', async () => {
    const k = await uploadedKey();
    const created = (await (await call('POST', '/v1/jobs', { upload_key: k, prompt: 'cat' })).json()) as { job_id: string; status_url: string };
    expect(created.status_url).toBe(`${ROUTER}/v1/jobs/${created.job_id}`);
    const view = (await (await call('GET', `/v1/jobs/${created.job_id}`)).json()) as { status_url: string };
    expect(view.status_url).toBe(`${ROUTER}/v1/jobs/${created.job_id}`);
    // The recording function never finishes the job: the sync route answers 202 with where to poll.
    const sync = await call('POST', '/v1/segment', { upload_key: await uploadedKey(), prompt: 'cat' });
    expect(sync.status).toBe(202);
    const s = (await sync.json()) as { job_id: string; status_url: string };
    expect(s.status_url).toBe(`${ROUTER}/v1/jobs/${s.job_id}`);
    // The OpenAPI document names the Router as its server.
    expect(((await (await routed.request(`${FUNCTION_URL}/v1/openapi.json`)).json()) as { servers: unknown }).servers).toEqual([{ url: ROUTER }]);
  });

  it('without it, URLs follow the request (direct access, local mode)', async () => {
    const created = (await (await app.request(`${FUNCTION_URL}/v1/jobs`, { method: 'POST', headers: auth(), body: JSON.stringify({ upload_key: await uploadedKey(), prompt: 'cat' }) })).json()) as { job_id: string; status_url: string };
    expect(created.status_url).toBe(`${FUNCTION_URL}/v1/jobs/${created.job_id}`);
  });

  it('refuses a value that is not an http(s) URL, at start', () => {
    expect(() => loadApiConfig({ ...baseEnv, PROMPTSEG_PUBLIC_URL: 'd111111abcdef8.cloudfront.net' })).toThrow(/PROMPTSEG_PUBLIC_URL must be an absolute http\(s\) URL/);
    expect(() => loadApiConfig({ ...baseEnv, PROMPTSEG_PUBLIC_URL: 'https://x.example/?a=1' })).toThrow(/without query or fragment/);
  });
});

describe('the job clock', () => {
  it('an expired lease is re-dispatched while attempts remain, then failed unbilled (job_timeout)', async () => {
    const k = await uploadedKey();
    const created = await post('/v1/jobs', { upload_key: k, prompt: 'cat' });
    expect(created.status).toBe(202);
    const { job_id } = (await created.json()) as { job_id: string };
    const sent = () => events.filter((e) => e.job_id === job_id).length;
    await expect.poll(sent).toBe(1);

    // Attempt 1 started and its worker died: the lease ran out.
    const expire = (attempt: number) =>
      updateJob(deps.store, 'acme', job_id, (j) => ({ ...j, status: 'running', attempt, started_at: Date.now() - 10_000, lease_until: Date.now() - 1, lease_owner: 'dead' }));
    await expire(1);
    const retried = (await (await app.request(`/v1/jobs/${job_id}`, { headers: auth() })).json()) as { status: string };
    expect(retried.status).toBe('queued');
    await expect.poll(sent).toBe(2);

    await expire(2);
    const failed = (await (await app.request(`/v1/jobs/${job_id}`, { headers: auth() })).json()) as { status: string; billable: boolean; error: { code: string } };
    expect(failed).toMatchObject({ status: 'failed', billable: false, error: { code: 'job_timeout' } });
    const usage = (await (await app.request('/v1/usage', { headers: auth() })).json()) as { days: { accepted: number; voided: number }[] };
    expect(usage.days.reduce((n, d) => n + d.voided, 0)).toBeGreaterThanOrEqual(1);
    expect((await readJob(deps.store, 'acme', job_id))?.value.history.join('\n')).toMatch(/lease expired; dispatching again/);
  });

  it('a dispatch never picked up is sent again after the queue timeout', async () => {
    const k = await uploadedKey();
    const { job_id } = (await (await post('/v1/jobs', { upload_key: k, prompt: 'dog' })).json()) as { job_id: string };
    await expect.poll(() => events.filter((e) => e.job_id === job_id).length).toBe(1);
    await updateJob(deps.store, 'acme', job_id, (j) => ({ ...j, queued_at: Date.now() - 61_000 }));
    await app.request(`/v1/jobs/${job_id}`, { headers: auth() });
    await expect.poll(() => events.filter((e) => e.job_id === job_id).length).toBe(2);
  });
});
