/**
 * End to end: the real `promptseg` bin, spawned as a user would run it, on the sample images,
 * with the real lite engine. Checks the --json document against the schema, that every exported
 * file agrees with the RLE pixel for pixel, that numpy loads the .npy, EXIF orientation, and a
 * batch with a corrupt file, a rerun and --overwrite.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage, readRawPixels } from '@promptseg/model';
import { decodeRle, maskBox, maskIoU, rleArea, type SegmentResult } from '@promptseg/shared';
import { rasterizePolygons } from '../../model/src/export/testing.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(repo, 'packages/cli/bin/promptseg.mjs');
const SAMPLES = join(repo, 'web/public/samples');

interface Run { code: number; stdout: string; stderr: string }
function promptseg(args: string[], cwd: string): Promise<Run> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'promptseg-e2e-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Checks every field of a result document against the README's schema. */
function expectSchema(doc: SegmentResult): void {
  expect(Object.keys(doc)).toEqual(expect.arrayContaining(['image', 'prompt', 'engine', 'concepts', 'instances', 'timings_ms']));
  const { width, height } = doc.image;
  expect(Number.isInteger(width) && Number.isInteger(height)).toBe(true);
  expect(['lite', 'sam3']).toContain(doc.engine);
  for (const c of doc.concepts) {
    expect(typeof c.text).toBe('string');
    expect(['ok', 'unknown']).toContain(c.status);
    if (c.status === 'unknown') expect(c.message).toBeTruthy();
  }
  expect(new Set(doc.instances.map((i) => i.id)).size).toBe(doc.instances.length);
  doc.instances.forEach((inst, k) => {
    expect(Number.isInteger(inst.id) && inst.id >= 0).toBe(true);
    expect(typeof inst.label).toBe('string');
    expect(typeof inst.concept).toBe('string');
    expect(inst.score).toBeGreaterThan(0);
    expect(inst.score).toBeLessThanOrEqual(1);
    if (k > 0) expect(inst.score).toBeLessThanOrEqual(doc.instances[k - 1].score);
    expect(inst.rle.size).toEqual([height, width]);
    expect(typeof inst.rle.counts).toBe('string');
    const mask = decodeRle(inst.rle);
    expect(inst.area).toBe(rleArea(inst.rle));
    expect(inst.area).toBeGreaterThan(0);
    expect(inst.box).toEqual(maskBox(mask));
    const [x, y, w, h] = inst.box;
    expect(x >= 0 && y >= 0 && x + w <= width && y + h <= height).toBe(true);
  });
  for (const v of Object.values(doc.timings_ms)) expect(typeof v).toBe('number');
}

describe('promptseg segment (one image)', () => {
  it('--json prints one schema-valid document, and every output file matches its RLE', async () => {
    const out = join(work, 'one');
    const r = await promptseg(['segment', join(SAMPLES, 'coffee.png'), '--prompt', 'cup, rocket', '--json', '--format', 'all', '--polygons', '--out', out], work);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as SegmentResult; // stdout is exactly one document
    expectSchema(doc);
    expect([doc.image.width, doc.image.height]).toEqual([600, 400]);
    expect(doc.prompt).toBe('cup, rocket');
    expect(doc.concepts.map((c) => [c.text, c.status])).toEqual([['cup', 'ok'], ['rocket', 'unknown']]);
    expect(doc.instances.length).toBeGreaterThan(0);
    expect(doc.instances[0].label).toBe('cup');
    expect(doc.instances.every((i) => i.concept === 'cup')).toBe(true);

    // the written JSON is the printed one
    expect(JSON.parse(readFileSync(join(out, 'coffee.json'), 'utf8'))).toEqual(doc);

    // mask PNG == RLE, pixel for pixel; cut-out alpha == mask
    const image = await readRawPixels(readFileSync(join(SAMPLES, 'coffee.png')));
    for (const inst of doc.instances) {
      const rle = decodeRle(inst.rle).data;
      const png = await readRawPixels(readFileSync(join(out, `coffee.mask-${inst.id}-${inst.label}.png`)));
      expect([png.width, png.height, png.channels]).toEqual([600, 400, 1]);
      expect(Buffer.from(png.data).equals(Buffer.from(rle.map((v) => v * 255)))).toBe(true);
      const cut = await readRawPixels(readFileSync(join(out, `coffee.cutout-${inst.id}-${inst.label}.png`)));
      expect(cut.channels).toBe(4);
      let mismatches = 0;
      for (let p = 0; p < rle.length; p++) {
        if (cut.data[p * 4 + 3] !== (rle[p] ? 255 : 0)) mismatches++;
        if (rle[p] && cut.data[p * 4] !== image.data[p * image.channels]) mismatches++;
      }
      expect(mismatches).toBe(0);
    }

    // numpy loads the .npy: uint8 [N, H, W], each slice the instance's mask
    const py = 'import sys, json, numpy as np\na = np.load(sys.argv[1])\nprint(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "sums": [int(m.sum()) for m in a]}))';
    const np = await new Promise<string>((res, rej) => execFile('/usr/bin/python3', ['-c', py, join(out, 'coffee.masks.npy')], (e, so) => (e ? rej(e) : res(so))));
    expect(JSON.parse(np)).toEqual({ shape: [doc.instances.length, 400, 600], dtype: 'uint8', sums: doc.instances.map((i) => i.area) });

    // --polygons: each instance's outline, rasterised back, is its mask; the dataset files are there
    for (const inst of doc.instances) {
      const mask = decodeRle(inst.rle);
      expect(maskIoU(rasterizePolygons(inst.polygons ?? [], mask.width, mask.height), mask)).toBeGreaterThanOrEqual(0.97);
    }
    const coco = JSON.parse(readFileSync(join(out, 'instances.json'), 'utf8'));
    expect(coco.annotations.map((a: { segmentation: unknown }) => a.segmentation)).toEqual(doc.instances.map((i) => i.rle));
    for (const f of ['coffee.geojson', 'yolo/data.yaml', 'yolo/labels/coffee.txt', 'labelstudio.json', 'labelstudio-config.xml']) expect(existsSync(join(out, f)), f).toBe(true);

    const overlay = await readRawPixels(readFileSync(join(out, 'coffee.overlay.png')));
    expect([overlay.width, overlay.height]).toEqual([600, 400]);
    expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('prints a readable table without --json, and errors with message, hint and exit code', async () => {
    const ok = await promptseg(['segment', join(SAMPLES, 'chelsea.png'), '-p', 'cat', '--out', join(work, 'table')], work);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/451x300 {2}engine lite/);
    expect(ok.stdout).toMatch(/^ {2}id +label +score +box x,y,w,h +area\n {2}1 +cat +0\.\d\d +\d+,\d+,\d+,\d+ +\d+$/m);
    expect(ok.stdout).toMatch(/wrote 2 file\(s\) to .*chelsea\.json, chelsea\.overlay\.png/);

    const missing = await promptseg(['segment', 'no-such.png', '-p', 'cat'], work);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/no-such\.png: no such file or folder[\s\S]*hint: /);

    const badOpt = await promptseg(['segment', join(SAMPLES, 'chelsea.png'), '-p', 'cat', '--format', 'gif'], work);
    expect(badOpt.code).toBe(2);
    expect(badOpt.stderr).toMatch(/--format: unknown format "gif"[\s\S]*hint: /);
  });

  it('refuses a decompression bomb with a clear message, and honours --max-pixels', async () => {
    // a real PNG whose header says 30000 x 30000 but whose data is tiny
    const { crc32, deflateSync } = await import('node:zlib');
    const chunk = (type: string, body: Buffer) => {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length);
      const tb = Buffer.concat([Buffer.from(type), body]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(tb) >>> 0);
      return Buffer.concat([head, tb, crc]);
    };
    const ihdr = Buffer.from([0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0]);
    const bomb = join(work, 'bomb.png');
    writeFileSync(bomb, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]));
    const r = await promptseg(['segment', bomb, '-p', 'cat', '--out', join(work, 'bomb-out')], work);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/30000x30000 \(900\.0 MP\), above the limit of 40\.0 MP[\s\S]*hint: .*--max-pixels/);

    const small = await promptseg(['segment', join(SAMPLES, 'horse.png'), '-p', 'horse', '--max-pixels', '100000', '--out', join(work, 'mp')], work);
    expect(small.code).toBe(3);
    expect(small.stderr).toMatch(/400x328 \(0\.1 MP\), above the limit of 0\.1 MP/);
  });
});

describe('promptseg segment (batch)', () => {
  const sumOfMtimes = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => statSync(join(dir, f)).mtimeMs).sort();

  it('finishes the good images past a corrupt one, resumes on a rerun, redoes with --overwrite; EXIF-rotated input gives upright masks', async () => {
    const inDir = join(work, 'batch-in');
    mkdirSync(inDir);
    copyFileSync(join(SAMPLES, 'horse.png'), join(inDir, 'horse.png'));
    // the same horse as a phone stores a portrait shot: pixels turned, EXIF orientation 6
    const up = await readRawPixels(readFileSync(join(SAMPLES, 'horse.png')));
    const W = up.width, H = up.height, C = up.channels;
    const turned = new Uint8Array(W * H * C);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const sx = y, sy = W - 1 - x; // displayed (x, y) sits at stored (y, W-1-x) for orientation 6
      turned.set(up.data.subarray((y * W + x) * C, (y * W + x + 1) * C), (sy * H + sx) * C);
    }
    writeFileSync(join(inDir, 'horse-rotated.png'), await encodeImage({ width: H, height: W, channels: C, data: turned }, 'png', { orientation: 6 }));
    writeFileSync(join(inDir, 'corrupt.jpg'), readFileSync(join(SAMPLES, 'rocket.jpg')).subarray(0, 300));
    const out = join(work, 'batch-out');

    const r1 = await promptseg(['segment', inDir, '-p', 'horse', '--out', out, '--format', 'json,mask'], work);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toMatch(/3 image\(s\): 2 segmented, 0 skipped \(outputs exist\), 1 failed/);
    expect(r1.stdout).toMatch(/corrupt\.jpg: .*JPEG[\s\S]*hint: /);
    expect(r1.stderr).toMatch(/^\[\d\/3\] FAIL .*corrupt\.jpg/m);
    const a = JSON.parse(readFileSync(join(out, 'horse.json'), 'utf8')) as SegmentResult;
    const b = JSON.parse(readFileSync(join(out, 'horse-rotated.json'), 'utf8')) as SegmentResult;
    expect(a.instances[0].label).toBe('horse');
    // upright size and the very same masks as the upright file
    expect([b.image.width, b.image.height]).toEqual([W, H]);
    expect(b.instances.map((i) => [i.label, i.box, i.rle])).toEqual(a.instances.map((i) => [i.label, i.box, i.rle]));

    const before = sumOfMtimes(out);
    const r2 = await promptseg(['segment', inDir, '-p', 'horse', '--out', out, '--format', 'json,mask'], work);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toMatch(/0 segmented, 2 skipped \(outputs exist\), 1 failed/);
    expect(sumOfMtimes(out)).toEqual(before);

    const r3 = await promptseg(['segment', join(inDir, 'horse.png'), '-p', 'horse', '--out', out, '--format', 'json,mask', '--overwrite'], work);
    expect(r3.code, r3.stderr).toBe(0);
    expect(statSync(join(out, 'horse.json')).mtimeMs).toBeGreaterThan(Math.max(...before));
    expect(statSync(join(out, 'horse-rotated.json')).mtimeMs).toBeLessThanOrEqual(Math.max(...before));
  });
});
