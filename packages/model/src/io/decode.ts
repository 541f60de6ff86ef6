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
    const sniffed = sniffFormat(bytes);
    if (sniffed) {
      throw new PromptsegError('corrupt_image', `The file starts like a ${sniffed} image but its header is damaged or cut short (${firstLine(e)}).`, 'The file is truncated or damaged; re-export or re-download it.');
    }
    throw new PromptsegError('unsupported_image', `The file is not an image promptseg can read (${firstLine(e)}).`, 'Send a JPEG, PNG, WebP, GIF, TIFF or AVIF file.');
  }
  const format = String(meta.format ?? 'unknown');
  if (!SUPPORTED.includes(format)) {
    throw new PromptsegError('unsupported_image', `Images in ${format.toUpperCase()} format are not supported.`, 'Convert it to PNG or JPEG (SVG, PDF and RAW files are not accepted).');
  }
  // The bundled libheif decodes AVIF (AV1) only; HEIC photos (HEVC) are patent-encumbered and
  // not included, so say so instead of failing later with a codec error.
  if (format === 'heif' && meta.compression && meta.compression !== 'av1') {
    throw new PromptsegError('unsupported_image', `HEIF images compressed with ${meta.compression.toUpperCase()} (HEIC photos) are not supported; only AVIF (AV1) is.`, 'Convert it to JPEG or PNG first (e.g. export from the Photos app, or `heif-convert photo.heic photo.jpg`).');
  }
  if (!Number.isFinite(maxPixels) || maxPixels <= 0) {
    throw new PromptsegError('invalid_option', `The maximum pixel count must be a positive number (got ${maxPixels}).`, 'Pass a positive whole number, e.g. --max-pixels 40000000.');
  }
  // Header dimensions only: nothing has been decoded yet, so a decompression bomb (a small file
  // whose header claims e.g. 30000x30000) is refused here before any pixel memory is allocated.
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
    throw new PromptsegError('corrupt_image', `The ${format.toUpperCase()} file could not be decoded: ${firstLine(e)}.`, 'The file is truncated or damaged; re-export or re-download it.');
  }
}

/** libvips repeats its messages line by line; the first line says it. */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].trim();
}

/** The container a file's magic bytes announce, to tell a damaged image from a non-image. */
export function sniffFormat(b: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'JPEG';
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'PNG';
  if (b.length >= 6 && ascii(0, 4) === 'GIF8') return 'GIF';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  if (b.length >= 4 && (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*')) return 'TIFF';
  if (b.length >= 12 && ascii(4, 8) === 'ftyp' && /^(avi|hei|mif|hev)/.test(ascii(8, 12))) return 'AVIF/HEIF';
  return undefined;
}

/** Raw 8-bit pixels (1, 3 or 4 channels) to PNG bytes. */
export async function encodePng(data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Buffer> {
  const s = sharp(data, { raw: { width, height, channels } });
  // raw input is taken as sRGB; say 'b-w' so a 1-channel mask is stored as an 8-bit gray PNG
  return (channels === 1 ? s.toColourspace('b-w') : s).png({ compressionLevel: 6 }).toBuffer();
}

/** Bilinear resize of an RGB image (used by engines' pre-processing); the image itself when it already has that size. */
export async function resizeRgb(img: RgbImage, width: number, height: number, fit: 'fill' | 'inside' = 'fill'): Promise<RgbImage> {
  if (width === img.width && height === img.height) return img; // sharp would return the same pixels, copied
  const r = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit, kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: r.info.width, height: r.info.height, data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length) };
}

/** Raw interleaved 8-bit pixels with 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA) channels. */
export interface RawPixels {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

/**
 * Bilinear resize of raw pixels with any channel count, channels kept as they are (no colour
 * conversion). The quality benchmark uses it to scale objects, their masks (1 channel) and
 * their cut-outs (RGBA) for the generated cases.
 */
export async function resizePixels(img: RawPixels, width: number, height: number): Promise<RawPixels> {
  if (width === img.width && height === img.height) return img;
  const s = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }).resize(width, height, { fit: 'fill', kernel: 'linear' });
  // raw input is taken as sRGB: say 'b-w' so gray (+alpha) stays 1 (2) channels
  const r = await (img.channels <= 2 ? s.toColourspace('b-w') : s)
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (r.info.channels !== img.channels) throw new Error(`resize changed the channel count (${img.channels} -> ${r.info.channels})`);
  return { width: r.info.width, height: r.info.height, channels: img.channels, data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length) };
}

/**
 * Raw pixels + an SVG drawn over them (labels, outlines) to PNG bytes. The SVG must have the
 * image's size; text is rendered by librsvg with the system fonts (DejaVu Sans on Debian).
 */
export async function encodePngWithSvg(img: RawPixels, svg: string): Promise<Buffer> {
  const drawn = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  // compositing adds an alpha channel; drop it again when the input had none
  let out = sharp(drawn.data, { raw: { width: drawn.info.width, height: drawn.info.height, channels: drawn.info.channels as 1 | 2 | 3 | 4 } });
  if (img.channels === 1 || img.channels === 3) out = out.removeAlpha();
  if (img.channels <= 2) out = out.toColourspace('b-w');
  return out.png({ compressionLevel: 6 }).toBuffer();
}

/**
 * Any image file to its raw 8-bit pixels WITHOUT colour conversion or orientation, keeping the
 * channel count (a single-channel mask PNG stays single-channel). Used to check exported files.
 */
export async function readRawPixels(bytes: Uint8Array): Promise<RawPixels> {
  const gray = (await sharp(bytes).metadata()).space === 'b-w';
  const s = sharp(bytes);
  const r = await (gray ? s.toColourspace('b-w') : s).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const channels = r.info.channels;
  if (channels < 1 || channels > 4) throw new Error(`unexpected channel count ${channels}`);
  return { width: r.info.width, height: r.info.height, channels: channels as RawPixels['channels'], data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length) };
}

export type FixtureFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

export interface FixtureOptions {
  /** EXIF orientation tag (1..8) to store; the pixels are written as given. */
  orientation?: number;
  /** Store as CMYK (JPEG / TIFF only). */
  cmyk?: boolean;
  /** Store 16 bits per channel (PNG / TIFF only). */
  sixteenBit?: boolean;
  /** Lossless where the format allows it (WebP, AVIF). */
  lossless?: boolean;
  /** Extra frames after the first (GIF / WebP animations): each the same size and channels as `img`. */
  frames?: RawPixels[];
}

/**
 * Encodes raw pixels into an image file of the given format. Tests use it to generate every
 * input fixture (formats, grayscale, 16-bit, alpha, CMYK, EXIF orientation, animations) from
 * code instead of checking binary files in.
 */
export async function encodeImage(img: RawPixels, format: FixtureFormat, opts: FixtureOptions = {}): Promise<Buffer> {
  const pages = [img, ...(opts.frames ?? [])];
  const data = pages.length === 1 ? img.data : Buffer.concat(pages.map((p) => p.data));
  let s = sharp(data, {
    raw: { width: img.width, height: img.height * pages.length, channels: img.channels, ...(pages.length > 1 ? { pageHeight: img.height } : {}) },
  });
  if (opts.cmyk) s = s.toColourspace('cmyk');
  else if (opts.sixteenBit) s = s.toColourspace(img.channels <= 2 ? 'grey16' : 'rgb16');
  else if (img.channels <= 2) s = s.toColourspace('b-w');
  switch (format) {
    case 'jpeg': s = s.jpeg({ quality: 95 }); break;
    case 'png': s = s.png(); break;
    case 'webp': s = s.webp({ lossless: opts.lossless ?? false }); break;
    case 'gif': s = s.gif(); break;
    case 'tiff': s = s.tiff({ compression: 'lzw' }); break;
    case 'avif': s = s.avif({ lossless: opts.lossless ?? false }); break;
  }
  if (opts.orientation !== undefined) s = s.withMetadata({ orientation: opts.orientation });
  return s.toBuffer();
}
