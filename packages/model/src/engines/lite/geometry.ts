/** Box helpers shared by the lite engine's detectors. Boxes are xyxy in pixels of the original image. */

export type BoxXYXY = [x0: number, y0: number, x1: number, y1: number];

export function boxIoU(a: Readonly<BoxXYXY>, b: Readonly<BoxXYXY>): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return ua <= 0 ? 0 : inter / ua;
}

export function clampBox(b: BoxXYXY, width: number, height: number): BoxXYXY {
  return [
    Math.min(Math.max(b[0], 0), width),
    Math.min(Math.max(b[1], 0), height),
    Math.min(Math.max(b[2], 0), width),
    Math.min(Math.max(b[3], 0), height),
  ];
}

/** Greedy non-maximum suppression; returns the kept items, best first. */
export function nms<T extends { box: BoxXYXY; score: number }>(items: T[], iouThreshold: number, max = Infinity): T[] {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const it of sorted) {
    if (kept.length >= max) break;
    if (kept.every((k) => boxIoU(k.box, it.box) <= iouThreshold)) kept.push(it);
  }
  return kept;
}

/**
 * Letterbox geometry: the image scaled to fit a size x size square (aspect kept), placed at the
 * top-left, the rest padded. `scale` maps original pixels to input pixels.
 */
export function letterbox(width: number, height: number, size: number): { w: number; h: number; scale: number } {
  const scale = size / Math.max(width, height);
  return { w: Math.max(1, Math.round(width * scale)), h: Math.max(1, Math.round(height * scale)), scale };
}
