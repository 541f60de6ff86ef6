/**
 * The image container a file's first bytes announce, and its MIME type. Edge-safe: the API uses
 * it to refuse non-images when a job is created, the CLI's API client to label uploads.
 */

export type SniffedFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heif' | 'avif';

export const SNIFF_BYTES = 64;

export const FORMAT_CONTENT_TYPE: Record<SniffedFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
  heif: 'image/heif',
  avif: 'image/avif',
};

function ascii(b: Uint8Array, start: number, len: number): string {
  return String.fromCharCode(...b.subarray(start, start + len));
}

export function sniffImageFormat(b: Uint8Array): SniffedFormat | null {
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

export type SniffedVideoFormat = 'mp4' | 'mov' | 'webm' | 'gif';

/**
 * The clip container a file's first bytes announce: ISO BMFF (MP4 / QuickTime: an `ftyp` box, or
 * an older QuickTime file opening with a `moov`, `mdat`, `wide` or `free` atom), Matroska/WebM
 * (the EBML magic), or GIF. Still-image brands (AVIF, HEIF) are not clips.
 */
export function sniffVideoFormat(b: Uint8Array): SniffedVideoFormat | null {
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    if (sniffImageFormat(b)) return null;
    return ascii(b, 8, 4) === 'qt  ' ? 'mov' : 'mp4';
  }
  if (b.length >= 8 && ['moov', 'mdat', 'wide', 'free'].includes(ascii(b, 4, 4))) return 'mov';
  return null;
}
