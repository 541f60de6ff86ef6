import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpyU8 } from './npy.js';

const dir = mkdtempSync(join(tmpdir(), 'promptseg-shared-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** dtype, shape, sum and a few elements as numpy reads them (.ci/run installs python3-numpy). */
function numpyReads(bytes: Uint8Array, probe: string): string {
  const file = join(dir, `a${Math.random().toString(36).slice(2)}.npy`);
  writeFileSync(file, bytes);
  const py = `import numpy as n; a=n.load(${JSON.stringify(file)}, allow_pickle=False); print(a.dtype, a.shape, int(a.sum()), ${probe})`;
  return execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' }).trim();
}

describe('encodeNpyU8', () => {
  it('writes magic, version 1.0, a 64-byte aligned header and the C-order data', () => {
    const bytes = encodeNpyU8(new Uint8Array([1, 0, 0, 1, 1, 1]), [2, 3]);
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const hlen = bytes[8] | (bytes[9] << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    expect(header).toMatch(/^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect([...bytes.subarray(10 + hlen)]).toEqual([1, 0, 0, 1, 1, 1]);
  });

  it('refuses a shape that does not match the data, or is not a shape', () => {
    expect(() => encodeNpyU8(new Uint8Array(5), [2, 3])).toThrow(/2x3 needs 6 bytes, got 5/);
    expect(() => encodeNpyU8(new Uint8Array(0), [-1, 0])).toThrow(/whole numbers/);
  });

  it('numpy loads 1-D, 2-D, 3-D and empty arrays with their values', () => {
    expect(numpyReads(encodeNpyU8(new Uint8Array([3, 0, 7]), [3]), 'int(a[2])')).toBe('uint8 (3,) 10 7');
    expect(numpyReads(encodeNpyU8(new Uint8Array([0, 1, 1, 0, 1, 0, 0, 0]), [2, 2, 2]), 'int(a[0,1,0]), int(a[1,0,0])')).toBe('uint8 (2, 2, 2) 3 1 1');
    expect(numpyReads(encodeNpyU8(new Uint8Array(0), [0, 30, 40]), '0')).toBe('uint8 (0, 30, 40) 0 0');
    // a long shape: the header grows to a third 64-byte block and the data still starts aligned
    const many = encodeNpyU8(new Uint8Array([5]), new Array(24).fill(1));
    expect(10 + (many[8] | (many[9] << 8))).toBe(192);
    expect(numpyReads(many, 'a.ndim')).toBe(`uint8 (${new Array(24).fill(1).join(', ')}) 5 24`);
  });
});
