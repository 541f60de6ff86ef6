/**
 * Binary-mask clean-up used by the `fine` refinement level: small-island removal, hole filling
 * and edge-aware boundary smoothing (a guided filter with the image as guide). Pure functions of
 * (mask, image); they work inside the mask's bounding box so their cost follows the object size.
 */
import { maskBox, type Mask } from '@promptseg/shared';
import type { RgbImage } from '../io/image.js';

export interface Components {
  /** Component id per pixel (0 = not in the set), row-major. */
  labels: Int32Array;
  /** Pixel count of component i at index i - 1. */
  sizes: number[];
}

/** Connected components of the pixels where `on(i)` holds; 8-connected or 4-connected. */
export function connectedComponents(width: number, height: number, on: (i: number) => boolean, eight = true): Components {
  const labels = new Int32Array(width * height);
  const sizes: number[] = [];
  const queue = new Int32Array(width * height);
  for (let start = 0; start < labels.length; start++) {
    if (labels[start] || !on(start)) continue;
    const id = sizes.length + 1;
    let head = 0, tail = 0, size = 0;
    queue[tail++] = start;
    labels[start] = id;
    while (head < tail) {
      const i = queue[head++];
      size++;
      const x = i % width, y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if (!dx && !dy) continue;
          if (!eight && dx && dy) continue;
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (!labels[j] && on(j)) {
            labels[j] = id;
            queue[tail++] = j;
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** Drops connected pieces smaller than `minFraction` of the whole mask (specks, stray blobs). */
export function removeSmallIslands(mask: Mask, minFraction = 0.01, minPixels = 16): Mask {
  const { width: w, height: h, data } = mask;
  const { labels, sizes } = connectedComponents(w, h, (i) => data[i] === 1, true);
  const total = sizes.reduce((a, b) => a + b, 0);
  const largest = Math.max(0, ...sizes);
  const min = Math.min(largest, Math.max(minPixels, minFraction * total));
  const out = new Uint8Array(data.length);
  for (let i = 0; i < out.length; i++) out[i] = labels[i] && sizes[labels[i] - 1] >= min ? 1 : 0;
  return { width: w, height: h, data: out };
}

/**
 * Fills holes (background regions not connected to the image border) smaller than
 * `maxFraction` of the mask's area; larger openings (a cup's handle, a ring) stay open.
 */
export function fillHoles(mask: Mask, maxFraction = 0.01, minPixels = 16): Mask {
  const { width: w, height: h, data } = mask;
  const { labels, sizes } = connectedComponents(w, h, (i) => data[i] === 0, false);
  const touches = new Uint8Array(sizes.length + 1);
  for (let x = 0; x < w; x++) {
    touches[labels[x]] = 1;
    touches[labels[(h - 1) * w + x]] = 1;
  }
  for (let y = 0; y < h; y++) {
    touches[labels[y * w]] = 1;
    touches[labels[y * w + w - 1]] = 1;
  }
  let area = 0;
  for (let i = 0; i < data.length; i++) area += data[i];
  const max = Math.max(minPixels, maxFraction * area);
  const out = Uint8Array.from(data);
  for (let i = 0; i < out.length; i++) {
    const l = labels[i];
    if (l && !touches[l] && sizes[l - 1] <= max) out[i] = 1;
  }
  return { width: w, height: h, data: out };
}

/** Mean over a (2r+1)^2 window, clipped at the borders (summed-area table). */
function boxMean(src: Float64Array, w: number, h: number, r: number): Float64Array {
  const sat = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += src[y * w + x];
      sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
    }
  }
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
      const s = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0];
      out[y * w + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * Guided filter (He, Sun & Tang 2010) of the mask with the image's luminance as guide, then
 * thresholded at 0.5: where the image has an edge near the mask boundary the boundary snaps to
 * it; where it has none the filter reduces to a box blur, which smooths jagged outlines.
 */
export function smoothBoundary(mask: Mask, image: RgbImage, radius: number, eps = 1e-3): Mask {
  const { width: W, height: H } = mask;
  // Work inside the mask's bounding box grown by 2 radii (the filter reaches that far).
  const [bx, by, bw, bh] = maskBox(mask);
  if (bw === 0) return mask;
  const m = 2 * radius + 1;
  const x0 = Math.max(0, bx - m), y0 = Math.max(0, by - m), x1 = Math.min(W, bx + bw + m), y1 = Math.min(H, by + bh + m);
  const w = x1 - x0, h = y1 - y0;
  const I = new Float64Array(w * h), p = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const si = (y + y0) * W + (x + x0);
      const r = image.data[si * 3], g = image.data[si * 3 + 1], b = image.data[si * 3 + 2];
      I[y * w + x] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
      p[y * w + x] = mask.data[si];
    }
  }
  const II = I.map((v) => v * v), Ip = I.map((v, i) => v * p[i]);
  const mI = boxMean(I, w, h, radius), mp = boxMean(p, w, h, radius), mII = boxMean(II, w, h, radius), mIp = boxMean(Ip, w, h, radius);
  const a = new Float64Array(w * h), b = new Float64Array(w * h);
  for (let i = 0; i < a.length; i++) {
    const varI = mII[i] - mI[i] * mI[i];
    a[i] = (mIp[i] - mI[i] * mp[i]) / (varI + eps);
    b[i] = mp[i] - a[i] * mI[i];
  }
  const ma = boxMean(a, w, h, radius), mb = boxMean(b, w, h, radius);
  const out = new Uint8Array(W * H);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      out[(y + y0) * W + (x + x0)] = ma[i] * I[i] + mb[i] > 0.5 ? 1 : 0;
    }
  }
  return { width: W, height: H, data: out };
}

/** The `fine` clean-up: boundary smoothing, then islands and holes. */
export function cleanMask(mask: Mask, image: RgbImage): Mask {
  // The SAM mask's boundary error is about one low-res cell (1/256 of the longest side);
  // the filter window covers two.
  const radius = Math.min(16, Math.max(2, Math.round((2 * Math.max(mask.width, mask.height)) / 256)));
  const smoothed = smoothBoundary(mask, image, radius);
  return fillHoles(removeSmallIslands(smoothed));
}
