import { describe, expect, it } from 'vitest';
import { encodeBoxes, imageToInput, PAD_LABEL } from './preprocess.js';

describe('encodeBoxes', () => {
  it('turns pixel xywh into normalised cxcywh with label 1 / 0 for positive / negative', () => {
    const e = encodeBoxes([{ box: [20, 10, 40, 30], negative: false }, { box: [100, 50, 100, 50], negative: true }], 200, 100);
    expect(e.count).toBe(2);
    expect(Array.from(e.boxes)).toEqual([0.2, 0.25, 0.2, 0.3, 0.75, 0.75, 0.5, 0.5].map(Math.fround));
    expect(Array.from(e.labels)).toEqual([1n, 0n]);
  });

  it('a text-only call gets one zero box labelled -10', () => {
    const e = encodeBoxes(undefined, 10, 10);
    expect(Array.from(e.boxes)).toEqual([0, 0, 0, 0]);
    expect(Array.from(e.labels)).toEqual([BigInt(PAD_LABEL)]);
    expect(e.count).toBe(1);
  });

  it('clips boxes to the image and refuses one entirely outside', () => {
    const e = encodeBoxes([{ box: [-10, -10, 30, 30], negative: false }], 100, 100);
    expect(Array.from(e.boxes)).toEqual([0.1, 0.1, 0.2, 0.2].map(Math.fround));
    expect(() => encodeBoxes([{ box: [120, 10, 5, 5], negative: false }], 100, 100)).toThrow(/outside the 100x100 image/);
  });
});

describe('imageToInput', () => {
  it('stretches a non-square image to the model size (no padding) and maps 0..255 to -1..1, NCHW', async () => {
    // 40x20: left half red (255,0,0), right half mid-grey-ish (0,128,255).
    const w = 40, h = 20;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      if (x < w / 2) data[i] = 255;
      else { data[i + 1] = 128; data[i + 2] = 255; }
    }
    const out = await imageToInput({ width: w, height: h, data }, { width: 28, height: 28 });
    const plane = 28 * 28;
    expect(out).toHaveLength(3 * plane);
    // Every row, top to bottom, has the same split: the 2:1 image filled the square (stretched).
    for (const y of [0, 13, 27]) {
      expect(out[y * 28 + 2]).toBeCloseTo(1, 5); // R of the red half
      expect(out[plane + y * 28 + 2]).toBeCloseTo(-1, 5); // G
      expect(out[y * 28 + 25]).toBeCloseTo(-1, 5); // R of the right half
      expect(out[plane + y * 28 + 25]).toBeCloseTo(128 / 127.5 - 1, 5);
      expect(out[2 * plane + y * 28 + 25]).toBeCloseTo(1, 5);
    }
  });

  it('maps every byte value to exactly float32(px/127.5 - 1), written into a reused buffer when given', async () => {
    const w = 256;
    const data = new Uint8Array(w * 3);
    for (let v = 0; v < w; v++) data.set([v, 255 - v, (v * 7) & 255], v * 3);
    const buffer = new Float32Array(3 * w).fill(99);
    const out = await imageToInput({ width: w, height: 1, data }, { width: w, height: 1 }, buffer);
    expect(out).toBe(buffer);
    const want = (v: number) => Math.fround(v / 127.5 - 1);
    for (let v = 0; v < w; v++) {
      expect([out[v], out[w + v], out[2 * w + v]]).toEqual([want(v), want(255 - v), want((v * 7) & 255)]);
    }
    await expect(imageToInput({ width: w, height: 1, data }, { width: w, height: 1 }, new Float32Array(10))).rejects.toThrow(/input buffer holds 10 floats/);
  });
});
