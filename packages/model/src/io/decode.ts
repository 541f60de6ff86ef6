/**
 * The only file that imports sharp: bytes in, upright sRGB RGB pixels out, and PNG bytes out for
 * the exporters. Every failure becomes a typed error that says what was wrong and what to do.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { PromptsegError } from '@promptseg/shared';
import type { DecodedImage, RgbImage } from './image.js';

/** Refuse images above this many pixels unless configured otherwise (decompression bombs). */
export const DEFAULT_MAX_PIXELS = 40_000_000;
export const MIN_SIDE = 8;

export interface DecodeOptions {
  maxPixels?: number;
}

const SUPPORTED = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif'];

export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length === 0) {
    throw new PromptsegError('corrupt_image', 'The image file is empty (0 bytes).', 'Check that the upload or copy finished; send a JPEG, PNG, WebP, GIF, TIFF or AVIF file.');
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new PromptsegError('unsupported_image', `The file is not an image promptseg can read (${(e as Error).message}).`, 'Send a JPEG, PNG, WebP, GIF, TIFF or AVIF file.');
  }
  const format = String(meta.format ?? 'unknown');
  if (!SUPPORTED.includes(format)) {
    throw new PromptsegError('unsupported_image', `Images in ${format.toUpperCase()} format are not supported.`, 'Convert it to PNG or JPEG (SVG, PDF and RAW files are not accepted).');
  }
  const w = meta.width ?? 0, h = meta.height ?? 0;
  if (w * h > maxPixels) {
    throw new PromptsegError('image_too_large', `The image is ${w}x${h} (${(w * h / 1e6).toFixed(1)} MP), above the limit of ${(maxPixels / 1e6).toFixed(1)} MP.`, 'Downscale it before sending, or raise the limit (--max-pixels / PROMPTSEG_MAX_PIXELS) if you trust the file.', { width: w, height: h, maxPixels });
  }
  if (w < MIN_SIDE || h < MIN_SIDE) {
    throw new PromptsegError('image_too_small', `The image is ${w}x${h}; both sides must be at least ${MIN_SIDE} pixels.`, 'Send a larger image.');
  }
  try {
    // autoOrient applies EXIF orientation so masks match the upright image; only the first
    // frame of an animation is read; CMYK, 16-bit and grayscale are converted to 8-bit sRGB.
    const base = sharp(bytes, { limitInputPixels: maxPixels, pages: 1, animated: false }).autoOrient().toColourspace('srgb');
    const rgba = await base.clone().ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const { width, height, channels } = rgba.info;
    if (channels !== 4) throw new Error(`unexpected channel count ${channels}`);
    const n = width * height;
    const data = new Uint8Array(n * 3);
    const alpha = new Uint8Array(n);
    let hasAlpha = false;
    const src = rgba.data;
    for (let i = 0; i < n; i++) {
      data[i * 3] = src[i * 4];
      data[i * 3 + 1] = src[i * 4 + 1];
      data[i * 3 + 2] = src[i * 4 + 2];
      alpha[i] = src[i * 4 + 3];
      if (src[i * 4 + 3] !== 255) hasAlpha = true;
    }
    const hash = createHash('sha256').update(data).digest('hex');
    const out: DecodedImage = { width, height, data, format, hash };
    if (hasAlpha) out.alpha = alpha;
    return out;
  } catch (e) {
    if (e instanceof PromptsegError) throw e;
    throw new PromptsegError('corrupt_image', `The ${format.toUpperCase()} file could not be decoded: ${(e as Error).message}.`, 'The file is truncated or damaged; re-export or re-download it.');
  }
}

/** Raw 8-bit pixels (1, 3 or 4 channels) to PNG bytes. */
export async function encodePng(data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Buffer> {
  return sharp(data, { raw: { width, height, channels } }).png({ compressionLevel: 6 }).toBuffer();
}

/** Bilinear resize of an RGB image (used by engines' pre-processing). */
export async function resizeRgb(img: RgbImage, width: number, height: number, fit: 'fill' | 'inside' = 'fill'): Promise<RgbImage> {
  const r = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit, kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: r.info.width, height: r.info.height, data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length) };
}
