// `npm start`'s program: local mode comes up on 127.0.0.1, prints the API URL and a dev key,
// answers with that key, and reuses the key on the next start.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'ps-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts local mode on free ports and resolves with what it printed once ready. */
function start(): Promise<{ child: ChildProcess; api: string; key: string; created: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/src/local/start.ts'], {
    env: { ...process.env, PROMPTSEG_DATA_DIR: dataDir, PROMPTSEG_PORT: '0', PROMPTSEG_S3_PORT: '0', PROMPTSEG_LAMBDA_PORT: '0', PROMPTSEG_WEB_DIR: join(dataDir, 'no-web') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const api = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const key = /dev key\s+(psk_\S+)/.exec(out)?.[1];
      const how = /\((created now|reused);/.exec(out)?.[1];
      if (api && key && how) resolve({ child, api, key, created: how === 'created now' });
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`local mode exited (${code}):\n${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('npm start (local mode)', () => {
  it('prints the API URL and a dev key that works; the key is reused on the next start', async () => {
    const first = await start();
    expect(first.created).toBe(true);
    const health = await fetch(`${first.api}/v1/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', storage: 'ok' });
    const usage = await fetch(`${first.api}/v1/usage`, { headers: { Authorization: `Bearer ${first.key}` } });
    expect(usage.status).toBe(200);
    expect(await usage.json()).toMatchObject({ tenant: 'dev' });
    const page = await fetch(`${first.api}/`);
    expect(await page.text()).toMatch(/web page is not built/);
    expect(await stop(first.child)).toBe(0);

    const second = await start();
    expect(second.created).toBe(false);
    expect(second.key).toBe(first.key);
    expect((await fetch(`${second.api}/v1/usage`, { headers: { Authorization: `Bearer ${second.key}` } })).status).toBe(200);
    expect(await stop(second.child)).toBe(0);
  });
});
