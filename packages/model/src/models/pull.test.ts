/**
 * `models pull` against a local HTTP server on 127.0.0.1 that serves stand-in SAM 3 files the
 * way the real sources do (a plain base URL like the usls release, and Hugging Face's resolve
 * routes through @huggingface/hub), including dropped connections, a wrong checksum and 401s.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from '../../test/model-server.js';
import { writeSam3Fixture } from '../../test/sam3-fixture/index.js';
import { Sam3Engine } from '../engines/sam3/engine.js';
import { fsError } from './download.js';
import { pullModel, type PullEvent } from './pull.js';
import { registerModelDir } from './register.js';
import { ModelStore } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'sam3-pull-'));
let server: ModelServer;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let n = 0;
const freshHome = () => join(root, `home-${n++}`);
const read = (dir: string, files: string[]) => Object.fromEntries(files.map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
const fast = { retryDelayMs: 1 };

beforeAll(async () => {
  const a32 = join(root, 'src-a32'), a16 = join(root, 'src-a16'), c = join(root, 'src-c');
  const files = {
    ...read(a32, writeSam3Fixture(a32, { layout: 'A', variant: 'fp32' })),
    ...read(a16, writeSam3Fixture(a16, { layout: 'A', variant: 'fp16' })),
  };
  server = await startModelServer(files);
  // Layout C on the Hugging Face routes: /<owner>/<repo>/resolve/main/<name>.
  for (const [k, v] of Object.entries(read(c, writeSam3Fixture(c, { layout: 'C', externalData: true })))) server.files.set(k, v);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('models pull from a base URL (usls naming)', () => {
  it('downloads, installs atomically with a manifest, and the engine then loads the files', async () => {
    const home = freshHome();
    const events: PullEvent[] = [];
    const r = await pullModel({ source: server.base, home, onEvent: (e) => events.push(e), ...fast });
    expect(r.variant).toBe('fp32');
    expect(r.files.map((f) => f.name).sort()).toEqual(['geo-encoder-mask-decoder.onnx', 'text-encoder.onnx', 'tokenizer.json', 'tokenizer_config.json', 'vision-encoder.onnx']);
    for (const f of r.files) {
      expect(f.sha256).toBe(sha(server.files.get(f.name)!));
      expect(f.checksum).toBe('computed'); // the source publishes no SHA256SUMS
    }
    expect(events.filter((e) => e.type === 'skip').map((e) => (e as { file: string }).file)).toContain('vision-encoder.onnx.data');
    const last = events.filter((e) => e.type === 'progress').at(-1) as Extract<PullEvent, { type: 'progress' }>;
    expect(last.overallReceived).toBe(last.overallTotal);
    const st = await new ModelStore(home).status('sam3');
    expect(st.installed).toBe(true);
    expect(readdirSync(join(home, 'models', 'sam3')).filter((f) => f.startsWith('.staging'))).toEqual([]);
    const engine = await Sam3Engine.create({ home });
    expect(engine.model.layout.id).toBe('A');
    await engine.release();
    // A second pull of the same variant finds it installed.
    expect((await pullModel({ source: server.base, home })).alreadyInstalled).toBe(true);
  });

  it('checks published SHA256SUMS and records them as published', async () => {
    const home = freshHome();
    const sums = [...server.files].map(([k, v]) => `${sha(v)}  ${k}`).join('\n');
    server.files.set('SHA256SUMS', new TextEncoder().encode(sums));
    try {
      const r = await pullModel({ source: server.base, home, ...fast });
      expect(r.files.every((f) => f.checksum === 'published')).toBe(true);
    } finally {
      server.files.delete('SHA256SUMS');
    }
  });

  it('resumes a file after the connection drops mid-file (automatic retry with Range)', async () => {
    const home = freshHome();
    server.faults.set('geo-encoder-mask-decoder.onnx', { dropAfter: 5000, times: 1 });
    server.log.length = 0;
    const r = await pullModel({ source: server.base, home, ...fast });
    expect(server.log.filter((l) => l.path.endsWith('/geo-encoder-mask-decoder.onnx')).map((l) => l.range)).toContain('bytes=5000-');
    expect(r.files.find((f) => f.name === 'geo-encoder-mask-decoder.onnx')?.sha256).toBe(sha(server.files.get('geo-encoder-mask-decoder.onnx')!));
  });

  it('a pull that gives up keeps the partial file and nothing is installed; the next run resumes from it', async () => {
    const home = freshHome();
    server.faults.set('vision-encoder.onnx', { dropAfter: 3000, times: 1 });
    await expect(pullModel({ source: server.base, home, retries: 0, ...fast })).rejects.toMatchObject({ code: 'network_unavailable', message: expect.stringMatching(/vision-encoder\.onnx: 3000 of \d+ bytes kept/) });
    expect(await new ModelStore(home).readManifest('sam3')).toBeNull();
    const staging = readdirSync(join(home, 'models', 'sam3')).find((d) => d.startsWith('.staging'))!;
    expect(statSync(join(home, 'models', 'sam3', staging, 'vision-encoder.onnx.partial')).size).toBe(3000);
    server.log.length = 0;
    const r = await pullModel({ source: server.base, home, ...fast });
    expect(r.resumedBytes).toBe(3000);
    expect(server.log.filter((l) => l.path.endsWith('/vision-encoder.onnx')).map((l) => l.range)).toEqual(['bytes=0-0', 'bytes=3000-']);
    expect(r.files.find((f) => f.name === 'vision-encoder.onnx')?.sha256).toBe(sha(server.files.get('vision-encoder.onnx')!));
  });

  it('refuses a file whose checksum does not match: deleted, nothing installed, the previous install untouched', async () => {
    const home = freshHome();
    await pullModel({ source: server.base, home, ...fast }); // fp32 installed
    const before = await new ModelStore(home).readManifest('sam3');
    server.files.set('SHA256SUMS', new TextEncoder().encode(`${'0'.repeat(64)}  text-encoder-fp16.onnx\n`));
    try {
      await expect(pullModel({ source: server.base, variant: 'fp16', home, ...fast })).rejects.toMatchObject({ code: 'checksum_mismatch', message: expect.stringContaining('text-encoder-fp16.onnx does not match the published checksum') });
    } finally {
      server.files.delete('SHA256SUMS');
    }
    const store = new ModelStore(home);
    expect(await store.readManifest('sam3')).toEqual(before);
    expect((await store.status('sam3')).installed).toBe(true);
    const staging = readdirSync(store.modelDir('sam3')).find((d) => d.startsWith('.staging-fp16'))!;
    expect(readdirSync(join(store.modelDir('sam3'), staging)).filter((f) => f.startsWith('text-encoder'))).toEqual([]);
  });

  it('maps 401 to auth_required, a missing required file to download_failed, no server to network_unavailable', async () => {
    server.faults.set('tokenizer.json', { status: 401 });
    try {
      await expect(pullModel({ source: server.base, home: freshHome(), ...fast })).rejects.toMatchObject({ code: 'auth_required', message: expect.stringContaining('HTTP 401') });
    } finally {
      server.faults.delete('tokenizer.json');
    }
    await expect(pullModel({ source: server.base, variant: 'q4f16', home: freshHome(), ...fast })).rejects.toMatchObject({ code: 'download_failed', message: expect.stringContaining('has no vision-encoder-q4f16.onnx') });
    const closed = await startModelServer();
    const dead = closed.base;
    await closed.close();
    await expect(pullModel({ source: dead, home: freshHome(), ...fast })).rejects.toMatchObject({ code: 'network_unavailable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('refuses to start when the disk lacks the space, and maps ENOSPC while writing to disk_full', async () => {
    const home = freshHome();
    server.log.length = 0;
    await expect(pullModel({ source: server.base, home, freeBytes: async () => 1000, ...fast })).rejects.toMatchObject({ code: 'disk_full', message: expect.stringContaining('needs') });
    expect(server.log.some((l) => l.range !== 'bytes=0-0' && l.path.endsWith('.onnx'))).toBe(false);
    expect(fsError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), '/x').code).toBe('disk_full');
  });

  it('rejects variants a source does not publish before downloading anything', async () => {
    await expect(pullModel({ source: server.base, variant: 'int4', home: freshHome() })).rejects.toMatchObject({ code: 'invalid_option', hint: expect.stringContaining('danilobukvic') });
  });
});

describe('models pull from Hugging Face (through @huggingface/hub, Layout C naming)', () => {
  it('sends HF_TOKEN, checks the LFS sha256, resumes, and explains a gated repo without a token', async () => {
    server.requireToken = 'hf_testtoken';
    try {
      const source = 'hf:someone/sam3-text-onnx';
      await expect(pullModel({ source, hubUrl: server.url, home: freshHome(), ...fast })).rejects.toMatchObject({ code: 'auth_required', hint: expect.stringContaining('HF_TOKEN') });
      await expect(pullModel({ source, hubUrl: server.url, token: 'abc', home: freshHome(), ...fast })).rejects.toMatchObject({ code: 'auth_required', message: expect.stringContaining('must start with "hf_"') });
      server.faults.set('vision_encoder.onnx.data', { dropAfter: 2000, times: 1 });
      server.log.length = 0;
      const home = freshHome();
      const r = await pullModel({ source, hubUrl: server.url, token: 'hf_testtoken', home, ...fast });
      expect(r.files.map((f) => f.name)).toContain('vision_encoder.onnx.data');
      expect(r.files.filter((f) => f.name.endsWith('.onnx') || f.name.endsWith('.data')).every((f) => f.checksum === 'published')).toBe(true);
      const size = server.files.get('vision_encoder.onnx.data')!.length;
      expect(server.log.filter((l) => l.path.endsWith('/vision_encoder.onnx.data')).map((l) => l.range)).toEqual(['bytes=0-0', undefined, `bytes=2000-${size - 1}`]);
      expect(server.log.every((l) => l.auth === 'Bearer hf_testtoken')).toBe(true);
      const engine = await Sam3Engine.create({ home });
      expect(engine.model.layout.id).toBe('C');
      await engine.release();
    } finally {
      server.requireToken = undefined;
    }
  });
});

describe('model store: verify, remove, --from', () => {
  it('verify re-hashes and reports a changed file; remove deletes the install', async () => {
    const home = freshHome();
    const r = await pullModel({ source: server.base, home, ...fast });
    const store = new ModelStore(home);
    expect((await store.verify('sam3')).ok).toBe(true);
    const path = join(r.dir, 'text-encoder.onnx');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(path, bytes);
    const v = await store.verify('sam3');
    expect(v.ok).toBe(false);
    expect(v.files.find((f) => !f.ok)).toMatchObject({ name: 'text-encoder.onnx', problem: expect.stringContaining('sha256') });
    expect(await store.remove('sam3')).toEqual({ removed: true });
    expect(existsSync(store.modelDir('sam3'))).toBe(false);
    expect((await store.status('sam3')).installed).toBe(false);
  });

  it('--from DIR registers files in place; remove leaves them', async () => {
    const dir = join(root, 'user-files');
    writeSam3Fixture(dir, { layout: 'C', variant: 'int4' });
    const home = freshHome();
    const r = await registerModelDir({ dir, home });
    expect([r.variant, r.naming]).toEqual(['int4', 'danilobukvic']);
    const engine = await Sam3Engine.create({ home });
    expect(engine.model.layout.id).toBe('C');
    await engine.release();
    const store = new ModelStore(home);
    expect(await store.remove('sam3')).toEqual({ removed: true, keptDir: dir });
    expect(existsSync(join(dir, 'decoder_int4.onnx'))).toBe(true);
    await expect(registerModelDir({ dir: join(root, 'nowhere'), home })).rejects.toMatchObject({ code: 'file_not_found' });
    await expect(registerModelDir({ dir: root, home })).rejects.toMatchObject({ code: 'model_missing', hint: expect.stringContaining('vision-encoder.onnx') });
  });
});
