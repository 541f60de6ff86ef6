/**
 * The page's view of a result: each instance with its position in the result, its colour and
 * its mask resampled to the stage's working size (for drawing and hit-testing; exports decode
 * the RLE again at full size).
 */
import { decodeRle, type Instance, type SegmentResult } from '@promptseg/shared';
import { byScore } from './filter.js';
import { colorFor, type Rgb } from './colors.js';
import { resample } from './layers.js';

export interface Item {
  /** Position in `result.instances` (the index used in export names and the JSON). */
  index: number;
  /** The instance as shown now (replaced by its refined version after click refinement). */
  inst: Instance;
  color: Rgb;
  /** Mask at the stage's working size, row-major 0/1. */
  small: Uint8Array;
}

export function smallMask(inst: Instance, w: number, h: number): Uint8Array {
  return resample(decodeRle(inst.rle), w, h);
}

/** Items in score order; colours by rank. */
export function makeItems(result: SegmentResult, w: number, h: number): Item[] {
  const order = byScore(result.instances);
  return order.map((inst, rank) => ({
    index: result.instances.indexOf(inst),
    inst,
    color: colorFor(rank),
    small: smallMask(inst, w, h),
  }));
}

/** Top-most item under a stage pixel: the smallest mask wins (a shirt over its person). */
export function hitTest(items: readonly Item[], x: number, y: number, w: number): Item | undefined {
  let best: Item | undefined;
  for (const it of items) {
    if (it.small[y * w + x] && (!best || it.inst.area < best.inst.area)) best = it;
  }
  return best;
}
