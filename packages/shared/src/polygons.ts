/**
 * Polygon outlines of a mask, the shape GeoJSON's MultiPolygon uses: a list of polygons, each a
 * list of rings (the outer ring first, then its holes), each ring a closed list of [x, y] points
 * in pixels of the upright image (the first point repeated last). Pixel (x, y) covers the square
 * x..x+1, y..y+1, so a point on an outline sits on pixel edges. Outer rings wind
 * counter-clockwise and holes clockwise in x/y axes (GeoJSON's right-hand rule, RFC 7946 §3.1.6).
 */
export type Ring = [number, number][];
export type PolygonRings = Ring[];
export type MaskPolygons = PolygonRings[];

/** Default simplification tolerance (pixels): points closer than this to the simplified outline are dropped. */
export const DEFAULT_POLYGON_TOLERANCE = 1;
export const POLYGON_TOLERANCE_MAX = 20;

/** Twice the signed area of a ring (shoelace); > 0 = counter-clockwise in x/y axes. */
export function ringSignedArea2(ring: Ring): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a;
}

/** Area in pixels enclosed by the polygons (outer rings minus holes). */
export function polygonsArea(polygons: MaskPolygons): number {
  let a = 0;
  for (const rings of polygons) for (const r of rings) a += ringSignedArea2(r) / 2;
  return a;
}
