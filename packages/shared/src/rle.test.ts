import { describe, expect, it } from 'vitest';
import { decodeRle, encodeRle, rleArea } from './rle.js';
import type { Mask } from './geometry.js';

function mask(rows: string[]): Mask {
  const h = rows.length, w = rows[0].length;
  const data = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (data[y * w + x] = c === '#' ? 1 : 0)));
  return { width: w, height: h, data };
}

describe('COCO RLE', () => {
  it('matches the string pycocotools produces for a known mask', () => {
    // Column-major runs are 4,1,2,1,1,1,2; from the 4th run on each is written as the
    // difference to the run two before (0, -1, 0, 1), -1 being the 5-bit group 31 + 48 = 'O'.
    const m = mask(['...#', '.##.', '....']);
    expect(encodeRle(m)).toEqual({ size: [3, 4], counts: '4120O01' });
  });

  it('round-trips random masks pixel for pixel, including large runs and negative deltas', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let t = 0; t < 30; t++) {
      const w = 1 + Math.floor(rand() * 300), h = 1 + Math.floor(rand() * 200);
      const data = new Uint8Array(w * h);
      const p = rand();
      for (let i = 0; i < data.length; i++) data[i] = rand() < p ? 1 : 0;
      const m = { width: w, height: h, data };
      const rle = encodeRle(m);
      expect(decodeRle(rle).data).toEqual(data);
      expect(rleArea(rle)).toBe(data.reduce((a, b) => a + b, 0));
    }
  });

  it('encodes an all-ones mask with a leading empty zero run', () => {
    const m = mask(['##', '##']);
    const rle = encodeRle(m);
    expect(decodeRle(rle).data).toEqual(new Uint8Array([1, 1, 1, 1]));
    expect(rle.counts.startsWith('0')).toBe(true);
  });

  it('rejects counts that do not cover the size', () => {
    expect(() => decodeRle({ size: [10, 10], counts: '41112' })).toThrow(/covers/);
  });
});
