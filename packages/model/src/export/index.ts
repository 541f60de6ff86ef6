/**
 * Exporters: pure functions from a segmentation outcome to output files (bytes + name + type).
 * The CLI writes them to disk; the inference function uploads them. Nothing here touches the
 * file system.
 */
import { PromptsegError, type Mask, type OutputFormat, type SegmentResult } from '@promptseg/shared';
import type { DecodedImage } from '../io/image.js';
import { cutoutPng, maskPng, unionMask } from './cutout.js';
import { geoJson, instancePolygons } from './geojson.js';
import { fixedOutputName, instanceOutputName } from './names.js';
import { encodeMasksNpy } from './npy.js';
import { overlayPng } from './overlay.js';

export { slugify, fixedOutputName, fixedOutputNames, instanceOutputName, type FixedOutput } from './names.js';
export { encodeMasksNpy } from './npy.js';
export { geoJson, instancePolygons } from './geojson.js';
export { maskToLabelStudioRle } from './labelstudio-rle.js';
export * from './dataset.js';

/** How the exporters trace polygons (GeoJSON; YOLO in exportDataset). */
export interface ExportSettings {
  /** Simplification tolerance in pixels (default DEFAULT_POLYGON_TOLERANCE; 0 = exact pixel outline). */
  tolerance?: number;
}

export interface ExportFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/** What the exporters need of a segment() outcome (SegmentOutcome satisfies it). */
export interface ExportableOutcome {
  result: SegmentResult;
  /** Aligned with result.instances, each the size of the upright image. */
  masks: Mask[];
  image: DecodedImage;
}

/** The result document as written to `${base}.json` (and printed by `--json`). */
export function resultJson(result: SegmentResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

function check(outcome: ExportableOutcome): void {
  const { result, masks, image } = outcome;
  if (masks.length !== result.instances.length) {
    throw new PromptsegError('internal', `The outcome has ${result.instances.length} instances but ${masks.length} masks.`, 'This is a bug in promptseg; please report it with the input that caused it.');
  }
  for (const m of masks) {
    if (m.width !== image.width || m.height !== image.height || m.data.length !== image.width * image.height) {
      throw new PromptsegError('internal', `A mask is ${m.width}x${m.height} but the image is ${image.width}x${image.height}.`, 'This is a bug in promptseg; please report it with the input that caused it.');
    }
  }
}

/**
 * Per-image files for the requested formats (the dataset formats are exportDataset's), named
 * `${baseName}.json`, `.overlay.png`, `.masks.npy`, `.geojson`
 * (slices in result.instances order), `.cutout.png` (all instances), `.cutout-${id}-${label}.png`
 * and `.mask-${id}-${label}.png` (id = the instance's id in the JSON, label slugified).
 * Order: fixed names first, then per instance in result order.
 */
export async function exportOutputs(outcome: ExportableOutcome, formats: readonly OutputFormat[], baseName: string, settings: ExportSettings = {}): Promise<ExportFile[]> {
  check(outcome);
  const { result, masks, image } = outcome;
  const want = new Set(formats);
  const files: ExportFile[] = [];
  if (want.has('json')) {
    files.push({ name: fixedOutputName('json', baseName), contentType: 'application/json', bytes: new TextEncoder().encode(resultJson(result)) });
  }
  if (want.has('overlay')) {
    files.push({ name: fixedOutputName('overlay', baseName), contentType: 'image/png', bytes: await overlayPng(image, result.instances, masks) });
  }
  if (want.has('npy')) {
    files.push({ name: fixedOutputName('npy', baseName), contentType: 'application/octet-stream', bytes: encodeMasksNpy(masks, image.height, image.width) });
  }
  if (want.has('geojson')) {
    const doc = geoJson(result, instancePolygons(result, masks, settings.tolerance));
    files.push({ name: fixedOutputName('geojson', baseName), contentType: 'application/geo+json', bytes: new TextEncoder().encode(JSON.stringify(doc) + '\n') });
  }
  if (want.has('cutout')) {
    files.push({ name: fixedOutputName('cutout', baseName), contentType: 'image/png', bytes: await cutoutPng(image, unionMask(masks, image.width, image.height)) });
  }
  for (let i = 0; i < masks.length; i++) {
    const { id, label } = result.instances[i];
    if (want.has('cutout')) {
      files.push({ name: instanceOutputName('cutout', baseName, id, label), contentType: 'image/png', bytes: await cutoutPng(image, masks[i]) });
    }
    if (want.has('mask')) {
      files.push({ name: instanceOutputName('mask', baseName, id, label), contentType: 'image/png', bytes: await maskPng(masks[i]) });
    }
  }
  return files;
}
export * from './video.js';
