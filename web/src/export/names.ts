/**
 * File names of exports: they say the image, the label and the instance index, in the same
 * pattern as the CLI's outputs (packages/model/src/export/names.ts): `coffee.cutout-0-cup.png`
 * for one instance (index = its position in the result's `instances`, as in the JSON),
 * `coffee.cutout.png` / `coffee.overlay.png` / `coffee.masks.npy` / `coffee.json` for all shown.
 */
import { baseName } from '../input/validate.js';

export type ExportKind = 'cutout' | 'mask' | 'overlay' | 'npy' | 'json';

function slug(label: string): string {
  const s = label.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return s || 'object';
}

export function exportName(imageName: string, kind: ExportKind, one?: { label: string; index: number }): string {
  const base = baseName(imageName);
  const tag = one ? `-${one.index}-${slug(one.label)}` : '';
  switch (kind) {
    case 'json':
      return one ? `${base}.instance${tag}.json` : `${base}.json`;
    case 'npy':
      return one ? `${base}.mask${tag}.npy` : `${base}.masks.npy`;
    default:
      return `${base}.${kind}${tag}.png`;
  }
}
