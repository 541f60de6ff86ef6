/** COCO box: x, y of the top-left corner, width, height — pixels of the UPRIGHT original image. */
export type BoxXYWH = [x: number, y: number, w: number, h: number];

/** A binary mask, row-major, one byte per pixel (0 or 1), at the upright original image size. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Tight bounding box of a mask's set pixels; [0,0,0,0] for an empty mask. */
export function maskBox(mask: Mask): BoxXYWH {
  const { width, height, data } = mask;
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return [0, 0, 0, 0];
  return [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

export function maskArea(mask: Mask): number {
  let n = 0;
  const d = mask.data;
  for (let i = 0; i < d.length; i++) n += d[i] ? 1 : 0;
  return n;
}

export function maskIoU(a: Mask, b: Mask): number {
  let inter = 0, union = 0;
  const da = a.data, db = b.data;
  for (let i = 0; i < da.length; i++) {
    const p = da[i] ? 1 : 0, q = db[i] ? 1 : 0;
    inter += p & q;
    union += p | q;
  }
  return union === 0 ? 0 : inter / union;
}
