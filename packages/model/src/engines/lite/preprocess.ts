/** Pixel preparation shared by the lite engine's TensorFlow.js models. */
import { resizeRgb } from '../../io/decode.js';
import type { RgbImage } from '../../io/image.js';
import { letterbox } from './geometry.js';

export interface Letterboxed {
  /** size * size * 3 RGB bytes, the image at the top-left, black padding. */
  data: Uint8Array;
  size: number;
  /** Original pixels -> input pixels. */
  scale: number;
}

/** Fits the image into a size x size square keeping its aspect (bilinear), padding right/bottom. */
export async function letterboxRgb(image: RgbImage, size: number): Promise<Letterboxed> {
  const { w, h, scale } = letterbox(image.width, image.height, size);
  const resized = await resizeRgb(image, w, h, 'fill');
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < h; y++) data.set(resized.data.subarray(y * w * 3, (y + 1) * w * 3), y * size * 3);
  return { data, size, scale };
}
