/**
 * Cheap format check of an upload's first bytes, so obvious non-images (text, SVG, PDF, empty
 * files) are refused when the job is created, before anything is billed or queued. The real
 * decoding (and every other image check) happens in the inference function.
 */
import { PromptsegError } from '@promptseg/shared';

export const SNIFF_BYTES = 64;

export type SniffedFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heif' | 'avif';

function ascii(b: Uint8Array, start: number, len: number): string {
  return String.fromCharCode(...b.subarray(start, start + len));
}

export function sniffFormat(b: Uint8Array): SniffedFormat | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return 'png';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) return 'tiff';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heif';
  }
  return null;
}

function describe(b: Uint8Array): string {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'an SVG drawing';
  if (head.startsWith('<')) return 'an HTML/XML document';
  if (head.startsWith('%pdf')) return 'a PDF document';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'a BMP image';
  if (b.every((x) => x === 9 || x === 10 || x === 13 || (x >= 32 && x < 127) || x >= 128)) return 'text';
  return 'not an image format promptseg reads';
}

/** Throws a typed error unless the bytes start like a supported image. */
export function checkImageHead(head: Uint8Array): SniffedFormat {
  if (head.length === 0) {
    throw new PromptsegError('corrupt_image', 'The uploaded file is empty (0 bytes).', 'Upload the image again; send a JPEG, PNG, WebP, GIF, TIFF or AVIF file.');
  }
  const f = sniffFormat(head);
  if (!f) {
    throw new PromptsegError('unsupported_image', `The uploaded file is ${describe(head)}, not a supported image.`, 'Send a JPEG, PNG, WebP, GIF, TIFF or AVIF file (SVG, PDF and BMP are not accepted; convert them to PNG).');
  }
  return f;
}
