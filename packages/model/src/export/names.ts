/**
 * File names of the exported outputs. One place, so the CLI's resume check and the exporters
 * always agree on what a finished image leaves behind.
 */
import type { OutputFormat } from '@promptseg/shared';

/** A label as a file-name part: lower-case letters/digits (any script) joined by '-'. */
export function slugify(label: string): string {
  const slug = label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'object';
}

export type FixedOutput = 'json' | 'overlay' | 'npy' | 'geojson' | 'cutout';

const FIXED_SUFFIX: Record<FixedOutput, string> = {
  json: '.json',
  overlay: '.overlay.png',
  npy: '.masks.npy',
  geojson: '.geojson',
  cutout: '.cutout.png', // union of all instances
};

/** Name of an output that exists for an image whatever it contains. */
export function fixedOutputName(kind: FixedOutput, base: string): string {
  return base + FIXED_SUFFIX[kind];
}

/** The fixed-name outputs of the requested formats (`mask` has per-instance files only). */
export function fixedOutputNames(formats: readonly OutputFormat[], base: string): string[] {
  return (Object.keys(FIXED_SUFFIX) as FixedOutput[]).filter((k) => formats.includes(k)).map((k) => fixedOutputName(k, base));
}

/** Per-instance file name, numbered with the instance's `id` so a file and its JSON entry match. */
export function instanceOutputName(kind: 'cutout' | 'mask', base: string, id: number, label: string): string {
  return `${base}.${kind}-${id}-${slugify(label)}.png`;
}
