/**
 * Test helper: a synthetic outcome (image + masks + result document) built from shapes, so the
 * exporters and the CLI can be checked without running a model.
 */
import { encodeRle, maskArea, maskBox, type Mask, type MaskPolygons, type SegmentResult } from '@promptseg/shared';
import { createHash } from 'node:crypto';
import type { DecodedImage } from '../io/image.js';
import type { ExportableOutcome } from './index.js';

export function rectMask(width: number, height: number, x0: number, y0: number, x1: number, y1: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 1;
  return { width, height, data };
}

export function discMask(width: number, height: number, cx: number, cy: number, r: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * width + x] = 1;
  return { width, height, data };
}

/** A gradient image (pixel values vary, so copying the wrong pixel shows). */
export function gradientImage(width: number, height: number, alpha?: (x: number, y: number) => number): DecodedImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    data[i] = (x * 255) / (width - 1);
    data[i + 1] = (y * 255) / (height - 1);
    data[i + 2] = 90;
  }
  const img: DecodedImage = { width, height, data, format: 'png', hash: createHash('sha256').update(data).digest('hex') };
  if (alpha) {
    img.alpha = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img.alpha[y * width + x] = alpha(x, y);
  }
  return img;
}

export function syntheticOutcome(image: DecodedImage, parts: { label: string; score: number; mask: Mask }[]): ExportableOutcome {
  const sorted = [...parts].sort((a, b) => b.score - a.score);
  const result: SegmentResult = {
    image: { path: 'synthetic.png', width: image.width, height: image.height },
    prompt: sorted.map((p) => p.label).join(', '),
    engine: 'lite',
    concepts: [...new Set(sorted.map((p) => p.label))].map((text) => ({ text, status: 'ok', label: text })),
    instances: sorted.map((p, k) => ({
      id: k + 1, // as segment() numbers them
      label: p.label,
      concept: p.label,
      score: p.score,
      box: maskBox(p.mask),
      area: maskArea(p.mask),
      rle: encodeRle(p.mask),
    })),
    timings_ms: { total: 1 },
  };
  return { result, masks: sorted.map((p) => p.mask), image };
}

/**
 * Test-side rasteriser, independent of the tracer: a pixel is inside when its centre
 * (x + 0.5, y + 0.5) is inside an odd number of the rings (even-odd rule, so holes cut out).
 */
export function rasterizePolygons(polygons: MaskPolygons, width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  const rings = polygons.flat();
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    const xs: number[] = [];
    for (const r of rings) {
      for (let i = 0; i + 1 < r.length; i++) {
        const [x0, y0] = r[i], [x1, y1] = r[i + 1];
        if ((y0 <= cy) !== (y1 <= cy)) xs.push(x0 + ((cy - y0) / (y1 - y0)) * (x1 - x0));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let x = Math.max(0, Math.ceil(xs[k] - 0.5)); x < width && x + 0.5 < xs[k + 1]; x++) data[y * width + x] = 1;
    }
  }
  return { width, height, data };
}
