/**
 * File names of exports, the same as the CLI's outputs (packages/model/src/export/names.ts; the
 * page cannot import that package, so names.test.ts checks both give the same names):
 * `coffee.cutout-1-cup.png` / `coffee.mask-1-cup.png` for one instance, numbered with the
 * instance's `id` in the JSON; `coffee.cutout.png` / `coffee.overlay.png` / `coffee.masks.npy` /
 * `coffee.json` for all shown. The page's own single-instance extras (the CLI has no such file)
 * follow the same pattern: `coffee.mask-1-cup.npy`, `coffee.instance-1-cup.json`.
 */
import { baseName } from '../input/validate.js';

export type ExportKind = 'cutout' | 'mask' | 'overlay' | 'npy' | 'json';

export function slug(label: string): string {
  const s = label.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return s || 'object';
}

/** `one`: the instance's JSON id and label, for a single-instance export. */
export function exportName(imageName: string, kind: ExportKind, one?: { label: string; id: number }): string {
  const base = baseName(imageName);
  const tag = one ? `-${one.id}-${slug(one.label)}` : '';
  switch (kind) {
    case 'json':
      return one ? `${base}.instance${tag}.json` : `${base}.json`;
    case 'npy':
      return one ? `${base}.mask${tag}.npy` : `${base}.masks.npy`;
    case 'mask':
      return `${base}.mask${tag}.png`;
    default:
      return `${base}.${kind}${tag}.png`;
  }
}
