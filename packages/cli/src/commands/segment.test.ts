import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeImage } from '@promptseg/model';
import { PromptsegError, type SegmentResult } from '@promptseg/shared';
import type { CliContext } from '../context.js';
import type { Processor } from '../processor.js';
import { parseConcurrency, parseFormats, parsePixelCount, parsePrompt, parseSegmentOptions, segmentCommand, settingsFromFlags } from './segment.js';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof PromptsegError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
}

describe('segment flags', () => {
  it('reads --format lists', () => {
    expect(parseFormats(undefined)).toEqual(['json', 'overlay']);
    expect(parseFormats('npy, mask,JSON')).toEqual(['json', 'mask', 'npy']);
    expect(parseFormats('all')).toEqual(['json', 'cutout', 'mask', 'overlay', 'npy', 'geojson', 'coco', 'yolo', 'labelstudio']);
    expect(parseFormats('coco, geojson')).toEqual(['geojson', 'coco']);
    expect(parseFormats('none')).toEqual([]);
    expect(code(() => parseFormats('json,png'))).toBe('invalid_option: --format: unknown format "png".');
  });

  it('checks the segmentation options with the shared schema, naming the flag', () => {
    expect(parseSegmentOptions({})).toEqual({ threshold: 0.5, refine: 'standard', engine: 'auto' });
    expect(parseSegmentOptions({ threshold: '0.3', topK: '2', refine: 'fine', engine: 'lite' })).toEqual({ threshold: 0.3, refine: 'fine', topK: 2, engine: 'lite' });
    expect(code(() => parseSegmentOptions({ threshold: '0.95' }))).toMatch(/^invalid_option: --threshold: threshold must be between 0.1 and 0.9/);
    expect(code(() => parseSegmentOptions({ threshold: 'high' }))).toMatch(/^invalid_option: --threshold: "high" is not a number/);
    expect(code(() => parseSegmentOptions({ topK: '1.5' }))).toMatch(/^invalid_option: --top-k: top_k must be a whole number/);
    expect(code(() => parseSegmentOptions({ topK: '0' }))).toMatch(/^invalid_option: --top-k/);
  });

  it('reads pixel counts, concurrency and prompts', () => {
    expect(parsePixelCount('40000000', '--max-pixels')).toBe(40_000_000);
    expect(parsePixelCount('4e7', '--max-pixels')).toBe(40_000_000);
    expect(parsePixelCount('12.5M', '--max-pixels')).toBe(12_500_000);
    expect(code(() => parsePixelCount('lots', '--max-pixels'))).toMatch(/^invalid_option: --max-pixels/);
    expect(parseConcurrency(undefined)).toBe(1);
    expect(code(() => parseConcurrency('0'))).toMatch(/^invalid_option: --concurrency/);
    expect(code(() => parsePrompt('   '))).toBe('invalid_prompt: The prompt is empty.');
    expect(code(() => parsePrompt('x'.repeat(2001)))).toMatch(/^invalid_prompt: The prompt is 2001 characters/);
  });

  it('takes the pixel limit from PROMPTSEG_MAX_PIXELS unless --max-pixels is given', () => {
    const base = { prompt: 'cup', out: 'promptseg-out' };
    expect(settingsFromFlags(base, { PROMPTSEG_MAX_PIXELS: '10M' }, '/tmp').maxPixels).toBe(10_000_000);
    expect(settingsFromFlags({ ...base, maxPixels: '5000' }, { PROMPTSEG_MAX_PIXELS: '10M' }, '/tmp').maxPixels).toBe(5000);
    expect(settingsFromFlags(base, {}, '/tmp').maxPixels).toBeUndefined();
    expect(code(() => settingsFromFlags(base, { PROMPTSEG_MAX_PIXELS: 'x' }, '/tmp'))).toMatch(/PROMPTSEG_MAX_PIXELS/);
    expect(settingsFromFlags(base, {}, '/tmp').outDisplay).toBe('promptseg-out/');
  });
});

describe('which engine ran', () => {
  /** A stand-in processor answering like segment() would for the engine the options name. */
  const processor = (engines: string[]): (() => Promise<Processor>) => async () => ({
    async process(req) {
      const engine = req.options.engine === 'auto' ? (engines.shift() ?? 'lite') : (req.options.engine ?? 'lite');
      const result: SegmentResult = {
        image: { path: req.path, width: 8, height: 6 },
        prompt: req.prompt,
        engine: engine as SegmentResult['engine'],
        engine_reason: req.options.engine === 'auto' ? `auto: sam3 not installed; using ${engine}` : `${engine}: requested`,
        concepts: [{ text: req.prompt, status: 'ok', label: req.prompt }],
        instances: [],
        timings_ms: { total: 1 },
      };
      return { result, files: [] };
    },
  });

  async function run(args: string[], make: () => Promise<Processor>) {
    const dir = mkdtempSync(join(tmpdir(), 'promptseg-engine-line-'));
    try {
      const png = await encodeImage({ width: 8, height: 6, channels: 3, data: new Uint8Array(8 * 6 * 3) }, 'png');
      for (const n of ['a.png', 'b.png', 'c.png']) writeFileSync(join(dir, n), png);
      let stdout = '', stderr = '';
      const ctx: CliContext = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, setExitCode: () => {} };
      await segmentCommand(ctx, make).exitOverride().parseAsync([...args.map((a) => a.replace('$DIR', dir)), '--out', join(dir, 'out'), '--format', 'none'], { from: 'user' });
      return { stdout, stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('--engine auto (the default) says on stderr which engine ran and why; --json stdout stays one document', async () => {
    const r = await run(['$DIR/a.png', '-p', 'cup', '--json'], processor(['lite']));
    expect(r.stderr).toContain('engine: lite (auto: sam3 not installed; using lite)\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ engine: 'lite' });
    expect(r.stdout).not.toContain('engine: lite (');
  });

  it('says it once per batch, and again only when the engine changes', async () => {
    const r = await run(['$DIR', '-p', 'cup', '--engine', 'auto'], processor(['lite', 'lite', 'sam3']));
    expect(r.stderr.match(/^engine: .*$/gm)).toEqual(['engine: lite (auto: sam3 not installed; using lite)', 'engine: sam3 (auto: sam3 not installed; using sam3)']);
  });

  it('an engine the user named is not announced', async () => {
    const r = await run(['$DIR/a.png', '-p', 'cup', '--engine', 'lite'], processor([]));
    expect(r.stderr).not.toMatch(/^engine: /m);
  });
});

describe('polygon flags', () => {
  it('reads --polygons and --polygon-tolerance, refusing a tolerance out of range', () => {
    const base = { prompt: 'cup', out: 'promptseg-out' };
    expect(settingsFromFlags(base, {}, '/tmp')).toMatchObject({ polygons: false, tolerance: 1 });
    expect(settingsFromFlags({ ...base, polygons: true, polygonTolerance: '0' }, {}, '/tmp')).toMatchObject({ polygons: true, tolerance: 0 });
    expect(code(() => settingsFromFlags({ ...base, polygonTolerance: '-1' }, {}, '/tmp'))).toMatch(/^invalid_option: --polygon-tolerance: -1 is outside 0–20 pixels/);
    expect(code(() => settingsFromFlags({ ...base, polygonTolerance: 'fine' }, {}, '/tmp'))).toMatch(/^invalid_option: --polygon-tolerance: "fine" is not a number/);
  });
});
