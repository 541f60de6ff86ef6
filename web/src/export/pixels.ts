/**
 * Pixel work of the exports, as pure functions on RGBA buffers so they are tested without a
 * browser. The page turns the buffers into PNGs with the canvas encoder.
 */
import type { Mask } from '@promptseg/shared';

export interface Rgba {
  width: number;
  height: number;
  /** width * height * 4 bytes, R G B A, row-major. */
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** Union of masks of one image (all the same size). */
export function unionMask(masks: readonly Mask[], width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  for (const m of masks) {
    if (m.width !== width || m.height !== height) throw new Error(`mask is ${m.width}x${m.height}, image is ${width}x${height}`);
    const d = m.data;
    for (let i = 0; i < d.length; i++) if (d[i]) data[i] = 1;
  }
  return { width, height, data };
}

/**
 * The object on a transparent background: the image's pixels where the mask is set (keeping the
 * image's own alpha), fully transparent elsewhere. Full image size, like the CLI's cut-outs, so
 * it lines up with the original when layered in an editor.
 */
export function cutout(image: Rgba, mask: Mask): Rgba {
  if (mask.width !== image.width || mask.height !== image.height) throw new Error(`mask is ${mask.width}x${mask.height}, image is ${image.width}x${image.height}`);
  const n = image.width * image.height;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (!mask.data[i] || image.data[o + 3] === 0) continue; // stays 0,0,0,0, as the CLI writes it
    data[o] = image.data[o];
    data[o + 1] = image.data[o + 1];
    data[o + 2] = image.data[o + 2];
    data[o + 3] = image.data[o + 3];
  }
  return { width: image.width, height: image.height, data };
}

/** A mask as 8-bit grey pixels: 255 inside, 0 outside (what the mask PNG stores, one byte a pixel). */
export function maskBytes(mask: Mask): Uint8Array {
  const out = new Uint8Array(mask.width * mask.height);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] ? 255 : 0;
  return out;
}

/** Masks stacked into one (N, H, W) uint8 array of 0/1 for .npy. */
export function stackMasks(masks: readonly Mask[]): Uint8Array {
  if (masks.length === 0) return new Uint8Array(0);
  const n = masks[0].width * masks[0].height;
  const out = new Uint8Array(n * masks.length);
  masks.forEach((m, k) => {
    for (let i = 0; i < n; i++) out[k * n + i] = m.data[i] ? 1 : 0;
  });
  return out;
}
