/**
 * Turning masks into what the stage draws: a mask resampled to the stage's working size, and an
 * RGBA layer with a translucent fill and an opaque outline. Pure functions on arrays (tested in
 * Node); stage.ts puts the layers on canvases.
 */
import type { Mask } from '@promptseg/shared';
import type { Rgb } from './colors.js';

/** Working size of the stage: the image, scaled down so its longer side is at most `cap`. */
export function stageSize(width: number, height: number, cap = 1280): { width: number; height: number; scale: number } {
  const scale = Math.min(1, cap / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}

/** Nearest-neighbour resample of a mask to w x h (identity when the size matches). */
export function resample(mask: Mask, w: number, h: number): Uint8Array {
  if (mask.width === w && mask.height === h) return mask.data;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / w));
      out[y * w + x] = mask.data[sy * mask.width + sx];
    }
  }
  return out;
}

/** Mask eroded by a square of radius r (separable min filter); outside the image counts as 0. */
export function erode(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let v = 1;
      for (let k = -r; k <= r && v; k++) {
        const xx = x + k;
        v = xx >= 0 && xx < w ? m[row + xx] : 0;
      }
      tmp[row + x] = v ? 1 : 0;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 1;
      for (let k = -r; k <= r && v; k++) {
        const yy = y + k;
        v = yy >= 0 && yy < h ? tmp[yy * w + x] : 0;
      }
      out[y * w + x] = v;
    }
  }
  return out;
}

/** Outline width in stage pixels: visible on small and large images alike. */
export function edgeWidth(w: number, h: number): number {
  return Math.max(1, Math.round(Math.max(w, h) / 400));
}

/** RGBA layer: fill at `fillAlpha` (0..255) inside the mask, opaque colour on its inner edge. */
export function layerPixels(m: Uint8Array, w: number, h: number, color: Rgb, fillAlpha: number, edge = edgeWidth(w, h)): Uint8ClampedArray<ArrayBuffer> {
  const inner = erode(m, w, h, edge);
  const out = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    const o = i * 4;
    out[o] = color[0];
    out[o + 1] = color[1];
    out[o + 2] = color[2];
    out[o + 3] = inner[i] ? fillAlpha : 255;
  }
  return out;
}
