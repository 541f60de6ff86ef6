// The inference handler behind the real Lambda SDK path (API in-process → Invoke endpoint →
// handler in this process), with a real local S3: SAM 3 copied from the model store at cold
// start (stand-in ONNX models), a poison job failing with its error, duplicate deliveries and
// malformed events.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage, ModelStore, registerModelDir } from '@promptseg/model';
import type { JobView } from '@promptseg/shared';
import { writeSam3Fixture } from '../../../packages/model/test/sam3-fixture/index.js';
import { createApp, createDeps } from '../api/app.js';
import { loadApiConfig, loadInferenceConfig } from '../config.js';
import { createKey } from '../core/keys.js';
import type { ObjectStore } from '../core/objects.js';
import { startLocalS3, type LocalS3 } from '../local/s3-gate.js';
import { ENGINES_KEY, type EnginesReport } from '../core/engines.js';
import { createInferenceHandler } from './handler.js';
import { createInvokeServer } from './invoke-api.js';

const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const root = mkdtempSync(join(tmpdir(), 'ps-inf-'));
let s3: LocalS3;
let lambda: Server;
let app: ReturnType<typeof createApp>;
let store: ObjectStore;
let key: string;
let handler: ReturnType<typeof createInferenceHandler>;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

beforeAll(async () => {
  s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: join(root, 's3'), bucket: 'inf-test', credentials: creds, maxPostBytes: 1 << 22 });
  const env = { PROMPTSEG_BUCKET: 'inf-test', PROMPTSEG_S3_ENDPOINT: s3.url, PROMPTSEG_KEY_PEPPER: 'q'.repeat(40), PROMPTSEG_INFERENCE_FUNCTION: 'inference' };
  const apiConfig = loadApiConfig({ ...env, PROMPTSEG_LAMBDA_ENDPOINT: 'http://127.0.0.1:1' });
  apiConfig.storage.credentials = creds;
  store = createDeps(apiConfig).store;

  // The model store: a SAM 3 folder (stand-in ONNX files) under s3://inf-test/models/sam3/.
  const src = join(root, 'export', 'files');
  writeSam3Fixture(src, { layout: 'A' });
  const home = join(root, 'home');
  await registerModelDir({ dir: src, home });
  const manifest = JSON.parse(readFileSync(join(new ModelStore(home).modelDir('sam3'), 'manifest.json'), 'utf8'));
  await store.putJson('models/sam3/manifest.json', { ...manifest, dir: 'files', registered: false });
  for (const p of walk(src)) await store.putBytes(`models/sam3/files/${relative(src, p)}`, new Uint8Array(readFileSync(p)), 'application/octet-stream');

  const infConfig = loadInferenceConfig({ ...env, PROMPTSEG_SAM3_S3_PREFIX: 's3://inf-test/models/sam3/', PROMPTSEG_MODEL_DIR: join(root, 'models') });
  infConfig.storage.credentials = creds;
  handler = createInferenceHandler({ config: infConfig });
  lambda = createInvokeServer({ resolve: (name) => (name === 'inference' ? { invoke: handler } : undefined) });
  await new Promise<void>((r) => lambda.listen(0, '127.0.0.1', () => r()));
  const config = loadApiConfig({ ...env, PROMPTSEG_LAMBDA_ENDPOINT: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}` });
  config.storage.credentials = creds;
  const deps = createDeps(config);
  app = createApp(deps);
  key = (await createKey(store, config.pepper, { tenant: 'inf' })).key;
});

afterAll(async () => {
  lambda?.closeAllConnections();
  await new Promise((r) => lambda?.close(r));
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer `, 'Content-Type': 'application/json' };
async function upload(bytes: Uint8Array): Promise<string> {
  const r = await app.request('/v1/uploads', { method: 'POST', headers: { ...auth, Authorization: `Bearer ${key}` }, body: JSON.stringify({ content_type: 'image/png', method: 'PUT', size: bytes.length }) });
  const u = (await r.json()) as { url: string; headers: Record<string, string>; upload_key: string };
  expect((await fetch(u.url, { method: 'PUT', headers: u.headers, body: new Uint8Array(bytes) })).status).toBe(200);
  return u.upload_key;
}
async function sync(body: Record<string, unknown>): Promise<{ status: number; body: JobView & { error?: { code: string; message: string } } }> {
  const r = await app.request('/v1/segment', { method: 'POST', headers: { ...auth, Authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as JobView & { error?: { code: string; message: string } } };
}

function pattern(w: number, h: number) {
  const data = new Uint8Array(w * h * 3).map((_, i) => (i * 31) % 251);
  return { width: w, height: h, channels: 3 as const, data };
}

describe('inference handler', () => {
  it('cold start copies SAM 3 from the model store and warms it; a sam3 job runs on the copy', async () => {
    const ready = await handler.ready;
    expect(ready.sam3Error).toBeUndefined();
    expect(ready.engines).toEqual(['sam3', 'lite']);
    expect(ready.sam3?.copied).toBe(6);
    expect(readdirSync(join(root, 'models', 'sam3'))).toContain('manifest.json');
    const k = await upload(new Uint8Array(await encodeImage(pattern(64, 64), 'png')));
    const r = await sync({ upload_key: k, prompt: 'squirrel', engine: 'sam3' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.engine).toBe('sam3');
    expect((r.body.result as { concepts: { text: string; status: string }[] }).concepts[0]).toMatchObject({ text: 'squirrel', status: 'ok' });
  });

  it('a poison job (corrupt image) ends failed with the decoder’s error, and the call answers it', async () => {
    const png = new Uint8Array(await encodeImage(pattern(64, 64), 'png'));
    const k = await upload(png.subarray(0, 60));
    const r = await sync({ upload_key: k, prompt: 'cat', engine: 'lite' });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'corrupt_image' });
  });

  it('a second delivery of a finished job does not run it again', async () => {
    const k = await upload(new Uint8Array(await encodeImage(pattern(32, 32), 'png')));
    const r = await sync({ upload_key: k, prompt: 'cat', engine: 'lite' });
    expect(r.status).toBe(200);
    const again = await handler({ type: 'job', tenant: 'inf', job_id: r.body.job_id });
    expect(again).toMatchObject({ ran: false, skipped: 'finished', status: 'succeeded' });
  });

  it('refuses malformed events (a function error, as Lambda reports it)', async () => {
    await expect(handler({ type: 'job', tenant: '../x', job_id: 'job_1' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(handler('not json')).rejects.toThrow();
  });

  it('after its warm-up it reports the engines it can run, and GET /v1/health shows that report', async () => {
    await handler.ready;
    const report = (await store.getJson<EnginesReport>(ENGINES_KEY))?.value;
    expect(report).toMatchObject({ device: 'cpu', engines: [{ id: 'lite', installed: true, prompts: { boxes: true, negative_boxes: false, points: true } }, { id: 'sam3', installed: true, prompts: { points: false } }] });
    const health = (await (await app.request('/v1/health')).json()) as { engines: unknown; engines_reported_at: string };
    expect(health.engines).toEqual(report?.engines);
    expect(health.engines_reported_at).toBe(report?.reported_at);
  });
});

// Last in this file: the SAM 3 engine's settings are process-wide (configureSam3).
describe('PROMPTSEG_DEVICE', () => {
  it('reaches the SAM 3 sessions: cuda without a CUDA provider fails SAM 3 clearly (lite serves), and the report says so', async () => {
    const env = { PROMPTSEG_BUCKET: 'inf-test', PROMPTSEG_S3_ENDPOINT: s3.url, PROMPTSEG_SAM3_S3_PREFIX: 's3://inf-test/models/sam3/', PROMPTSEG_MODEL_DIR: join(root, 'models-cuda') };
    expect(() => loadInferenceConfig({ ...env, PROMPTSEG_DEVICE: 'gpu' })).toThrow(/PROMPTSEG_DEVICE must be one of cpu, cuda, auto/);
    const config = loadInferenceConfig({ ...env, PROMPTSEG_DEVICE: 'cuda' });
    expect(config.device).toBe('cuda');
    config.storage.credentials = creds;
    const cuda = createInferenceHandler({ config });
    const ready = await cuda.ready;
    // No machine here has onnxruntime-node's CUDA provider: the engine was asked for CUDA and said so.
    expect(ready.sam3Error).toMatch(/CUDA execution provider could not be loaded/);
    expect(ready.engines).toEqual(['lite']);
    const report = (await store.getJson<EnginesReport>(ENGINES_KEY))?.value;
    expect(report?.device).toBe('cuda');
    expect(report?.engines).toEqual([
      { id: 'lite', installed: true, prompts: { boxes: true, negative_boxes: false, points: true } },
      { id: 'sam3', installed: false, hint: expect.stringMatching(/sam3 \(open vocabulary\) has its files but could not start on device cuda: The CUDA execution provider could not be loaded.*PROMPTSEG_DEVICE/) },
    ]);
  });
});
