import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMasksNpy } from './npy.js';
import { discMask, rectMask } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'promptseg-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads the file with Debian's numpy and returns shape, dtype and per-mask sums + a few pixels. */
function loadWithNumpy(path: string): { shape: number[]; dtype: string; sums: number[]; max: number; probe: number[] } {
  const py = [
    'import json, sys, numpy as np',
    'a = np.load(sys.argv[1], allow_pickle=False)',
    'print(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "sums": [int(m.sum()) for m in a], "max": int(a.max()) if a.size else 0,',
    '  "probe": [int(a[i, y, x]) for i, y, x in [(0, 5, 5), (0, 0, 0), (1, 20, 30), (1, 20, 10)]] if a.shape[0] >= 2 else []}))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, path], { encoding: 'utf8' }));
}

describe('encodeMasksNpy', () => {
  it('writes a v1.0 header padded so the data starts on a 64-byte boundary', () => {
    const bytes = encodeMasksNpy([rectMask(7, 3, 0, 0, 2, 2)], 3, 7);
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
    expect(header).toMatch(/^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(1, 3, 7\), \} *\n$/);
    expect(bytes.length).toBe(10 + headerLen + 21);
  });

  it('is loaded by numpy as uint8 [N, H, W] with the mask values', () => {
    const w = 40, h = 30;
    const a = rectMask(w, h, 2, 3, 12, 9); // 10 x 6 = 60 pixels
    const b = discMask(w, h, 30, 20, 6);
    const path = join(dir, 'two.npy');
    writeFileSync(path, encodeMasksNpy([a, b], h, w));
    const got = loadWithNumpy(path);
    expect(got.shape).toEqual([2, h, w]);
    expect(got.dtype).toBe('uint8');
    expect(got.sums).toEqual([60, b.data.reduce((s, v) => s + v, 0)]);
    expect(got.max).toBe(1);
    expect(got.probe).toEqual([1, 0, 1, 0]);
  });

  it('writes an empty [0, H, W] array when nothing was found', () => {
    const path = join(dir, 'none.npy');
    writeFileSync(path, encodeMasksNpy([], 30, 40));
    expect(loadWithNumpy(path).shape).toEqual([0, 30, 40]);
  });

  it('refuses masks of another size', () => {
    expect(() => encodeMasksNpy([rectMask(4, 4, 0, 0, 1, 1)], 5, 4)).toThrow(/4x4, expected 4x5/);
  });
});
