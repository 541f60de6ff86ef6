import { describe, expect, it } from 'vitest';
import { encodeRle, type Instance, type SegmentResult } from '@promptseg/shared';
import { clickTarget, itemName, makeItems, nextAt } from './items.js';

const W = 10, H = 10;
/** An instance whose mask is the rectangle [x0, x1) × [y0, y1). */
function rect(id: number, label: string, score: number, x0: number, y0: number, x1: number, y1: number): Instance {
  const data = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * W + x] = 1;
  return { id, label, concept: label, score, box: [x0, y0, x1 - x0, y1 - y0], area: (x1 - x0) * (y1 - y0), rle: encodeRle({ width: W, height: H, data }) };
}

const result = (instances: Instance[]): SegmentResult => ({ image: { width: W, height: H }, prompt: '', engine: 'lite', concepts: [], instances, timings_ms: {} });

describe('items', () => {
  const dog = rect(1, 'dog', 0.9, 0, 0, 8, 8);
  const tongue = rect(2, 'tongue', 0.5, 3, 3, 5, 5);
  const ball = rect(3, 'ball', 0.7, 4, 4, 10, 10); // overlaps the dog, not a part of it
  const person2 = rect(4, 'dog', 0.6, 8, 8, 10, 10);
  const items = makeItems(result([dog, tongue, ball, person2]), W, H);
  const byId = (id: number) => items.find((i) => i.inst.id === id)!;

  it('number instances per label, best first, and keep the colour of an id', () => {
    expect(items.map(itemName)).toEqual(['dog 1', 'ball 1', 'dog 2', 'tongue 1']);
    const again = makeItems(result([tongue, person2, ball, dog]), W, H);
    for (const it of items) expect(again.find((a) => a.inst.id === it.inst.id)!.color).toEqual(it.color);
  });

  it('a click selects the smallest mask under it; with one selected, not a part of the selection', () => {
    expect(clickTarget(items, 3, 3, W)?.inst.id).toBe(2); // nothing selected: the tongue (on top)
    expect(clickTarget(items, 3, 3, W, byId(1))).toBeUndefined(); // the dog is selected: the tongue is part of it → a refinement point
    expect(clickTarget(items, 4, 4, W, byId(1))?.inst.id).toBe(3); // where the ball overlaps the dog: the ball (not a part of the dog)
    expect(clickTarget(items, 3, 3, W, byId(2))?.inst.id).toBe(1); // the tongue selected, a click on it again: the dog under it
  });

  it('cycles through the masks under a point, small to large', () => {
    const seq = [nextAt(items, 4, 4, W), nextAt(items, 4, 4, W, byId(2)), nextAt(items, 4, 4, W, byId(3)), nextAt(items, 4, 4, W, byId(1))].map((i) => i?.inst.id);
    expect(seq).toEqual([2, 3, 1, 2]);
  });
});
