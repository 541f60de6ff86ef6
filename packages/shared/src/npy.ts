/**
 * NumPy .npy writer (format version 1.0,
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html) for uint8 arrays, so
 * masks load with `numpy.load`. One implementation for the CLI/service exporters
 * (packages/model/src/export) and the page's downloads (web/src/export): pure TS on Uint8Array,
 * no Node or DOM APIs. A few lines, so no dependency.
 *
 * Layout: magic "\x93NUMPY", version bytes 1 0, a little-endian uint16 header length, an ASCII
 * Python dict literal padded with spaces and ended by '\n' so that the data starts on a 64-byte
 * boundary, then the raw C-order (row-major) data.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** magic (6) + version (2) + header length (2) */
const PREAMBLE = MAGIC.length + 2 + 2;
/** Version 1.0 stores the header length in 16 bits. */
const MAX_HEADER = 0xffff;

/** Python's tuple literal: (5,) for one dimension, (2, 3) for more, () for a scalar. */
function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** `data` (C order, one byte per element) as a `uint8` .npy of the given shape. */
export function encodeNpyU8(data: Uint8Array, shape: readonly number[]): Uint8Array<ArrayBuffer> {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`npy: shape (${shape.join(', ')}) must be whole numbers >= 0`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape ${shape.join('x')} needs ${count} bytes, got ${data.length}`);
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': ${shapeTuple(shape)}, }`;
  const headerLen = Math.ceil((PREAMBLE + dict.length + 1) / 64) * 64 - PREAMBLE; // + 1: the '\n'
  if (headerLen > MAX_HEADER) throw new Error(`npy: a shape with ${shape.length} dimensions does not fit a version 1.0 header`);
  const header = dict.padEnd(headerLen - 1, ' ') + '\n';
  const out = new Uint8Array(PREAMBLE + headerLen + data.length);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = headerLen & 0xff;
  out[9] = headerLen >> 8;
  for (let i = 0; i < header.length; i++) out[PREAMBLE + i] = header.charCodeAt(i);
  out.set(data, PREAMBLE + headerLen);
  return out;
}
