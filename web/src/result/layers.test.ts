import { describe, expect, it } from 'vitest';
import { erode, layerPixels, resample, stageSize } from './layers.js';

describe('layers', () => {
  it('caps the stage size and keeps the aspect', () => {
    expect(stageSize(600, 400)).toEqual({ width: 600, height: 400, scale: 1 });
    const s = stageSize(4000, 3000);
    expect([s.width, s.height]).toEqual([1280, 960]);
  });

  it('resamples a mask', () => {
    const m = { width: 4, height: 2, data: new Uint8Array([1, 1, 0, 0, 1, 1, 0, 0]) };
    expect([...resample(m, 2, 1)]).toEqual([1, 0]);
  });

  it('erodes a 5x5 square by 1 to its 3x3 core', () => {
    const w = 7, h = 7;
    const m = new Uint8Array(w * h);
    for (let y = 1; y <= 5; y++) for (let x = 1; x <= 5; x++) m[y * w + x] = 1;
    const e = erode(m, w, h, 1);
    expect(e.reduce((a, b) => a + b, 0)).toBe(9);
    expect(e[3 * w + 3]).toBe(1);
    expect(e[1 * w + 1]).toBe(0);
  });

  it('paints the edge opaque and the inside translucent, outside transparent', () => {
    const w = 7, h = 7;
    const m = new Uint8Array(w * h);
    for (let y = 1; y <= 5; y++) for (let x = 1; x <= 5; x++) m[y * w + x] = 1;
    const px = layerPixels(m, w, h, [10, 20, 30], 100, 1);
    const a = (x: number, y: number) => px[(y * w + x) * 4 + 3];
    expect(a(0, 0)).toBe(0);
    expect(a(1, 1)).toBe(255);
    expect(a(3, 3)).toBe(100);
    expect([...px.slice((3 * w + 3) * 4, (3 * w + 3) * 4 + 3)]).toEqual([10, 20, 30]);
  });
});
