/**
 * GeoJSON (RFC 7946) of one result: a FeatureCollection with one Feature per instance, its
 * geometry a MultiPolygon (outer rings + holes) in **pixel** coordinates of the upright image
 * (x right, y down — not longitude/latitude), its properties the instance's id, label, concept,
 * score, area and box. GIS tools (QGIS, GDAL) read it as a non-georeferenced layer over the image.
 */
import type { Mask, MaskPolygons, SegmentResult } from '@promptseg/shared';
import { maskPolygons } from '../postprocess/polygons.js';

/** The instances' polygons: those already in the result (`--polygons`), else traced from the masks. */
export function instancePolygons(result: SegmentResult, masks: readonly Mask[], tolerance?: number): MaskPolygons[] {
  return result.instances.map((inst, i) => inst.polygons ?? maskPolygons(masks[i], tolerance));
}

export function geoJson(result: SegmentResult, polygons: readonly MaskPolygons[]): object {
  return {
    type: 'FeatureCollection',
    // a foreign member (RFC 7946 §6.1): what the coordinates are relative to
    image: { ...result.image, coordinates: 'pixels of the upright image, x right, y down' },
    features: result.instances.map((inst, i) => ({
      type: 'Feature',
      id: inst.id,
      geometry: { type: 'MultiPolygon', coordinates: polygons[i] },
      properties: { id: inst.id, label: inst.label, concept: inst.concept, score: inst.score, area: inst.area, box: inst.box },
    })),
  };
}
