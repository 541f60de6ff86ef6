/**
 * SAM 3 decoder outputs → scored, full-resolution candidates (docs/sam3-onnx-contract.md §1):
 * - score = sigmoid(pred_logit) × sigmoid(presence_logit) (without a presence output: sigmoid(pred_logit));
 *   a query is kept when score ≥ threshold (the usls rule; the official one is > 0.5).
 * - masks: the official order — resize the logits bilinearly (align_corners = false) to the
 *   original size, then sigmoid > 0.5, which is the same as logit > 0 (so no sigmoid is computed).
 * - boxes: xyxy normalised to the stretched input → pixels of the original (x·W, y·H) → xywh.
 */
import type { BoxXYWH, Mask } from '@promptseg/shared';

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function queryScores(logits: Float32Array, presence?: number): Float32Array {
  const p = presence === undefined ? 1 : sigmoid(presence);
  return logits.map((l) => sigmoid(l) * p);
}

/** Indices of the queries at or above the threshold, best first, at most `max`. */
export function selectQueries(scores: Float32Array, threshold: number, max = Infinity): number[] {
  const keep: number[] = [];
  for (let q = 0; q < scores.length; q++) if (scores[q] >= threshold) keep.push(q);
  keep.sort((a, b) => scores[b] - scores[a] || a - b);
  return keep.slice(0, max);
}

/** Normalised xyxy → pixel xywh of a width × height image, clipped to it. */
export function boxToPixels(x0: number, y0: number, x1: number, y1: number, width: number, height: number): BoxXYWH {
  const cx = (v: number) => Math.min(width, Math.max(0, v * width));
  const cy = (v: number) => Math.min(height, Math.max(0, v * height));
  const a = cx(Math.min(x0, x1)), b = cy(Math.min(y0, y1)), c = cx(Math.max(x0, x1)), d = cy(Math.max(y0, y1));
  return [a, b, c - a, d - b];
}

/** Source sample positions of a bilinear resize with align_corners = false (PyTorch's rule: clamp at 0, last index repeats). */
interface AxisSamples {
  i0: Int32Array;
  i1: Int32Array;
  f: Float32Array;
  /** from[c]: the first output index whose two source samples reach column/row ≥ c. */
  from: Int32Array;
  /** to[c]: one past the last output index whose samples start at or before c. */
  to: Int32Array;
}

function axisSamples(src: number, dst: number): AxisSamples {
  const i0 = new Int32Array(dst), i1 = new Int32Array(dst), f = new Float32Array(dst);
  const scale = src / dst;
  for (let d = 0; d < dst; d++) {
    const s = Math.max(0, (d + 0.5) * scale - 0.5);
    const a = Math.min(Math.floor(s), src - 1);
    i0[d] = a;
    i1[d] = a < src - 1 ? a + 1 : a;
    f[d] = s - a;
  }
  // i0 and i1 are non-decreasing, so both tables fill in one sweep each.
  const from = new Int32Array(src), to = new Int32Array(src);
  for (let c = 0, d = 0; c < src; c++) {
    while (d < dst && i1[d] < c) d++;
    from[c] = d;
  }
  for (let c = 0, d = 0; c < src; c++) {
    while (d < dst && i0[d] <= c) d++;
    to[c] = d;
  }
  return { i0, i1, f, from, to };
}

/** A full-resolution binary mask and how many of its pixels are set. */
export interface BinaryMask {
  mask: Mask;
  area: number;
}

/**
 * Bilinear resize (align_corners = false) of sw × sh mask logits to dw × dh, then logit > 0:
 * the sampling tables are computed once and reused for every query of a decoder output.
 *
 * Only the pixels that can come out positive are computed, which is exact: an output pixel is
 * a convex combination of its 4 source cells, so it can only be > 0 when one of them is. Hence
 * per output row, only the columns whose source columns reach the positive span [lo, hi] of its
 * two source rows are visited, rows with no positive source cell are skipped, and the horizontal
 * pass covers only the columns any row can visit. The arithmetic of every visited pixel is the
 * same as a full resize's (a horizontal lerp in float32, then a vertical one).
 */
export class MaskResizer {
  private readonly X: AxisSamples;
  private readonly Y: AxisSamples;
  /** Two horizontally interpolated source rows (output rows visit source rows in order). */
  private readonly slots: [Float32Array, Float32Array];
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;

  constructor(readonly sw: number, readonly sh: number, readonly dw: number, readonly dh: number) {
    this.X = axisSamples(sw, dw);
    this.Y = axisSamples(sh, dh);
    this.slots = [new Float32Array(dw), new Float32Array(dw)];
    this.lo = new Int32Array(sh);
    this.hi = new Int32Array(sh);
  }

  /** The binary mask of the query whose logits start at `offset` in `src` ([Q, sh, sw] data). */
  resize(src: Float32Array, offset: number): BinaryMask {
    const { sw, sh, dw, dh, X, Y, lo, hi, slots } = this;
    const data = new Uint8Array(dw * dh);
    // Per source row: first and last column with a positive logit (−1 when none).
    let minLo = sw, maxHi = -1;
    for (let y = 0; y < sh; y++) {
      const row = offset + y * sw;
      let l = -1, h = -1;
      for (let x = 0; x < sw; x++) {
        if (src[row + x] > 0) {
          if (l < 0) l = x;
          h = x;
        }
      }
      lo[y] = l;
      hi[y] = h;
      if (l >= 0) {
        if (l < minLo) minLo = l;
        if (h > maxHi) maxHi = h;
      }
    }
    if (maxHi < 0) return { mask: { width: dw, height: dh, data }, area: 0 };
    // The output columns any row can visit: the horizontal pass needs no others.
    const xFrom = X.from[minLo], xTo = X.to[maxHi];
    const slotRow = [-1, -1];
    const across = (r: number): Float32Array => {
      if (slotRow[0] === r) return slots[0];
      if (slotRow[1] === r) return slots[1];
      const k = slotRow[0] < slotRow[1] ? 0 : 1; // replace the older (lower) row
      const out = slots[k], base = offset + r * sw;
      for (let x = xFrom; x < xTo; x++) {
        const a = src[base + X.i0[x]];
        out[x] = a + (src[base + X.i1[x]] - a) * X.f[x];
      }
      slotRow[k] = r;
      return out;
    };
    let area = 0;
    for (let y = 0; y < dh; y++) {
      const a = Y.i0[y], b = Y.i1[y];
      const l = lo[a] < 0 ? lo[b] : lo[b] < 0 ? lo[a] : Math.min(lo[a], lo[b]);
      if (l < 0) continue;
      const fy = Y.f[y], top = across(a), bottom = across(b), out = y * dw;
      for (let x = X.from[l], end = X.to[Math.max(hi[a], hi[b])]; x < end; x++) {
        const t = top[x];
        if (t + (bottom[x] - t) * fy > 0) {
          data[out + x] = 1;
          area++;
        }
      }
    }
    return { mask: { width: dw, height: dh, data }, area };
  }
}

/** One query's binary mask at dw × dh (see MaskResizer; build one resizer to do several queries). */
export function resizeMaskLogits(src: Float32Array, offset: number, sw: number, sh: number, dw: number, dh: number): Mask {
  return new MaskResizer(sw, sh, dw, dh).resize(src, offset).mask;
}

/**
 * The `fast` refinement level: binarise at the decoder's resolution, then nearest-neighbour
 * upscale (blocky edges, no interpolation work).
 */
export function nearestMask(src: Float32Array, offset: number, sw: number, sh: number, dw: number, dh: number): BinaryMask {
  const data = new Uint8Array(dw * dh);
  const xs = new Int32Array(dw);
  for (let x = 0; x < dw; x++) xs[x] = Math.min(sw - 1, Math.floor(((x + 0.5) * sw) / dw));
  let area = 0;
  for (let y = 0; y < dh; y++) {
    const row = offset + Math.min(sh - 1, Math.floor(((y + 0.5) * sh) / dh)) * sw;
    for (let x = 0; x < dw; x++) {
      if (src[row + xs[x]] > 0) {
        data[y * dw + x] = 1;
        area++;
      }
    }
  }
  return { mask: { width: dw, height: dh, data }, area };
}

/** Mean sigmoid of the query's logits over its positive cells: how sure the mask is of its own pixels (0 when empty). */
export function maskConfidence(src: Float32Array, offset: number, n: number): number {
  let sum = 0, count = 0;
  for (let i = offset; i < offset + n; i++) {
    if (src[i] > 0) { sum += sigmoid(src[i]); count++; }
  }
  return count ? sum / count : 0;
}
