/**
 * Colour attributes measured on a mask's own pixels in CIELAB (perceptual): each pixel is named
 * by its nearest colour prototype under the CIE94 colour difference, and a colour's match is
 * the share of the object's pixels that carry that name. Naming goes through a 32x32x32 RGB
 * lookup table filled as cells are met, so a mask costs about one table read per sampled pixel.
 */
import { COLOR_NAMES, type ColorAttr, type ColorName, type Mask } from '@promptseg/shared';
import type { RgbImage } from '../io/image.js';

/**
 * Prototypes per colour name, sRGB, chosen to cover how objects of that colour look in photos
 * (shaded and lit variants; e.g. the burnt orange of a spacesuit, the red-brown of wood).
 */
const PROTOTYPES: Record<ColorName, [number, number, number][]> = {
  red: [[255, 0, 0], [200, 20, 30], [139, 0, 0], [220, 20, 60], [178, 34, 34], [128, 0, 0], [190, 40, 40], [160, 30, 30], [230, 60, 60]],
  orange: [[255, 165, 0], [255, 140, 0], [255, 120, 40], [221, 89, 52], [235, 110, 45], [255, 100, 10], [250, 150, 70], [210, 120, 40]],
  yellow: [[255, 255, 0], [255, 215, 0], [240, 220, 80], [205, 185, 30], [255, 240, 150], [230, 200, 50]],
  green: [[0, 128, 0], [0, 255, 0], [34, 139, 34], [50, 205, 50], [85, 107, 47], [128, 128, 0], [0, 100, 0], [144, 238, 144], [46, 139, 87], [60, 90, 40], [20, 60, 20]],
  blue: [[0, 0, 255], [0, 0, 128], [30, 60, 200], [70, 130, 180], [135, 206, 235], [0, 191, 255], [65, 105, 225], [25, 25, 112], [100, 149, 237], [0, 200, 220], [30, 80, 140], [20, 40, 80]],
  purple: [[128, 0, 128], [75, 0, 130], [148, 0, 211], [238, 130, 238], [186, 85, 211], [102, 51, 153], [200, 160, 220], [255, 0, 255]],
  pink: [[255, 192, 203], [255, 105, 180], [255, 20, 147], [219, 112, 147], [255, 182, 193], [230, 150, 170], [240, 128, 160]],
  brown: [[139, 69, 19], [160, 82, 45], [101, 67, 33], [150, 100, 60], [120, 70, 40], [194, 119, 73], [92, 64, 51], [196, 164, 132], [210, 180, 140], [70, 45, 30], [125, 64, 35]],
  black: [[0, 0, 0], [25, 25, 25], [40, 40, 40], [20, 20, 30], [35, 30, 25]],
  white: [[255, 255, 255], [240, 240, 240], [225, 225, 225], [245, 245, 220], [235, 240, 250]],
  gray: [[128, 128, 128], [169, 169, 169], [90, 90, 90], [192, 192, 192], [112, 128, 144], [65, 65, 65], [150, 150, 140]],
};

export type Lab = [L: number, a: number, b: number];

const toLinear = (c: number): number => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

/** sRGB (0-255) -> CIELAB, D65 white. */
export function rgbToLab(r: number, g: number, b: number): Lab {
  const R = toLinear(r), G = toLinear(g), B = toLinear(b);
  const X = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const Y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const Z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const fx = f(X), fy = f(Y), fz = f(Z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE94 colour difference (graphic arts weights), `ref` being the prototype. */
export function deltaE94(ref: Lab, x: Lab): number {
  const dL = ref[0] - x[0];
  const C1 = Math.hypot(ref[1], ref[2]), C2 = Math.hypot(x[1], x[2]);
  const dC = C1 - C2;
  const da = ref[1] - x[1], db = ref[2] - x[2];
  const dH2 = Math.max(0, da * da + db * db - dC * dC);
  return Math.sqrt(dL * dL + (dC / (1 + 0.045 * C1)) ** 2 + dH2 / (1 + 0.015 * C1) ** 2);
}

const PROTO_LAB: { name: ColorName; lab: Lab }[] = COLOR_NAMES.flatMap((name) => PROTOTYPES[name].map(([r, g, b]) => ({ name, lab: rgbToLab(r, g, b) })));

/** The colour name of one sRGB pixel. */
export function colorNameOf(r: number, g: number, b: number): ColorName {
  const lab = rgbToLab(r, g, b);
  let best: ColorName = 'gray', bestD = Infinity;
  for (const p of PROTO_LAB) {
    const d = deltaE94(p.lab, lab);
    if (d < bestD) { bestD = d; best = p.name; }
  }
  return best;
}

const UNKNOWN = 255;
const table = { names: new Uint8Array(32768).fill(UNKNOWN), lightness: new Float32Array(32768) };

/**
 * Name index and L* per 5-bit-per-channel RGB cell (the cell's centre colour), filled on first
 * use of each cell: a photo's objects touch a few thousand of the 32768 cells.
 */
function cellOf(r: number, g: number, b: number): number {
  const cell = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
  if (table.names[cell] === UNKNOWN) {
    const cr = ((r >> 3) << 3) + 4, cg = ((g >> 3) << 3) + 4, cb = ((b >> 3) << 3) + 4;
    table.names[cell] = COLOR_NAMES.indexOf(colorNameOf(cr, cg, cb));
    table.lightness[cell] = rgbToLab(cr, cg, cb)[0];
  }
  return cell;
}

/** Shares of the mask's pixels per colour name (sums to 1), measured on up to ~40k sampled pixels. */
export function colorShares(image: RgbImage, mask: Mask, shade?: { name: ColorName; shade: 'light' | 'dark' }): Record<ColorName, number> & { shaded?: number } {
  const counts = new Float64Array(COLOR_NAMES.length);
  let total = 0, shaded = 0;
  let area = 0;
  for (let i = 0; i < mask.data.length; i++) area += mask.data[i];
  const step = Math.max(1, Math.floor(area / 40000));
  let seen = 0;
  const px = image.data;
  for (let i = 0; i < mask.data.length; i++) {
    if (!mask.data[i]) continue;
    if (seen++ % step) continue;
    const cell = cellOf(px[i * 3], px[i * 3 + 1], px[i * 3 + 2]);
    const n = table.names[cell];
    counts[n]++;
    total++;
    if (shade && COLOR_NAMES[n] === shade.name) {
      const L = table.lightness[cell];
      if (shade.shade === 'dark' ? L < 45 : L > 55) shaded++;
    }
  }
  const out = {} as Record<ColorName, number> & { shaded?: number };
  COLOR_NAMES.forEach((n, k) => (out[n] = total ? counts[k] / total : 0));
  if (shade) out.shaded = total ? shaded / total : 0;
  return out;
}

/** Share of an object's pixels at which a colour counts as "the object's colour". */
export const COLOR_FULL_MATCH_SHARE = 0.35;

export interface ColorMatch {
  /** Share of the mask's pixels matching the requested colour(s) (with shade, if asked). */
  share: number;
  /** 0..1 factor: each colour's share / (0.35 / number of colours), capped at 1, geometric mean. */
  score: number;
}

export function colorMatch(image: RgbImage, mask: Mask, colors: ColorAttr[]): ColorMatch {
  if (!colors.length) return { share: 1, score: 1 };
  const target = COLOR_FULL_MATCH_SHARE / colors.length;
  let share = 0, logScore = 0;
  for (const c of colors) {
    const s = colorShares(image, mask, c.shade ? { name: c.name, shade: c.shade } : undefined);
    const v = c.shade ? s.shaded ?? 0 : s[c.name];
    share += v;
    logScore += Math.log(Math.max(1e-6, Math.min(1, v / target)));
  }
  const score = Math.exp(logScore / colors.length);
  return { share, score: score < 1e-3 ? 0 : score };
}
