/**
 * Generated cases, made by code from the photos and their reference masks, deterministic
 * (seeded by the case id) and built in memory at run time (nothing generated is committed):
 *
 * - crop: a photo cropped around one reference object so that its bounding box spans 70–95 % of
 *   the crop's width and of its height (the crop has the box's aspect; where the photo is too
 *   small on one axis the crop takes the whole axis and the fill there is what it is — printed).
 *   The references of that case are cropped the same way.
 * - composite: the object cut out with its reference mask (or a stamp with its alpha), scaled so
 *   its longest side is 20–40 px, pasted on a background photo that has no object of that class
 *   (the photo's `contains` list, checked by eye); the pasted mask is the reference.
 * - ordinary: a stamp at its own size (110–240 px) pasted on a background photo.
 * - product: a stamp filling 70–95 % (box span, as for crops) of a plain light backdrop.
 * - background: each background photo used above, alone, prompted with the pasted class: a
 *   negative (the class is absent).
 */
import { createHash } from 'node:crypto';
import { maskBox, type Mask } from '@promptseg/shared';
import { decodeImage, encodeImage, resizePixels, type DecodedImage, type RawPixels } from '@promptseg/model';
import { PHOTOS_DIR, refId, type CaseFile, type CaseKind, type Category, type RefStore } from './cases.ts';
import { readPhoto, referenceMasks } from './refs.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One case as the evaluator runs it: image bytes + prompt + reference masks. */
export interface EvalCase {
  id: string;
  kind: CaseKind;
  category: Category;
  prompt: string;
  complete: boolean;
  /** Where it comes from, for the report (photo, crop window, size, background). */
  origin: string;
  /** The image file (PNG for generated cases: lossless, so pixels and references line up). */
  bytes: Uint8Array;
  refs: Mask[];
  refIds: string[];
}

export const FILL_RANGE = [0.7, 0.95] as const;
export const SMALL_RANGE = [20, 40] as const;

/** mulberry32, seeded from the case id: the same case always gets the same numbers. */
export function rng(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (r: () => number, lo: number, hi: number) => lo + (hi - lo) * r();

/** An RGB(A) image cut-out: pixels of the object's box with the mask (0/255) as alpha. */
interface Cutout {
  rgba: RawPixels;
}

function cutoutFrom(image: DecodedImage, mask: Mask): Cutout {
  const [bx, by, bw, bh] = maskBox(mask);
  const data = new Uint8Array(bw * bh * 4);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) {
    const s = (by + y) * image.width + bx + x, d = (y * bw + x) * 4;
    data[d] = image.data[s * 3]; data[d + 1] = image.data[s * 3 + 1]; data[d + 2] = image.data[s * 3 + 2];
    data[d + 3] = mask.data[s] ? 255 : 0;
  }
  return { rgba: { width: bw, height: bh, channels: 4, data } };
}

/** A stamp (PNG with alpha) as a cut-out trimmed to its opaque pixels. */
async function stampCutout(file: string): Promise<Cutout> {
  const img = await decodeImage(new Uint8Array(readFileSync(join(PHOTOS_DIR, 'stamps', file))));
  if (!img.alpha) throw new Error(`stamp ${file} has no alpha channel`);
  const mask: Mask = { width: img.width, height: img.height, data: img.alpha.map((a) => (a >= 128 ? 1 : 0)) };
  const cut = cutoutFrom(img, mask);
  // keep the stamp's soft edge as alpha (the reference is alpha >= 128)
  const [bx, by, bw, bh] = maskBox(mask);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) cut.rgba.data[(y * bw + x) * 4 + 3] = img.alpha[(by + y) * img.width + bx + x];
  return cut;
}

async function scaleCutout(c: Cutout, longest: number): Promise<Cutout> {
  const k = longest / Math.max(c.rgba.width, c.rgba.height);
  const w = Math.max(1, Math.round(c.rgba.width * k)), h = Math.max(1, Math.round(c.rgba.height * k));
  return { rgba: await resizePixels(c.rgba, w, h) };
}

/** Pastes a cut-out on RGB pixels at (x, y); returns the composite and the pasted mask (alpha >= 128). */
function paste(bg: RawPixels, c: Cutout, x0: number, y0: number): { image: RawPixels; mask: Mask } {
  const out = new Uint8Array(bg.data);
  const mask: Mask = { width: bg.width, height: bg.height, data: new Uint8Array(bg.width * bg.height) };
  const { width: w, height: h, data } = c.rgba;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const X = x0 + x, Y = y0 + y;
    if (X < 0 || Y < 0 || X >= bg.width || Y >= bg.height) continue;
    const a = data[(y * w + x) * 4 + 3] / 255;
    if (a === 0) continue;
    const d = (Y * bg.width + X) * 3;
    for (let k = 0; k < 3; k++) out[d + k] = Math.round(out[d + k] * (1 - a) + data[(y * w + x) * 4 + k] * a);
    if (a >= 0.5) mask.data[Y * bg.width + X] = 1;
  }
  return { image: { width: bg.width, height: bg.height, channels: 3, data: out }, mask };
}

function cropPixels(img: RawPixels, x0: number, y0: number, w: number, h: number): RawPixels {
  const ch = img.channels;
  const data = new Uint8Array(w * h * ch);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(((y0 + y) * img.width + x0) * ch, ((y0 + y) * img.width + x0 + w) * ch), y * w * ch);
  return { width: w, height: h, channels: ch, data };
}

function cropMask(m: Mask, x0: number, y0: number, w: number, h: number): Mask {
  const c = cropPixels({ width: m.width, height: m.height, channels: 1, data: m.data }, x0, y0, w, h);
  return { width: w, height: h, data: c.data };
}

const png = (img: RawPixels) => encodeImage(img, 'png').then((b) => new Uint8Array(b));
const rgbOf = (img: DecodedImage): RawPixels => ({ width: img.width, height: img.height, channels: 3, data: img.data });

/** A crop window along one axis: span / fill long, containing [lo, lo + span), inside [0, size). */
function window1d(r: () => number, lo: number, span: number, fill: number, size: number): [number, number] {
  const len = Math.min(size, Math.max(span, Math.round(span / fill)));
  const slack = len - span;
  const start = Math.round(Math.min(size - len, Math.max(0, lo - slack * between(r, 0.25, 0.75))));
  return [start, len];
}

export interface Sources {
  cases: CaseFile;
  store: RefStore;
  onStale: (id: string) => void;
}

/** Photo cases (hand-annotated), as the evaluator runs them. */
export async function photoCases(src: Sources): Promise<EvalCase[]> {
  const out: EvalCase[] = [];
  for (const c of src.cases.cases) {
    const refs = await referenceMasks(c.id, c.photo, c.objects, src.store, src.onStale);
    out.push({ id: c.id, kind: 'photo', category: c.category, prompt: c.prompt, complete: c.complete, origin: c.photo, bytes: readPhoto(c.photo), refs, refIds: c.objects.map((_, i) => refId(c.id, i)) });
  }
  return out;
}

/** Every generated case of the case file, in a fixed order. */
export async function generatedCases(src: Sources, photo: EvalCase[]): Promise<EvalCase[]> {
  const { cases } = src;
  const byId = new Map(photo.map((c) => [c.id, c]));
  const decoded = new Map<string, DecodedImage>();
  const image = async (file: string) => {
    let d = decoded.get(file);
    if (!d) decoded.set(file, (d = await decodeImage(readPhoto(file))));
    return d;
  };
  const objectOf = (ref: string) => {
    const [caseId, idx] = ref.split('#');
    const c = byId.get(caseId);
    const spec = cases.cases.find((x) => x.id === caseId);
    if (!c || !spec || c.refs[Number(idx)] === undefined) throw new Error(`generated case refers to unknown object ${ref}`);
    return { c, spec, index: Number(idx) };
  };
  const out: EvalCase[] = [];

  for (const ref of cases.generated.crops) {
    const { c, spec, index } = objectOf(ref);
    const id = `crop:${ref.replace('#', '-')}`;
    const r = rng(id);
    const img = await image(spec.photo);
    const [bx, by, bw, bh] = maskBox(c.refs[index]);
    const fill = between(r, FILL_RANGE[0], FILL_RANGE[1]);
    const [x0, w] = window1d(r, bx, bw, fill, img.width);
    const [y0, h] = window1d(r, by, bh, fill, img.height);
    const refs = c.refs.map((m) => cropMask(m, x0, y0, w, h));
    const keep = refs.map((m) => m.data.some((v) => v));
    out.push({
      id, kind: 'crop', category: 'frame-filling', prompt: c.prompt, complete: c.complete,
      origin: `${spec.photo} [${x0},${y0},${w},${h}] box fills ${Math.round((100 * bw) / w)}% x ${Math.round((100 * bh) / h)}%`,
      bytes: await png(cropPixels(rgbOf(img), x0, y0, w, h)),
      refs: refs.filter((_, i) => keep[i]), refIds: c.refIds.filter((_, i) => keep[i]),
    });
  }

  const backgroundsUsed: { photo: string; prompt: string }[] = [];
  const checkBackground = (photoFile: string, prompt: string, what: string) => {
    const p = cases.photos[photoFile];
    if (!p) throw new Error(`${what}: unknown background ${photoFile}`);
    if (p.contains.includes(prompt)) throw new Error(`${what}: background ${photoFile} contains "${prompt}"`);
    if (!backgroundsUsed.some((b) => b.photo === photoFile && b.prompt === prompt)) backgroundsUsed.push({ photo: photoFile, prompt });
  };
  const cutoutOf = async (object: string): Promise<{ cut: Cutout; name: string }> => {
    if (object.startsWith('stamp:')) return { cut: await stampCutout(object.slice(6)), name: object.slice(6).replace(/\.png$/, '') };
    const { c, spec, index } = objectOf(object);
    return { cut: cutoutFrom(await image(spec.photo), c.refs[index]), name: object.replace('#', '-') };
  };
  /** Pastes at a seeded place that keeps the object inside the frame, away from the border. */
  const composite = async (id: string, bgFile: string, cut: Cutout, r: () => number) => {
    const bg = await image(bgFile);
    const { width: w, height: h } = cut.rgba;
    // inside the photo's paste area (ground, table, sky: not on top of its own objects)
    const [ax, ay, aw, ah] = cases.photos[bgFile].pasteArea ?? [0, 0, bg.width, bg.height];
    const x = Math.min(bg.width - w, Math.round(ax + between(r, 0.1, 0.9) * Math.max(0, aw - w)));
    const y = Math.min(bg.height - h, Math.round(ay + between(r, 0.1, 0.9) * Math.max(0, ah - h)));
    const { image: px, mask } = paste(rgbOf(bg), cut, x, y);
    return { bytes: await png(px), mask, at: `${x},${y}` };
  };

  for (const spec of cases.generated.composites) {
    const { cut, name } = await cutoutOf(spec.object);
    for (const bgFile of spec.backgrounds) {
      const id = `small:${name}@${bgFile.replace(/\.\w+$/, '')}`;
      checkBackground(bgFile, spec.prompt, id);
      const r = rng(id);
      const longest = Math.round(between(r, SMALL_RANGE[0], SMALL_RANGE[1]));
      const small = await scaleCutout(cut, longest);
      const { bytes, mask, at } = await composite(id, bgFile, small, r);
      out.push({ id, kind: 'composite', category: 'small', prompt: spec.prompt, complete: true, origin: `${spec.object} at ${longest}px on ${bgFile} (${at})`, bytes, refs: [mask], refIds: [id] });
    }
  }

  for (const spec of cases.generated.ordinary) {
    const stamp = cases.stamps[spec.stamp];
    if (!stamp) throw new Error(`unknown stamp ${spec.stamp}`);
    const { cut, name } = await cutoutOf(`stamp:${spec.stamp}`);
    for (const bgFile of spec.backgrounds) {
      const id = `stamp:${name}@${bgFile.replace(/\.\w+$/, '')}`;
      checkBackground(bgFile, stamp.class, id);
      const { bytes, mask, at } = await composite(id, bgFile, cut, rng(id));
      out.push({ id, kind: 'composite', category: stamp.class === 'person' ? 'limbs' : 'ordinary', prompt: stamp.class, complete: true, origin: `stamp ${spec.stamp} (${cut.rgba.width}x${cut.rgba.height}) on ${bgFile} (${at})`, bytes, refs: [mask], refIds: [id] });
    }
  }

  for (const file of cases.generated.products) {
    const stamp = cases.stamps[file];
    if (!stamp) throw new Error(`unknown stamp ${file}`);
    const { cut, name } = await cutoutOf(`stamp:${file}`);
    const id = `product:${name}`;
    const r = rng(id);
    const fill = between(r, FILL_RANGE[0], FILL_RANGE[1]);
    const { width: w, height: h } = cut.rgba;
    const W = Math.round(w / fill), H = Math.round(h / fill);
    const shade = Math.round(between(r, 225, 250));
    const backdrop: RawPixels = { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3).fill(shade) };
    const x = Math.round(between(r, 0.3, 0.7) * (W - w)), y = Math.round(between(r, 0.3, 0.7) * (H - h));
    const { image: px, mask } = paste(backdrop, cut, x, y);
    out.push({ id, kind: 'product', category: 'frame-filling', prompt: stamp.class, complete: true, origin: `stamp ${file} on a plain ${W}x${H} backdrop, box fills ${Math.round((100 * w) / W)}% x ${Math.round((100 * h) / H)}%`, bytes: await png(px), refs: [mask], refIds: [id] });
  }

  const handNegatives = new Set(cases.cases.filter((c) => c.category === 'negative').map((c) => `${c.photo}|${c.prompt}`));
  for (const b of backgroundsUsed) {
    if (handNegatives.has(`${b.photo}|${b.prompt}`)) continue;
    const id = `absent:${b.prompt.replace(/ /g, '-')}@${b.photo.replace(/\.\w+$/, '')}`;
    out.push({ id, kind: 'background', category: 'negative', prompt: b.prompt, complete: true, origin: `${b.photo} (a background of the composites; no ${b.prompt} in it)`, bytes: readPhoto(b.photo), refs: [], refIds: [] });
  }
  return out;
}
