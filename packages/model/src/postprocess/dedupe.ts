/** One object, one instance: masks that overlap this much are the same object found twice. */
import { maskArea, maskBox, type Mask } from '@promptseg/shared';

const stats = new WeakMap<Mask, { box: [number, number, number, number]; area: number }>();

function statsOf(m: Mask): { box: [number, number, number, number]; area: number } {
  let s = stats.get(m);
  if (!s) {
    s = { box: maskBox(m), area: maskArea(m) };
    stats.set(m, s);
  }
  return s;
}

/** Mask IoU that only scans where the two masks' boxes intersect (masks must not be mutated after). */
export function fastMaskIoU(a: Mask, b: Mask): number {
  const sa = statsOf(a), sb = statsOf(b);
  const x0 = Math.max(sa.box[0], sb.box[0]), y0 = Math.max(sa.box[1], sb.box[1]);
  const x1 = Math.min(sa.box[0] + sa.box[2], sb.box[0] + sb.box[2]), y1 = Math.min(sa.box[1] + sa.box[3], sb.box[1] + sb.box[3]);
  let inter = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * a.width;
    for (let x = x0; x < x1; x++) inter += a.data[row + x] & b.data[row + x];
  }
  const union = sa.area + sb.area - inter;
  return union > 0 ? inter / union : 0;
}

/** Two detections of one concept (overlapping boxes that NMS kept) usually give near-equal masks. */
export const SAME_CONCEPT_IOU = 0.7;
/** Across concepts ("person, woman", "cup, bowl") the bar is higher: a shirt is not its person. */
export const CROSS_CONCEPT_IOU = 0.8;

/**
 * Greedy, best score first: an item is dropped when its mask's IoU with an already kept item's
 * mask exceeds `iou`. Returns the kept items, best first, and for each the items merged into it.
 */
export function dedupeByMask<T extends { mask: Mask; score: number }>(items: T[], iou: number): { kept: T[]; merged: Map<T, T[]> } {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  const merged = new Map<T, T[]>();
  for (const it of sorted) {
    const into = kept.find((k) => fastMaskIoU(k.mask, it.mask) > iou);
    if (into) merged.get(into)?.push(it);
    else {
      kept.push(it);
      merged.set(it, []);
    }
  }
  return { kept, merged };
}

/** Share of `a`'s pixels that are also in `b`. */
export function coveredShare(a: Mask, b: Mask): number {
  let inter = 0, area = 0;
  for (let i = 0; i < a.data.length; i++) {
    if (a.data[i]) {
      area++;
      if (b.data[i]) inter++;
    }
  }
  return area ? inter / area : 0;
}
