import { describe, expect, it } from 'vitest';
import { fixedOutputName, instanceOutputName } from '../../../packages/model/src/export/names.js';
import { exportName } from './names.js';

describe('exportName', () => {
  it('names image, label and the JSON id like the CLI does', () => {
    expect(exportName('coffee.png', 'cutout', { label: 'cup', id: 3 })).toBe('coffee.cutout-3-cup.png');
    expect(exportName('coffee.png', 'mask', { label: 'cup', id: 1 })).toBe('coffee.mask-1-cup.png');
    expect(exportName('my photo.jpg', 'npy', { label: 'upper body garment', id: 1 })).toBe('my-photo.mask-1-upper-body-garment.npy');
  });
  it('names the all-instances exports', () => {
    expect(exportName('rocket.jpg', 'json')).toBe('rocket.json');
    expect(exportName('coffee.png', 'overlay')).toBe('coffee.overlay.png');
    expect(exportName('coffee.png', 'npy')).toBe('coffee.masks.npy');
    expect(exportName('coffee.png', 'cutout')).toBe('coffee.cutout.png');
  });
  it('gives exactly the CLI’s names (packages/model/src/export/names.ts), any label or script', () => {
    for (const [label, id] of [['cup', 1], ['upper body garment', 12], ['猫', 2], ['T-Shirt!!', 7], ['', 3]] as const) {
      expect(exportName('coffee.png', 'cutout', { label, id })).toBe(instanceOutputName('cutout', 'coffee', id, label));
      expect(exportName('coffee.png', 'mask', { label, id })).toBe(instanceOutputName('mask', 'coffee', id, label));
    }
    for (const kind of ['json', 'overlay', 'npy', 'cutout'] as const) expect(exportName('coffee.png', kind)).toBe(fixedOutputName(kind, 'coffee'));
  });
});
