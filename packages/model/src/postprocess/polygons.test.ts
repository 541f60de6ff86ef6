import { maskArea, maskIoU, polygonsArea, ringSignedArea2, type Mask } from '@promptseg/shared';
import { describe, expect, it } from 'vitest';
import { discMask, rasterizePolygons, rectMask } from '../export/testing.js';
import { maskPolygons } from './polygons.js';

const W = 160, H = 120;

function union(...ms: Mask[]): Mask {
  const data = new Uint8Array(W * H);
  for (const m of ms) for (let i = 0; i < data.length; i++) data[i] |= m.data[i];
  return { width: W, height: H, data };
}
function minus(a: Mask, b: Mask): Mask {
  return { width: W, height: H, data: a.data.map((v, i) => (b.data[i] ? 0 : v)) };
}

const disc = discMask(W, H, 50, 60, 30);
const annulus = minus(discMask(W, H, 80, 60, 40), discMask(W, H, 80, 60, 15)); // a ring with a hole
const twoParts = union(rectMask(W, H, 5, 5, 40, 30), discMask(W, H, 120, 80, 25));
const cShape = minus(rectMask(W, H, 20, 20, 120, 100), rectMask(W, H, 50, 45, 130, 75)); // concave
const edgeTouching = union(rectMask(W, H, 0, 0, 50, 40), discMask(W, H, W - 10, H - 10, 30)); // touches the image border

describe('maskPolygons', () => {
  it.each([['disc', disc], ['annulus', annulus], ['two parts', twoParts], ['C shape', cShape], ['touching the border', edgeTouching]])(
    'rasterises back to the %s mask with IoU ≥ 0.97 at the default tolerance, exactly at tolerance 0',
    (_, mask) => {
      expect(maskIoU(rasterizePolygons(maskPolygons(mask), W, H), mask)).toBeGreaterThanOrEqual(0.97);
      expect(maskIoU(rasterizePolygons(maskPolygons(mask, 0), W, H), mask)).toBe(1);
    },
  );

  it('gives one polygon per connected part, holes as inner rings, right-hand-rule winding', () => {
    expect(maskPolygons(disc).map((p) => p.length)).toEqual([1]);
    expect(maskPolygons(twoParts).map((p) => p.length)).toEqual([1, 1]);
    const [ring] = maskPolygons(annulus);
    expect(ring.length).toBe(2);
    expect(ringSignedArea2(ring[0])).toBeGreaterThan(0); // outer: counter-clockwise
    expect(ringSignedArea2(ring[1])).toBeLessThan(0); // hole: clockwise
    for (const r of ring) expect(r[0]).toEqual(r[r.length - 1]); // closed
    // the enclosed area is the mask's, within the corner cuts
    expect(Math.abs(polygonsArea(maskPolygons(annulus, 0)) - maskArea(annulus)) / maskArea(annulus)).toBeLessThan(0.02);
  });

  it('drops points as the tolerance grows, and nothing for an empty mask', () => {
    const points = (t: number) => maskPolygons(disc, t).flat().reduce((n, r) => n + r.length, 0);
    expect(points(0)).toBeGreaterThan(points(0.5));
    expect(points(0.5)).toBeGreaterThan(points(2));
    expect(points(2)).toBeGreaterThan(8);
    expect(maskPolygons({ width: W, height: H, data: new Uint8Array(W * H) })).toEqual([]);
  });
});
