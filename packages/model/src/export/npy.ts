/**
 * All masks of a result as one NumPy .npy file: uint8 [N, H, W], 0 or 1. The file format itself
 * is written by `encodeNpyU8` in packages/shared (the page's downloads use the same writer).
 */
import { encodeNpyU8, type Mask } from '@promptseg/shared';

/** uint8 array of shape [N, H, W] (0 or 1) from N masks of the same size. */
export function encodeMasksNpy(masks: readonly Mask[], height: number, width: number): Uint8Array {
  for (const m of masks) {
    if (m.width !== width || m.height !== height) {
      throw new Error(`mask is ${m.width}x${m.height}, expected ${width}x${height}`);
    }
  }
  const plane = height * width;
  const data = new Uint8Array(masks.length * plane);
  masks.forEach((m, k) => {
    const d = m.data;
    for (let i = 0; i < plane; i++) data[k * plane + i] = d[i] ? 1 : 0;
  });
  return encodeNpyU8(data, [masks.length, height, width]);
}
