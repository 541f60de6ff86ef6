/**
 * Views of one image for the COCO detector: the square detector input (512 x 512) made from the
 * whole image, a zoomed-out copy of it, or a tile of it. A view is one affine map between the
 * original image's pixels and the input's (input = original * scale + offset), so detections of
 * every pass come back in original pixels through the same two lines.
 *
 * Why several views: CenterNet was trained on COCO at 512 px, where objects rarely fill the
 * picture and are rarely under ~16 input pixels. An object that fills the frame (a close-up
 * apple, a dog's face) scores 0.1-0.2 at full scale and 0.4-0.5 once the image is shrunk to half
 * the input with a grey border around it; a ball 50 px wide in a 550 px photo scores 0.40 at
 * full scale and 0.65 in a tile at 1.6x. Each view is trusted only for the object sizes it is
 * good at (see detector.ts), as in SNIP (Singh & Davis, CVPR 2018: train and test each scale of
 * an image pyramid only on objects of the sizes that scale sees well).
 */
import { resizeRgb } from '../../io/decode.js';
import type { RgbImage } from '../../io/image.js';
import type { BoxXYXY } from './geometry.js';

export type PassName = 'full' | 'zoom-out' | 'tile';

export interface View {
  pass: PassName;
  /** The part of the original image shown, x0, y0, x1, y1 (the whole image except for tiles). */
  region: BoxXYXY;
  /** Original pixels -> input pixels: input = original * scale + offset. */
  scale: number;
  offsetX: number;
  offsetY: number;
  /** Input side (square). */
  size: number;
  /** Grey (0-255) around the region; the full view pads with black like before (measured). */
  fill: number;
}

/** The whole image letterboxed (aspect kept) at the top-left, black padding: the plain pass. */
export function fullView(width: number, height: number, size: number): View {
  const scale = size / Math.max(width, height);
  return { pass: 'full', region: [0, 0, width, height], scale, offsetX: 0, offsetY: 0, size, fill: 0 };
}

/**
 * The whole image shrunk to `share` of the input's side (longest side), centred on grey: a
 * frame-filling object becomes an object of ordinary size. The issue that asked for this pass
 * measured grey #727272 padding of half the longest side on each side (share 0.5).
 */
export function zoomOutView(width: number, height: number, size: number, share: number, fill: number): View {
  const scale = (size * share) / Math.max(width, height);
  return {
    pass: 'zoom-out',
    region: [0, 0, width, height],
    scale,
    offsetX: (size - width * scale) / 2,
    offsetY: (size - height * scale) / 2,
    size,
    fill,
  };
}

/**
 * A grid of n x n overlapping tiles (each `overlap` of its side shared with its neighbour), each
 * letterboxed into the input: small objects are seen at up to n times the full pass's scale.
 */
export function tileViews(width: number, height: number, size: number, n: number, overlap: number): View[] {
  const tw = Math.min(width, Math.ceil(width / (n - (n - 1) * overlap)));
  const th = Math.min(height, Math.ceil(height / (n - (n - 1) * overlap)));
  const views: View[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x0 = n === 1 ? 0 : Math.round(((width - tw) * i) / (n - 1));
      const y0 = n === 1 ? 0 : Math.round(((height - th) * j) / (n - 1));
      const scale = size / Math.max(tw, th);
      views.push({ pass: 'tile', region: [x0, y0, x0 + tw, y0 + th], scale, offsetX: -x0 * scale, offsetY: -y0 * scale, size, fill: 0 });
    }
  }
  return views;
}

/** A box in input pixels -> original pixels. */
export function toOriginal(view: View, box: Readonly<BoxXYXY>): BoxXYXY {
  const { scale: s, offsetX: ox, offsetY: oy } = view;
  return [(box[0] - ox) / s, (box[1] - oy) / s, (box[2] - ox) / s, (box[3] - oy) / s];
}

/** The view's input pixels: size * size * 3 RGB bytes. */
export async function renderView(image: RgbImage, view: View): Promise<Uint8Array> {
  const [x0, y0, x1, y1] = view.region;
  const S = view.size;
  const w = Math.max(1, Math.round((x1 - x0) * view.scale)), h = Math.max(1, Math.round((y1 - y0) * view.scale));
  const region = x0 === 0 && y0 === 0 && x1 === image.width && y1 === image.height ? image : cropRgb(image, x0, y0, x1 - x0, y1 - y0);
  const resized = await resizeRgb(region, w, h, 'fill');
  const out = new Uint8Array(S * S * 3).fill(view.fill);
  const left = Math.round(view.offsetX + x0 * view.scale), top = Math.round(view.offsetY + y0 * view.scale);
  for (let y = 0; y < h; y++) {
    const ty = top + y;
    if (ty < 0 || ty >= S) continue;
    const from = Math.max(0, -left), to = Math.min(w, S - left);
    if (to <= from) continue;
    out.set(resized.data.subarray((y * w + from) * 3, (y * w + to) * 3), (ty * S + left + from) * 3);
  }
  return out;
}

function cropRgb(image: RgbImage, x0: number, y0: number, w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(src, src + w * 3), y * w * 3);
  }
  return { width: w, height: h, data };
}
