/**
 * Mask → polygons: the outline traced with d3-contour (marching squares at 0.5 over the 0/1
 * mask) and simplified with simplify-js (Ramer–Douglas–Peucker). simplify-js rather than
 * @turf/simplify: turf's simplify is a port of the same algorithm wrapped for geographic GeoJSON
 * (five packages); these are pixel rings, and simplify-js has no dependencies.
 *
 * d3-contour places the sample of pixel (x, y) at (x + 0.5, y + 0.5) and puts the 0.5 crossing
 * half-way between samples, i.e. on pixel edges; corners are cut diagonally, so every pixel centre
 * keeps its side of the outline (a traced mask rasterised back at pixel centres is the mask).
 * The work is done inside the mask's bounding box (+1 px of background so every ring closes).
 */
import { contours } from 'd3-contour';
import simplify from 'simplify-js';
import { DEFAULT_POLYGON_TOLERANCE, maskBox, ringSignedArea2, type Mask, type MaskPolygons, type PolygonRings, type Ring, type SegmentResult } from '@promptseg/shared';

function simplifyRing(ring: Ring, tolerance: number): Ring | undefined {
  const pts = tolerance > 0 ? simplify(ring.map(([x, y]) => ({ x, y })), tolerance, true).map((p): [number, number] => [p.x, p.y]) : ring;
  // a closed ring needs 3 distinct points + the closing one; fewer = it vanished at this tolerance
  return pts.length >= 4 ? pts : undefined;
}

/** Orients a ring: counter-clockwise (positive area) for an outer ring, clockwise for a hole. */
function oriented(ring: Ring, outer: boolean): Ring {
  const ccw = ringSignedArea2(ring) > 0;
  return ccw === outer ? ring : [...ring].reverse();
}

/** Polygons (outer rings + holes) of a mask; [] for an empty mask. `tolerance` in pixels, 0 = unsimplified. */
export function maskPolygons(mask: Mask, tolerance: number = DEFAULT_POLYGON_TOLERANCE): MaskPolygons {
  const [bx, by, bw, bh] = maskBox(mask);
  if (bw === 0) return [];
  const w = bw + 2, h = bh + 2, ox = bx - 1, oy = by - 1;
  const values = new Float64Array(w * h);
  for (let y = 0; y < bh; y++) {
    const src = (by + y) * mask.width + bx, dst = (y + 1) * w + 1;
    for (let x = 0; x < bw; x++) values[dst + x] = mask.data[src + x] ? 1 : 0;
  }
  const [layer] = contours().size([w, h]).smooth(false).thresholds([0.5])(values as unknown as number[]);
  const shift = (ring: number[][]): Ring => ring.map(([x, y]) => [x + ox, y + oy]);
  const out: MaskPolygons = [];
  for (const [outerRing, ...holes] of layer.coordinates) {
    const outer = simplifyRing(shift(outerRing), tolerance);
    if (!outer) continue; // an outer ring that vanished at this tolerance takes its holes with it
    const rings: PolygonRings = [oriented(outer, true)];
    for (const hole of holes) {
      const s = simplifyRing(shift(hole), tolerance);
      if (s) rings.push(oriented(s, false));
    }
    out.push(rings);
  }
  return out;
}

/** The result with every instance's `polygons` (the `--polygons` / `"polygons": true` option). */
export function withPolygons(result: SegmentResult, masks: readonly Mask[], tolerance?: number): SegmentResult {
  return { ...result, instances: result.instances.map((inst, i) => ({ ...inst, polygons: maskPolygons(masks[i], tolerance) })) };
}
