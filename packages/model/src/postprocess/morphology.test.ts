import { describe, expect, it } from 'vitest';
import { maskArea, maskIoU, type Mask } from '@promptseg/shared';
import type { RgbImage } from '../io/image.js';
import { connectedComponents, fillHoles, removeSmallIslands, smoothBoundary } from './morphology.js';

function draw(w: number, h: number, inside: (x: number, y: number) => boolean): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = inside(x, y) ? 1 : 0;
  return { width: w, height: h, data };
}

describe('mask clean-up', () => {
  it('labels 8-connected components', () => {
    const m = draw(6, 3, (x, y) => (x === 0 && y === 0) || (x === 1 && y === 1) || x === 5);
    const c = connectedComponents(6, 3, (i) => m.data[i] === 1);
    expect(c.sizes.sort()).toEqual([2, 3]);
  });

  it('removes specks but keeps the object and its sizeable parts', () => {
    const m = draw(100, 100, (x, y) => (x >= 10 && x < 60 && y >= 10 && y < 60) || (x >= 70 && x < 90 && y >= 70 && y < 90) || (x === 95 && y === 5));
    const out = removeSmallIslands(m);
    expect(out.data[5 * 100 + 95]).toBe(0);
    expect(maskArea(out)).toBe(2500 + 400);
  });

  it('fills small holes and leaves large openings (a handle, a ring) open', () => {
    const ring = (x: number, y: number) => Math.hypot(x - 50, y - 50) < 40;
    const m = draw(100, 100, (x, y) => ring(x, y) && !(x >= 30 && x < 33 && y >= 30 && y < 33) && Math.hypot(x - 55, y - 55) >= 15);
    const out = fillHoles(m);
    expect(out.data[31 * 100 + 31]).toBe(1); // 9-pixel hole filled
    expect(out.data[55 * 100 + 55]).toBe(0); // ~700-pixel opening kept
  });

  it('snaps a boundary that is off by a few pixels onto the image edge', () => {
    // A dark disc on white; the mask is the same disc shifted 3 px right with a jagged edge.
    const W = 120, H = 120;
    const truth = draw(W, H, (x, y) => Math.hypot(x - 60, y - 60) < 35);
    const data = new Uint8Array(W * H * 3).fill(255);
    truth.data.forEach((v, i) => { if (v) data.fill(20, i * 3, i * 3 + 3); });
    const img: RgbImage = { width: W, height: H, data };
    const off = draw(W, H, (x, y) => Math.hypot(x - 63, y - 60) < 35 + ((x + y) % 3 === 0 ? 1.5 : 0));
    // IoU before: 0.89; a window reaching past the error (radius 6 > 3 px) recovers the disc.
    expect(maskIoU(smoothBoundary(off, img, 4), truth)).toBeGreaterThan(maskIoU(off, truth) + 0.05);
    expect(maskIoU(smoothBoundary(off, img, 6), truth)).toBeGreaterThan(0.98);
  });
});
