/**
 * Exports rendered in the browser from the original image and the RLE masks (decoded again at
 * full size), so what is downloaded is exactly what is shown: the filtered, refined instances.
 * The files are the CLI's (same names, same pixels): masks are 8-bit single-channel PNGs, cut-outs
 * RGBA, both encoded with fast-png (the canvas encoder can only write RGBA); `.masks.npy` stacks
 * the shown masks in result order; the overlay carries a "label 0.93" tag per instance.
 */
import { encode as encodePng } from 'fast-png';
import { decodeRle, encodeNpyU8, type Instance, type Mask, type SegmentResult } from '@promptseg/shared';
import { t } from '../i18n/index.js';
import type { Item } from '../result/items.js';
import { css } from '../result/colors.js';
import { layerPixels } from '../result/layers.js';
import { exportName, type ExportKind } from './names.js';
import { cutout, maskBytes, stackMasks, unionMask, type Rgba } from './pixels.js';

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

const png = (bytes: Uint8Array): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' });

/** RGBA, 8 bits per channel. */
export function rgbaPng(img: Rgba): Blob {
  return png(encodePng({ width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength), channels: 4, depth: 8 }));
}

/** 8-bit single-channel (grey) PNG: 255 inside the mask, 0 outside — the CLI's mask PNG. */
export function maskPng(mask: Mask): Blob {
  return png(encodePng({ width: mask.width, height: mask.height, data: maskBytes(mask), channels: 1, depth: 8 }));
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

/** Image + translucent masks + outlines at full size, and a "label score" tag at each box (best on top). */
export async function overlayBlob(bitmap: ImageBitmap, items: readonly Item[]): Promise<Blob> {
  const w = bitmap.width, h = bitmap.height;
  const [c, ctx] = canvasOf(w, h);
  const [lc, lctx] = canvasOf(w, h);
  ctx.drawImage(bitmap, 0, 0);
  for (const it of [...items].reverse()) {
    lctx.putImageData(new ImageData(layerPixels(decodeRle(it.inst.rle).data, w, h, it.color, 110), w, h), 0, 0);
    ctx.drawImage(lc, 0, 0);
  }
  const fontSize = Math.min(48, Math.max(12, Math.round(Math.min(w, h) / 28))); // the CLI's overlay metrics
  const pad = Math.round(fontSize * 0.25);
  ctx.font = `600 ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const it of [...items].reverse()) {
    const text = `${it.inst.label} ${it.inst.score.toFixed(2)}`;
    const tw = Math.ceil(ctx.measureText(text).width) + 2 * pad, th = fontSize + 2 * pad;
    const [bx, by] = it.inst.box;
    const x = Math.max(0, Math.min(Math.round(bx), w - tw));
    const y = by - th >= 0 ? Math.round(by - th) : Math.max(0, Math.min(Math.round(by), h - th));
    ctx.fillStyle = css(it.color);
    ctx.fillRect(x, y, tw, th);
    ctx.fillStyle = it.ink;
    ctx.fillText(text, x + pad, y + pad);
  }
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error(t('png.failed')))), 'image/png'));
}

/** The result document with only the given instances (refined ones as they are now), naming its image like the CLI's. */
export function resultDoc(result: SegmentResult, items: readonly Item[], imageName: string): SegmentResult {
  return { ...result, image: { ...result.image, path: imageName }, instances: items.map((it) => it.inst) };
}

function fullMask(inst: Instance): Mask {
  return decodeRle(inst.rle);
}

/** Items in the result's order (the CLI's order for `.masks.npy` slices), whatever order they are shown in. */
const inResultOrder = (items: readonly Item[]): Item[] => [...items].sort((a, b) => a.index - b.index);

/**
 * One export of `items` (one selected instance, or every shown one). The JSON may list no
 * instance (an image where nothing was found is still a result); the image files need one.
 */
export async function buildExport(kind: ExportKind, pic: Picture, result: SegmentResult, items: readonly Item[], single: boolean): Promise<ExportFile> {
  if (items.length === 0 && kind !== 'json') throw new Error(t('export.nothing'));
  const one = single && items[0] ? { label: items[0].inst.label, id: items[0].inst.id } : undefined;
  const name = exportName(pic.name, kind, one);
  const w = pic.bitmap.width, h = pic.bitmap.height;
  switch (kind) {
    case 'cutout': {
      const m = single ? fullMask(items[0].inst) : unionMask(items.map((i) => fullMask(i.inst)), w, h);
      return { name, blob: rgbaPng(cutout(pixelsOf(pic.bitmap), m)) };
    }
    case 'mask': {
      const m = single ? fullMask(items[0].inst) : unionMask(items.map((i) => fullMask(i.inst)), w, h);
      return { name, blob: maskPng(m) };
    }
    case 'overlay':
      return { name, blob: await overlayBlob(pic.bitmap, items) };
    case 'npy': {
      const masks = inResultOrder(items).map((i) => fullMask(i.inst));
      const bytes = single ? encodeNpyU8(stackMasks(masks), [h, w]) : encodeNpyU8(stackMasks(masks), [masks.length, h, w]);
      return { name, blob: new Blob([bytes], { type: 'application/octet-stream' }) };
    }
    case 'json': {
      // the same result schema either way, with one instance or all shown ones; written like the CLI's (2-space indent, final newline)
      const doc = resultDoc(result, single ? items : inResultOrder(items), pic.name);
      return { name, blob: new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' }) };
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
