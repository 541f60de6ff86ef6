/**
 * `npm run bench:service` — the service in local mode (lite engine), measured from outside:
 *   1. API only: presign and job-creation latency (the Lambda behind it accepts and does nothing)
 *   2. end to end (presign → upload → job → poll → result) at concurrency 1, 4 and 16
 *   3. cold start (fresh inference worker: process + model sessions) vs warm invocations
 *   4. RSS of the inference worker before and after 500 jobs (target: growth < 10 %)
 * Knobs: BENCH_RSS_JOBS (500), BENCH_E2E_JOBS (c=1: 8, c=4: 16, c=16: 32 by default).
 * Not a test: prints a report (and writes test-artifacts/bench-service.json).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { encodeImage, readRawPixels, type RawPixels } from '@promptseg/model';
import { createApp, createDeps } from '../../functions/src/api/app.js';
import { loadApiConfig } from '../../functions/src/config.js';
import { createKey } from '../../functions/src/core/keys.js';
import { createInvokeServer } from '../../functions/src/inference/invoke-api.js';
import { startLocalS3 } from '../../functions/src/local/s3-gate.js';
import { Client, startTestStack, type TestStack } from '../service-kit.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const RSS_JOBS = Number(process.env.BENCH_RSS_JOBS ?? 500);
const E2E = { 1: 8, 4: 16, 16: 32 } as Record<number, number>;
const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface Stats {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (v: number) => Math.round(v * 10) / 10;
  return { n: s.length, mean: r(s.reduce((a, b) => a + b, 0) / s.length), p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1]) };
}

const fmt = (s: Stats) => `n=${s.n}  p50 ${s.p50} ms  p95 ${s.p95} ms  mean ${s.mean} ms  max ${s.max} ms`;

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
}

// ---------------------------------------------------------------- images
const horse = new Uint8Array(readFileSync(new URL('../../web/public/samples/horse.png', import.meta.url)));
let base: RawPixels;
/** A different image per seed (the embedding cache cannot answer it), same content and size. */
async function uniqueImage(seed: number): Promise<Uint8Array> {
  const data = new Uint8Array(base.data);
  for (let i = 0; i < 16; i++) data[(seed * 7919 + i * 104729) % data.length] ^= (seed + i) & 0xff || 1;
  return new Uint8Array(await encodeImage({ ...base, data }, 'png'));
}

// ---------------------------------------------------------------- 1. API only
async function apiOnly(): Promise<Record<string, Stats>> {
  const dir = mkdtempSync(join(tmpdir(), 'ps-bench-api-'));
  const s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: dir, bucket: 'bench', credentials: creds, maxPostBytes: 1 << 22 });
  let invokes = 0;
  const lambda: Server = createInvokeServer({ resolve: () => ({ invoke: async () => void invokes++ }) });
  await new Promise<void>((r) => lambda.listen(0, '127.0.0.1', () => r()));
  const config = loadApiConfig({
    PROMPTSEG_BUCKET: 'bench',
    PROMPTSEG_S3_ENDPOINT: s3.url,
    PROMPTSEG_KEY_PEPPER: 'b'.repeat(40),
    PROMPTSEG_LAMBDA_ENDPOINT: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`,
    PROMPTSEG_DEFAULT_RATE_LIMIT: '0',
  });
  config.storage.credentials = creds;
  const deps = createDeps(config);
  const server = createAdaptorServer({ fetch: createApp(deps).fetch }) as Server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const api = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, (await createKey(deps.store, config.pepper, { tenant: 'bench' })).key);
  try {
    const N = 200;
    for (let i = 0; i < 10; i++) await api.presign('image/png'); // warm connections and code paths
    const presign: number[] = [];
    for (let i = 0; i < N; i++) presign.push((await timed(() => api.presign('image/png')))[1]);
    const key = await api.uploadOk(horse, 'image/png');
    const create: number[] = [];
    for (let i = 0; i < N; i++) {
      const [r, ms] = await timed(() => api.createJob({ upload_key: key, prompt: 'horse', engine: 'lite' }));
      if (r.status !== 202) throw new Error(`job creation: ${r.status}`);
      create.push(ms);
    }
    const status: number[] = [];
    const { body } = await api.createJob({ upload_key: key, prompt: 'horse' });
    for (let i = 0; i < N; i++) status.push((await timed(() => api.getJob(body.job_id)))[1]);
    if (invokes < N) throw new Error(`only ${invokes} invokes for ${N} jobs`);
    return { presign: stats(presign), create_job: stats(create), get_job_queued: stats(status) };
  } finally {
    server.closeAllConnections();
    server.close();
    lambda.close();
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- 2-4. end to end
async function oneJob(api: Client, bytes: Uint8Array, prompt: string): Promise<{ ms: number; server: Record<string, number> }> {
  const t = performance.now();
  const key = await api.uploadOk(bytes, 'image/png');
  const { body, status } = await api.createJob({ upload_key: key, prompt, engine: 'lite' });
  if (status !== 202) throw new Error(`job creation: ${status} ${JSON.stringify(body)}`);
  for (let delay = 50; ; delay = Math.min(delay * 1.3, 250)) {
    const j = await api.getJob(body.job_id);
    if (j.body.status === 'succeeded') return { ms: performance.now() - t, server: j.body.timings_ms };
    if (j.body.status === 'failed') throw new Error(`job failed: ${JSON.stringify(j.body.error)}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

async function pool<T>(n: number, concurrency: number, f: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await f(i);
      }
    }),
  );
  return out;
}

async function endToEnd(stack: TestStack, api: Client) {
  let seed = 1000;
  const out: Record<string, { latency: Stats; run: Stats; queue: Stats; jobs_per_s: number }> = {};
  for (const c of [1, 4, 16]) {
    const n = E2E[c];
    const images = await Promise.all(Array.from({ length: n }, () => uniqueImage(seed++)));
    const t = performance.now();
    const res = await pool(n, c, (i) => oneJob(api, images[i], 'horse, person'));
    const wall = (performance.now() - t) / 1000;
    out[`c${c}`] = { latency: stats(res.map((r) => r.ms)), run: stats(res.map((r) => r.server.run)), queue: stats(res.map((r) => r.server.queue)), jobs_per_s: Math.round((n / wall) * 100) / 100 };
    console.log(`  concurrency ${String(c).padStart(2)}: ${fmt(out[`c${c}`].latency)}  (${out[`c${c}`].jobs_per_s} jobs/s; server run p50 ${out[`c${c}`].run.p50} ms, queue p50 ${out[`c${c}`].queue.p50} ms)`);
  }
  void stack;
  return out;
}

async function coldVsWarm(stack: TestStack, api: Client) {
  const cold: { e2e: number; models: number; worker_ready: number }[] = [];
  const warm: number[] = [];
  let seed = 5000;
  for (let i = 0; i < 3; i++) {
    stack.pool.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const img = await uniqueImage(seed++);
    const [, ready] = await timed(() => stack.pool.start());
    const first = await oneJob(api, img, 'horse');
    cold.push({ e2e: Math.round(first.ms + ready), models: stack.pool.lastColdStartMs ?? NaN, worker_ready: Math.round(ready) });
    for (let k = 0; k < 3; k++) warm.push((await oneJob(api, await uniqueImage(seed++), 'horse')).ms);
  }
  return {
    cold_start: cold,
    cold_e2e: stats(cold.map((c) => c.e2e)),
    model_sessions_ms: stats(cold.map((c) => c.models)),
    warm_e2e: stats(warm),
  };
}

async function rssOver(stack: TestStack, api: Client) {
  // Steady state first: the worker's embedding cache (PROMPTSEG_EMBEDDING_CACHE_MB below) full.
  const repeated = await Promise.all(Array.from({ length: 8 }, (_, i) => uniqueImage(9000 + i)));
  let seed = 20_000;
  await pool(24, 4, async (i) => oneJob(api, i < 8 ? repeated[i] : await uniqueImage(seed++), 'horse'));
  const before = await stack.pool.memory();
  const pid = stack.pool.pid;
  const t = performance.now();
  let done = 0;
  // Every 5th job a new image (encoder runs), the others repeat 8 images (cache hits).
  await pool(RSS_JOBS, 4, async (i) => {
    const bytes = i % 5 === 0 ? await uniqueImage(seed++) : repeated[i % 8];
    const r = await oneJob(api, bytes, i % 2 ? 'horse' : 'animal, person');
    if (++done % 100 === 0) console.log(`    ${done}/${RSS_JOBS} jobs`);
    return r.ms;
  });
  const after = await stack.pool.memory();
  if (stack.pool.pid !== pid) throw new Error('the worker restarted during the RSS run');
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  return {
    jobs: RSS_JOBS,
    seconds: Math.round((performance.now() - t) / 1000),
    rss_before_mb: mb(before.rss),
    rss_after_mb: mb(after.rss),
    rss_growth_pct: Math.round(((after.rss - before.rss) / before.rss) * 1000) / 10,
    heap_before_mb: mb(before.heapUsed),
    heap_after_mb: mb(after.heapUsed),
  };
}

async function main(): Promise<void> {
  base = await readRawPixels(horse);
  console.log(`promptseg service bench — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), lite engine, image ${base.width}x${base.height}\n`);
  const report: Record<string, unknown> = {};

  console.log('1. API only (local S3; the Lambda accepts and does nothing)');
  report.api_only = await apiOnly();
  for (const [k, v] of Object.entries(report.api_only as Record<string, Stats>)) console.log(`  ${k.padEnd(16)} ${fmt(v)}`);

  const stack = await startTestStack({ concurrency: 2, env: { PROMPTSEG_DEFAULT_RATE_LIMIT: '0' }, workerEnv: { PROMPTSEG_EMBEDDING_CACHE_MB: '48' } });
  try {
    const api = stack.client(await stack.newKey({ tenant: 'bench' }));
    await oneJob(api, await uniqueImage(1), 'horse'); // first job: connections, code paths
    console.log('\n2. end to end: presign → upload → job → poll → result (unique images; worker runs 2 at a time)');
    report.end_to_end = await endToEnd(stack, api);

    console.log('\n3. cold start vs warm (inference worker restarted 3 times)');
    const cw = await coldVsWarm(stack, api);
    report.cold_vs_warm = cw;
    console.log(`  model sessions (create + warm-up run): ${fmt(cw.model_sessions_ms)}`);
    console.log(`  cold job (worker start + first job):  ${fmt(cw.cold_e2e)}`);
    console.log(`  warm job:                             ${fmt(cw.warm_e2e)}`);

    console.log(`\n4. inference worker RSS over ${RSS_JOBS} jobs (every 5th a new image, embedding cache 48 MB)`);
    const rss = await rssOver(stack, api);
    report.rss = rss;
    console.log(`  RSS ${rss.rss_before_mb} MB → ${rss.rss_after_mb} MB (${rss.rss_growth_pct >= 0 ? '+' : ''}${rss.rss_growth_pct} %, target < 10 %); heap ${rss.heap_before_mb} → ${rss.heap_after_mb} MB; ${rss.seconds} s`);
  } finally {
    await stack.teardown();
  }
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/bench-service.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log('\nwritten: test-artifacts/bench-service.json');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
