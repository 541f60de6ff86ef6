/**
 * Position, size and ordinal attributes, measured on the masks. Each turns into a factor in
 * 0.4..1 (position) / 0.5..1 (size) that ranks the matching object first without hiding the
 * others; superlatives ("leftmost", "largest") and ordinals ("second from the left") select.
 */
import type { Mask, OrdinalAttr, PositionAttr, Side, SizeAttr } from '@promptseg/shared';

export interface Placed {
  /** Mask centroid and area, pixels. */
  cx: number;
  cy: number;
  area: number;
}

export function placement(mask: Mask): Placed {
  let sx = 0, sy = 0, n = 0;
  const { width: w, height: h, data } = mask;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (data[row + x]) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  return n ? { cx: sx / n + 0.5, cy: sy / n + 0.5, area: n } : { cx: w / 2, cy: h / 2, area: 0 };
}

/** 0 = exactly where `side` asks, 1 = as far from it as the image allows. */
export function sideKey(p: Placed, side: Side, width: number, height: number): number {
  switch (side) {
    case 'left': return p.cx / width;
    case 'right': return 1 - p.cx / width;
    case 'top': return p.cy / height;
    case 'bottom': return 1 - p.cy / height;
    case 'center': return Math.min(1, Math.hypot(p.cx / width - 0.5, p.cy / height - 0.5) / Math.SQRT1_2);
  }
}

export interface AttributeOutcome {
  /** Per item: multiplicative factor (0 = removed by a superlative / ordinal). */
  factor: number[];
  /** Per item: 1-based rank by the attribute (undefined when no attribute applies). */
  rank: (number | undefined)[];
}

/** 1-based ranks of keys ascending (ties share order of appearance). */
function ranks(keys: number[]): number[] {
  const order = keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const r = new Array<number>(keys.length);
  order.forEach(([, i], k) => (r[i] = k + 1));
  return r;
}

/** Relative position of each key between the best (0) and the worst (1) of the group. */
function spread(keys: number[]): number[] {
  const min = Math.min(...keys), max = Math.max(...keys);
  return keys.map((k) => (max > min ? (k - min) / (max - min) : 0));
}

export const POSITION_SLOPE = 0.6;
export const SIZE_SLOPE = 0.5;

export function positionFactors(items: Placed[], pos: PositionAttr, width: number, height: number): AttributeOutcome {
  const keys = items.map((p) => sideKey(p, pos.side, width, height));
  const rank = ranks(keys);
  if (pos.superlative) return { factor: rank.map((r) => (r === 1 ? 1 : 0)), rank };
  // Alone, an object counts as "on the left" anywhere in the left half, fading to the right edge.
  const t = items.length >= 2 ? spread(keys) : keys.map((k) => (pos.side === 'center' ? Math.min(1, Math.max(0, (k - 0.25) / 0.5)) : Math.min(1, Math.max(0, 2 * k - 1))));
  return { factor: t.map((v) => 1 - POSITION_SLOPE * v), rank };
}

export function sizeFactors(items: Placed[], size: SizeAttr): AttributeOutcome {
  const keys = items.map((p) => (size.size === 'large' ? -p.area : p.area));
  const rank = ranks(keys);
  if (size.superlative) return { factor: rank.map((r) => (r === 1 ? 1 : 0)), rank };
  const t = items.length >= 2 ? spread(keys) : keys.map(() => 0);
  return { factor: t.map((v) => 1 - SIZE_SLOPE * v), rank };
}

/** "the second person from the left": only the n-th by that side stays. */
export function ordinalFactors(items: Placed[], ord: OrdinalAttr, width: number, height: number): AttributeOutcome {
  const rank = ranks(items.map((p) => sideKey(p, ord.from, width, height)));
  return { factor: rank.map((r) => (r === ord.n ? 1 : 0)), rank };
}
