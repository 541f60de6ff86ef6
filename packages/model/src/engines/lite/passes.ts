/**
 * Multi-scale detection for the lite engine: which detector passes run for a prompt, which
 * object sizes each pass is trusted for, and how their detections merge.
 *
 * Passes (views.ts): `full` (the whole image, always, once per image), `zoom-out` (the image at
 * half the input's side on grey: for objects that fill the frame) and `tile` (an n x n grid of
 * overlapping tiles: for small objects). Each runs at most once per image (memoised with the
 * embedding), and only when a prompt needs it — the adaptive rule, `plannedPasses`:
 *  - zoom-out: a requested class has no confident full-pass detection (< PASSES.confident), or a
 *    requested-class detection's box touches three or more image edges (a cut-off, frame-filling
 *    object whose box CenterNet cannot see whole);
 *  - tiles: a requested class has no confident detection yet (full and zoom-out). Every tile of
 *    the grid runs (2 x 2, 3 x 3 for images of PASSES.largeImage and more): measured on the
 *    quality benchmark, objects of 20-40 px (a dog, a horse, a truck pasted small) often leave no
 *    full-pass peak at all, so tiles chosen by full-pass peaks missed them (recall 20 %), and
 *    "usually small" classes (balls, ties) are not the only small objects.
 *
 * Trusted sizes (SNIP-style): a zoom-out detection counts only if its box spans at least
 * PASSES.zoomOutMinSpan of the image's width or height (smaller ones the full pass saw at twice
 * the resolution, and the zoom-out pass's small finds were mostly false: a "person" 0.38 in an
 * empty garage); a tile detection counts only if it is small (longest side <= PASSES.tileMaxSpan
 * of the image's) and not cut by an inner tile edge (the next tile sees it whole).
 *
 * Merge: per class, greedy clustering by box IoU > DETECTOR.nmsIoU across passes (NMS order:
 * best score first). Box = the score-weighted mean of the cluster's boxes (weighted box fusion,
 * Solovyev et al. 2019: every pass's box is an estimate of the same object, averaging them gives
 * SAM a steadier box than keeping one); score = the best score of any pass — not WBF's average,
 * because passes are trusted for different sizes, so an object seen by one pass only is the
 * normal case and must not be penalised. The per-pass scores are kept as evidence for the score
 * calibration (scoring.ts) and in `why`.
 */
import { DETECTOR } from './config.js';
import type { Detection } from './detector.js';
import { boxIoU, type BoxXYXY } from './geometry.js';
import type { View } from './views.js';

export const PASSES = {
  /** A raw detector score at or above this is a confident detection (a clear COCO object scores 0.5-0.8). */
  confident: 0.5,
  /** A box edge within this share of the image side "touches" that image edge. */
  edgeTolerance: 0.01,
  /** Zoom-out: the image fills this share of the input's side (the rest grey). */
  zoomOutShare: 0.5,
  /** Grey of the zoom-out border (0x72: the value the issue measured with). */
  zoomOutFill: 0x72,
  /** Zoom-out detections count only when their box spans at least this share of the image width or height. */
  zoomOutMinSpan: 0.5,
  /** Tiles: n x n grid, neighbours sharing this share of a tile's side. */
  tileGrid: 2,
  tileGridLarge: 3,
  tileOverlap: 0.25,
  /** Images whose longest side is at least this use the larger grid. */
  largeImage: 1280,
  /** Tile detections count only when their longest side is at most this share of the image's longest side. */
  tileMaxSpan: 0.3,
  /** A tile detection within this many input pixels of an inner tile edge is cut off by it. */
  tileEdgeMargin: 3,
};

export interface PassEvidence {
  full?: number;
  'zoom-out'?: number;
  tile?: number;
}

/** A detection after merging passes: fused box, best score, and what each pass said. */
export interface FusedDetection extends Detection {
  evidence: PassEvidence;
}

/** Does this detection's box touch at least `n` image edges? */
export function touchesEdges(box: Readonly<BoxXYXY>, width: number, height: number): number {
  const tx = PASSES.edgeTolerance * width, ty = PASSES.edgeTolerance * height;
  return Number(box[0] <= tx) + Number(box[1] <= ty) + Number(box[2] >= width - tx) + Number(box[3] >= height - ty);
}

/** Should the zoom-out pass run for these requested classes, given the full pass? */
export function needsZoomOut(full: readonly Detection[], wanted: ReadonlySet<string>, width: number, height: number): boolean {
  for (const cls of wanted) {
    const mine = full.filter((d) => d.className === cls);
    if (!mine.some((d) => d.score >= PASSES.confident)) return true;
    if (mine.some((d) => d.score >= DETECTOR.minDecodeScore && touchesEdges(d.box, width, height) >= 3)) return true;
  }
  return false;
}

/** Should tiles run for these requested classes, given what the passes so far found? */
export function needsTiles(found: readonly Detection[], wanted: ReadonlySet<string>): boolean {
  for (const cls of wanted) {
    if (!found.some((d) => d.className === cls && d.score >= PASSES.confident)) return true;
  }
  return false;
}

/** Is this detection of `view` within the sizes that view is trusted for? */
export function trusted(d: Detection, view: View, width: number, height: number): boolean {
  const w = d.box[2] - d.box[0], h = d.box[3] - d.box[1];
  if (view.pass === 'full') return true;
  if (view.pass === 'zoom-out') return w >= PASSES.zoomOutMinSpan * width || h >= PASSES.zoomOutMinSpan * height;
  if (Math.max(w, h) > PASSES.tileMaxSpan * Math.max(width, height)) return false;
  const m = PASSES.tileEdgeMargin / view.scale;
  const [x0, y0, x1, y1] = view.region;
  const cut = (d.box[0] <= x0 + m && x0 > 0) || (d.box[1] <= y0 + m && y0 > 0) || (d.box[2] >= x1 - m && x1 < width) || (d.box[3] >= y1 - m && y1 < height);
  return !cut;
}

/** Merges the trusted detections of several passes, per class (see the file comment). */
export function fuseDetections(detections: readonly Detection[]): FusedDetection[] {
  const byClass = new Map<string, Detection[]>();
  for (const d of detections) byClass.set(d.className, [...(byClass.get(d.className) ?? []), d]);
  const out: FusedDetection[] = [];
  for (const list of byClass.values()) {
    const sorted = [...list].sort((a, b) => b.score - a.score);
    const clusters: { lead: Detection; members: Detection[] }[] = [];
    for (const d of sorted) {
      const home = clusters.find((c) => boxIoU(c.lead.box, d.box) > DETECTOR.nmsIoU);
      if (home) home.members.push(d);
      else clusters.push({ lead: d, members: [d] });
    }
    for (const { lead, members } of clusters) {
      const total = members.reduce((a, m) => a + m.score, 0);
      const box = [0, 1, 2, 3].map((k) => members.reduce((a, m) => a + m.box[k] * m.score, 0) / total) as BoxXYXY;
      const evidence: PassEvidence = {};
      for (const m of members) evidence[m.pass] = Math.max(evidence[m.pass] ?? 0, m.score);
      // The rival class is read where the best score was seen.
      out.push({ ...lead, box, evidence });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}
