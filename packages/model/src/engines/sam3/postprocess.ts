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
function axisSamples(src: number, dst: number): { i0: Int32Array; i1: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(dst), i1 = new Int32Array(dst), f = new Float32Array(dst);
  const scale = src / dst;
  for (let d = 0; d < dst; d++) {
    const s = Math.max(0, (d + 0.5) * scale - 0.5);
    const a = Math.min(Math.floor(s), src - 1);
    i0[d] = a;
    i1[d] = a < src - 1 ? a + 1 : a;
    f[d] = s - a;
  }
  return { i0, i1, f };
}

/**
 * Binary mask at dw × dh from one query's logits (sw × sh, at `offset` in `src`): bilinear
 * resize, then logit > 0. Separable: each source row is interpolated across once (at most two
 * are live), then each output row is one lerp per pixel. Output rows whose two source rows have
 * no positive logit cannot interpolate above 0 and are skipped, and within a row only the
 * columns that can reach a positive source column are visited, so the cost follows the object.
 */
export function resizeMaskLogits(src: Float32Array, offset: number, sw: number, sh: number, dw: number, dh: number): Mask {
  const data = new Uint8Array(dw * dh);
  const X = axisSamples(sw, dw), Y = axisSamples(sh, dh);
  // Per source row: first and last column with a positive logit (−1 when none).
  const lo = new Int32Array(sh).fill(-1), hi = new Int32Array(sh).fill(-1);
  for (let y = 0; y < sh; y++) {
    const row = offset + y * sw;
    for (let x = 0; x < sw; x++) {
      if (src[row + x] > 0) {
        if (lo[y] < 0) lo[y] = x;
        hi[y] = x;
      }
    }
  }
  // Two slots of horizontally interpolated source rows (output rows visit source rows in order).
  const slots = [new Float32Array(dw), new Float32Array(dw)];
  const slotRow = [-1, -1];
  const across = (r: number): Float32Array => {
    const k = slotRow[0] === r ? 0 : slotRow[1] === r ? 1 : -1;
    if (k >= 0) return slots[k];
    const use = slotRow[0] < slotRow[1] ? 0 : 1; // replace the older (lower) row
    const out = slots[use], base = offset + r * sw;
    for (let x = 0; x < dw; x++) {
      const a = src[base + X.i0[x]];
      out[x] = a + (src[base + X.i1[x]] - a) * X.f[x];
    }
    slotRow[use] = r;
    return out;
  };
  for (let y = 0; y < dh; y++) {
    const a = Y.i0[y], b = Y.i1[y], fy = Y.f[y];
    const l = lo[a] < 0 ? lo[b] : lo[b] < 0 ? lo[a] : Math.min(lo[a], lo[b]);
    if (l < 0) continue;
    const h = Math.max(hi[a], hi[b]);
    const top = across(a), bottom = across(b), out = y * dw;
    // Output columns whose two source columns can reach [l, h].
    for (let x = firstAtLeast(X.i1, l); x < dw && X.i0[x] <= h; x++) {
      const t = top[x];
      if (t + (bottom[x] - t) * fy > 0) data[out + x] = 1;
    }
  }
  return { width: dw, height: dh, data };
}

/** First index whose value is ≥ v in a non-decreasing array (its length when none). */
function firstAtLeast(arr: Int32Array, v: number): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The `fast` refinement level: binarise at the decoder's resolution, then nearest-neighbour
 * upscale (blocky edges, no interpolation work).
 */
export function nearestMask(src: Float32Array, offset: number, sw: number, sh: number, dw: number, dh: number): Mask {
  const data = new Uint8Array(dw * dh);
  const xs = new Int32Array(dw);
  for (let x = 0; x < dw; x++) xs[x] = Math.min(sw - 1, Math.floor(((x + 0.5) * sw) / dw));
  for (let y = 0; y < dh; y++) {
    const row = offset + Math.min(sh - 1, Math.floor(((y + 0.5) * sh) / dh)) * sw;
    for (let x = 0; x < dw; x++) if (src[row + xs[x]] > 0) data[y * dw + x] = 1;
  }
  return { width: dw, height: dh, data };
}

/** Mean sigmoid of the query's logits over its positive cells: how sure the mask is of its own pixels (0 when empty). */
export function maskConfidence(src: Float32Array, offset: number, n: number): number {
  let sum = 0, count = 0;
  for (let i = offset; i < offset + n; i++) {
    if (src[i] > 0) { sum += sigmoid(src[i]); count++; }
  }
  return count ? sum / count : 0;
}
