/** Checks a picked/dropped/pasted file before anything is uploaded. */
import { ACCEPTED_TYPES } from '../config.js';

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
  if (!imageType(file.name, file.type)) {
    const what = file.type ? `${file.type}` : 'an unknown type';
    return {
      message: `“${file.name}” is ${what}, which promptseg cannot use.`,
      hint: `Choose a ${accepted} image (SVG, PDF, HEIC, TIFF and RAW files are not accepted in the page; convert them to PNG or JPEG).`,
    };
  }
  if (file.size === 0) {
    return { message: `“${file.name}” is empty (0 bytes).`, hint: 'Check that the file finished downloading or copying.' };
  }
  if (file.size > maxBytes) {
    return {
      message: `“${file.name}” is ${formatBytes(file.size)}, above the upload limit of ${formatBytes(maxBytes)}.`,
      hint: 'Downscale or re-compress it (e.g. save as JPEG) and try again.',
    };
  }
  return undefined;
}

/** "coffee.png" -> "coffee"; safe for file names of exports. */
export function baseName(name: string): string {
  const stem = name.replace(/\.[^.]+$/, '') || 'image';
  return stem.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'image';
}
