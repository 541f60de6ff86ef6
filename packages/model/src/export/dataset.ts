/**
 * Dataset files over a whole run (one CLI batch, or one API job): pure functions of the result
 * documents — the masks are decoded from each instance's RLE, so a resumed batch can include
 * images finished by an earlier run from their stored results.
 *
 * - COCO `instances.json` (pycocotools, CVAT / Datumaro "COCO instances" import): segmentation as
 *   compressed RLE — exact, and it keeps holes, which COCO polygons cannot express — with
 *   `iscrowd: 0` (each annotation is one object; `iscrowd: 1` would make COCOeval ignore it).
 * - YOLO segmentation (Ultralytics): `yolo/labels/STEM.txt`, one line per polygon part
 *   `class x1 y1 x2 y2 …` normalised to 0–1 by the image size (YOLO has no holes: outer rings
 *   only), and `yolo/data.yaml` with the class names.
 * - Label Studio `labelstudio.json`: one task per image with the instances as predictions in
 *   brush RLE (exact masks Label Studio opens as editable brush strokes, as its own SAM backend
 *   returns them), and `labelstudio-config.xml`, the labeling config those results refer to.
 * Categories are the labels found, sorted, so the ids are the same whatever order images finish in.
 */
import { decodeRle, type DatasetFormat, type MaskPolygons, type SegmentResult } from '@promptseg/shared';
import { maskPolygons } from '../postprocess/polygons.js';
import type { ExportFile } from './index.js';
import { maskToLabelStudioRle } from './labelstudio-rle.js';

export interface DatasetEntry {
  result: SegmentResult;
  /** The image as the dataset names it (COCO file_name, Label Studio data.image): the path as given. */
  file: string;
  /** Output base name ("beach", "trip/beach"): names the YOLO label file. */
  stem: string;
}

export interface DatasetSettings {
  /** Polygon simplification tolerance in pixels (YOLO). */
  tolerance?: number;
  /** Folder the YOLO dataset will live in (data.yaml `path`); relative paths resolve from data.yaml's folder. */
  yoloRoot?: string;
}

export const COCO_FILE = 'instances.json';
export const YOLO_DIR = 'yolo';
export const LABEL_STUDIO_FILE = 'labelstudio.json';
export const LABEL_STUDIO_CONFIG_FILE = 'labelstudio-config.xml';

export function datasetCategories(entries: readonly DatasetEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => e.result.instances.map((i) => i.label)))].sort();
}

const sortedEntries = (entries: readonly DatasetEntry[]) => [...entries].sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));

export function cocoDataset(entries: readonly DatasetEntry[], createdAt = new Date()): object {
  const names = datasetCategories(entries);
  const catId = new Map(names.map((n, k) => [n, k + 1]));
  const images: object[] = [];
  const annotations: object[] = [];
  sortedEntries(entries).forEach((e, k) => {
    const imageId = k + 1;
    images.push({ id: imageId, file_name: e.file, width: e.result.image.width, height: e.result.image.height });
    for (const inst of e.result.instances) {
      annotations.push({
        id: annotations.length + 1,
        image_id: imageId,
        category_id: catId.get(inst.label),
        segmentation: { size: inst.rle.size, counts: inst.rle.counts },
        area: inst.area,
        bbox: inst.box,
        iscrowd: 0,
        score: inst.score,
      });
    }
  });
  return {
    info: { description: 'promptseg segmentation', version: '1.0', date_created: createdAt.toISOString() },
    licenses: [],
    images,
    annotations,
    categories: names.map((name, k) => ({ id: k + 1, name, supercategory: '' })),
  };
}

const coord = (v: number) => String(Math.round(Math.min(1, Math.max(0, v)) * 1e6) / 1e6);

/** YOLO segmentation lines of one image: one per outer ring (≥ 3 points), normalised. */
export function yoloLines(result: SegmentResult, classOf: (label: string) => number, polygons: readonly MaskPolygons[]): string[] {
  const { width, height } = result.image;
  const lines: string[] = [];
  result.instances.forEach((inst, i) => {
    for (const [outer] of polygons[i]) {
      const pts = outer.slice(0, -1); // YOLO rings are implicitly closed
      if (pts.length < 3) continue;
      lines.push([String(classOf(inst.label)), ...pts.flatMap(([x, y]) => [coord(x / width), coord(y / height)])].join(' '));
    }
  });
  return lines;
}

function yaml(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
}

export function yoloFiles(entries: readonly DatasetEntry[], settings: DatasetSettings = {}): ExportFile[] {
  const names = datasetCategories(entries);
  const cls = new Map(names.map((n, k) => [n, k]));
  const files: ExportFile[] = [];
  for (const e of sortedEntries(entries)) {
    const polygons = e.result.instances.map((inst) => inst.polygons ?? maskPolygons(decodeRle(inst.rle), settings.tolerance));
    const lines = yoloLines(e.result, (l) => cls.get(l) ?? 0, polygons);
    files.push(text(`${YOLO_DIR}/labels/${e.stem}.txt`, 'text/plain', lines.length ? lines.join('\n') + '\n' : ''));
  }
  const yamlText = [
    '# YOLO segmentation dataset written by promptseg. Put (or link) the images into images/,',
    '# named like the label files (labels/STEM.txt <-> images/STEM.jpg), then e.g. `yolo segment train data=data.yaml`.',
    `path: ${yaml(settings.yoloRoot ?? '.')}`,
    'train: images',
    'val: images',
    `nc: ${names.length}`,
    'names:',
    ...names.map((n, k) => `  ${k}: ${yaml(n)}`),
    '',
  ].join('\n');
  files.push(text(`${YOLO_DIR}/data.yaml`, 'application/yaml', yamlText));
  return files;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Label Studio tasks (import JSON): predictions in brush RLE, from_name "label", to_name "image". */
export function labelStudioTasks(entries: readonly DatasetEntry[]): object[] {
  return sortedEntries(entries).map((e) => {
    const { width, height } = e.result.image;
    const scores = e.result.instances.map((i) => i.score);
    return {
      data: { image: e.file },
      predictions: [
        {
          model_version: `promptseg ${e.result.engine}`,
          score: scores.length ? Math.min(...scores) : 0,
          result: e.result.instances.map((inst) => ({
            id: `promptseg-${inst.id}`,
            type: 'brushlabels',
            from_name: 'label',
            to_name: 'image',
            original_width: width,
            original_height: height,
            image_rotation: 0,
            score: inst.score,
            value: { format: 'rle', rle: maskToLabelStudioRle(decodeRle(inst.rle)), brushlabels: [inst.label] },
          })),
        },
      ],
    };
  });
}

export function labelStudioConfig(entries: readonly DatasetEntry[]): string {
  const labels = datasetCategories(entries).map((n) => `    <Label value="${xml(n)}"/>`);
  return ['<View>', '  <Image name="image" value="$image" zoom="true"/>', '  <BrushLabels name="label" toName="image">', ...labels, '  </BrushLabels>', '</View>', ''].join('\n');
}

function text(name: string, contentType: string, body: string): ExportFile {
  return { name, contentType, bytes: new TextEncoder().encode(body) };
}

/** The dataset files of the requested formats over `entries`. */
export function exportDataset(entries: readonly DatasetEntry[], formats: readonly DatasetFormat[], settings: DatasetSettings = {}): ExportFile[] {
  const files: ExportFile[] = [];
  if (formats.includes('coco')) files.push(text(COCO_FILE, 'application/json', JSON.stringify(cocoDataset(entries)) + '\n'));
  if (formats.includes('yolo')) files.push(...yoloFiles(entries, settings));
  if (formats.includes('labelstudio')) {
    files.push(text(LABEL_STUDIO_FILE, 'application/json', JSON.stringify(labelStudioTasks(entries)) + '\n'));
    files.push(text(LABEL_STUDIO_CONFIG_FILE, 'application/xml', labelStudioConfig(entries)));
  }
  return files;
}
