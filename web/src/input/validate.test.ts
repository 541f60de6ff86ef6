import { describe, expect, it } from 'vitest';
import { baseName, checkDimensions, checkFile, formatBytes, imageType, MIN_SIDE } from './validate.js';

const MB = 1024 * 1024;

describe('checkFile', () => {
  it('accepts the bundled sample types', () => {
    expect(checkFile({ name: 'coffee.png', type: 'image/png', size: 466_706 }, 20 * MB)).toBeUndefined();
    expect(checkFile({ name: 'rocket.jpg', type: 'image/jpeg', size: 112_525 }, 20 * MB)).toBeUndefined();
  });

  it('refuses a text file and says what to send instead', () => {
    const p = checkFile({ name: 'notes.txt', type: 'text/plain', size: 12 }, 20 * MB);
    expect(p?.message).toContain('notes.txt');
    expect(p?.message).toContain('text/plain');
    expect(p?.hint).toMatch(/PNG/);
  });

  it('refuses SVG even though it is an image', () => {
    expect(checkFile({ name: 'logo.svg', type: 'image/svg+xml', size: 100 }, 20 * MB)?.message).toContain('image/svg+xml');
  });

  it('refuses empty and too-large files with the sizes in the message', () => {
    expect(checkFile({ name: 'a.png', type: 'image/png', size: 0 }, MB)?.message).toContain('empty');
    const big = checkFile({ name: 'big.jpg', type: 'image/jpeg', size: 25 * MB }, 20 * MB);
    expect(big?.message).toContain('25.0 MB');
    expect(big?.message).toContain('20.0 MB');
  });

  it('infers the type from the extension when the browser gives none', () => {
    expect(imageType('x.JPG', '')).toBe('image/jpeg');
    expect(imageType('x.bin', '')).toBeUndefined();
  });
});

describe('formatBytes / baseName', () => {
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(466_706)).toBe('456 KB');
    expect(formatBytes(3 * MB)).toBe('3.0 MB');
  });
  it('makes file-name-safe stems', () => {
    expect(baseName('my photo (1).jpeg')).toBe('my-photo-1');
    expect(baseName('猫.png')).toBe('猫');
    expect(baseName('.png')).toBe('image');
  });
});

describe('checkDimensions (before upload)', () => {
  it('refuses images smaller than the service accepts, and agrees with the service on the limit', async () => {
    const { MIN_SIDE: serviceMin } = await import('../../../packages/model/src/io/decode.js');
    expect(MIN_SIDE).toBe(serviceMin);
    expect(checkDimensions('dot.png', 7, 100)?.message).toContain('7×100');
    expect(checkDimensions('ok.png', 8, 8)).toBeUndefined();
  });
  it('refuses images above the service’s pixel limit, and checks nothing when the limit is unknown', () => {
    const p = checkDimensions('big.jpg', 6000, 7000, 40_000_000);
    expect(p?.message).toContain('42.0 megapixels');
    expect(p?.message).toContain('40 megapixels');
    expect(p?.hint).not.toMatch(/--max-pixels|PROMPTSEG_/); // page words, no CLI flags or env vars
    expect(checkDimensions('big.jpg', 6000, 7000)).toBeUndefined();
  });
});
