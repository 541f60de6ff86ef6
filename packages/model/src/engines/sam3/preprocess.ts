/**
 * Pixels and box prompts → SAM 3 input tensors' data (docs/sam3-onnx-contract.md §1).
 * One frame for everything: the image is stretched (no aspect kept, no padding) to the model's
 * input size, so a point (x, y) of the original image sits at (x/W, y/H) in normalised model
 * coordinates, for box prompts in and for predicted boxes and masks out alike.
 */
import { PromptsegError, type BoxPrompt } from '@promptseg/shared';
import { resizeRgb } from '../../io/decode.js';
import type { RgbImage } from '../../io/image.js';
import type { Size } from './layout.js';

/** px/127.5 − 1 for every 8-bit value, rounded to float32 once (the same bits as computing it per pixel). */
const NORMALISED = Float32Array.from({ length: 256 }, (_, v) => v / 127.5 - 1);

/**
 * NCHW float data [1,3,H,W]: the image stretched bilinearly to `size`, then px/127.5 − 1 (= (px/255 − 0.5)/0.5).
 * Written into `out` when given (3·H·W floats; the caller reuses one buffer between images), else
 * into a new array.
 */
export async function imageToInput(image: RgbImage, size: Size, out?: Float32Array): Promise<Float32Array> {
  const plane = size.width * size.height;
  if (out && out.length !== 3 * plane) {
    throw new PromptsegError('internal', `The image input buffer holds ${out.length} floats, not 3x${size.width}x${size.height}.`, 'This is a bug in promptseg; please report it.');
  }
  const r = await resizeRgb(image, size.width, size.height, 'fill');
  const dst = out ?? new Float32Array(3 * plane);
  // One pass over the interleaved RGB bytes into the three planes, a table look-up per value
  // instead of a division: this loop touches ~3 M values per image.
  const src = r.data, g = plane, b = 2 * plane;
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    dst[i] = NORMALISED[src[j]];
    dst[g + i] = NORMALISED[src[j + 1]];
    dst[b + i] = NORMALISED[src[j + 2]];
  }
  return dst;
}

/** Label of a padding / "no box" entry: the decoder ignores it. */
export const PAD_LABEL = -10;

export interface EncodedBoxes {
  /** [1,N,4] cx, cy, w, h normalised to 0..1. */
  boxes: Float32Array;
  /** [1,N]: 1 positive, 0 negative, −10 padding. */
  labels: BigInt64Array;
  count: number;
}

/**
 * Box prompts (COCO xywh, pixels of the upright image) → normalised cxcywh with labels. Boxes are
 * clipped to the image first; with no boxes, one zero box labelled −10 (a text-only call).
 */
export function encodeBoxes(prompts: readonly BoxPrompt[] | undefined, width: number, height: number): EncodedBoxes {
  if (!prompts?.length) return { boxes: new Float32Array(4), labels: BigInt64Array.from([BigInt(PAD_LABEL)]), count: 1 };
  const boxes = new Float32Array(prompts.length * 4);
  const labels = new BigInt64Array(prompts.length);
  prompts.forEach((p, i) => {
    const [x, y, w, h] = p.box;
    const x0 = clamp(x, 0, width), y0 = clamp(y, 0, height), x1 = clamp(x + w, 0, width), y1 = clamp(y + h, 0, height);
    if (x1 <= x0 || y1 <= y0) {
      throw new PromptsegError('invalid_option', `Box ${i + 1} (${p.box.join(',')}) lies outside the ${width}x${height} image.`, 'Give boxes as x,y,w,h in pixels of the image (x, y = top-left corner).');
    }
    boxes.set([(x0 + x1) / 2 / width, (y0 + y1) / 2 / height, (x1 - x0) / width, (y1 - y0) / height], i * 4);
    labels[i] = p.negative ? 0n : 1n;
  });
  return { boxes, labels, count: prompts.length };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
