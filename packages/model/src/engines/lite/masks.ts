/**
 * From SAM decoder outputs to binary masks at the original image size, for each refinement
 * level, and the point sampling that `fine` feeds back to the decoder. The 256 x 256 low-res
 * grid covers the padded 1024 x 1024 frame: one low-res cell is 4 / scale original pixels.
 */
import type { Mask } from '@promptseg/shared';
import { rgbToLab } from '../../io/colorspace.js';
import type { RgbImage } from '../../io/image.js';
import { SAM } from './config.js';
import { boxIoU, type BoxXYXY } from './geometry.js';
import type { SamImageEmbedding, SamPoint } from './sam.js';

export function logitsToMask(logits: Float32Array, width: number, height: number, threshold: number = SAM.maskLogitThreshold): Mask {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = logits[i] > threshold ? 1 : 0;
  return { width, height, data };
}

/** `fast`: the low-res logits bilinearly upscaled to the original size, then thresholded. */
export function lowResToMask(lowRes: Float32Array, emb: SamImageEmbedding): Mask {
  const L = SAM.lowResSize;
  const { width: W, height: H } = emb;
  const f = (emb.scale * L) / SAM.inputSize; // original px -> low-res cells
  const data = new Uint8Array(W * H);
  const xi0 = new Int32Array(W), xi1 = new Int32Array(W), xw = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const lx = Math.min(Math.max((x + 0.5) * f - 0.5, 0), L - 1);
    xi0[x] = Math.floor(lx);
    xi1[x] = Math.min(xi0[x] + 1, L - 1);
    xw[x] = lx - xi0[x];
  }
  for (let y = 0; y < H; y++) {
    const ly = Math.min(Math.max((y + 0.5) * f - 0.5, 0), L - 1);
    const y0 = Math.floor(ly), y1 = Math.min(y0 + 1, L - 1), wy = ly - y0;
    const r0 = y0 * L, r1 = y1 * L;
    for (let x = 0; x < W; x++) {
      const a = lowRes[r0 + xi0[x]] * (1 - xw[x]) + lowRes[r0 + xi1[x]] * xw[x];
      const b = lowRes[r1 + xi0[x]] * (1 - xw[x]) + lowRes[r1 + xi1[x]] * xw[x];
      data[y * W + x] = a * (1 - wy) + b * wy > SAM.maskLogitThreshold ? 1 : 0;
    }
  }
  return { width: W, height: H, data };
}

/**
 * Video: a previous low-res mask moved by (dx, dy) original pixels (nearest cell), so the mask
 * input a track gives the decoder lies where the object is expected. Cells moved in from
 * outside get a clear "background" logit (-20, far below the mask threshold).
 */
export function shiftLowRes(lowRes: Float32Array, emb: SamImageEmbedding, dx: number, dy: number): Float32Array {
  const L = SAM.lowResSize;
  const f = (emb.scale * L) / SAM.inputSize;
  const sx = Math.round(dx * f), sy = Math.round(dy * f);
  if (sx === 0 && sy === 0) return lowRes;
  const out = new Float32Array(L * L).fill(-20);
  for (let y = 0; y < L; y++) {
    const from = y - sy;
    if (from < 0 || from >= L) continue;
    for (let x = 0; x < L; x++) {
      const fx = x - sx;
      if (fx >= 0 && fx < L) out[y * L + x] = lowRes[from * L + fx];
    }
  }
  return out;
}

/** A decoded mask spans its prompt box when their bounding boxes overlap at least this much. */
export const SPANS_BOX_IOU = 0.6;

/** Does a decoded mask span its prompt box (bounding boxes overlapping with IoU >= SPANS_BOX_IOU)? */
export function spansBox(out: { logits: Float32Array; width: number; height: number }, box: Readonly<BoxXYXY>): boolean {
  const { logits, width: W, height: H } = out;
  let minX = W, minY = H, maxX = -1, maxY = -1;
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) {
      if (logits[row + x] > SAM.maskLogitThreshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  return maxX >= 0 && boxIoU([minX, minY, maxX + 1, maxY + 1], box) >= SPANS_BOX_IOU;
}

/**
 * Two-pass chamfer distance (3-4 weights, /3 to approximate pixels) from every cell to the
 * nearest cell where `inside` is false. Small grids only (the 256 x 256 low-res mask).
 */
export function chamferDistance(inside: Uint8Array, w: number, h: number): Float32Array {
  const INF = 1e9;
  const d = new Float32Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = inside[i] ? INF : 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!d[i]) continue;
      let v = d[i];
      if (x > 0) v = Math.min(v, d[i - 1] + 3);
      if (y > 0) {
        v = Math.min(v, d[i - w] + 3);
        if (x > 0) v = Math.min(v, d[i - w - 1] + 4);
        if (x < w - 1) v = Math.min(v, d[i - w + 1] + 4);
      } else v = Math.min(v, 3); // outside the grid counts as outside
      if (x === 0 || x === w - 1 || y === h - 1) v = Math.min(v, 3);
      d[i] = v;
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (!d[i]) continue;
      let v = d[i];
      if (x < w - 1) v = Math.min(v, d[i + 1] + 3);
      if (y < h - 1) {
        v = Math.min(v, d[i + w] + 3);
        if (x < w - 1) v = Math.min(v, d[i + w + 1] + 4);
        if (x > 0) v = Math.min(v, d[i + w - 1] + 4);
      }
      d[i] = v;
    }
  }
  for (let i = 0; i < d.length; i++) d[i] /= 3;
  return d;
}

/** Mean CIELAB colour of the image under each low-res cell of the valid (unpadded) area. */
export interface CellColours {
  w: number;
  h: number;
  lab: Float32Array;
}

export function cellColours(image: RgbImage, emb: SamImageEmbedding): CellColours {
  const L = SAM.lowResSize;
  const f = (emb.scale * L) / SAM.inputSize;
  const w = Math.min(L, Math.ceil(image.width * f)), h = Math.min(L, Math.ceil(image.height * f));
  const acc = new Float64Array(w * h * 3), cnt = new Float64Array(w * h);
  const colIdx = new Int32Array(image.width);
  for (let x = 0; x < image.width; x++) colIdx[x] = Math.min(w - 1, Math.floor((x + 0.5) * f));
  for (let y = 0; y < image.height; y++) {
    const row = Math.min(h - 1, Math.floor((y + 0.5) * f)) * w;
    for (let x = 0; x < image.width; x++) {
      const c = row + colIdx[x], i = (y * image.width + x) * 3;
      acc[c * 3] += image.data[i];
      acc[c * 3 + 1] += image.data[i + 1];
      acc[c * 3 + 2] += image.data[i + 2];
      cnt[c]++;
    }
  }
  const lab = new Float32Array(w * h * 3);
  for (let c = 0; c < w * h; c++) {
    const n = Math.max(1, cnt[c]);
    lab.set(rgbToLab(acc[c * 3] / n, acc[c * 3 + 1] / n, acc[c * 3 + 2] / n), c * 3);
  }
  return { w, h, lab };
}

/** Colour distance under which two neighbouring cells are "the same surface" (CIE76 units). */
const SAME_SURFACE = 10;
/** Leaks must reach this deep into the mask (low-res cells) to be more than boundary jitter. */
const LEAK_DEPTH = 3;
/** A leak is at least this share of the mask, and all leaks together at most that share. */
const LEAK_MIN_SHARE = 0.02;
const LEAK_MAX_SHARE = 0.4;

/**
 * Points for the next `fine` pass, from the current low-res mask and the image colours:
 *  - negatives at "leaks": parts of the mask that the surrounding background floods into
 *    through cells of the same colour (e.g. the white gap between a horse's legs that a box
 *    prompt takes in). Seeds are background cells 2-4 cells away from the mask; a flooded
 *    region counts only if it reaches LEAK_DEPTH cells deep, is not a speck, and all of them
 *    together stay under LEAK_MAX_SHARE of the mask (a cup on a saucer of the same colour
 *    floods entirely and is left alone).
 *  - positives at the most interior cells outside any leak, spread apart.
 * Original-image pixels.
 */
export function samplePoints(lowRes: Float32Array, emb: SamImageEmbedding, cells: CellColours, nPos: number, nNeg: number): SamPoint[] {
  const L = SAM.lowResSize;
  const f = (emb.scale * L) / SAM.inputSize;
  const { w, h, lab } = cells;
  const n = w * h;
  const inside = new Uint8Array(n), outside = new Uint8Array(n);
  let area = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const on = lowRes[y * L + x] > 0 ? 1 : 0;
      inside[y * w + x] = on;
      outside[y * w + x] = 1 - on;
      area += on;
    }
  }
  if (area === 0) return [];
  const depth = chamferDistance(inside, w, h), outDepth = chamferDistance(outside, w, h);

  // Flood from the background ring through same-coloured cells, remembering each seed's colour.
  const seedOf = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  for (let c = 0; c < n; c++) {
    if (!inside[c] && outDepth[c] >= 2 && outDepth[c] <= 4) {
      seedOf[c] = c;
      queue[tail++] = c;
    }
  }
  while (head < tail) {
    const c = queue[head++], s = seedOf[c];
    const cx = c % w, cy = (c - cx) / w;
    for (const [dx, dy] of NEIGHBOURS) {
      const nx = cx + dx, ny = cy + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const m = ny * w + nx;
      if (seedOf[m] >= 0) continue;
      const d = Math.hypot(lab[m * 3] - lab[s * 3], lab[m * 3 + 1] - lab[s * 3 + 1], lab[m * 3 + 2] - lab[s * 3 + 2]);
      if (d < SAME_SURFACE) {
        seedOf[m] = s;
        queue[tail++] = m;
      }
    }
  }
  // Leak regions: flooded mask cells, grouped into 4-connected pieces.
  const leak = new Uint8Array(n);
  for (let c = 0; c < n; c++) leak[c] = inside[c] && seedOf[c] >= 0 ? 1 : 0;
  const pieces: { cells: number[]; deepest: number }[] = [];
  const seen = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    if (!leak[c] || seen[c]) continue;
    const cellsOf: number[] = [];
    let deepest = c;
    head = 0; tail = 0;
    queue[tail++] = c;
    seen[c] = 1;
    while (head < tail) {
      const k = queue[head++];
      cellsOf.push(k);
      if (depth[k] > depth[deepest]) deepest = k;
      const kx = k % w, ky = (k - kx) / w;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = kx + dx, ny = ky + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const m = ny * w + nx;
        if (leak[m] && !seen[m]) {
          seen[m] = 1;
          queue[tail++] = m;
        }
      }
    }
    if (depth[deepest] >= LEAK_DEPTH && cellsOf.length >= LEAK_MIN_SHARE * area) pieces.push({ cells: cellsOf, deepest });
  }
  const leakArea = pieces.reduce((a, p) => a + p.cells.length, 0);
  const leaks = leakArea <= LEAK_MAX_SHARE * area ? pieces.sort((a, b) => b.cells.length - a.cells.length).slice(0, nNeg) : [];
  const inLeak = new Uint8Array(n);
  for (const p of leaks) for (const c of p.cells) inLeak[c] = 1;

  const toOrig = (i: number, positive: boolean): SamPoint => ({ x: ((i % w) + 0.5) / f, y: (Math.floor(i / w) + 0.5) / f, positive });
  // Positives: most interior cells outside leaks, each damping the score near it to spread them.
  const score = Float32Array.from(depth, (d, i) => (inLeak[i] ? 0 : d));
  const positives: SamPoint[] = [];
  for (let k = 0; k < nPos; k++) {
    let best = -1, bestV = 1.5; // at least 1.5 cells from the boundary: unambiguous
    for (let i = 0; i < n; i++) if (score[i] > bestV) { bestV = score[i]; best = i; }
    if (best < 0) break;
    positives.push(toOrig(best, true));
    const bx = best % w, by = Math.floor(best / w), r = 2 * Math.max(2, depth[best]);
    for (let i = 0; i < n; i++) {
      const d = Math.hypot((i % w) - bx, Math.floor(i / w) - by);
      if (d < r) score[i] *= d / r;
    }
  }
  return [...positives, ...leaks.map((p) => toOrig(p.deepest, false))];
}

const NEIGHBOURS = [[1, 0], [-1, 0], [0, 1], [0, -1]] as const;
