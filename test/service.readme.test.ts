// The README's service section works as written: its curl flow (bash + curl + jq), its TypeScript
// @promptseg/client example (tsx) and its Python `requests` client (/usr/bin/python3) run against a
// local stack, and its environment table
// lists every variable of functions/src/config.ts with its default.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ENV, INFERENCE_ENV, LOCAL_ENV } from '../functions/src/config.js';
import { startTestStack, type TestStack } from './service-kit.js';

const run = promisify(execFile);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('<!-- section: service -->'), readme.indexOf('<!-- section:', readme.indexOf('<!-- section: service -->') + 10));
const horse = new URL('../web/public/samples/horse.png', import.meta.url).pathname;
const hasJq = ['/usr/bin/jq', '/usr/local/bin/jq', '/bin/jq'].some(existsSync);

function block(lang: string, marker: string): string {
  const re = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  const found = [...section.matchAll(re)].map((m) => m[1]).find((b) => b.includes(marker));
  if (!found) throw new Error(`no ${lang} block containing "${marker}" in the README's service section`);
  return found;
}

let stack: TestStack;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  stack = await startTestStack();
  work = mkdtempSync(join(tmpdir(), 'ps-readme-'));
  env = { PATH: process.env.PATH, HOME: work, PROMPTSEG_API: stack.apiUrl, PROMPTSEG_KEY: await stack.newKey({ tenant: 'readme' }), IMG: horse };
});
afterAll(async () => {
  await stack?.teardown();
  rmSync(work, { recursive: true, force: true });
});

describe('README, service section', () => {
  it.skipIf(!hasJq)('the curl flow (presign, PUT, job, poll, download) works as written [needs jq]', async () => {
    const script = block('sh', 'presign a PUT upload');
    const dir = mkdtempSync(join(work, 'curl-'));
    const { stdout } = await run('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], { cwd: dir, env, timeout: 120_000 });
    const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { status: string; instances: { label: string }[] };
    expect(summary.status).toBe('succeeded');
    expect(summary.instances.length).toBeGreaterThan(0);
    const png = readFileSync(join(dir, 'horse.cutout.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  // The script lives under the repository (test-artifacts/, ignored by git) so that
  // `import '@promptseg/client'` resolves as in a user's project; it runs in its own folder.
  const tsBlock = async (key: string) => {
    const artifacts = new URL('../test-artifacts/', import.meta.url).pathname;
    mkdirSync(artifacts, { recursive: true });
    const scripts = mkdtempSync(join(artifacts, 'readme-ts-'));
    const dir = mkdtempSync(join(work, 'ts-'));
    writeFileSync(join(scripts, 'client.mts'), block('ts', "from '@promptseg/client'"));
    const tsx = new URL('../node_modules/.bin/tsx', import.meta.url).pathname;
    try {
      const r = await run(tsx, [join(scripts, 'client.mts')], { cwd: dir, env: { ...env, PROMPTSEG_KEY: key }, timeout: 120_000 });
      return { dir, code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const f = e as { code: number; stdout: string; stderr: string };
      return { dir, code: f.code, stdout: f.stdout, stderr: f.stderr };
    } finally {
      rmSync(scripts, { recursive: true, force: true });
    }
  };

  it('the TypeScript @promptseg/client example works as written', async () => {
    const r = await tsBlock(env.PROMPTSEG_KEY as string);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^horse 0\.\d+ \[/m);
    const saved = readdirSync(r.dir).filter((f) => f.endsWith('.png'));
    expect(saved.length).toBeGreaterThan(0);
    expect(readFileSync(join(r.dir, saved[0])).subarray(1, 4).toString()).toBe('PNG');
    expect(r.stdout).toContain(`saved ${saved[0]}`);
    expect(r.stdout).toMatch(/^job job_\w+ succeeded$/m);
  });

  it('the TypeScript example shows the typed error (code, message, hint) for a bad key', async () => {
    const r = await tsBlock('psk_bad');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unauthorized: The API key is malformed.*\(.+\)/);
  });

  it('the Python requests client works as written', async () => {
    const dir = mkdtempSync(join(work, 'py-'));
    writeFileSync(join(dir, 'client.py'), block('python', 'import requests'));
    const { stdout } = await run('/usr/bin/python3', ['client.py'], { cwd: dir, env, timeout: 120_000 });
    expect(stdout).toMatch(/^horse 0\.\d+ \[/m);
    const saved = readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(saved.length).toBeGreaterThan(0);
    expect(stdout).toContain(`saved ${saved[0]}`);
  });

  it('the Python client shows the API error (code, message, hint) for a bad key', async () => {
    const dir = mkdtempSync(join(work, 'py-bad-'));
    writeFileSync(join(dir, 'client.py'), block('python', 'import requests'));
    const r = await run('/usr/bin/python3', ['client.py'], { cwd: dir, env: { ...env, PROMPTSEG_KEY: 'psk_bad' }, timeout: 60_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unauthorized: The API key is malformed/);
  });

  it('documents the OpenAPI document at /v1/openapi.json (the only prefix the CloudFront Router forwards)', async () => {
    expect(section).toMatch(/`GET \/v1\/openapi\.json`/);
    const deploy = readme.slice(readme.indexOf('<!-- section: deploy -->'), readme.indexOf('<!-- section:', readme.indexOf('<!-- section: deploy -->') + 10));
    expect(deploy).toContain('/v1/openapi.json');
    // …and it is served there, as documented.
    expect((await fetch(`${stack.apiUrl}/v1/openapi.json`)).status).toBe(200);
  });

  it('the environment table lists every variable of config.ts with its default', () => {
    for (const v of [...API_ENV, ...INFERENCE_ENV, ...LOCAL_ENV]) {
      const shown = v.default === null ? '(required)' : v.default === '' ? '(empty)' : v.default;
      expect(section, v.name).toContain(`| \`${v.name}\` | \`${shown}\` |`);
    }
  });
});
