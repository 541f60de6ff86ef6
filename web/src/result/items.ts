/**
 * The page's view of a result: each instance with its position in the result, its colour, its
 * number among instances of the same label ("person 2") and its mask resampled to the stage's
 * working size (for drawing and hit-testing; exports decode the RLE again at full size).
 */
import { decodeRle, type Instance, type SegmentResult } from '@promptseg/shared';
import { byScore } from './filter.js';
import { colorFor, inkOn, meanUnder, type Rgb } from './colors.js';
import { resample } from './layers.js';

export interface Item {
  /** Position in `result.instances`. */
  index: number;
  /** The instance as shown now (replaced by its refined version after click refinement; its `id` stays). */
  inst: Instance;
  color: Rgb;
  /** Text colour that reads on `color`. */
  ink: string;
  /** 1-based number among the instances with the same label, best score first: "person 2". */
  n: number;
  /** Mask at the stage's working size, row-major 0/1. */
  small: Uint8Array;
}

export function smallMask(inst: Instance, w: number, h: number): Uint8Array {
  return resample(decodeRle(inst.rle), w, h);
}

/**
 * Items in score order. `pixels`: the image at the stage size (RGBA), to pick each colour
 * against what lies under its mask (colors.ts); the colour is keyed by the instance id.
 */
export function makeItems(result: SegmentResult, w: number, h: number, pixels?: Uint8ClampedArray): Item[] {
  const perLabel = new Map<string, number>();
  return byScore(result.instances).map((inst) => {
    const small = smallMask(inst, w, h);
    const color = colorFor(inst.id, pixels ? meanUnder(pixels, small) : undefined);
    const n = (perLabel.get(inst.label) ?? 0) + 1;
    perLabel.set(inst.label, n);
    return { index: result.instances.indexOf(inst), inst, color, ink: inkOn(color), n, small };
  });
}

/** "person 2" — how the legend, the hover card and the status name an instance. */
export const itemName = (it: Item): string => `${it.inst.label} ${it.n}`;

/** Every item under a stage pixel, smallest mask first (the one drawn on top). */
export function itemsAt(items: readonly Item[], x: number, y: number, w: number): Item[] {
  return items.filter((it) => it.small[y * w + x]).sort((a, b) => a.inst.area - b.inst.area);
}

/** Top-most item under a stage pixel: the smallest mask wins (a shirt over its person). */
export function hitTest(items: readonly Item[], x: number, y: number, w: number): Item | undefined {
  return itemsAt(items, x, y, w)[0];
}

/** Whether `part` lies (almost) entirely inside `whole` (90 % of its pixels), at stage size. */
export function isPartOf(part: Item, whole: Item): boolean {
  let inside = 0, total = 0;
  for (let i = 0; i < part.small.length; i++) {
    if (!part.small[i]) continue;
    total++;
    if (whole.small[i]) inside++;
  }
  return total > 0 && inside >= 0.9 * total;
}

/**
 * What a plain click selects (the rule, README "The web page"): with nothing selected, the
 * smallest mask under the pointer; with one selected, the smallest under the pointer that is
 * neither the selection nor a part of it. undefined = nothing else there (the click is then a
 * refinement point of the selection, or does nothing).
 */
export function clickTarget(items: readonly Item[], x: number, y: number, w: number, selected?: Item): Item | undefined {
  const under = itemsAt(items, x, y, w);
  if (!selected) return under[0];
  return under.find((it) => it !== selected && !isPartOf(it, selected));
}

/** Shift+click / "next" cycling: the mask under the pointer after `current`, from small to large, wrapping. */
export function nextAt(items: readonly Item[], x: number, y: number, w: number, current?: Item): Item | undefined {
  const under = itemsAt(items, x, y, w);
  if (!under.length) return undefined;
  const i = current ? under.indexOf(current) : -1;
  return under[(i + 1) % under.length];
}
