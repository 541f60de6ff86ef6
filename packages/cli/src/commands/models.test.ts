import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';

const home = mkdtempSync(join(tmpdir(), 'models-cmd-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(['node', 'promptseg', ...args], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: { PROMPTSEG_HOME: home } });
  return { code, out, err };
}

describe('promptseg models', () => {
  it('list says what is missing and how to install it', async () => {
    const r = await run(['models', 'list']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sam3 {2}not installed \(.*\) {2}→ {2}promptseg models pull sam3\n$/);
  });

  it('verify and remove on a missing install', async () => {
    const v = await run(['models', 'verify']);
    expect(v.code).toBe(4);
    expect(v.err).toMatch(/not installed[\s\S]*hint: Run: promptseg models pull sam3/);
    expect((await run(['models', 'remove', 'sam3'])).out).toBe('sam3 is not installed\n');
  });

  it('refuses unknown models, unknown variants and --from with --source', async () => {
    expect((await run(['models', 'pull', 'sam2'])).code).toBe(2);
    const v = await run(['models', 'pull', 'sam3', '--variant', 'int8']);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/int8/);
    const both = await run(['models', 'pull', 'sam3', '--from', home, '--source', 'usls']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--from and --source cannot be combined/);
  });
});
