/**
 * The overlay PNG: the image with each instance's mask tinted in its own colour, a solid outline
 * around it and a tag "label 0.93" at its box. Pixels are blended here in plain loops; the tags
 * are an SVG drawn by the image library (librsvg, system fonts) because text needs a renderer.
 */
import type { Instance, Mask } from '@promptseg/shared';
import { encodePngWithSvg } from '../io/decode.js';
import type { DecodedImage } from '../io/image.js';

/** Distinct colours (Tableau 10), cycled by instance position. */
export const PALETTE: readonly [number, number, number][] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];
/** Share of the instance colour in a tinted pixel. */
export const TINT = 0.45;

export function colorOf(index: number): [number, number, number] {
  return PALETTE[index % PALETTE.length];
}

/** Outline thickness and label size grow with the image so they stay readable. */
export function overlayMetrics(width: number, height: number): { outline: number; fontSize: number } {
  const side = Math.min(width, height);
  return { outline: Math.max(2, Math.round(side / 250)), fontSize: Math.min(48, Math.max(12, Math.round(side / 28))) };
}

/** Mask pixels with an unset 4-neighbour (or on the image border), grown to `thickness` pixels inward. */
export function outlineOf(mask: Mask, thickness: number): Uint8Array {
  const { width: w, height: h, data } = mask;
  // distance (in 4-neighbour steps, capped) from the outside of the mask
  const dist = new Uint8Array(w * h);
  let frontier: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = y * w + x;
    if (!data[i]) continue;
    if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || !data[i - 1] || !data[i + 1] || !data[i - w] || !data[i + w]) {
      dist[i] = 1;
      frontier.push(i);
    }
  }
  for (let d = 2; d <= thickness && frontier.length; d++) {
    const next: number[] = [];
    for (const i of frontier) {
      const x = i % w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
        if (j >= 0 && j < w * h && data[j] && !dist[j]) {
          dist[j] = d;
          next.push(j);
        }
      }
    }
    frontier = next;
  }
  for (let i = 0; i < dist.length; i++) dist[i] = dist[i] ? 1 : 0;
  return dist;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** How one instance is tagged when not by its position and score (video: by track id). */
export interface TagStyle {
  text: string;
  color: [number, number, number];
}

/** SVG with one tag per instance (coloured box + white text), placed above the box when there is room. */
export function labelsSvg(instances: readonly Pick<Instance, 'label' | 'score' | 'box'>[], width: number, height: number, styles?: readonly TagStyle[]): string {
  const { fontSize } = overlayMetrics(width, height);
  const pad = Math.round(fontSize * 0.25);
  const tagH = fontSize + 2 * pad;
  const parts: string[] = [];
  // lowest score first so the best instance's tag is drawn last (on top)
  const order = instances.map((_, i) => i).reverse();
  for (const i of order) {
    const inst = instances[i];
    const [r, g, b] = styles?.[i]?.color ?? colorOf(i);
    const text = styles?.[i]?.text ?? `${inst.label} ${inst.score.toFixed(2)}`;
    const tagW = Math.ceil(text.length * fontSize * 0.62) + 2 * pad; // DejaVu Sans averages ~0.6 em
    const [bx, by] = inst.box;
    const x = Math.max(0, Math.min(Math.round(bx), width - tagW));
    const y = by - tagH >= 0 ? Math.round(by - tagH) : Math.max(0, Math.min(Math.round(by), height - tagH));
    parts.push(
      `<rect x="${x}" y="${y}" width="${tagW}" height="${tagH}" fill="rgb(${r},${g},${b})"/>` +
        `<text x="${x + pad}" y="${y + pad + fontSize * 0.82}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#ffffff">${escapeXml(text)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** RGB pixels of the overlay before the tags: a transparent source is shown over white. */
export function tintedPixels(image: Pick<DecodedImage, 'width' | 'height' | 'data' | 'alpha'>, instances: readonly unknown[], masks: readonly Mask[], colors?: readonly [number, number, number][]): Uint8Array {
  const { width: w, height: h } = image;
  const n = w * h;
  const px = new Uint8Array(n * 3);
  const alpha = image.alpha;
  for (let i = 0; i < n; i++) {
    const a = alpha ? alpha[i] / 255 : 1;
    for (let c = 0; c < 3; c++) px[i * 3 + c] = Math.round(image.data[i * 3 + c] * a + 255 * (1 - a));
  }
  const { outline } = overlayMetrics(w, h);
  // lowest score first, so the best instance is drawn on top where masks overlap
  for (let k = instances.length - 1; k >= 0; k--) {
    const mask = masks[k];
    const [r, g, b] = colors?.[k] ?? colorOf(k);
    const edge = outlineOf(mask, outline);
    for (let i = 0; i < n; i++) {
      if (!mask.data[i]) continue;
      if (edge[i]) {
        px[i * 3] = r; px[i * 3 + 1] = g; px[i * 3 + 2] = b;
      } else {
        px[i * 3] = Math.round(px[i * 3] * (1 - TINT) + r * TINT);
        px[i * 3 + 1] = Math.round(px[i * 3 + 1] * (1 - TINT) + g * TINT);
        px[i * 3 + 2] = Math.round(px[i * 3 + 2] * (1 - TINT) + b * TINT);
      }
    }
  }
  return px;
}

export async function overlayPng(image: DecodedImage, instances: readonly Instance[], masks: readonly Mask[]): Promise<Uint8Array> {
  const px = tintedPixels(image, instances, masks);
  return encodePngWithSvg({ width: image.width, height: image.height, channels: 3, data: px }, labelsSvg(instances, image.width, image.height));
}
