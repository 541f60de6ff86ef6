import { describe, expect, it } from 'vitest';
import { baseName, checkFile, formatBytes, imageType } from './validate.js';

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
