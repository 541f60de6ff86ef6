import { describe, expect, it } from 'vitest';
import { colorDistance, colorFor, inkOn, meanUnder, MIN_CONTRAST, PALETTE } from './colors.js';

describe('instance colours', () => {
  it('are keyed by the instance id: the same id gets the same colour on the same pixels', () => {
    expect(colorFor(1)).toEqual(PALETTE[0]);
    expect(colorFor(2)).toEqual(PALETTE[1]);
    expect(colorFor(1 + PALETTE.length)).toEqual(PALETTE[0]);
    const under = [120, 120, 120] as const;
    expect(colorFor(3, under)).toEqual(colorFor(3, under));
  });

  it('never paint a mask in a colour close to the image under it (a blue shirt is not painted blue)', () => {
    const blueShirt = [10, 100, 175] as const; // close to PALETTE[0], the colour of id 1
    expect(colorDistance(PALETTE[0], blueShirt)).toBeLessThan(MIN_CONTRAST);
    const c = colorFor(1, blueShirt);
    expect(c).not.toEqual(PALETTE[0]);
    expect(colorDistance(c, blueShirt)).toBeGreaterThanOrEqual(MIN_CONTRAST);
    for (let id = 1; id <= 20; id++) for (const under of [[255, 255, 255], [0, 0, 0], [200, 40, 40], [40, 160, 60]] as const) {
      expect(colorDistance(colorFor(id, under), under)).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
  });

  it('measures the mean colour under a mask and picks readable ink', () => {
    const px = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255]);
    expect(meanUnder(px, new Uint8Array([1, 0, 0, 1]))).toEqual([255, 0, 0]);
    expect(meanUnder(px, new Uint8Array([0, 0, 0, 0]))).toBeUndefined();
    expect(inkOn([240, 228, 66])).toBe('#111');
    expect(inkOn([0, 114, 178])).toBe('#fff');
  });
});
