// Job cancellation end to end on 127.0.0.1 through the real AWS SDK clients: a queued job
// cancelled never starts and is not billed; a running job cancelled is marked cancelled, its
// attempt writes no outputs, it is not billed, and it frees the worker for the next job; a
// finished job cannot be cancelled (409) and stays billed. The rule is in core/lifecycle.ts
// (cancelJob) and README "API".
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJob, attemptPrefix } from '../functions/src/core/jobs.js';
import { startTestStack, type Client, type TestStack } from './service-kit.js';

const horse = new Uint8Array(readFileSync(new URL('../web/public/samples/horse.png', import.meta.url)));
// One worker, and every first attempt sits 2.5 s after its claim: a job is reliably `running`
// while the next one waits `queued` behind it.
const workerEnv = { PROMPTSEG_FAULT_HOLD_MS: '2500', PROMPTSEG_FAULT_HOLD_ATTEMPTS: '1' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ concurrency: 1, workerEnv });
});
afterAll(async () => stack?.teardown());

async function usage(api: Client) {
  const r = await api.request<{ total_billable: number; days: { accepted: number; voided: number; billable: number }[] }>('GET', '/v1/usage');
  expect(r.status).toBe(200);
  const sum = (k: 'accepted' | 'voided' | 'billable') => r.body.days.reduce((n, d) => n + d[k], 0);
  return { billable: r.body.total_billable, accepted: sum('accepted'), voided: sum('voided') };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('POST /v1/jobs/{id}/cancel', () => {
  it('queued → cancelled, never started, not billed; running → cancelled, no outputs, not billed; the next job runs', { timeout: 90_000 }, async () => {
    const tenant = 'cancel';
    const api = stack.client(await stack.newKey({ tenant }));
    const key = await api.uploadOk(horse, 'image/png');
    expect(await usage(api)).toEqual({ billable: 0, accepted: 0, voided: 0 });

    const a = (await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite', outputs: ['json', 'mask'] })).body.job_id;
    await waitFor('job A running', async () => (await api.getJob(a)).body.status === 'running');
    const b = (await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite' })).body.job_id;
    expect((await api.getJob(b)).body.status).toBe('queued'); // one worker, busy with A

    // The queued one: cancelled at once, with a typed reason, unbilled.
    const cb = await api.cancelJob(b);
    expect(cb.status).toBe(200);
    expect(cb.body).toMatchObject({ job_id: b, status: 'cancelled', billable: false, error: { code: 'job_cancelled' } });
    expect(cb.body.error?.message).toMatch(/before it started/);
    // The running one: cancelled while its attempt holds the lease.
    const ca = await api.cancelJob(a);
    expect(ca.body).toMatchObject({ status: 'cancelled', billable: false, error: { code: 'job_cancelled' } });
    expect(ca.body.error?.message).toMatch(/while it ran/);
    expect(ca.body.result).toBeUndefined();

    // A new job after the cancellations finishes: the worker is not kept by A or B.
    const c = (await api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite' })).body.job_id;
    const done = await api.waitJob(c, 60_000);
    expect(done.status).toBe('succeeded');
    await waitFor('the worker pool to be idle', async () => stack.pool.busy === 0);

    // A's attempt ended without overwriting the cancellation and left no output behind; B never ran.
    const ra = (await readJob(stack.store, tenant, a))!.value;
    expect(ra.status).toBe('cancelled');
    expect(ra.result_key).toBeUndefined();
    const leftovers: string[] = [];
    for await (const o of stack.store.list(attemptPrefix(tenant, a, 1))) leftovers.push(o.key);
    expect(leftovers).toEqual([]);
    const rb = (await readJob(stack.store, tenant, b))!.value;
    expect(rb.status).toBe('cancelled');
    expect(rb.attempt).toBe(0);
    expect(rb.started_at).toBeUndefined();
    expect((await api.getJob(a)).body.status).toBe('cancelled');

    // Billing: three accepted calls, the two cancelled ones voided.
    expect(await usage(api)).toEqual({ billable: 1, accepted: 3, voided: 2 });

    // Cancelling again answers the same; a finished job cannot be cancelled and stays billed.
    expect((await api.cancelJob(a)).body).toMatchObject({ status: 'cancelled' });
    const cc = await api.cancelJob(c);
    expect(cc.status).toBe(409);
    expect(cc.body.error.code).toBe('conflict');
    expect((await api.getJob(c)).body.status).toBe('succeeded');
    expect((await usage(api)).billable).toBe(1);
  });

  it('is private to the tenant and refuses unknown ids', async () => {
    const owner = stack.client(await stack.newKey({ tenant: 'owner' }));
    const other = stack.client(await stack.newKey({ tenant: 'other' }));
    const key = await owner.uploadOk(horse, 'image/png');
    const id = (await owner.createJob({ upload_key: key, prompt: 'horse', engine: 'lite' })).body.job_id;
    const r = await other.cancelJob(id);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    expect((await owner.cancelJob('job_aaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await owner.waitJob(id, 60_000)).status).toBe('succeeded'); // untouched by the stranger
  });
});
