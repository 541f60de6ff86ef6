/**
 * Cheap format check of an upload's first bytes, so obvious non-images (text, SVG, PDF, empty
 * files) are refused when the job is created, before anything is billed or queued. The real
 * decoding (and every other image check) happens in the inference function.
 */
import { PromptsegError, sniffImageFormat, sniffVideoFormat, type SniffedFormat, type SniffedVideoFormat } from '@promptseg/shared';

export { SNIFF_BYTES } from '@promptseg/shared';

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
  const f = sniffImageFormat(head);
  if (!f) {
    throw new PromptsegError('unsupported_image', `The uploaded file is ${describe(head)}, not a supported image.`, 'Send a JPEG, PNG, WebP, GIF, TIFF or AVIF file (SVG, PDF and BMP are not accepted; convert them to PNG).');
  }
  return f;
}

/** Throws a typed error unless the bytes start like a clip promptseg decodes (MP4, MOV, WebM, GIF). */
export function checkVideoHead(head: Uint8Array): SniffedVideoFormat {
  if (head.length === 0) {
    throw new PromptsegError('corrupt_video', 'The uploaded clip is empty (0 bytes).', 'Upload the clip again; send an MP4 (H.264), WebM, MOV or animated GIF file.');
  }
  const f = sniffVideoFormat(head);
  if (!f) {
    const image = sniffImageFormat(head);
    throw new PromptsegError(
      'corrupt_video',
      image ? `The upload was declared a clip but is a ${image.toUpperCase()} image.` : `The uploaded file is ${describe(head)}, not a clip promptseg reads.`,
      image ? 'Upload it with its image content type for an image job.' : 'Send an MP4 (H.264), WebM, MOV or animated GIF file (other containers: convert with ffmpeg -i in.ext out.mp4).',
    );
  }
  return f;
}
