// @promptseg/client against local mode on 127.0.0.1 (real s3rver + gate, the inference worker,
// the API over HTTP): what a program using the client sees — a segment() round trip with its
// downloads, polling that backs off while a job takes a while, Retry-After honoured, cancel,
// every job through the list's pages, typed errors, and a lost answer retried without a second bill.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PromptsegApiError, PromptsegClient, type PromptsegClientOptions } from '../src/index.js';
import { startTestStack, type TestStack } from '../../../test/service-kit.js';

const horse = new Uint8Array(readFileSync(new URL('../../../web/public/samples/horse.png', import.meta.url)));
// One worker, and every job's first attempt sits 2.5 s after its claim: a job "takes a while",
// is reliably `running` for a moment, and the jobs behind it wait `queued`.
const HOLD_MS = 2500;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ concurrency: 1, workerEnv: { PROMPTSEG_FAULT_HOLD_MS: String(HOLD_MS), PROMPTSEG_FAULT_HOLD_ATTEMPTS: '1' } });
});
afterAll(async () => stack?.teardown());

interface Seen {
  method: string;
  path: string;
  status: number | 'network-error';
  at: number;
  headers: Headers;
}

/** A fetch that records every call (method, path, status, when, request headers) and can lose chosen answers. */
function recordingFetch(lose: (method: string, path: string, n: number) => boolean = () => false) {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  const f: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    const k = `${method} ${url.pathname}`;
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    const res = await fetch(input, init);
    const entry: Seen = { method, path: url.pathname, status: res.status, at: Date.now(), headers: new Headers(init?.headers) };
    seen.push(entry);
    if (lose(method, url.pathname, n)) {
      await res.arrayBuffer();
      entry.status = 'network-error';
      // The service got the request and answered; the answer is lost on the way back.
      throw new TypeError('fetch failed (the test lost this answer)');
    }
    return res;
  };
  return { fetch: f, seen };
}

async function client(tenant: string, extra: Partial<PromptsegClientOptions> = {}) {
  return new PromptsegClient({ baseUrl: stack.apiUrl, apiKey: await stack.newKey({ tenant }), ...extra });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rejection(p: Promise<unknown>): Promise<PromptsegApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PromptsegApiError) return e;
    throw e;
  }
  throw new Error('expected a PromptsegApiError');
}

describe('PromptsegClient, end to end', () => {
  it('segment(): upload (presigned PUT), job, wait, downloads — billed once', { timeout: 120_000 }, async () => {
    const rec = recordingFetch();
    const ps = await client('seg', { fetch: rec.fetch });
    const states: string[] = [];
    const job = await ps.segment(horse, { prompt: 'horse', engine: 'lite', outputs: ['json', 'cutout'] }, { onUpdate: (j) => states.push(j.status) });
    expect(job.status).toBe('succeeded');
    expect(states.at(-1)).toBe('succeeded');
    expect(states).toContain('running');
    const result = job.result as { instances: { label: string; score: number }[]; image: { width: number } };
    expect(result.instances[0].label).toBe('horse');
    expect(result.image.width).toBeGreaterThan(0);

    const cutout = job.downloads?.find((d) => d.format === 'cutout');
    expect(cutout).toBeDefined();
    const png = await ps.download(cutout!);
    expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
    expect(png.length).toBe(cutout!.bytes);

    // The bytes went straight to storage with a PUT, never through the API.
    const calls = rec.seen.map((s) => `${s.method} ${s.path.startsWith('/v1/') ? s.path : 'storage'}`);
    expect(calls.slice(0, 3)).toEqual(['POST /v1/uploads', 'PUT storage', 'POST /v1/jobs']);
    expect((await ps.usage()).total_billable).toBe(1);
  });

  it('waitForJob backs off (with jitter) while a job takes a while, and stops on timeout or abort', { timeout: 90_000 }, async () => {
    const rec = recordingFetch();
    const ps = await client('wait', { fetch: rec.fetch });
    const up = await ps.upload(horse, { method: 'POST' }); // the POST policy works too
    const { job_id } = await ps.createJob({ upload_key: up.upload_key, prompt: 'horse', engine: 'lite' });
    const t0 = Date.now();
    const done = await ps.waitForJob(job_id);
    expect(done.status).toBe('succeeded');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(HOLD_MS - 100);

    const polls = rec.seen.filter((s) => s.method === 'GET' && s.path === `/v1/jobs/${job_id}`).map((s) => s.at);
    const gaps = polls.slice(1).map((t, i) => t - polls[i]);
    // 250, 400, 640, 1024, 1638 ms (each at least 80 % of that): a few polls, not one every 250 ms.
    expect(polls.length).toBeGreaterThanOrEqual(3);
    expect(polls.length).toBeLessThanOrEqual(8);
    expect(gaps[0]).toBeGreaterThanOrEqual(0.8 * 250 - 5);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]);

    // A job still running when the time is up: job_timeout naming the job, which goes on.
    const slow = await ps.createJob({ upload_key: up.upload_key, prompt: 'horse', engine: 'lite' });
    const e = await rejection(ps.waitForJob(slow.job_id, { timeoutMs: 300 }));
    expect(e).toMatchObject({ code: 'job_timeout', status: 0, jobId: slow.job_id });
    expect(e.hint).toContain(`/v1/jobs/${slow.job_id}`);
    // Aborted: rejects with the signal's reason at once.
    const ac = new AbortController();
    const t1 = Date.now();
    setTimeout(() => ac.abort(new Error('user left the page')), 100);
    await expect(ps.waitForJob(slow.job_id, { signal: ac.signal })).rejects.toThrow('user left the page');
    expect(Date.now() - t1).toBeLessThan(1500);
    expect((await ps.waitForJob(slow.job_id)).status).toBe('succeeded');
  });

  it('a 429 is retried after its Retry-After, not before', { timeout: 60_000 }, async () => {
    const key = await stack.newKey({ tenant: 'ratelimit', rateLimitPerMin: 60 });
    // Spend the key's whole bucket (60 tokens) with plain requests.
    const api = stack.client(key);
    for (let i = 0; i < 60; i++) await api.request('GET', '/v1/jobs/job_nothing');
    const rec = recordingFetch();
    const ps = new PromptsegClient({ baseUrl: stack.apiUrl, apiKey: key, fetch: rec.fetch });
    const t0 = Date.now();
    const usage = await ps.usage();
    expect(usage.tenant).toBe('ratelimit');
    expect(rec.seen.map((s) => s.status)).toEqual([429, 200]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950); // Retry-After: 1
  });

  it('cancelJob: a running job ends cancelled and unbilled; a finished one is a typed 409', { timeout: 90_000 }, async () => {
    const ps = await client('cancel');
    const up = await ps.upload(horse);
    const { job_id } = await ps.createJob({ upload_key: up.upload_key, prompt: 'horse', engine: 'lite' });
    await until('the job to run', async () => (await ps.getJob(job_id)).status === 'running');
    const cancelled = await ps.cancelJob(job_id);
    expect(cancelled).toMatchObject({ status: 'cancelled', billable: false, error: { code: 'job_cancelled' } });
    expect((await ps.waitForJob(job_id)).status).toBe('cancelled');

    const other = await ps.createJob({ upload_key: up.upload_key, prompt: 'horse', engine: 'lite' });
    expect((await ps.waitForJob(other.job_id)).status).toBe('succeeded');
    const e = await rejection(ps.cancelJob(other.job_id));
    expect(e).toMatchObject({ status: 409, code: 'conflict', fromService: true });
    const usage = await ps.usage();
    expect(usage.total_billable).toBe(1);
    expect(usage.days.reduce((n, d) => n + d.voided, 0)).toBe(1);
  });

  it('listJobs iterates over every page, newest first, and only the caller’s jobs', { timeout: 90_000 }, async () => {
    const rec = recordingFetch();
    const ps = await client('lister', { fetch: rec.fetch });
    const stranger = await client('stranger');
    const up = await ps.upload(horse);
    const theirs = await stranger.upload(horse);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await ps.createJob({ upload_key: up.upload_key, prompt: 'horse', engine: 'lite' })).job_id);
      if (i === 2) await stranger.cancelJob((await stranger.createJob({ upload_key: theirs.upload_key, prompt: 'horse', engine: 'lite' })).job_id);
    }
    // Nothing here needs to run: cancel them (queued or running), so the worker is free again.
    for (const id of ids) await ps.cancelJob(id);

    const listed: string[] = [];
    for await (const j of ps.listJobs({ limit: 2 })) listed.push(j.job_id);
    expect(listed).toEqual([...ids].reverse());
    expect(rec.seen.filter((s) => s.method === 'GET' && s.path === '/v1/jobs').length).toBe(3); // 2 + 2 + 1

    const statuses: string[] = [];
    for await (const j of ps.listJobs({ status: ['cancelled', 'failed'] })) statuses.push(j.status);
    expect(statuses).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('typed errors carry the service’s code, message, hint and status: bad key, bad prompt (unbilled)', { timeout: 60_000 }, async () => {
    const bad = new PromptsegClient({ baseUrl: stack.apiUrl, apiKey: 'psk_wrong' });
    const e1 = await rejection(bad.usage());
    expect(e1).toBeInstanceOf(PromptsegApiError);
    expect(e1).toMatchObject({ status: 401, code: 'unauthorized', fromService: true });
    expect(e1.message).toMatch(/API key is malformed/);
    expect(e1.hint.length).toBeGreaterThan(10);

    const ps = await client('badprompt');
    const up = await ps.upload(horse);
    const e2 = await rejection(ps.createJob({ upload_key: up.upload_key, prompt: '' }));
    expect(e2).toMatchObject({ status: 400, code: 'invalid_prompt', fromService: true });
    expect(e2.hint.length).toBeGreaterThan(10);
    const e3 = await rejection(ps.segment(horse, { prompt: 'the big one' }));
    expect(e3.code).toBe('invalid_prompt');
    expect(e3.message).toMatch(/big one/);
    expect((await ps.usage()).total_billable).toBe(0);

    // Not an image: refused before anything is sent.
    expect((await rejection(ps.upload(new TextEncoder().encode('hello')))).code).toBe('unsupported_image');
    // Nothing listening: network_unavailable with what to check.
    const down = new PromptsegClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'psk_x', retries: 1 });
    expect(await rejection(down.health())).toMatchObject({ code: 'network_unavailable', status: 0 });
  });

  it('a job request whose answer is lost is retried with the same Idempotency-Key: one job, one bill', { timeout: 90_000 }, async () => {
    const rec = recordingFetch((method, path, n) => method === 'POST' && path === '/v1/jobs' && n === 1);
    const ps = await client('lost-answer', { fetch: rec.fetch });
    const job = await ps.segment(horse, { prompt: 'horse', engine: 'lite' });
    expect(job.status).toBe('succeeded');
    const posts = rec.seen.filter((s) => s.method === 'POST' && s.path === '/v1/jobs');
    expect(posts.map((p) => p.status)).toEqual(['network-error', 202]);
    expect(posts[0].headers.get('Idempotency-Key')).toBeTruthy();
    expect(posts[1].headers.get('Idempotency-Key')).toBe(posts[0].headers.get('Idempotency-Key'));
    const usage = await ps.usage();
    expect(usage.total_billable).toBe(1);
    expect(usage.days.reduce((n, d) => n + d.accepted, 0)).toBe(1);
    let listed = 0;
    for await (const _ of ps.listJobs()) listed++;
    expect(listed).toBe(1);
  });
});
