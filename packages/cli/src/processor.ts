/**
 * What turns one input image into a result and its output files. The local processor runs the
 * model in this process; another (e.g. a client of the hosted API) can implement the same
 * interface and the batch runner, resume logic and progress stay the same.
 */
import type { OutputFormat, SegmentOptionsInput, SegmentResult } from '@promptseg/shared';
import type { ExportFile } from '@promptseg/model';

export interface ProcessRequest {
  /** The image file's bytes. */
  bytes: Uint8Array;
  /** Path as shown to the user; written into result.image.path. */
  path: string;
  prompt: string;
  options: SegmentOptionsInput;
  maxPixels?: number;
  /** Per-image formats to export (dataset formats are written by the batch over all images). */
  formats: readonly OutputFormat[];
  /** Add each instance's polygons to the result (--polygons). */
  polygons?: boolean;
  /** Polygon simplification tolerance in pixels (--polygon-tolerance; GeoJSON and --polygons). */
  tolerance?: number;
  /** Output base name (relative to the --out folder) the files must be named after. */
  baseName: string;
}

export interface Processed {
  result: SegmentResult;
  files: ExportFile[];
}

export interface Processor {
  process(req: ProcessRequest): Promise<Processed>;
}

/** Runs segment() and the exporters in this process. The model package is imported here, on first use, so `--help` stays fast. */
export async function createLocalProcessor(): Promise<Processor> {
  const model = await import('@promptseg/model');
  return {
    async process(req) {
      const segmented = await model.segment(req.bytes, req.prompt, { ...req.options, path: req.path, maxPixels: req.maxPixels });
      const outcome = req.polygons ? { ...segmented, result: model.withPolygons(segmented.result, segmented.masks, req.tolerance) } : segmented;
      const files = await model.exportOutputs(outcome, req.formats, req.baseName, { tolerance: req.tolerance });
      return { result: outcome.result, files };
    },
  };
}
