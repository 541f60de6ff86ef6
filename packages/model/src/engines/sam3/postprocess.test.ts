import { describe, expect, it } from 'vitest';
import { boxToPixels, MaskResizer, nearestMask, queryScores, resizeMaskLogits, selectQueries, sigmoid } from './postprocess.js';

/** Straight PyTorch F.interpolate(mode='bilinear', align_corners=False) of one value, as a reference. */
function torchBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number, x: number, y: number): number {
  const sx = Math.max(0, (x + 0.5) * (sw / dw) - 0.5), sy = Math.max(0, (y + 0.5) * (sh / dh) - 0.5);
  const x0 = Math.min(Math.floor(sx), sw - 1), y0 = Math.min(Math.floor(sy), sh - 1);
  const x1 = Math.min(x0 + 1, sw - 1), y1 = Math.min(y0 + 1, sh - 1);
  const lx = sx - x0, ly = sy - y0;
  const v = (xx: number, yy: number) => src[yy * sw + xx];
  return (1 - ly) * ((1 - lx) * v(x0, y0) + lx * v(x1, y0)) + ly * ((1 - lx) * v(x0, y1) + lx * v(x1, y1));
}

/**
 * The plain separable resize the optimised path must reproduce bit for bit: every output pixel
 * computed, no skipping, with the same float32 horizontal pass and sampling rule.
 */
function referenceMask(src: Float32Array, offset: number, sw: number, sh: number, dw: number, dh: number): Uint8Array {
  const axis = (n: number, m: number) => Array.from({ length: m }, (_, d) => {
    const p = Math.max(0, (d + 0.5) * (n / m) - 0.5);
    const i0 = Math.min(Math.floor(p), n - 1);
    return { i0, i1: Math.min(i0 + 1, n - 1), f: Math.fround(p - i0) };
  });
  const X = axis(sw, dw), Y = axis(sh, dh);
  const rows = Array.from({ length: sh }, (_, y) => Float32Array.from(X, ({ i0, i1, f }) => {
    const a = src[offset + y * sw + i0];
    return a + (src[offset + y * sw + i1] - a) * f;
  }));
  const out = new Uint8Array(dw * dh);
  Y.forEach(({ i0, i1, f }, y) => {
    for (let x = 0; x < dw; x++) {
      const t = rows[i0][x];
      out[y * dw + x] = t + (rows[i1][x] - t) * f > 0 ? 1 : 0;
    }
  });
  return out;
}

describe('score rule and threshold', () => {
  it('score = sigmoid(logit) x sigmoid(presence); without presence sigmoid(logit)', () => {
    const logits = Float32Array.from([2, 0, -1]);
    expect(Array.from(queryScores(logits, 1.5))).toEqual([2, 0, -1].map((l) => Math.fround(sigmoid(l) * sigmoid(1.5))));
    expect(Array.from(queryScores(logits))).toEqual([2, 0, -1].map((l) => Math.fround(sigmoid(l))));
  });

  it('keeps scores at or above the threshold, best first, capped', () => {
    const scores = Float32Array.from([0.5, 0.49999, 0.9, 0.7, 0.1]);
    expect(selectQueries(scores, 0.5)).toEqual([2, 3, 0]);
    expect(selectQueries(scores, Math.fround(0.9))).toEqual([2]);
    expect(selectQueries(scores, 0.91)).toEqual([]);
    expect(selectQueries(scores, 0.1, 2)).toEqual([2, 3]);
  });
});

describe('boxes', () => {
  it('scales normalised xyxy by the original width and height of a non-square image', () => {
    expect(boxToPixels(0.25, 0.5, 0.75, 1, 200, 100)).toEqual([50, 50, 100, 50]);
    expect(boxToPixels(0.1, 0.2, 0.3, 0.4, 640, 480)).toEqual([64, 96, 128, 96].map((v, i) => (i < 2 ? v : v)));
  });

  it('clips to the image and orders the corners', () => {
    expect(boxToPixels(-0.1, 0.9, 1.2, 0.5, 100, 50)).toEqual([0, 25, 100, 20]);
  });
});

describe('mask resize and binarisation', () => {
  it('equals bilinear (align_corners=false) resize of the logits then logit > 0, up and down, on random logits', () => {
    let seed = 7;
    const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed / 2 ** 32) * 2 - 1; };
    for (const [sw, sh, dw, dh] of [[16, 16, 200, 100], [16, 16, 37, 91], [8, 6, 5, 3], [16, 16, 16, 16]]) {
      // Mostly negative with a few positive blobs, like real masks.
      const src = Float32Array.from({ length: sw * sh }, () => rnd() - 0.4);
      const m = resizeMaskLogits(src, 0, sw, sh, dw, dh);
      let mismatches = 0;
      for (let y = 0; y < dh; y++) for (let x = 0; x < dw; x++) {
        const want = torchBilinear(src, sw, sh, dw, dh, x, y) > 0 ? 1 : 0;
        if (m.data[y * dw + x] !== want) mismatches++;
      }
      expect(mismatches, `${sw}x${sh} -> ${dw}x${dh}`).toBe(0);
      if (dw >= sw) expect(m.data.includes(1)).toBe(true);
    }
  });

  it('the optimised path equals the plain full resize bit for bit on random logits, non-square, up and down', () => {
    let seed = 11;
    const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
    // Logit fields: sparse blobs (like real masks), dense noise (many sign changes), values
    // near zero (ties with the threshold), and awkward values (exact zeros, ±Infinity, NaN,
    // subnormals, huge ratios between neighbours).
    const awkward = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1e-30, 3e38, -3e38];
    const fields: [string, (i: number) => number][] = [
      ['blobs', () => (rnd() < 0.08 ? 5 * rnd() : -5 * rnd())],
      ['noise', () => rnd() * 2 - 1],
      ['near zero', () => (rnd() - 0.5) * 1e-6],
      ['awkward', () => (rnd() < 0.3 ? awkward[Math.floor(rnd() * awkward.length)] : rnd() * 4 - 2)],
    ];
    const sizes = [[12, 9, 641, 359], [9, 12, 37, 91], [16, 10, 640, 480], [20, 14, 7, 5], [13, 7, 13, 7], [5, 3, 1000, 3], [1, 1, 4, 3]];
    for (const [sw, sh, dw, dh] of sizes) {
      const resizer = new MaskResizer(sw, sh, dw, dh);
      for (const [name, value] of fields) {
        // Two queries back to back, so the offset is exercised too.
        const src = Float32Array.from({ length: 2 * sw * sh }, (_, i) => value(i));
        for (const q of [0, 1]) {
          const want = referenceMask(src, q * sw * sh, sw, sh, dw, dh);
          const { mask, area } = resizer.resize(src, q * sw * sh);
          expect([mask.width, mask.height]).toEqual([dw, dh]);
          const mismatch = mask.data.findIndex((v, i) => v !== want[i]);
          expect(mismatch, `${name} ${sw}x${sh} -> ${dw}x${dh} query ${q}: first differing pixel`).toBe(-1);
          expect(area).toBe(want.reduce((a, v) => a + v, 0));
        }
      }
    }
  });

  it('puts a +10/-10 cell boundary exactly on the pixel boundary it maps to', () => {
    // 16x16 grid, cells x >= 4 positive: the edge at 4/16 of 200 px = x 50.
    const src = Float32Array.from({ length: 256 }, (_, i) => (i % 16 >= 4 ? 10 : -10));
    const m = resizeMaskLogits(src, 0, 16, 16, 200, 100);
    expect(m.data[49]).toBe(0);
    expect(m.data[50]).toBe(1);
    expect(m.data[99 * 200 + 199]).toBe(1);
  });

  it('reads the query at its offset and leaves an all-negative query empty', () => {
    const src = new Float32Array(2 * 4 * 4).fill(-5);
    src[16 + 5] = 5;
    expect(resizeMaskLogits(src, 0, 4, 4, 8, 8).data.includes(1)).toBe(false);
    expect(resizeMaskLogits(src, 16, 4, 4, 8, 8).data.includes(1)).toBe(true);
  });

  it('fast level: nearest-neighbour blocks of the low-resolution decision', () => {
    const src = Float32Array.from([1, -1, -1, 1]);
    const { mask, area } = nearestMask(src, 0, 2, 2, 4, 2);
    expect(Array.from(mask.data)).toEqual([1, 1, 0, 0, 0, 0, 1, 1]);
    expect(area).toBe(4);
  });
});
