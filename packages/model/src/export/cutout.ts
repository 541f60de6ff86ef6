/**
 * Mask and cut-out images. Both are the full size of the upright image, so they line up with
 * the original when layered in an editor.
 */
import type { Mask } from '@promptseg/shared';
import { encodePng } from '../io/decode.js';
import type { DecodedImage } from '../io/image.js';

/** 8-bit single-channel PNG: 255 inside the mask, 0 outside. */
export async function maskPng(mask: Mask): Promise<Uint8Array> {
  const px = new Uint8Array(mask.data.length);
  for (let i = 0; i < px.length; i++) px[i] = mask.data[i] ? 255 : 0;
  return encodePng(px, mask.width, mask.height, 1);
}

/** Pixels set in any of the masks. */
export function unionMask(masks: readonly Mask[], width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  for (const m of masks) for (let i = 0; i < data.length; i++) if (m.data[i]) data[i] = 1;
  return { width, height, data };
}

/**
 * RGBA PNG of the image's pixels inside the mask on a transparent background. Alpha is the
 * mask times the source's own alpha, so a cut-out never makes a transparent source pixel opaque.
 */
export async function cutoutPng(image: DecodedImage, mask: Mask): Promise<Uint8Array> {
  const n = image.width * image.height;
  const px = new Uint8Array(n * 4);
  const src = image.data, alpha = image.alpha;
  for (let i = 0; i < n; i++) {
    if (!mask.data[i]) continue; // fully transparent, RGB left 0 (smaller files)
    const a = alpha ? alpha[i] : 255;
    if (a === 0) continue;
    px[i * 4] = src[i * 3];
    px[i * 4 + 1] = src[i * 3 + 1];
    px[i * 4 + 2] = src[i * 3 + 2];
    px[i * 4 + 3] = a;
  }
  return encodePng(px, image.width, image.height, 4);
}
