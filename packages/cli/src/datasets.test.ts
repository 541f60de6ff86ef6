/**
 * Dataset exports of a batch (COCO, YOLO, Label Studio) and GeoJSON, written by the real batch
 * runner and exporters over a stand-in model (discs, one with a hole), then read back by an
 * independent reader in Python (read_datasets.py: json + numpy + PyYAML; COCO RLE, PNG, Label
 * Studio RLE and polygons decoded there from their published formats).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, encodeImage, exportOutputs } from '@promptseg/model';
import { encodeRle, maskArea, maskBox, type Mask, type SegmentResult } from '@promptseg/shared';
import type { CliContext } from './context.js';
import { segmentCommand } from './commands/segment.js';
import type { Processor } from './processor.js';

const READER = join(dirname(fileURLToPath(import.meta.url)), 'read_datasets.py');
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'promptseg-datasets-'));
  mkdirSync(join(root, 'in'));
  // different sizes, so a coordinate normalised by the wrong image shows
  for (const [name, w, h] of [['a.png', 96, 72], ['b.png', 120, 64], ['c.png', 70, 100]] as const) {
    const data = new Uint8Array(w * h * 3).map((_, i) => (i * 7) % 256);
    writeFileSync(join(root, 'in', name), await encodeImage({ width: w, height: h, channels: 3, data }, 'png'));
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Concept k → a disc; the concept "ring" → a disc with a hole. */
function discs(calls: string[]): () => Promise<Processor> {
  return async () => ({
    async process(req) {
      const image = await decodeImage(req.bytes);
      calls.push(req.path);
      const { width: w, height: h } = image;
      const concepts = req.prompt.split(',').map((c) => c.trim());
      const masks: Mask[] = concepts.map((c, k) => {
        const data = new Uint8Array(w * h);
        const cx = w * (0.3 + 0.4 * k), cy = h / 2, r = Math.min(w, h) * 0.28;
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
          const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
          if (d2 <= r * r && !(c === 'ring' && d2 <= (r * 0.4) ** 2)) data[y * w + x] = 1;
        }
        return { width: w, height: h, data };
      });
      const result: SegmentResult = {
        image: { path: req.path, width: w, height: h }, prompt: req.prompt, engine: 'lite',
        concepts: concepts.map((text) => ({ text, status: 'ok', label: text })),
        instances: masks.map((m, k) => ({ id: k + 1, label: concepts[k], concept: concepts[k], score: 0.9 - k * 0.1, box: maskBox(m), area: maskArea(m), rle: encodeRle(m) })),
        timings_ms: { total: 1 },
      };
      return { result, files: await exportOutputs({ result, masks, image }, req.formats, req.baseName, { tolerance: req.tolerance }) };
    },
  });
}

async function run(args: string[], make: () => Promise<Processor>) {
  let stdout = '', stderr = '', code = 0;
  const ctx: CliContext = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, setExitCode: (c) => (code = c) };
  await segmentCommand(ctx, make).exitOverride().parseAsync(args, { from: 'user' });
  return { code, stdout, stderr };
}

interface Readback {
  coco: { images: string[]; annotations: number; categories: string[] };
  geojson_min_iou: number;
  yolo: { names: string[]; labels: number; iou: Record<string, number>; recall: Record<string, number> };
  labelstudio: { tasks: number; exact_masks: number; config_labels: string[] };
}
const readBack = (out: string): Readback => JSON.parse(execFileSync('python3', [READER, out], { encoding: 'utf8' }));

describe('dataset exports of a batch', () => {
  it('writes COCO, YOLO, Label Studio and GeoJSON that independent readers decode to the masks', async () => {
    const out = join(root, 'out1');
    const r = await run([join(root, 'in', 'a.png'), join(root, 'in', 'b.png'), '-p', 'ring, cup', '--out', out, '--format', 'mask,geojson,coco,yolo,labelstudio'], discs([]));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dataset over 2 image\(s\) in .*: instances\.json, yolo\/data\.yaml \+ 2 label file\(s\) in yolo\/labels\/, labelstudio\.json, labelstudio-config\.xml/);
    const rb = readBack(out);
    expect(rb.coco).toEqual({ images: ['a', 'b'], annotations: 4, categories: ['cup', 'ring'] });
    expect(rb.geojson_min_iou).toBeGreaterThanOrEqual(0.97);
    expect(rb.yolo.names).toEqual(['cup', 'ring']);
    for (const [k, v] of Object.entries(rb.yolo.recall)) expect(v, k).toBeGreaterThanOrEqual(0.97);
    // YOLO has no holes: objects without one come back whole, the ring comes back filled
    expect(rb.yolo.iou['a/cup']).toBeGreaterThanOrEqual(0.97);
    expect(rb.yolo.iou['b/cup']).toBeGreaterThanOrEqual(0.97);
    expect(rb.yolo.iou['a/ring']).toBeLessThan(0.95);
    expect(rb.labelstudio).toEqual({ tasks: 2, exact_masks: 4, config_labels: ['cup', 'ring'] });
    const yaml = readFileSync(join(out, 'yolo', 'data.yaml'), 'utf8');
    expect(yaml).toContain(`path: ${JSON.stringify(join(out, 'yolo'))}`);
  });

  it('keeps the dataset consistent on resume: images finished earlier and now are all in it', async () => {
    const out = join(root, 'out2');
    const fmt = ['--format', 'mask,coco,yolo,labelstudio'];
    await run([join(root, 'in', 'a.png'), '-p', 'cup', '--out', out, ...fmt], discs([]));
    expect(readBack(out).coco.images).toEqual(['a']);
    // a rerun over the folder: a is skipped (finished), b and c are new; the dataset covers all three
    const calls: string[] = [];
    const r = await run([join(root, 'in'), '-p', 'cup', '--out', out, ...fmt], discs(calls));
    expect(calls.map((p) => p.split('/').pop())).toEqual(['b.png', 'c.png']);
    expect(r.stdout).toMatch(/1 skipped/);
    let rb = readBack(out);
    expect(rb.coco).toEqual({ images: ['a', 'b', 'c'], annotations: 3, categories: ['cup'] });
    expect([rb.yolo.labels, rb.labelstudio.tasks]).toEqual([3, 3]);
    // nothing to do at all: the dataset is written again from the stored results, unchanged in content
    const before = JSON.parse(readFileSync(join(out, 'instances.json'), 'utf8'));
    const none: string[] = [];
    await run([join(root, 'in'), '-p', 'cup', '--out', out, ...fmt], discs(none));
    expect(none).toEqual([]);
    const after = JSON.parse(readFileSync(join(out, 'instances.json'), 'utf8'));
    expect({ ...after, info: undefined }).toEqual({ ...before, info: undefined });
    // a new prompt replaces every image, and the categories follow
    await run([join(root, 'in'), '-p', 'ring, cup', '--out', out, ...fmt], discs([]));
    rb = readBack(out);
    expect(rb.coco).toEqual({ images: ['a', 'b', 'c'], annotations: 6, categories: ['cup', 'ring'] });
  });
});
