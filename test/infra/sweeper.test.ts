/**
 * The deployed sweeper, run for real behind its own least-privilege policy: sst.config.ts is
 * recorded (./sst-recorder.ts) for the Sweeper's IAM statements, and the real `sweepHandler`
 * (functions/src/api/sweep.ts, the scheduled function's entry) then settles jobs in a local S3
 * reached only through a proxy that enforces those statements the way S3 evaluates them for an
 * IAM role (action + object ARN; 403 AccessDenied otherwise). Re-dispatches go to a local Lambda
 * Invoke endpoint. A statement too narrow for the code fails this test; too wide fails
 * sst-config.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createDeps } from '../../functions/src/api/app.ts';
import { loadApiConfig, SWEEPER_ENV } from '../../functions/src/config.ts';
import type { InferenceEvent } from '../../functions/src/core/dispatch.ts';
import { activeKey, readJob, updateJob } from '../../functions/src/core/jobs.ts';
import { createKey } from '../../functions/src/core/keys.ts';
import { ObjectStore } from '../../functions/src/core/objects.ts';
import { voidKey } from '../../functions/src/core/usage.ts';
import { createInvokeServer } from '../../functions/src/inference/invoke-api.ts';
import { startLocalS3, type LocalS3 } from '../../functions/src/local/s3-gate.ts';
import { cronStatements, iamProxy, listen, type ProxiedRequest } from './iam-proxy.ts';

const BUCKET = 'promptseg-sweep';
const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const PNG_HEADER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

let dir: string;
let s3: LocalS3;
let proxy: Server;
let proxyUrl: string;
let lambda: Server;
let store: ObjectStore;
let app: ReturnType<typeof createApp>;
let key: string;
const events: InferenceEvent[] = [];
const requests: ProxiedRequest[] = [];

beforeAll(async () => {
  const statements = await cronStatements('Sweeper', BUCKET);
  dir = mkdtempSync(join(tmpdir(), 'ps-sweep-'));
  s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: dir, bucket: BUCKET, credentials: creds, maxPostBytes: 1 << 20 });
  proxy = iamProxy(s3.port, statements, requests);
  proxyUrl = await listen(proxy);
  lambda = createInvokeServer({ resolve: (name) => (name === 'fn' ? { invoke: async (p) => void events.push(p as InferenceEvent) } : undefined) });
  const lambdaUrl = await listen(lambda);
  // The API (full object access) creates the jobs; the sweeper sees the bucket only through the proxy.
  const env = {
    PROMPTSEG_BUCKET: BUCKET,
    PROMPTSEG_KEY_PEPPER: 'p'.repeat(40),
    PROMPTSEG_LAMBDA_ENDPOINT: lambdaUrl,
    PROMPTSEG_INFERENCE_FUNCTION: 'fn',
    PROMPTSEG_JOB_MAX_ATTEMPTS: '2',
    PROMPTSEG_QUEUE_TIMEOUT_S: '60',
    AWS_REGION: 'us-east-1',
  };
  const config = loadApiConfig({ ...env, PROMPTSEG_S3_ENDPOINT: s3.url });
  config.storage.credentials = creds;
  const deps = createDeps(config);
  store = deps.store;
  app = createApp(deps);
  key = (await createKey(store, config.pepper, { tenant: 'acme' })).key;
  // The Lambda runtime gives the function its variables and role credentials in process.env.
  for (const name of Object.keys(env)) expect(SWEEPER_ENV.map((v) => v.name), name).toContain(name);
  Object.assign(process.env, env, { PROMPTSEG_S3_ENDPOINT: proxyUrl, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey });
});

afterAll(async () => {
  for (const s of [proxy, lambda]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newJob(): Promise<string> {
  const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
  const u = (await (await app.request('/v1/uploads', { method: 'POST', headers, body: JSON.stringify({ content_type: 'image/png' }) })).json()) as { url: string; fields: Record<string, string>; upload_key: string };
  const fd = new FormData();
  for (const [k, v] of Object.entries(u.fields)) fd.append(k, v);
  fd.append('file', new Blob([PNG_HEADER]));
  expect((await fetch(u.url, { method: 'POST', body: fd })).status).toBe(204);
  const r = await app.request('/v1/jobs', { method: 'POST', headers, body: JSON.stringify({ upload_key: u.upload_key, prompt: 'cat', engine: 'lite' }) });
  expect(r.status).toBe(202);
  return ((await r.json()) as { job_id: string }).job_id;
}

/** The attempt's worker died: its lease ran out. */
const expire = (id: string, attempt: number) =>
  updateJob(store, 'acme', id, (j) => ({ ...j, status: 'running', attempt, started_at: Date.now() - 10_000, lease_until: Date.now() - 1, lease_owner: 'dead' }));

describe('the scheduled sweeper (sweepHandler) under its deployed IAM statements', () => {
  it('re-dispatches, fails unbilled and cleans up markers, with no request refused', async () => {
    const retry = await newJob();
    await expire(retry, 1);
    const exhausted = await newJob();
    await expire(exhausted, 2);
    // Finished, but the process died before dropping its in-flight marker.
    const done = await newJob();
    await updateJob(store, 'acme', done, (j) => ({ ...j, status: 'succeeded', finished_at: Date.now(), lease_until: undefined, lease_owner: undefined }));
    await store.putBytes(activeKey('acme', done), new Uint8Array(0), 'application/octet-stream');
    // A marker whose job record is gone (e.g. expired by the lifecycle rule).
    const orphan = activeKey('acme', `job_${'a'.repeat(26)}`);
    await store.putBytes(orphan, new Uint8Array(0), 'application/octet-stream');
    events.length = 0;

    const { sweepHandler } = await import('../../functions/src/api/sweep.ts');
    const out = await sweepHandler();

    expect(requests.filter((r) => !r.allowed)).toEqual([]);
    expect(requests.length).toBeGreaterThan(5);
    expect(new Set(requests.map((r) => r.action))).toEqual(new Set(['s3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:DeleteObject']));
    expect(out.settled).toBe(2);

    const retried = (await readJob(store, 'acme', retry))?.value;
    expect(retried).toMatchObject({ status: 'queued', dispatches: 2 });
    expect(events).toEqual([{ type: 'job', tenant: 'acme', job_id: retry }]);

    const failed = (await readJob(store, 'acme', exhausted))?.value;
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'job_timeout' }, billing: { billable: false } });
    expect(await store.head(voidKey(failed!.billing))).not.toBeNull();
    expect(await store.head(activeKey('acme', exhausted))).toBeNull();

    expect(await store.head(activeKey('acme', done))).toBeNull();
    expect(await store.head(orphan)).toBeNull();
    expect(await store.head(activeKey('acme', retry))).not.toBeNull(); // still in flight
  });

  it('the same statements refuse what the sweeper has no business reading (uploads, API keys)', async () => {
    const before = requests.length;
    const client = new ObjectStore({ ...store.config, endpoint: proxyUrl, credentials: creds });
    await expect(client.getBytes('keys/anything.json')).rejects.toMatchObject({ code: 'storage_unavailable' });
    await expect(client.getBytes('uploads/acme/upl_x')).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(requests.slice(before).map((r) => [r.action, r.allowed])).toEqual([
      ['s3:GetObject', false],
      ['s3:GetObject', false],
    ]);
  });
});
