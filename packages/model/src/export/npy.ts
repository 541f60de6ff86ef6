/**
 * NumPy .npy writer (format version 1.0, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic "\x93NUMPY", version bytes 1 0, a little-endian uint16 header length, then an ASCII
 * Python dict literal padded with spaces and ended by '\n' so that the data starts on a 64-byte
 * boundary, then the raw C-order data. Written by hand: a few lines, no dependency.
 */
import type { Mask } from '@promptseg/shared';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** uint8 array of shape [N, H, W] (0 or 1) from N masks of the same size. */
export function encodeMasksNpy(masks: readonly Mask[], height: number, width: number): Uint8Array {
  for (const m of masks) {
    if (m.width !== width || m.height !== height) {
      throw new Error(`mask is ${m.width}x${m.height}, expected ${width}x${height}`);
    }
  }
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${masks.length}, ${height}, ${width}), }`;
  const preamble = MAGIC.length + 2 + 2;
  const unpadded = preamble + dict.length + 1; // + '\n'
  const headerLen = dict.length + 1 + ((64 - (unpadded % 64)) % 64);
  const out = new Uint8Array(preamble + headerLen + masks.length * height * width);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  new DataView(out.buffer).setUint16(8, headerLen, true);
  const header = dict.padEnd(headerLen - 1, ' ') + '\n';
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  let offset = preamble + headerLen;
  for (const m of masks) {
    const d = m.data;
    for (let i = 0; i < d.length; i++) out[offset + i] = d[i] ? 1 : 0;
    offset += d.length;
  }
  return out;
}
