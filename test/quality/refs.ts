/**
 * Reference masks: each photo-case object is cut by the project's own SAM decoder from its
 * hand-placed prompt, through the public API (segment() with options.boxes / options.points),
 * and stored as COCO RLE in refs.json, so an evaluation does not rebuild them. An overlay PNG per
 * reference (mask tinted, prompt box and clicks drawn) goes to test-artifacts/quality/refs/:
 * references are checked by eye there.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRle, encodeRle, type Mask } from '@promptseg/shared';
import { decodeImage, encodePngWithSvg, segment, type DecodedImage } from '@promptseg/model';
import type { EvalCase } from './generate.ts';
import { ARTIFACTS_DIR, PHOTOS_DIR, promptKey, REF_REFINE, REFS_FILE, refId, type CaseFile, type ObjectSpec, type RefStore } from './cases.ts';

export function readPhoto(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(PHOTOS_DIR, file)));
}

/** The SAM prompt of one reference object -> its mask (the decoder's single output for that prompt). */
export async function cutReference(photo: Uint8Array, spec: ObjectSpec): Promise<{ mask: Mask; quality: number; image: DecodedImage }> {
  if (spec.union?.length) {
    const parts = [];
    for (const part of spec.union) parts.push(await cutReference(photo, part));
    const mask: Mask = { width: parts[0].mask.width, height: parts[0].mask.height, data: new Uint8Array(parts[0].mask.data.length) };
    for (const p of parts) for (let i = 0; i < mask.data.length; i++) if (p.mask.data[i]) mask.data[i] = 1;
    return { mask, quality: Math.min(...parts.map((p) => p.quality)), image: parts[0].image };
  }
  const refine = spec.refine ?? REF_REFINE;
  if (!spec.box && !spec.points?.length) throw new Error('a reference object needs a box, points or a union of parts');
  const points = (spec.points ?? []).map(([x, y, p]) => ({ x, y, positive: p === 1 }));
  const out = points.length
    ? await segment(photo, '', { engine: 'lite', refine, points: { ...(spec.box ? { box: spec.box } : {}), points } })
    : await segment(photo, '', { engine: 'lite', refine, boxes: [{ box: spec.box! }] });
  if (out.masks.length !== 1) throw new Error(`expected one mask for a reference prompt, got ${out.masks.length}`);
  return { mask: out.masks[0], quality: out.result.instances[0].score, image: out.image };
}

/** Builds (or rebuilds) every photo-case reference; returns the store and writes refs.json + overlays. */
export async function buildReferences(cases: CaseFile, opts: { filter?: string; log?: (s: string) => void } = {}): Promise<RefStore> {
  const log = opts.log ?? console.log;
  const store: RefStore = {};
  // keep what is not rebuilt (a --filter run rebuilds only the matching cases)
  try {
    Object.assign(store, JSON.parse(readFileSync(REFS_FILE, 'utf8')) as RefStore);
  } catch { /* first build */ }
  const dir = join(ARTIFACTS_DIR, 'refs');
  mkdirSync(dir, { recursive: true });
  const live = new Set<string>();
  for (const c of cases.cases) {
    for (let i = 0; i < c.objects.length; i++) live.add(refId(c.id, i));
    if (opts.filter && !c.id.includes(opts.filter)) continue;
    const photo = readPhoto(c.photo);
    for (let i = 0; i < c.objects.length; i++) {
      const spec = c.objects[i];
      const { mask, quality, image } = await cutReference(photo, spec);
      const id = refId(c.id, i);
      store[id] = { key: promptKey(photo, spec), rle: encodeRle(mask), quality };
      const file = join(dir, `${id.replace('#', '-')}.png`);
      writeFileSync(file, await referenceOverlay(image, mask, spec));
      log(`  ${id.padEnd(28)} ${c.prompt.padEnd(14)} area ${String(mask.data.reduce((a, v) => a + (v ? 1 : 0), 0)).padStart(7)} px  quality ${quality.toFixed(2)}  -> ${file}`);
    }
  }
  for (const id of Object.keys(store)) if (!live.has(id)) delete store[id];
  const sorted: RefStore = {};
  for (const id of Object.keys(store).sort()) sorted[id] = store[id];
  writeFileSync(REFS_FILE, JSON.stringify(sorted, null, 0).replace(/\},"/g, '},\n"') + '\n');
  return sorted;
}

/**
 * The reference masks of a photo case, from refs.json; a reference whose prompt (or photo)
 * changed since it was built is cut again here (and reported), so the evaluation never
 * compares against a stale mask.
 */
export async function referenceMasks(caseId: string, photoFile: string, objects: ObjectSpec[], store: RefStore, onStale: (id: string) => void): Promise<Mask[]> {
  const photo = readPhoto(photoFile);
  const masks: Mask[] = [];
  for (let i = 0; i < objects.length; i++) {
    const id = refId(caseId, i);
    const got = store[id];
    if (got && got.key === promptKey(photo, objects[i])) {
      masks.push(decodeRle(got.rle));
    } else {
      onStale(id);
      masks.push((await cutReference(photo, objects[i])).mask);
    }
  }
  return masks;
}

/** The photo with the mask tinted, its outline, the prompt box (dashed) and clicks (green +, red −). */
export async function referenceOverlay(image: DecodedImage, mask: Mask, spec: ObjectSpec): Promise<Uint8Array> {
  const { width: w, height: h } = image;
  const px = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const on = mask.data[i] !== 0;
    const edge = on && (i % w === 0 || i % w === w - 1 || !mask.data[i - 1] || !mask.data[i + 1] || !mask.data[i - w] || !mask.data[i + w]);
    for (let c = 0; c < 3; c++) {
      const v = image.data[i * 3 + c];
      const tint = [255, 0, 255][c];
      px[i * 3 + c] = edge ? tint : on ? Math.round(v * 0.55 + tint * 0.45) : Math.round(v * 0.7);
    }
  }
  const parts: string[] = [];
  for (const s of spec.union ?? [spec]) {
    if (s.box) {
      const [x, y, bw, bh] = s.box;
      parts.push(`<rect x="${x}" y="${y}" width="${bw}" height="${bh}" fill="none" stroke="#00e5ff" stroke-width="2" stroke-dasharray="6,4"/>`);
    }
    for (const [x, y, p] of s.points ?? []) {
      parts.push(`<circle cx="${x}" cy="${y}" r="6" fill="${p ? '#00c853' : '#ff1744'}" stroke="#fff" stroke-width="2"/>`);
    }
  }
  return encodePngWithSvg({ width: w, height: h, channels: 3, data: px }, `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join('')}</svg>`);
}

/** Overlays of generated cases (every reference mask tinted) in test-artifacts/quality/generated/. */
export async function writeGeneratedOverlays(cases: EvalCase[]): Promise<number> {
  const dir = join(ARTIFACTS_DIR, 'generated');
  mkdirSync(dir, { recursive: true });
  for (const c of cases) {
    const image = await decodeImage(c.bytes);
    const union: Mask = { width: image.width, height: image.height, data: new Uint8Array(image.width * image.height) };
    for (const r of c.refs) for (let i = 0; i < union.data.length; i++) if (r.data[i]) union.data[i] = 1;
    writeFileSync(join(dir, `${c.id.replace(/[^\w.@-]+/g, '_')}.png`), await referenceOverlay(image, union, {}));
  }
  return cases.length;
}
