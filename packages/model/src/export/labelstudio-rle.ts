/**
 * Label Studio's brush RLE: the bit-packed run-length format of @thi.ng/rle-pack that Label
 * Studio's BrushLabels read and write (`value.rle`, a list of byte values). The encoded array is
 * the brush layer as RGBA bytes, row-major, 4 bytes per pixel (Label Studio reads the alpha).
 * Layout, most significant bit first:
 *   32 bits  number of values (width × height × 4)
 *    5 bits  word size − 1 (8-bit values: 7)
 *   4×4 bits the four run-length field sizes − 1 (here 3, 4, 8, 16 bits, as Label Studio's converter)
 *   then chunks: 1 bit repeat flag (1 = one value repeated, 0 = literal values), 2 bits index of
 *   the length field size, the run length − 1 in that many bits, then the value (repeat) or the
 *   values (literal) in word-size bits each; zero bits pad the last byte.
 */
import type { Mask } from '@promptseg/shared';

const WORD = 8;
const SIZES = [3, 4, 8, 16] as const;

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, bits: number): void {
    for (let b = bits - 1; b >= 0; b--) {
      this.acc = (this.acc << 1) | (Math.floor(value / 2 ** b) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  finish(): number[] {
    if (this.n) this.bytes.push(this.acc << (8 - this.n));
    return this.bytes;
  }
}

/** Writes `length` copies of `value` as repeat chunks (a chunk holds at most 2^16 values). */
function writeRun(w: BitWriter, value: number, length: number): void {
  while (length > 0) {
    const n = Math.min(length, 2 ** SIZES[3]);
    const idx = SIZES.findIndex((s) => n <= 2 ** s);
    w.write(1, 1);
    w.write(idx, 2);
    w.write(n - 1, SIZES[idx]);
    w.write(value, WORD);
    length -= n;
  }
}

/** A mask as Label Studio brush RLE: every channel 255 inside the mask, 0 outside. */
export function maskToLabelStudioRle(mask: Mask): number[] {
  const w = new BitWriter();
  const total = mask.width * mask.height;
  w.write(total * 4, 32);
  w.write(WORD - 1, 5);
  for (const s of SIZES) w.write(s - 1, 4);
  // runs over the row-major pixels; each pixel is 4 equal bytes, so a run of n pixels is 4n values
  let start = 0;
  for (let i = 1; i <= total; i++) {
    if (i === total || (mask.data[i] ? 1 : 0) !== (mask.data[start] ? 1 : 0)) {
      writeRun(w, mask.data[start] ? 255 : 0, (i - start) * 4);
      start = i;
    }
  }
  return w.finish();
}
