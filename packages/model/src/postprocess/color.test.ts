import { describe, expect, it } from 'vitest';
import type { Mask } from '@promptseg/shared';
import type { RgbImage } from '../io/image.js';
import { colorMatch, colorMemberships, colorNameOf, colorShares } from './color.js';

/** An image of `w` x 1 pixels with the given colours, and a mask over some of them. */
function strip(colors: [number, number, number][]): RgbImage {
  return { width: colors.length, height: 1, data: Uint8Array.from(colors.flat()) };
}
const all = (n: number): Mask => ({ width: n, height: 1, data: new Uint8Array(n).fill(1) });

describe('colour naming in CIELAB / OkLCh', () => {
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
    expect(colorNameOf(255, 165, 0)).toBe('orange');
    expect(colorNameOf(0, 0, 128)).toBe('blue'); // navy
    // the tabby fur of chelsea.png
    expect(colorNameOf(125, 64, 35)).toBe('brown');
  });

  it('lets neighbouring names overlap where people disagree, and keeps distant ones apart', () => {
    // the dark-red glaze of the coffee cup (coffee.png) and a maroon: both red and brown
    for (const [r, g, b] of [[110, 40, 30], [128, 0, 0], [150, 40, 30]] as const) {
      const m = colorMemberships(r, g, b);
      expect(m.red).toBeGreaterThan(0.6);
      expect(m.brown).toBeGreaterThan(0.6);
      expect(m.blue + m.green + m.yellow).toBe(0);
    }
    // a plain brown is brown, not red; a bright red is red, not brown
    expect(colorMemberships(139, 69, 19)).toMatchObject({ brown: 1, red: 0 });
    expect(colorMemberships(230, 20, 30)).toMatchObject({ red: 1, brown: 0 });
    // the astronaut's international-orange suit sits between red and orange: both, neither brown
    const suit = colorMemberships(221, 89, 52);
    expect(suit.orange).toBeGreaterThan(0.3);
    expect(suit.red).toBeGreaterThan(0.3);
    expect(suit.brown).toBe(0);
    // a bright orange is not red; greys carry no hue
    expect(colorMemberships(255, 165, 0).red).toBe(0);
    const grey = colorMemberships(128, 128, 128);
    expect(grey.gray).toBe(1);
    expect(grey.red + grey.orange + grey.brown + grey.blue).toBe(0);
  });

  it('measures the share of a mask in a colour, and light/dark shades', () => {
    const img = strip([[250, 10, 10], [240, 20, 20], [20, 40, 200], [250, 250, 250]]);
    const { shares } = colorShares(img, all(4));
    expect(shares.red).toBeCloseTo(0.5);
    expect(shares.blue).toBeCloseTo(0.25);
    expect(shares.white).toBeCloseTo(0.25);
    const navyAndSky = strip([[10, 20, 90], [10, 20, 90], [140, 200, 240], [140, 200, 240]]);
    // a very dark navy is partly black; the sky blue is all light blue
    expect(colorMatch(navyAndSky, all(4), [{ name: 'blue', shade: 'dark' }]).share).toBeGreaterThan(0.3);
    expect(colorMatch(navyAndSky, all(4), [{ name: 'blue', shade: 'light' }]).share).toBeCloseTo(0.5, 1);
    expect(colorMatch(strip([[140, 200, 240]]), all(1), [{ name: 'blue', shade: 'dark' }]).share).toBe(0);
    expect(colorMatch(strip([[10, 20, 90]]), all(1), [{ name: 'blue', shade: 'light' }]).share).toBe(0);
  });

  it('scores a colour fully from 35% of the pixels and zero when absent', () => {
    const img = strip([[250, 10, 10], [240, 20, 20], [20, 40, 200], [30, 30, 30]]);
    expect(colorMatch(img, all(4), [{ name: 'red' }]).score).toBe(1);
    expect(colorMatch(img, all(4), [{ name: 'green' }]).score).toBe(0);
    const m = colorMatch(img, { width: 4, height: 1, data: Uint8Array.of(0, 0, 1, 1) }, [{ name: 'red' }]);
    expect(m.share).toBe(0);
    expect(colorMatch(img, all(4), []).score).toBe(1);
  });

  it('counts a colour fully at half the share of the object\'s dominant colour (a dark-red cup full of coffee)', () => {
    // 3 of 10 pixels dark-red glaze, 5 coffee crema, 2 white (in coffee.png the glaze is about
    // a quarter of the cup's mask): red is under 35 % but about half of the dominant brown
    const px = (n: number, c: [number, number, number]) => Array.from({ length: n }, () => c);
    const cup = strip([...px(3, [110, 40, 30]), ...px(5, [200, 140, 90]), ...px(2, [250, 250, 250])]);
    const red = colorMatch(cup, all(10), [{ name: 'red' }]);
    expect(red.share).toBeLessThan(0.35);
    expect(red.score).toBeGreaterThan(0.8);
    expect(colorMatch(cup, all(10), [{ name: 'brown' }]).score).toBeGreaterThan(0.8);
    expect(colorMatch(cup, all(10), [{ name: 'blue' }]).score).toBe(0);
    // but one red pixel in ten on a white object (a car's tail light) is not a red object
    const car = strip([[230, 20, 30], ...px(9, [250, 250, 250])]);
    expect(colorMatch(car, all(10), [{ name: 'red' }]).score).toBeLessThan(0.4);
  });
});
