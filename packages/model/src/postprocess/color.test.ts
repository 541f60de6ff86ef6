import { describe, expect, it } from 'vitest';
import type { Mask } from '@promptseg/shared';
import type { RgbImage } from '../io/image.js';
import { colorMatch, colorNameOf, colorShares, rgbToLab } from './color.js';

/** An image of `w` x 1 pixels with the given colours, and a mask over some of them. */
function strip(colors: [number, number, number][]): RgbImage {
  return { width: colors.length, height: 1, data: Uint8Array.from(colors.flat()) };
}
const all = (n: number): Mask => ({ width: n, height: 1, data: new Uint8Array(n).fill(1) });

describe('colour naming in CIELAB', () => {
  it('converts sRGB to the reference L*a*b* values (D65)', () => {
    const [L, a, b] = rgbToLab(255, 0, 0);
    expect(L).toBeCloseTo(53.24, 1);
    expect(a).toBeCloseTo(80.09, 0);
    expect(b).toBeCloseTo(67.2, 0);
    expect(rgbToLab(255, 255, 255)[0]).toBeCloseTo(100, 1);
  });

  it('names plain and photographed colours as a person would', () => {
    expect(colorNameOf(250, 10, 10)).toBe('red');
    expect(colorNameOf(20, 40, 200)).toBe('blue');
    expect(colorNameOf(30, 150, 40)).toBe('green');
    expect(colorNameOf(250, 240, 60)).toBe('yellow');
    expect(colorNameOf(10, 10, 12)).toBe('black');
    expect(colorNameOf(250, 250, 250)).toBe('white');
    expect(colorNameOf(128, 130, 128)).toBe('gray');
    expect(colorNameOf(120, 30, 140)).toBe('purple');
    expect(colorNameOf(255, 170, 190)).toBe('pink');
    // the astronaut's spacesuit in astronaut.png and the tabby fur of chelsea.png
    expect(colorNameOf(221, 89, 52)).toBe('orange');
    expect(colorNameOf(125, 64, 35)).toBe('brown');
  });

  it('measures the share of a mask in a colour, and light/dark shades', () => {
    const img = strip([[250, 10, 10], [240, 20, 20], [20, 40, 200], [250, 250, 250]]);
    const s = colorShares(img, all(4));
    expect(s.red).toBeCloseTo(0.5);
    expect(s.blue).toBeCloseTo(0.25);
    const navyAndSky = strip([[10, 20, 90], [10, 20, 90], [140, 200, 240], [140, 200, 240]]);
    expect(colorMatch(navyAndSky, all(4), [{ name: 'blue', shade: 'dark' }]).share).toBeCloseTo(0.5);
    expect(colorMatch(navyAndSky, all(4), [{ name: 'blue', shade: 'light' }]).share).toBeCloseTo(0.5);
  });

  it('scores a colour fully from 35% of the pixels and zero when absent', () => {
    const img = strip([[250, 10, 10], [240, 20, 20], [20, 40, 200], [30, 30, 30]]);
    expect(colorMatch(img, all(4), [{ name: 'red' }]).score).toBe(1);
    expect(colorMatch(img, all(4), [{ name: 'green' }]).score).toBe(0);
    const m = colorMatch(img, { width: 4, height: 1, data: Uint8Array.of(0, 0, 1, 1) }, [{ name: 'red' }]);
    expect(m.share).toBe(0);
    expect(colorMatch(img, all(4), []).score).toBe(1);
  });
});
