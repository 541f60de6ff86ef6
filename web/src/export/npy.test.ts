import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpyU8 } from './npy.js';

describe('encodeNpyU8', () => {
  it('writes a 64-byte aligned header and C-order data', () => {
    const bytes = encodeNpyU8(new Uint8Array([1, 0, 0, 1, 1, 1]), [2, 3]);
    expect(String.fromCharCode(...bytes.slice(1, 6))).toBe('NUMPY');
    const hlen = bytes[8] | (bytes[9] << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = String.fromCharCode(...bytes.slice(10, 10 + hlen));
    expect(header).toContain("'shape': (2, 3)");
    expect(header.endsWith('\n')).toBe(true);
    expect([...bytes.slice(10 + hlen)]).toEqual([1, 0, 0, 1, 1, 1]);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpyU8(new Uint8Array(5), [2, 3])).toThrow(/2x3/);
  });

  it('loads with numpy when python3 + numpy are present', () => {
    let hasNumpy = true;
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    } catch {
      hasNumpy = false;
    }
    if (!hasNumpy) return; // .ci/run installs python3-numpy, so CI always checks this
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const file = join(dir, 'm.npy');
    writeFileSync(file, encodeNpyU8(new Uint8Array([0, 1, 1, 0, 1, 0, 0, 0]), [2, 2, 2]));
    const out = execFileSync('python3', ['-c', `import numpy as n; a=n.load(${JSON.stringify(file)}); print(a.dtype, a.shape, int(a.sum()), int(a[0,1,0]))`]).toString().trim();
    expect(out).toBe('uint8 (2, 2, 2) 3 1');
  });
});
