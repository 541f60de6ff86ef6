/**
 * Colour attributes measured on a mask's own pixels, in OkLCh (the polar form of Oklab,
 * Ottosson 2020 — the perceptual space of CSS Color 4's oklch(); its hue angle follows
 * perceived hue much more evenly than CIELAB's, where pure red and a burnt orange share ~40°
 * and blue sits 20° from purple).
 *
 * Each colour name is a fuzzy region laid out like the ISCC–NBS colour names: a hue band with
 * soft edges, gated by chroma (below ~3 a pixel is a grey) and lightness (light reds are pink,
 * dark oranges brown, dark yellows olive → green). Regions overlap on purpose where people
 * disagree: a dark red is both "red" and "brown" (ISCC–NBS "reddish brown"), a red-orange both
 * "red" and "orange", magenta both "purple" and "pink". A pixel's membership in a name is 0..1;
 * an object's share of a name is the mean membership over its pixels. Memberships go through a
 * 32x32x32 RGB lookup table filled as cells are met, so a mask costs about one table read per
 * sampled pixel.
 */
import { COLOR_NAMES, type ColorAttr, type ColorName, type Mask } from '@promptseg/shared';
import { rgbToOklch } from '../io/colorspace.js';
import type { RgbImage } from '../io/image.js';

/** 0 below a, 1 above b, linear between. */
const ramp = (x: number, a: number, b: number) => Math.min(1, Math.max(0, (x - a) / (b - a)));

/** 1 on the hue arc from..to (degrees, counter-clockwise, may wrap), fading to 0 over `soft` degrees outside it. */
function hueBand(h: number, from: number, to: number, soft: number): number {
  const width = (to - from + 360) % 360;
  const d = (h - from + 360) % 360;
  if (d <= width) return 1;
  return Math.max(0, 1 - Math.min(d - width, 360 - d) / soft);
}

/**
 * Membership of one sRGB pixel in each colour name, 0..1 (not normalised: regions overlap).
 * Anchors (OkLCh hue): red 29 (crimson 20, maroon 29), international orange 37, orange 58-71,
 * brown 45-51, yellow 95-110, green 142, cyan 195, blue 264, purple/magenta 328. Boundaries and
 * gates were set on those named colours and checked on the sample images (the dark-red cup of
 * coffee.png: red and brown; the orange suit of astronaut.png: orange and red; the tabby:
 * brown; the horse: black and white).
 */
export function colorMemberships(r: number, g: number, b: number): Record<ColorName, number> {
  const [L, C, h] = rgbToOklch(r, g, b);
  const chromatic = ramp(C, 2, 5); // below C 2 a grey, above 5 clearly coloured
  const veryDark = 1 - ramp(L, 18, 28); // reads as black whatever the hue
  const col = chromatic * (1 - veryDark);
  const grey = 1 - chromatic;
  const light = ramp(L, 70, 82);
  // Red ends where orange begins (~32°, between tomato and international orange); a dark
  // red-orange cannot be orange (orange needs light), and reads as a red-brown: below L 60 the
  // red band reaches further, to 40° at L 40.
  const redEnd = 32 + 8 * (1 - ramp(L, 40, 60));
  return {
    red: col * hueBand(h, 0, redEnd, 12) * ramp(C, 4, 8) * (1 - light),
    orange: col * hueBand(h, 40, 75, 12) * ramp(C, 7, 11) * ramp(L, 45, 58),
    yellow: col * hueBand(h, 85, 118, 10) * ramp(C, 6, 10) * ramp(L, 62, 75),
    // olive (dark yellow) counts as green, as the prompt vocabulary reads "olive"
    green: col * Math.max(hueBand(h, 125, 170, 15), hueBand(h, 95, 125, 10) * (1 - ramp(L, 55, 68))),
    blue: col * hueBand(h, 195, 275, 15),
    purple: col * hueBand(h, 290, 330, 15) * (1 - light),
    pink: col * Math.max(hueBand(h, 340, 40, 10) * light, hueBand(h, 330, 0, 10) * ramp(L, 50, 62)),
    // brown: dark orange / red / yellow at any chroma, or a muted one up to tan
    brown: col * hueBand(h, 20, 90, 10) * Math.max(1 - ramp(L, 48, 58), 1 - ramp(C, 8, 12)) * (1 - ramp(L, 72, 82)),
    black: Math.max(veryDark, grey * (1 - ramp(L, 25, 38))),
    white: grey * ramp(L, 78, 90),
    gray: grey * ramp(L, 25, 38) * (1 - ramp(L, 78, 90)),
  };
}

/** The colour name a pixel belongs to most (ties: the order of COLOR_NAMES). */
export function colorNameOf(r: number, g: number, b: number): ColorName {
  const m = colorMemberships(r, g, b);
  let best: ColorName = 'gray';
  let bestV = -1;
  for (const n of COLOR_NAMES) if (m[n] > bestV) { bestV = m[n]; best = n; }
  return best;
}

/**
 * Oklab L of a neutral grey at CIELAB L* 45 and 55 (the "dark" / "light" limits): for a grey,
 * Oklab L is the cube root of luminance.
 */
const DARK_BELOW = 100 * Math.cbrt(((45 + 16) / 116) ** 3);
const LIGHT_ABOVE = 100 * Math.cbrt(((55 + 16) / 116) ** 3);

const N = COLOR_NAMES.length;
const table = { filled: new Uint8Array(32768), member: new Uint8Array(32768 * N), lightness: new Float32Array(32768) };

/**
 * Memberships (0..255) and Oklab L per 5-bit-per-channel RGB cell (the cell's centre colour),
 * filled on first use of each cell: a photo's objects touch a few thousand of the 32768 cells.
 */
function cellOf(r: number, g: number, b: number): number {
  const cell = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
  if (!table.filled[cell]) {
    const cr = ((r >> 3) << 3) + 4, cg = ((g >> 3) << 3) + 4, cb = ((b >> 3) << 3) + 4;
    const m = colorMemberships(cr, cg, cb);
    COLOR_NAMES.forEach((n, k) => (table.member[cell * N + k] = Math.round(m[n] * 255)));
    table.lightness[cell] = rgbToOklch(cr, cg, cb)[0];
    table.filled[cell] = 1;
  }
  return cell;
}

export interface ColorShares {
  /** Per colour name, the mean membership over the mask's pixels (names overlap: they need not sum to 1). */
  shares: Record<ColorName, number>;
  /** Per requested colour, its share counting only pixels of the requested shade (the plain share when no shade). */
  asked: number[];
}

/** Colour shares of a mask, measured on up to ~40k sampled pixels. */
export function colorShares(image: RgbImage, mask: Mask, asked: readonly ColorAttr[] = []): ColorShares {
  const sums = new Float64Array(N);
  const askedSums = new Float64Array(asked.length);
  const askedIdx = asked.map((c) => COLOR_NAMES.indexOf(c.name));
  let area = 0;
  for (let i = 0; i < mask.data.length; i++) area += mask.data[i];
  const step = Math.max(1, Math.floor(area / 40000));
  let seen = 0, total = 0;
  const px = image.data;
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    if (seen++ % step) continue;
    const cell = cellOf(px[i * 3], px[i * 3 + 1], px[i * 3 + 2]);
    const row = cell * N;
    for (let k = 0; k < N; k++) sums[k] += table.member[row + k];
    for (let a = 0; a < asked.length; a++) {
      const shade = asked[a].shade;
      const L = table.lightness[cell];
      if (!shade || (shade === 'dark' ? L < DARK_BELOW : L > LIGHT_ABOVE)) askedSums[a] += table.member[row + askedIdx[a]];
    }
    total++;
  }
  const norm = total ? 1 / (255 * total) : 0;
  const shares = {} as Record<ColorName, number>;
  COLOR_NAMES.forEach((n, k) => (shares[n] = sums[k] * norm));
  return { shares, asked: Array.from(askedSums, (v) => v * norm) };
}

/** Share of an object at which a colour always counts as "the object's colour". */
export const COLOR_FULL_MATCH_SHARE = 0.35;
/** The lowest share that can count fully (for an object whose colours are all small shares). */
export const COLOR_MIN_FULL_SHARE = 0.15;

export interface ColorMatch {
  /** Share of the mask's pixels matching the requested colour(s) (with shade, if asked). */
  share: number;
  /** 0..1 factor: each colour's share / its full-match share, capped at 1, geometric mean. */
  score: number;
}

/**
 * How well an object has the requested colour(s). A colour counts fully at 35 % of the object,
 * or at half the share of the object's dominant colour name when that is less (not below 15 %):
 * an object is as much "red" as "brown" when its red part is about as large as its largest
 * coloured part (a dark-red cup full of coffee), while a white car with red lights is not red.
 * With n colours ("red and white bus") each needs its full share / n.
 */
export function colorMatch(image: RgbImage, mask: Mask, colors: ColorAttr[]): ColorMatch {
  if (!colors.length) return { share: 1, score: 1 };
  const { shares, asked } = colorShares(image, mask, colors);
  const dominant = Math.max(...COLOR_NAMES.map((n) => shares[n]));
  const full = Math.min(COLOR_FULL_MATCH_SHARE, Math.max(COLOR_MIN_FULL_SHARE, dominant / 2)) / colors.length;
  let share = 0, logScore = 0;
  for (const v of asked) {
    share += v;
    logScore += Math.log(Math.max(1e-6, Math.min(1, v / full)));
  }
  const score = Math.exp(logScore / colors.length);
  return { share, score: score < 1e-3 ? 0 : score };
}
