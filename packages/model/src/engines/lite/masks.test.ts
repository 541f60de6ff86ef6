import { describe, expect, it } from 'vitest';
import { maskArea } from '@promptseg/shared';
import type { RgbImage } from '../../io/image.js';
import { cellColours, chamferDistance, lowResToMask, samplePoints, spansBox } from './masks.js';
import type { SamImageEmbedding } from './sam.js';

// A 512 x 256 image: SAM's frame scale is 1024 / 512 = 2, so one low-res cell is 2 px.
const emb: SamImageEmbedding = { data: new Float32Array(0), width: 512, height: 256, scale: 2, sessionMs: 0 };

function lowResWhere(inside: (cx: number, cy: number) => boolean): Float32Array {
  const lr = new Float32Array(256 * 256).fill(-5);
  for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) if (inside(x, y)) lr[y * 256 + x] = 5;
  return lr;
}

describe('SAM low-res masks', () => {
  it('upscales the low-res grid to the original frame (fast refinement)', () => {
    const m = lowResToMask(lowResWhere((x, y) => x < 64 && y < 32), emb);
    expect(m.width).toBe(512);
    expect(m.height).toBe(256);
    expect(Math.abs(maskArea(m) - 128 * 64)).toBeLessThan(200);
    expect(m.data[10 * 512 + 10]).toBe(1);
    expect(m.data[100 * 512 + 300]).toBe(0);
  });

  it('computes distances to the boundary', () => {
    const inside = new Uint8Array(11 * 11).fill(1);
    const d = chamferDistance(inside, 11, 11);
    expect(d[5 * 11 + 5]).toBeGreaterThan(d[1 * 11 + 1]);
    expect(d[0]).toBeLessThanOrEqual(1);
  });

  it('finds background that leaked into a mask and samples a negative point there', () => {
    // Black square object (x 40..200, y 40..200 px) on white; the mask also takes in a white
    // block (x 200..300) touching the white background: a leak.
    const img: RgbImage = { width: 512, height: 256, data: new Uint8Array(512 * 256 * 3).fill(255) };
    for (let y = 40; y < 200; y++) for (let x = 40; x < 200; x++) img.data.fill(0, (y * 512 + x) * 3, (y * 512 + x) * 3 + 3);
    const lr = lowResWhere((x, y) => x >= 20 && x < 150 && y >= 20 && y < 100);
    const pts = samplePoints(lr, emb, cellColours(img, emb), 2, 2);
    const neg = pts.filter((p) => !p.positive), pos = pts.filter((p) => p.positive);
    expect(neg).toHaveLength(1);
    expect(neg[0].x).toBeGreaterThan(200);
    expect(neg[0].x).toBeLessThan(300);
    expect(pos.length).toBeGreaterThan(0);
    for (const p of pos) expect(p.x).toBeLessThan(200);
  });

  it('leaves a mask alone when the background has its colour all around (cup on a saucer)', () => {
    const img: RgbImage = { width: 512, height: 256, data: new Uint8Array(512 * 256 * 3).fill(120) };
    const lr = lowResWhere((x, y) => x >= 20 && x < 150 && y >= 20 && y < 100);
    expect(samplePoints(lr, emb, cellColours(img, emb), 2, 2).filter((p) => !p.positive)).toHaveLength(0);
  });

  it('tells whether a mask spans its prompt box (a helper point that hit the object) or not', () => {
    const W = 100, H = 80;
    const blob = (x0: number, y0: number, x1: number, y1: number) => {
      const logits = new Float32Array(W * H).fill(-3);
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) logits[y * W + x] = 3;
      return { logits, width: W, height: H };
    };
    expect(spansBox(blob(12, 10, 88, 70), [10, 10, 90, 70])).toBe(true);
    expect(spansBox(blob(40, 30, 60, 50), [10, 10, 90, 70])).toBe(false); // a patch of background around the point
    expect(spansBox(blob(0, 0, 0, 0), [10, 10, 90, 70])).toBe(false); // empty
  });
});
