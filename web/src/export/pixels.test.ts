import { describe, expect, it } from 'vitest';
import { decodeRle, encodeRle, type Mask } from '@promptseg/shared';
import { cutout, maskBytes, stackMasks, unionMask } from './pixels.js';

const W = 4, H = 3;
const image = { width: W, height: H, data: new Uint8ClampedArray(W * H * 4).map((_, i) => (i % 4 === 3 ? 255 : 100 + (i % 4))) };
const mask = (cells: number[]): Mask => {
  const data = new Uint8Array(W * H);
  for (const c of cells) data[c] = 1;
  return { width: W, height: H, data };
};

describe('cutout', () => {
  it('keeps the object and makes the background transparent, at full size', () => {
    const out = cutout(image, mask([1, 6]));
    expect([out.width, out.height]).toEqual([W, H]);
    const alpha = Array.from({ length: W * H }, (_, i) => out.data[i * 4 + 3]);
    expect(alpha.filter((a) => a === 255)).toHaveLength(2);
    expect(alpha[1]).toBe(255);
    expect(alpha[6]).toBe(255);
    expect(alpha[0]).toBe(0);
    expect([...out.data.slice(4, 7)]).toEqual([100, 101, 102]);
    expect([...out.data.slice(0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('keeps a transparent source pixel transparent', () => {
    const img = { ...image, data: image.data.slice() };
    img.data[3] = 0;
    expect(cutout(img, mask([0])).data[3]).toBe(0);
  });

  it('works on a mask decoded from COCO RLE', () => {
    const round = decodeRle(encodeRle(mask([0, 5, 10])));
    const out = cutout(image, round);
    expect(out.data[10 * 4 + 3]).toBe(255);
    expect(out.data[11 * 4 + 3]).toBe(0);
  });
});

describe('mask helpers', () => {
  it('unions, paints and stacks masks', () => {
    const u = unionMask([mask([0]), mask([11])], W, H);
    expect(u.data[0] + u.data[11]).toBe(2);
    const grey = maskBytes(u); // one byte a pixel, as in the CLI's single-channel mask PNG
    expect(grey.length).toBe(W * H);
    expect([grey[0], grey[1], grey[11]]).toEqual([255, 0, 255]);
    const s = stackMasks([mask([0]), mask([1])]);
    expect(s.length).toBe(2 * W * H);
    expect([s[0], s[1], s[W * H], s[W * H + 1]]).toEqual([1, 0, 0, 1]);
  });

  it('refuses masks of another size', () => {
    expect(() => unionMask([{ width: 2, height: 2, data: new Uint8Array(4) }], W, H)).toThrow(/2x2/);
  });
});
