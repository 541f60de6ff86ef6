// The CLI against the service: `promptseg keys …` on local mode's store, and
// `promptseg segment … --api URL --key KEY` writing the same files as a local run, resuming
// (skipping finished images) on a rerun.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/main.js';
import { startTestStack, stableResult, type TestStack } from './service-kit.js';

const horsePath = new URL('../web/public/samples/horse.png', import.meta.url).pathname;
let stack: TestStack;
let work: string;

beforeAll(async () => {
  stack = await startTestStack();
  work = mkdtempSync(join(tmpdir(), 'ps-cli-'));
});
afterAll(async () => {
  await stack?.teardown();
  rmSync(work, { recursive: true, force: true });
});

function sink() {
  let text = '';
  return { write: (s: string) => void (text += s), get text() { return text; } };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(['node', 'promptseg', ...args], { stdout, stderr, env: { ...env, PROMPTSEG_DATA_DIR: stack.dataDir } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('promptseg keys (local mode store)', () => {
  it('create → the key works; list shows it without the secret; usage counts; revoke → 401', async () => {
    const made = await cli(['keys', 'create', '--tenant', 'cli-admin', '--name', 'ci', '--quota', '5', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { key, key_id } = JSON.parse(made.stdout) as { key: string; key_id: string };
    const api = stack.client(key);
    expect((await api.request('GET', '/v1/usage')).status).toBe(200);

    const listed = await cli(['keys', 'list', '--tenant', 'cli-admin', '--json']);
    const list = JSON.parse(listed.stdout) as { key_id: string; quota_monthly: number; hash?: string }[];
    expect(list).toEqual([expect.objectContaining({ key_id, quota_monthly: 5 })]);
    expect(listed.stdout).not.toContain(key.split('_')[2]);
    expect(list[0].hash).toBeUndefined();

    const upload = await api.uploadOk(new Uint8Array(readFileSync(horsePath)), 'image/png');
    const job = await api.createJob({ upload_key: upload, prompt: 'horse', engine: 'lite' });
    await api.waitJob(job.body.job_id);
    const usage = await cli(['keys', 'usage', '--tenant', 'cli-admin']);
    expect(usage.stdout).toMatch(/lite\s+job\s+1\s+0\s+1/);
    expect(usage.stdout).toMatch(/total billable: 1/);

    const revoked = await cli(['keys', 'revoke', key]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`revoked ${key_id}`));
    expect((await api.request('GET', '/v1/usage')).status).toBe(401);
    expect((await cli(['keys', 'revoke', 'nosuchkeyid00000'])).code).toBe(5);
  });

  it('says what to do when local mode never ran in that folder', async () => {
    const r = await main(['node', 'promptseg', 'keys', 'list'], { stdout: sink(), stderr: sink(), env: { PROMPTSEG_DATA_DIR: join(work, 'nothing-here') } });
    expect(r).toBe(5);
  });
});

describe('promptseg segment --api', () => {
  it('writes the same files as a local run, and a rerun resumes (skips) without new jobs', async () => {
    const key = (JSON.parse((await cli(['keys', 'create', '--tenant', 'cli-seg', '--json'])).stdout) as { key: string }).key;
    const viaApi = join(work, 'api');
    const local = join(work, 'local');
    const common = [horsePath, '-p', 'horse', '--engine', 'lite', '--format', 'json,overlay,mask,npy'];
    const r1 = await cli(['segment', ...common, '--out', viaApi, '--api', stack.apiUrl, '--key', key]);
    expect(r1.code, r1.stderr).toBe(0);
    const r2 = await cli(['segment', ...common, '--out', local]);
    expect(r2.code, r2.stderr).toBe(0);

    const files = (d: string) => readdirSync(d).filter((f) => !f.startsWith('.')).sort();
    expect(files(viaApi)).toEqual(files(local));
    expect(files(viaApi)).toEqual(expect.arrayContaining(['horse.json', 'horse.overlay.png', 'horse.masks.npy']));
    for (const f of files(local)) {
      if (f.endsWith('.json')) {
        expect(stableResult(JSON.parse(readFileSync(join(viaApi, f), 'utf8')))).toEqual(stableResult(JSON.parse(readFileSync(join(local, f), 'utf8'))));
      } else {
        expect(readFileSync(join(viaApi, f)).equals(readFileSync(join(local, f))), f).toBe(true);
      }
    }

    const again = await cli(['segment', ...common, '--out', viaApi, '--api', stack.apiUrl, '--key', key]);
    expect(again.code).toBe(0);
    const usage = await stack.client(key).request<{ total_billable: number }>('GET', '/v1/usage');
    expect(usage.body.total_billable).toBe(1);
  });

  it('a bad key fails with the API’s error and its exit code', async () => {
    const r = await cli(['segment', horsePath, '-p', 'horse', '--out', join(work, 'bad'), '--api', stack.apiUrl, '--key', 'psk_wrong']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/API key is malformed/);
  });
});
