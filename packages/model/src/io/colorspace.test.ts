import { describe, expect, it } from 'vitest';
import { rgbToLab, rgbToOklch } from './colorspace.js';

describe('sRGB to CIELAB / OkLCh', () => {
  it('converts sRGB to the reference L*a*b* values (D65)', () => {
    const [L, a, b] = rgbToLab(255, 0, 0);
    expect(L).toBeCloseTo(53.24, 1);
    expect(a).toBeCloseTo(80.09, 0);
    expect(b).toBeCloseTo(67.2, 0);
    expect(rgbToLab(255, 255, 255)[0]).toBeCloseTo(100, 1);
  });

  it('converts sRGB to the reference OkLCh values', () => {
    const [L, C, h] = rgbToOklch(255, 0, 0); // oklch(62.8% 0.2577 29.23) in CSS Color 4
    expect(L).toBeCloseTo(62.8, 1);
    expect(C).toBeCloseTo(25.77, 1);
    expect(h).toBeCloseTo(29.23, 1);
    expect(rgbToOklch(255, 255, 255)[0]).toBeCloseTo(100, 1);
    expect(rgbToOklch(128, 128, 128)[1]).toBeLessThan(0.01);
  });
});
