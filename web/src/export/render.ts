/**
 * Exports rendered in the browser from the original image and the RLE masks (decoded again at
 * full size), so what is downloaded is exactly what is shown: the filtered, refined instances.
 */
import { decodeRle, encodeNpyU8, type Instance, type Mask, type SegmentResult } from '@promptseg/shared';
import { t } from '../i18n/index.js';
import type { Item } from '../result/items.js';
import { layerPixels } from '../result/layers.js';
import { exportName, type ExportKind } from './names.js';
import { cutout, maskImage, stackMasks, unionMask, type Rgba } from './pixels.js';

export interface Picture {
  name: string;
  bitmap: ImageBitmap;
}

export interface ExportFile {
  name: string;
  blob: Blob;
}

function canvasOf(w: number, h: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error(t('canvas.unavailable'));
  return [c, ctx];
}

export function pngBlob(img: Rgba): Promise<Blob> {
  const [c, ctx] = canvasOf(img.width, img.height);
  ctx.putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error(t('png.failed')))), 'image/png'));
}

const rgbaCache = new WeakMap<ImageBitmap, Rgba>();

/** Full-size RGBA pixels of the original (upright: the browser applies EXIF orientation). */
export function pixelsOf(bitmap: ImageBitmap): Rgba {
  let px = rgbaCache.get(bitmap);
  if (!px) {
    const [, ctx] = canvasOf(bitmap.width, bitmap.height);
    ctx.drawImage(bitmap, 0, 0);
    const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    px = { width: d.width, height: d.height, data: d.data };
    rgbaCache.set(bitmap, px);
  }
  return px;
}

/** Image + translucent masks + outlines at full size. */
export async function overlayBlob(bitmap: ImageBitmap, items: readonly Item[]): Promise<Blob> {
  const w = bitmap.width, h = bitmap.height;
  const [c, ctx] = canvasOf(w, h);
  const [lc, lctx] = canvasOf(w, h);
  ctx.drawImage(bitmap, 0, 0);
  for (const it of [...items].reverse()) {
    lctx.putImageData(new ImageData(layerPixels(decodeRle(it.inst.rle).data, w, h, it.color, 100), w, h), 0, 0);
    ctx.drawImage(lc, 0, 0);
  }
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error(t('png.failed')))), 'image/png'));
}

/** The result document with only the given instances (refined ones as they are now). */
export function resultDoc(result: SegmentResult, items: readonly Item[]): SegmentResult {
  return { ...result, instances: items.map((it) => it.inst) };
}

function fullMask(inst: Instance): Mask {
  return decodeRle(inst.rle);
}

/** One export: of `items` (one selected instance, or every shown one). */
export async function buildExport(kind: ExportKind, pic: Picture, result: SegmentResult, items: readonly Item[], single: boolean): Promise<ExportFile> {
  if (items.length === 0) throw new Error(t('export.nothing'));
  const one = single ? { label: items[0].inst.label, index: items[0].index } : undefined;
  const name = exportName(pic.name, kind, one);
  const w = pic.bitmap.width, h = pic.bitmap.height;
  switch (kind) {
    case 'cutout': {
      const m = single ? fullMask(items[0].inst) : unionMask(items.map((i) => fullMask(i.inst)), w, h);
      return { name, blob: await pngBlob(cutout(pixelsOf(pic.bitmap), m)) };
    }
    case 'mask': {
      const m = single ? fullMask(items[0].inst) : unionMask(items.map((i) => fullMask(i.inst)), w, h);
      return { name, blob: await pngBlob(maskImage(m)) };
    }
    case 'overlay':
      return { name, blob: await overlayBlob(pic.bitmap, items) };
    case 'npy': {
      const masks = items.map((i) => fullMask(i.inst));
      const bytes = single ? encodeNpyU8(stackMasks(masks), [h, w]) : encodeNpyU8(stackMasks(masks), [masks.length, h, w]);
      return { name, blob: new Blob([bytes], { type: 'application/octet-stream' }) };
    }
    case 'json': {
      // the same result schema either way, with one instance or all shown ones
      return { name, blob: new Blob([JSON.stringify(resultDoc(result, items), null, 2)], { type: 'application/json' }) };
    }
  }
}

export function save(file: ExportFile): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
