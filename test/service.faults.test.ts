// Faults: the inference worker killed mid-job (the job is retried, or fails unbilled when no
// attempt is left, within its lease — never stuck `running`), and the S3 store going away
// (503 with a clear message; no half-written results).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJob } from '../functions/src/core/jobs.js';
import { startTestStack, type Client, type ErrorAnswer, type TestStack } from './service-kit.js';

const horse = new Uint8Array(readFileSync(new URL('../web/public/samples/horse.png', import.meta.url)));
const LEASE_S = 5;
// Attempt 2 runs on a fresh worker: its cold start (model sessions) plus the job must fit in one
// lease even on a loaded machine (5 s did not, with other test files running beside it).
const RETRY_LEASE_S = 15;
// The first attempt of every job sits 4 s after its claim, so the test can kill it mid-job.
const faultEnv = { PROMPTSEG_FAULT_HOLD_MS: '4000', PROMPTSEG_FAULT_HOLD_ATTEMPTS: '1' };

async function waitForStatus(api: Client, id: string, status: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await api.getJob(id)).body.status !== status) {
    if (Date.now() > end) throw new Error(`job ${id} never reached ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function usage(api: Client) {
  return (await api.request<{ total_billable: number; days: { accepted: number; voided: number }[] }>('GET', '/v1/usage')).body;
}

describe('inference worker killed mid-job, attempts left: the job is retried and billed once', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PROMPTSEG_JOB_TIMEOUT_S: String(RETRY_LEASE_S), PROMPTSEG_JOB_MAX_ATTEMPTS: '2' }, workerEnv: faultEnv });
  });
  afterAll(async () => stack?.teardown());

  it('succeeds on attempt 2 after the lease of attempt 1 runs out', async () => {
    const api = stack.client(await stack.newKey({ tenant: 'killed' }));
    const key = await api.uploadOk(horse, 'image/png');
    const { body } = await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite' });
    await waitForStatus(api, body.job_id, 'running');
    const pid = stack.pool.pid;
    stack.pool.kill();
    const t = Date.now();
    const job = await api.waitJob(body.job_id, 60_000);
    expect(job.status).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expect(Date.now() - t).toBeLessThan((RETRY_LEASE_S + 30) * 1000);
    expect(stack.pool.pid).not.toBe(pid); // a fresh worker (cold start) ran attempt 2
    const record = (await readJob(stack.store, 'killed', body.job_id))!.value;
    expect(record.history.join('\n')).toMatch(/attempt 1 lease expired; dispatching again/);
    const u = await usage(api);
    expect(u.total_billable).toBe(1);
  });
});

describe('no attempts left, and S3 outages', () => {
  let stack: TestStack;
  let api: Client;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PROMPTSEG_JOB_TIMEOUT_S: String(LEASE_S), PROMPTSEG_JOB_MAX_ATTEMPTS: '1' }, workerEnv: faultEnv });
    api = stack.client(await stack.newKey({ tenant: 'faults' }));
  });
  afterAll(async () => stack?.teardown());

  it('a killed job fails with job_timeout within its lease and is not billed', async () => {
    const key = await api.uploadOk(horse, 'image/png');
    const { body } = await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite' });
    await waitForStatus(api, body.job_id, 'running');
    stack.pool.kill();
    const job = await api.waitJob(body.job_id, (LEASE_S + 20) * 1000);
    expect(job).toMatchObject({ status: 'failed', billable: false, error: { code: 'job_timeout' } });
    expect(job.error?.hint).toMatch(/not billed/);
    const u = await usage(api);
    expect(u.total_billable).toBe(0);
    expect(u.days[0]).toMatchObject({ accepted: 1, voided: 1 });
  });

  it('S3 down: the API answers 503 storage_unavailable with a clear message; health says so', async () => {
    await stack.s3.stop();
    try {
      const r = await api.request<ErrorAnswer>('GET', '/v1/usage');
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('storage_unavailable');
      expect(r.body.error.message).toMatch(/storage service \(S3\) is unavailable/);
      expect(r.body.error.hint).toMatch(/retry/i);
      const job = await api.createJob({ image_id: 'upl_aaaaaaaaaaaaaaaaaaaaaaaaaa', prompt: 'horse' });
      expect(job.status).toBe(503);
      const h = await fetch(`${stack.apiUrl}/v1/health`);
      expect(h.status).toBe(503);
      expect(await h.json()).toMatchObject({ status: 'degraded', storage: 'unavailable' });
    } finally {
      await stack.s3.start();
    }
    expect((await api.request('GET', '/v1/usage')).status).toBe(200);
  });

  it('S3 down while a job runs: no half-written result; the job ends failed, unbilled', async () => {
    const key = await api.uploadOk(horse, 'image/png');
    const { body } = await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', outputs: ['json', 'overlay', 'mask'] });
    await waitForStatus(api, body.job_id, 'running');
    await stack.s3.stop();
    // The held attempt now resumes and cannot read its input or write anything.
    await new Promise((r) => setTimeout(r, 4500));
    await stack.s3.start();
    const job = await api.waitJob(body.job_id, (LEASE_S + 20) * 1000);
    expect(job.status).toBe('failed');
    expect(job.billable).toBe(false);
    expect(job.result).toBeUndefined();
    const objects: string[] = [];
    for await (const o of stack.store.list(`jobs/faults/${body.job_id}/`)) objects.push(o.key);
    expect(objects).toEqual([`jobs/faults/${body.job_id}/job.json`]);
  });
});
