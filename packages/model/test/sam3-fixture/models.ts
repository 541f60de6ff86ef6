/**
 * Stand-in SAM 3 exports for tests, following the contract's "Minimal synthetic fixture"
 * (docs/sam3-onnx-contract.md §6): every name, dtype and rank of Layout A (usls v2) and Layout C
 * (danilobukvic), with 256 channels, 32 tokens and 200 queries, but a small input size s
 * (a multiple of 14; the FPN grid is g = s/14 and the mask size m = 4g).
 *
 * The outputs are deterministic functions of the inputs so tests can check what reached the
 * models and how the engine reads the outputs back:
 * - vision: fpn_feat_0/1/2 = the input image sampled (nearest, floor(i·s/size)) to 4g/2g/g, its
 *   3 channels in channels 0..2, zeros elsewhere; fpn_pos_2 = a constant.
 * - text: text_features[b,t,0] = input_ids·attention_mask, [b,t,1] = attention_mask,
 *   [b,t,2] = +1 for an odd id, −1 for an even id; text_mask = attention_mask ≠ 0.
 * - decoder: query 0's mask logits = 10 × fpn_feat_0 channel 0 (the normalised red channel, so
 *   "the red part of the image"); queries 1..3 have fixed rectangles (RECTS) with matching boxes;
 *   logits come from QUERY_LOGITS. Layout A: presence = 1.5 × parity of the first token (an
 *   odd first token = "present"); query 199 echoes box prompt 0 (cxcywh → xyxy box and a box
 *   mask) with logit 10·label − 5. Layout C (no presence output): logits − 10 for an even
 *   first token.
 */
import { GraphBuilder, type ElemType } from './onnx-builder.js';

export const QUERIES = 200;
export const TOKENS = 32;
export const CHANNELS = 256;

/** Text-query logits: index = query. Queries 4..198 are "nothing here". */
export const QUERY_LOGITS: number[] = Array.from({ length: QUERIES - 1 }, (_, q) => [3.0, 2.0, 0.5, -0.2][q] ?? -12);
/** Layout A presence logit for a phrase whose first token id is odd (negated for even). */
export const PRESENCE_LOGIT = 1.5;
/** Fixed rectangles of queries 1..3 as xyxy fractions of the image (multiples of 1/4, so they fall on grid lines). */
export const RECTS: Record<number, [number, number, number, number]> = {
  1: [0.25, 0.5, 0.75, 1.0],
  2: [0, 0, 0.25, 0.25],
  3: [0.75, 0.25, 1.0, 0.5],
};
export const BOX_QUERY = QUERIES - 1;

export interface FixtureDims {
  /** Model input size (square), a multiple of 14. */
  size: number;
}

export interface GraphOptions extends FixtureDims {
  /** float dtype of every float input and output (the fp16 export variants use float16). */
  float: 'float32' | 'float16';
}

const dimsOf = (size: number) => {
  const g = size / 14;
  if (!Number.isInteger(g) || g % 2 !== 0) throw new Error(`fixture size ${size} must be a multiple of 28`);
  return { g, m: 4 * g };
};

/** Float input declared as `float` (cast to float32 inside). */
function floatIn(b: GraphBuilder, name: string, float: ElemType, dims: (number | string)[]): string {
  const x = b.input(name, float, dims);
  return float === 'float32' ? x : b.cast(x, 'float32');
}

function floatOut(b: GraphBuilder, name: string, value: string, float: ElemType, dims: (number | string)[]): void {
  b.output(name, float === 'float32' ? value : b.cast(value, float), float, dims);
}

/** Nearest-neighbour (floor, asymmetric) resize of [b,3,s,s] to [b,256,n,n], channels padded with zeros. */
function sampledFeature(b: GraphBuilder, img: string, n: number): string {
  const sizes = b.concat([b.slice(b.op('Shape', [img]), 0, 2, 0), b.i64([n, n])], 0);
  const r = b.op('Resize', [img, '', '', sizes], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  return b.op('Pad', [r, b.i64([0, 0, 0, 0, 0, CHANNELS - 3, 0, 0])], { mode: 'constant' });
}

function positionConst(b: GraphBuilder, like: string, n: number): string {
  const data = Float32Array.from({ length: CHANNELS * n * n }, (_, i) => Math.sin(i / 7) * 0.5);
  return b.expandToBatch(b.init(data, [1, CHANNELS, n, n]), like, [CHANNELS, n, n]);
}

export function visionEncoder(layout: 'A' | 'C', o: GraphOptions): GraphBuilder {
  const { g, m } = dimsOf(o.size);
  const b = new GraphBuilder();
  const batch: number | string = layout === 'A' ? 'batch' : 1;
  const img = floatIn(b, layout === 'A' ? 'images' : 'pixel_values', o.float, [batch, 3, o.size, o.size]);
  const sizes = [m, 2 * g, g, g / 2];
  if (layout === 'A') {
    for (let i = 0; i < 3; i++) floatOut(b, `fpn_feat_${i}`, sampledFeature(b, img, sizes[i]), o.float, [batch, CHANNELS, sizes[i], sizes[i]]);
    floatOut(b, 'fpn_pos_2', positionConst(b, img, g), o.float, [batch, CHANNELS, g, g]);
  } else {
    for (let i = 0; i < 4; i++) floatOut(b, `fpn_hidden_state_${i}`, sampledFeature(b, img, sizes[i]), o.float, [batch, CHANNELS, sizes[i], sizes[i]]);
    for (let i = 0; i < 4; i++) floatOut(b, `fpn_position_encoding_${i}`, positionConst(b, img, sizes[i]), o.float, [batch, CHANNELS, sizes[i], sizes[i]]);
  }
  return b;
}

export function textEncoder(layout: 'A' | 'C', o: GraphOptions): GraphBuilder {
  const b = new GraphBuilder();
  const batch: number | string = layout === 'A' ? 'batch' : 1;
  const ids = b.input('input_ids', 'int64', [batch, TOKENS]);
  const mask = b.input('attention_mask', 'int64', [batch, TOKENS]);
  const idsF = b.cast(ids, 'float32');
  const maskF = b.cast(mask, 'float32');
  const parity = b.sub(b.mul(b.cast(b.op('Mod', [ids, b.i64([2])]), 'float32'), b.f([2])), b.f([1]));
  const chans = [b.mul(idsF, maskF), maskF, parity].map((c) => b.op('Unsqueeze', [c, b.i64([2])]));
  const feats = b.op('Pad', [b.concat(chans, 2), b.i64([0, 0, 0, 0, 0, CHANNELS - 3])], { mode: 'constant' });
  floatOut(b, 'text_features', feats, o.float, [batch, TOKENS, CHANNELS]);
  if (layout === 'A') b.output('text_mask', b.cast(mask, 'bool'), 'bool', [batch, TOKENS]);
  return b;
}

/** A constant [1,n,m,m] of mask logits: +10 inside each rectangle, −10 outside. */
function rectMasks(m: number, queries: number[]): Float32Array {
  const out = new Float32Array(queries.length * m * m).fill(-10);
  queries.forEach((q, k) => {
    const r = RECTS[q];
    if (!r) return;
    for (let y = Math.round(r[1] * m); y < Math.round(r[3] * m); y++) {
      for (let x = Math.round(r[0] * m); x < Math.round(r[2] * m); x++) out[k * m * m + y * m + x] = 10;
    }
  });
  return out;
}

function constBoxes(queries: number[]): Float32Array {
  return Float32Array.from(queries.flatMap((q) => (q === 0 ? [0, 0, 1, 1] : RECTS[q] ?? [0, 0, 0, 0])));
}

export function decoder(layout: 'A' | 'C', o: GraphOptions): GraphBuilder {
  const { g, m } = dimsOf(o.size);
  const b = new GraphBuilder();
  const batch: number | string = layout === 'A' ? 'batch' : 1;
  const fpnNames = layout === 'A'
    ? ['fpn_feat_0', 'fpn_feat_1', 'fpn_feat_2', 'fpn_pos_2']
    : ['fpn_hidden_state_0', 'fpn_hidden_state_1', 'fpn_hidden_state_2', 'fpn_position_encoding_2'];
  const fpnSizes = [m, 2 * g, g, g];
  const fpn = fpnNames.map((n, i) => floatIn(b, n, o.float, [batch, CHANNELS, fpnSizes[i], fpnSizes[i]]));
  const text = floatIn(b, 'text_features', o.float, [batch, TOKENS, CHANNELS]);
  const firstTokMask = layout === 'A'
    ? b.cast(b.slice(b.input('text_mask', 'bool', [batch, TOKENS]), 1, 2, 1), 'float32')
    : b.cast(b.slice(b.input('attention_mask', 'int64', [batch, TOKENS]), 1, 2, 1), 'float32');
  // Parity sign of the first token after <start>, [b,1]; 0 if that position is padding.
  const sign = b.mul(b.op('Reshape', [b.slice(b.slice(text, 1, 2, 1), 2, 3, 2), b.i64([-1, 1])]), firstTokMask);
  // Uses the other image inputs so no runtime can prune them (adds exactly 0).
  const zero = b.mul(b.f([0]), b.add(b.op('ReduceMean', [fpn[1]], { keepdims: 0 }), b.add(b.op('ReduceMean', [fpn[2]], { keepdims: 0 }), b.op('ReduceMean', [fpn[3]], { keepdims: 0 }))));

  const textQueries = Array.from({ length: QUERIES - 1 }, (_, q) => q);
  let textLogits = b.add(b.expandToBatch(b.f(QUERY_LOGITS, [1, QUERIES - 1]), text, [QUERIES - 1]), zero);
  if (layout === 'C') textLogits = b.add(textLogits, b.mul(b.sub(sign, b.f([1])), b.f([5])));
  const q0Mask = b.mul(b.slice(fpn[0], 0, 1, 1), b.f([10]));
  const fixedMasks = b.expandToBatch(b.init(rectMasks(m, textQueries.slice(1)), [1, QUERIES - 2, m, m]), text, [QUERIES - 2, m, m]);
  const textBoxes = b.expandToBatch(b.init(constBoxes(textQueries), [1, QUERIES - 1, 4]), text, [QUERIES - 1, 4]);

  let boxLogit: string, boxXyxy: string;
  if (layout === 'A') {
    const boxes = floatIn(b, 'input_boxes', o.float, [batch, 'num_boxes', 4]);
    const labels = b.input('input_boxes_labels', 'int64', [batch, 'num_boxes']);
    boxLogit = b.sub(b.mul(b.cast(b.slice(labels, 0, 1, 1), 'float32'), b.f([10])), b.f([5]));
    const b0 = b.slice(boxes, 0, 1, 1);
    const c = b.slice(b0, 0, 2, 2), half = b.mul(b.slice(b0, 2, 4, 2), b.f([0.5]));
    boxXyxy = b.concat([b.sub(c, half), b.add(c, half)], 2);
  } else {
    boxLogit = b.expandToBatch(b.f([-20], [1, 1]), text, [1]);
    boxXyxy = b.expandToBatch(b.f([0, 0, 0, 0], [1, 1, 4]), text, [1, 4]);
  }
  // Box query mask: positive inside the box, from the distance to its nearest edge.
  const coord = (k: number) => b.op('Reshape', [b.slice(boxXyxy, k, k + 1, 2), b.i64([-1, 1, 1, 1])]);
  const grid = Array.from({ length: m }, (_, i) => (i + 0.5) / m);
  const gx = b.f(grid, [1, 1, 1, m]), gy = b.f(grid, [1, 1, m, 1]);
  const boxMask = b.mul(b.op('Min', [b.sub(gx, coord(0)), b.sub(coord(2), gx), b.sub(gy, coord(1)), b.sub(coord(3), gy)]), b.f([100]));

  floatOut(b, 'pred_masks', b.concat([q0Mask, fixedMasks, boxMask], 1), o.float, [batch, QUERIES, m, m]);
  floatOut(b, 'pred_boxes', b.concat([textBoxes, boxXyxy], 1), o.float, [batch, QUERIES, 4]);
  floatOut(b, 'pred_logits', b.concat([textLogits, boxLogit], 1), o.float, [batch, QUERIES]);
  if (layout === 'A') floatOut(b, 'presence_logits', b.mul(sign, b.f([PRESENCE_LOGIT])), o.float, [batch, 1]);
  return b;
}
