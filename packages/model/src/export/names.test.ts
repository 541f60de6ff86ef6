import { describe, expect, it } from 'vitest';
import { fixedOutputNames, instanceOutputName, slugify } from './names.js';

describe('output names', () => {
  it('slugifies labels into safe file-name parts', () => {
    expect(slugify('cell phone')).toBe('cell-phone');
    expect(slugify('Upper body garment / shirt')).toBe('upper-body-garment-shirt');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('小狗')).toBe('小狗');
    expect(slugify('***')).toBe('object');
    expect(slugify('a'.repeat(100)).length).toBe(40);
  });

  it('names every output after the base name', () => {
    expect(fixedOutputNames(['json', 'cutout', 'mask', 'overlay', 'npy'], 'sub/cat')).toEqual([
      'sub/cat.json', 'sub/cat.overlay.png', 'sub/cat.masks.npy', 'sub/cat.cutout.png',
    ]);
    expect(fixedOutputNames(['mask'], 'cat')).toEqual([]);
    expect(instanceOutputName('mask', 'cat', 2, 'sports ball')).toBe('cat.mask-2-sports-ball.png');
    expect(instanceOutputName('cutout', 'cat', 1, 'cat')).toBe('cat.cutout-1-cat.png');
  });
});
