import { describe, expect, it } from 'vitest';
import { exportName } from './names.js';

describe('exportName', () => {
  it('names image, label and index like the CLI does', () => {
    expect(exportName('coffee.png', 'cutout', { label: 'cup', index: 3 })).toBe('coffee.cutout-3-cup.png');
    expect(exportName('coffee.png', 'mask', { label: 'cup', index: 0 })).toBe('coffee.mask-0-cup.png');
    expect(exportName('my photo.jpg', 'npy', { label: 'upper body garment', index: 1 })).toBe('my-photo.mask-1-upper-body-garment.npy');
  });
  it('names the all-instances exports', () => {
    expect(exportName('rocket.jpg', 'json')).toBe('rocket.json');
    expect(exportName('coffee.png', 'overlay')).toBe('coffee.overlay.png');
    expect(exportName('coffee.png', 'npy')).toBe('coffee.masks.npy');
    expect(exportName('coffee.png', 'cutout')).toBe('coffee.cutout.png');
  });
});
