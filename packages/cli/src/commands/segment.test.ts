import { describe, expect, it } from 'vitest';
import { PromptsegError } from '@promptseg/shared';
import { parseConcurrency, parseFormats, parsePixelCount, parsePrompt, parseSegmentOptions, settingsFromFlags } from './segment.js';

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
    expect(parseFormats('all')).toEqual(['json', 'cutout', 'mask', 'overlay', 'npy']);
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
