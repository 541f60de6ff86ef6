/**
 * COCO run-length encoding, byte-compatible with pycocotools (`mask.encode` / `mask.decode`).
 * Runs are counted over the mask in COLUMN-major order (Fortran order, as pycocotools stores
 * masks), starting with a run of zeros (possibly empty). The compressed string form delta-codes
 * each run against the run two places before it and writes it as 5-bit groups + 48 (LEB128-like),
 * exactly as `rleToString` in the COCO API's maskApi.c.
 */
import type { Mask } from './geometry.js';
import { PromptsegError } from './errors.js';

/** COCO compressed RLE: size is [height, width]. */
export interface Rle {
  size: [number, number];
  counts: string;
}

/** Run lengths (uncompressed counts) of a row-major mask, in column-major order. */
export function maskToCounts(mask: Mask): number[] {
  const { width: w, height: h, data } = mask;
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      const v = data[y * w + x] ? 1 : 0;
      if (v !== current) {
        counts.push(run);
        run = 0;
        current = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

export function countsToString(counts: number[]): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = true;
    while (more) {
      let c = x & 0x1f;
      x >>= 5; // arithmetic shift keeps the sign, as in maskApi.c
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}

export function stringToCounts(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= s.length) throw new PromptsegError('bad_request', 'RLE string ends in the middle of a run.', 'Pass the counts string exactly as produced by pycocotools or promptseg.');
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new PromptsegError('bad_request', `RLE string has an invalid character at ${p}.`, 'Pass the counts string exactly as produced by pycocotools or promptseg.');
      x |= (c & 0x1f) << (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

export function encodeRle(mask: Mask): Rle {
  return { size: [mask.height, mask.width], counts: countsToString(maskToCounts(mask)) };
}

export function decodeRle(rle: Rle): Mask {
  const [h, w] = rle.size;
  const counts = stringToCounts(rle.counts);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== h * w) {
    throw new PromptsegError('bad_request', `RLE covers ${total} pixels but its size is ${h}x${w} (${h * w}).`, 'The counts and size must come from the same mask.');
  }
  const data = new Uint8Array(h * w);
  let idx = 0; // column-major pixel index
  let v = 0;
  for (const run of counts) {
    if (v) {
      for (let i = idx; i < idx + run; i++) {
        const x = Math.floor(i / h);
        const y = i - x * h;
        data[y * w + x] = 1;
      }
    }
    idx += run;
    v ^= 1;
  }
  return { width: w, height: h, data };
}

/** Area of an RLE mask without decoding it. */
export function rleArea(rle: Rle): number {
  const counts = stringToCounts(rle.counts);
  let a = 0;
  for (let i = 1; i < counts.length; i += 2) a += counts[i];
  return a;
}
