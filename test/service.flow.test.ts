// The service end to end on 127.0.0.1 through the real AWS SDK clients: presign → upload with
// plain fetch → job → inference via the Lambda Invoke endpoint → poll → result equals segment()
// run here → presigned downloads. Then idempotency, tenants, keys, quota, rate limit, usage,
// the synchronous route, and 20 simultaneous jobs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segment } from '@promptseg/model';
import type { JobView } from '@promptseg/shared';
import { revokeKey } from '../functions/src/core/keys.js';
import { readJob } from '../functions/src/core/jobs.js';
import { startTestStack, stableResult, type ErrorAnswer, type TestStack } from './service-kit.js';

const horse = new Uint8Array(readFileSync(new URL('../web/public/samples/horse.png', import.meta.url)));
let stack: TestStack;
let localResult: unknown;

beforeAll(async () => {
  stack = await startTestStack();
  localResult = stableResult((await segment(horse, 'horse', { engine: 'lite' })).result);
});
afterAll(async () => {
  await stack?.teardown();
});

async function usageOf(key: string) {
  const r = await stack.client(key).request<{ total_billable: number; days: { engine: string; kind: string; accepted: number; voided: number; billable: number }[] }>('GET', '/v1/usage');
  expect(r.status).toBe(200);
  return r.body;
}

describe('full flow', () => {
  it('presigned POST → job → Lambda → poll: the result equals segment() here; downloads work', async () => {
    const api = stack.client(await stack.newKey());
    const uploadKey = await api.uploadOk(horse, 'image/png');
    const created = await api.createJob({ upload_key: uploadKey, prompt: 'horse', engine: 'lite', outputs: ['json', 'overlay', 'mask', 'cutout', 'npy'] });
    expect(created.status).toBe(202);
    expect(created.body.status_url).toBe(`${stack.apiUrl}/v1/jobs/${created.body.job_id}`);
    const job = await api.waitJob(created.body.job_id);
    expect(job.status).toBe('succeeded');
    expect(job.engine).toBe('lite');
    expect(stableResult(job.result)).toEqual(localResult);
    expect((job.result as { instances: unknown[] }).instances.length).toBeGreaterThan(0);
    expect(job.timings_ms).toMatchObject({ queue: expect.any(Number), run: expect.any(Number), total: expect.any(Number) });
    expect(job.billable).toBe(true);

    const formats = new Set(job.downloads?.map((d) => d.format));
    expect([...formats].sort()).toEqual(['cutout', 'mask', 'npy', 'overlay']);
    for (const d of job.downloads ?? []) {
      const r = await fetch(d.url);
      expect(r.status).toBe(200);
      const bytes = new Uint8Array(await r.arrayBuffer());
      expect(bytes.length).toBe(d.bytes);
      if (d.format === 'npy') expect(String.fromCharCode(...bytes.subarray(1, 6))).toBe('NUMPY');
      else expect(String.fromCharCode(...bytes.subarray(1, 4))).toBe('PNG');
    }
    // The download URL is a capability for that one object: tampering with it is refused.
    // (the first signature digit changed to another one: "0" would leave a signature starting with 0 as it was)
    const tampered = job.downloads![0].url.replace(/(X-Amz-Signature=)([0-9a-f])/, (_m, k: string, d: string) => `${k}${d === '0' ? '1' : '0'}`);
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('presigned PUT + image_id, and the synchronous POST /v1/segment answering the result directly', async () => {
    const api = stack.client(await stack.newKey());
    const { upload } = await api.upload(horse, 'image/png', 'PUT');
    const r = await api.request<JobView>('POST', '/v1/segment', { image_id: upload.upload_id, prompt: 'horse', engine: 'lite' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('succeeded');
    expect(r.body.mode).toBe('sync');
    expect(stableResult(r.body.result)).toEqual(localResult);
    const u = await usageOf(api.key);
    expect(u.days).toEqual([expect.objectContaining({ engine: 'lite', kind: 'sync', accepted: 1, billable: 1 })]);
  });
});

describe('what a client discovers without a key', () => {
  it('GET /v1/health lists the engines the inference worker reported after its warm-up', async () => {
    const r = await fetch(`${stack.apiUrl}/v1/health`);
    expect(r.status).toBe(200);
    const h = (await r.json()) as { engines: { id: string; installed: boolean; hint?: string }[]; engines_reported_at: string | null };
    expect(h.engines_reported_at).not.toBeNull(); // the worker's report, not the default list
    expect(h.engines.find((e) => e.id === 'lite')).toEqual({ id: 'lite', installed: true, prompts: { boxes: true, negative_boxes: false, points: true } });
    // The tests' model home has no SAM 3: not installed, with why and how.
    expect(h.engines.find((e) => e.id === 'sam3')).toEqual({ id: 'sam3', installed: false, hint: expect.stringMatching(/model files not installed.*promptseg models pull sam3/) });
  });

  it('GET /v1/openapi.json (the path the CloudFront Router forwards) is the OpenAPI document', async () => {
    const [v1, root] = await Promise.all([fetch(`${stack.apiUrl}/v1/openapi.json`), fetch(`${stack.apiUrl}/openapi.json`)]);
    expect(v1.status).toBe(200);
    const doc = (await v1.json()) as { openapi: string; servers: { url: string }[] };
    expect(doc).toEqual(await root.json());
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: stack.apiUrl }]);
  });
});

describe('idempotency', () => {
  it('the same Idempotency-Key returns the same job, billed once; another body with it is 409', async () => {
    const api = stack.client(await stack.newKey({ tenant: 'idem' }));
    const uploadKey = await api.uploadOk(horse, 'image/png');
    const body = { upload_key: uploadKey, prompt: 'horse', engine: 'lite' };
    const a = await api.createJob(body, { 'Idempotency-Key': 'order-42' });
    const b = await api.createJob(body, { 'Idempotency-Key': 'order-42' });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.body.job_id).toBe(a.body.job_id);
    expect(b.headers.get('Idempotent-Replayed')).toBe('true');
    await api.waitJob(a.body.job_id);
    const c = await api.createJob(body, { 'Idempotency-Key': 'order-42' });
    expect(c.body).toMatchObject({ job_id: a.body.job_id, status: 'succeeded' });
    const conflict = await api.createJob({ ...body, prompt: 'person' }, { 'Idempotency-Key': 'order-42' });
    expect(conflict.status).toBe(409);
    expect((conflict.body as ErrorAnswer).error.code).toBe('conflict');
    const u = await usageOf(api.key);
    expect(u.total_billable).toBe(1);
    expect(u.days[0].accepted).toBe(1);
    // Ran once too.
    expect((await readJob(stack.store, 'idem', a.body.job_id))?.value.attempt).toBe(1);
  });
});

describe('keys and tenants', () => {
  it('tenant B gets 404 for tenant A’s job and upload', async () => {
    const a = stack.client(await stack.newKey({ tenant: 'tenant-a' }));
    const b = stack.client(await stack.newKey({ tenant: 'tenant-b' }));
    const uploadKey = await a.uploadOk(horse, 'image/png');
    const job = await a.createJob({ upload_key: uploadKey, prompt: 'horse', engine: 'lite' });
    expect(job.status).toBe(202);
    expect((await b.getJob(job.body.job_id)).status).toBe(404);
    expect((await b.createJob({ upload_key: uploadKey, prompt: 'horse' })).status).toBe(404);
    expect((await b.createJob({ image_id: uploadKey.split('/').pop(), prompt: 'horse' })).status).toBe(404);
    expect((await a.getJob(job.body.job_id)).status).toBe(200);
    // Uploads are namespaced by tenant in the bucket.
    expect(uploadKey.startsWith('uploads/tenant-a/')).toBe(true);
    await a.waitJob(job.body.job_id);
  });

  it('a revoked key gets 401; a wrong or missing key gets 401', async () => {
    const key = await stack.newKey();
    const api = stack.client(key);
    expect((await api.request('GET', '/v1/usage')).status).toBe(200);
    await revokeKey(stack.store, key.split('_')[1]);
    const r = await api.request<ErrorAnswer>('GET', '/v1/usage');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/revoked/) });
    expect((await stack.client(`${key.slice(0, -3)}xyz`).request('GET', '/v1/usage')).status).toBe(401);
    const none = await fetch(`${stack.apiUrl}/v1/usage`);
    expect(none.status).toBe(401);
  });

  it('quota spent → 402 (and nothing more is billed)', async () => {
    const api = stack.client(await stack.newKey({ quotaMonthly: 1 }));
    const uploadKey = await api.uploadOk(horse, 'image/png');
    const first = await api.createJob({ upload_key: uploadKey, prompt: 'horse', engine: 'lite' });
    expect(first.status).toBe(202);
    const second = await api.createJob({ upload_key: uploadKey, prompt: 'horse', engine: 'lite' });
    expect(second.status).toBe(402);
    expect(second.body.error).toMatchObject({ code: 'quota_exceeded', details: { used: 1, limit: 1 } });
    await api.waitJob(first.body.job_id);
    expect((await usageOf(api.key)).total_billable).toBe(1);
  });

  it('rate limit → 429 with Retry-After', async () => {
    const api = stack.client(await stack.newKey({ rateLimitPerMin: 3 }));
    const codes: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await api.request('GET', '/v1/usage');
      codes.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('Retry-After');
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe('concurrency', () => {
  it('20 simultaneous jobs all succeed: none lost, none duplicated, each billed once', async () => {
    const api = stack.client(await stack.newKey({ tenant: 'busy' }));
    const uploads = await Promise.all(Array.from({ length: 20 }, () => api.uploadOk(horse, 'image/png')));
    const created = await Promise.all(uploads.map((k, i) => api.createJob({ upload_key: k, prompt: i % 2 ? 'horse' : 'animal', engine: 'lite' })));
    expect(created.map((c) => c.status)).toEqual(Array(20).fill(202));
    const ids = created.map((c) => c.body.job_id);
    expect(new Set(ids).size).toBe(20);
    const done = await Promise.all(ids.map((id) => api.waitJob(id, 120_000)));
    expect(done.map((j) => j.status)).toEqual(Array(20).fill('succeeded'));
    for (const id of ids) expect((await readJob(stack.store, 'busy', id))?.value.attempt).toBe(1);
    const u = await usageOf(api.key);
    expect(u.total_billable).toBe(20);
  });
});
