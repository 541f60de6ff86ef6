/**
 * Done-when of the sam3 issue, end to end through the real `promptseg` bin: stand-in SAM 3 files
 * (test/sam3-fixture) served by a local HTTP server on 127.0.0.1 are installed with
 * `promptseg models pull sam3 --source <url>`, then `promptseg segment img --prompt "squirrel"
 * --engine sam3` writes the same JSON schema and output files as the lite engine.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage, readRawPixels } from '@promptseg/model';
import { decodeRle, maskBox, rleArea, type SegmentResult } from '@promptseg/shared';
import { startModelServer, type ModelServer } from '../packages/model/test/model-server.js';
import { writeSam3Fixture } from '../packages/model/test/sam3-fixture/index.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(repo, 'packages/cli/bin/promptseg.mjs');

interface Run { code: number; stdout: string; stderr: string }
function promptseg(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd: work, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0', ...env } }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let work: string;
let server: ModelServer;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sam3-cli-'));
  const src = join(work, 'export');
  const files = writeSam3Fixture(src, { layout: 'A' });
  server = await startModelServer(Object.fromEntries(files.map((f) => [f, new Uint8Array(readFileSync(join(src, f)))])));
  // 300x200 photo stand-in: a red object on the left, blue-grey elsewhere.
  const width = 300, height = 200, data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < 120 && y > 40 ? [230, 20, 20] : [80, 90, 160], (y * width + x) * 3);
  writeFileSync(join(work, 'park.png'), await encodeImage({ width, height, channels: 3, data }, 'png'));
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('promptseg with the sam3 engine (stand-in model files)', () => {
  it('models pull → list → verify → segment --engine sam3, same schema and files as lite', async () => {
    const env = { PROMPTSEG_HOME: join(work, 'home') };
    const before = await promptseg(['segment', join(work, 'park.png'), '--prompt', 'squirrel', '--engine', 'sam3', '--out', join(work, 'none')], env);
    expect(before.code).toBe(4); // engine_unavailable: not installed yet
    expect(before.stderr).toMatch(/models pull sam3/);

    const pull = await promptseg(['models', 'pull', 'sam3', '--source', server.base], env);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toMatch(/^installed sam3 fp32 from http:\/\/127\.0\.0\.1:\d+\/files\/ in /);
    expect(pull.stderr).toMatch(/SAM License/);

    const list = await promptseg(['models', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ model: 'sam3', installed: true, variant: 'fp32' })]);
    const verify = await promptseg(['models', 'verify'], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/loads: Layout A .*input 56x56.* 200 queries, masks 16x16, 32 tokens, box prompts yes/);

    const out = join(work, 'out');
    const r = await promptseg(['segment', join(work, 'park.png'), '--prompt', 'squirrel', '--engine', 'sam3', '--json', '--format', 'all', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/sam3: Layout A/);
    const doc = JSON.parse(r.stdout) as SegmentResult;
    expect(doc.engine).toBe('sam3');
    expect(doc.engine_reason).toBe('sam3: requested');
    expect(doc.concepts).toEqual([{ text: 'squirrel', status: 'ok', label: 'squirrel' }]);
    expect(doc.instances.length).toBeGreaterThan(0);
    for (const inst of doc.instances) {
      expect([inst.label, inst.concept]).toEqual(['squirrel', 'squirrel']);
      expect(inst.rle.size).toEqual([200, 300]);
      expect(inst.area).toBe(rleArea(inst.rle));
      expect(inst.box).toEqual(maskBox(decodeRle(inst.rle)));
      expect(inst.why?.source).toMatch(/^sam3 usls: "squirrel" query \d+$/);
    }
    // The same files, named the same way, as the lite engine writes (README, "CLI").
    const names = readdirSync(out).filter((f) => !f.startsWith('.')).sort(); // .promptseg-done: the batch runner's resume record
    const perInstance = doc.instances.flatMap((i) => [`park.cutout-${i.id}-squirrel.png`, `park.mask-${i.id}-squirrel.png`]);
    // `all` also writes the batch's dataset files (COCO, Label Studio, YOLO) and the image's GeoJSON.
    const dataset = ['instances.json', 'labelstudio-config.xml', 'labelstudio.json', 'park.geojson', 'yolo'];
    expect(names).toEqual(['park.cutout.png', 'park.json', 'park.masks.npy', 'park.overlay.png', ...perInstance, ...dataset].sort());
    expect(JSON.parse(readFileSync(join(out, 'park.json'), 'utf8'))).toEqual(doc);
    const first = doc.instances[0];
    const png = await readRawPixels(readFileSync(join(out, `park.mask-${first.id}-squirrel.png`)));
    expect(Buffer.from(png.data).equals(Buffer.from(decodeRle(first.rle).data.map((v) => v * 255)))).toBe(true);

    // A box prompt (exemplar) on the CLI reaches the model: the fixture echoes it as an object.
    const boxed = await promptseg(['segment', join(work, 'park.png'), '--prompt', 'squirrel', '--engine', 'sam3', '--box', '200,20,60,50', '--json', '--format', 'json', '--out', join(work, 'boxed')], env);
    expect(boxed.code, boxed.stderr).toBe(0);
    const boxedDoc = JSON.parse(boxed.stdout) as SegmentResult;
    expect(boxedDoc.instances.some((i) => i.why?.source.endsWith('query 199'))).toBe(true);
  });

  it('explains a refused download with the auth exit code', async () => {
    server.faults.set('tokenizer.json', { status: 403 });
    try {
      const r = await promptseg(['models', 'pull', 'sam3', '--source', server.base], { PROMPTSEG_HOME: join(work, 'home-403') });
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/refused access .*HTTP 403/);
      expect(r.stderr).toMatch(/hint: /);
    } finally {
      server.faults.delete('tokenizer.json');
    }
  });
});
