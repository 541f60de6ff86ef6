/** Checks a picked/dropped/pasted file before anything is uploaded. */
import { ACCEPTED_TYPES } from '../config.js';
import { t } from '../i18n/index.js';

export interface FileProblem {
  message: string;
  hint: string;
}

const EXT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The content type to upload with: the browser's, or one inferred from the extension. */
export function imageType(name: string, type: string): string | undefined {
  if (type && ACCEPTED_TYPES[type]) return type;
  if (type) return undefined;
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return EXT_TYPES[ext];
}

export function checkFile(file: { name: string; type: string; size: number }, maxBytes: number): FileProblem | undefined {
  const accepted = Object.values(ACCEPTED_TYPES).join(', ');
  const name = file.name;
  if (!imageType(file.name, file.type)) {
    return { message: t('file.badType', { name, what: file.type || t('file.unknownType') }), hint: t('file.badType.hint', { accepted }) };
  }
  if (file.size === 0) {
    return { message: t('file.empty', { name }), hint: t('file.empty.hint') };
  }
  if (file.size > maxBytes) {
    return { message: t('file.tooBig', { name, size: formatBytes(file.size), limit: formatBytes(maxBytes) }), hint: t('file.tooBig.hint') };
  }
  return undefined;
}

/** The service's smallest image side (packages/model/src/io/decode.ts MIN_SIDE; validate.test.ts checks they agree). */
export const MIN_SIDE = 8;

/**
 * Checks the decoded size before anything is uploaded: tiny images (the service refuses them
 * with image_too_small) and images above the service's pixel limit (GET /v1/health max_pixels;
 * unknown → not checked here, the service still checks).
 */
export function checkDimensions(name: string, width: number, height: number, maxPixels?: number): FileProblem | undefined {
  if (Math.min(width, height) < MIN_SIDE) return { message: t('image.tooSmall', { name, width, height }), hint: t('image.tooSmall.hint', { min: MIN_SIDE }) };
  if (maxPixels && width * height > maxPixels) {
    return { message: t('image.tooManyPixels', { name, mp: (width * height / 1e6).toFixed(1), limit: (maxPixels / 1e6).toFixed(0) }), hint: t('image.tooManyPixels.hint') };
  }
  return undefined;
}

/** "coffee.png" -> "coffee"; safe for file names of exports. */
export function baseName(name: string): string {
  const stem = name.replace(/\.[^.]+$/, '') || 'image';
  return stem.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'image';
}
