import { decodeRle, maskIoU, PromptsegError, type MaskPolygons } from '@promptseg/shared';
import { maskPolygons, withPolygons } from '../postprocess/polygons.js';
import { describe, expect, it } from 'vitest';
import { readRawPixels } from '../io/decode.js';
import { exportOutputs, type ExportFile } from './index.js';
import { colorOf, overlayMetrics, TINT } from './overlay.js';
import { discMask, gradientImage, rasterizePolygons, rectMask, syntheticOutcome } from './testing.js';

const W = 120, H = 80;
const cat = discMask(W, H, 40, 45, 20);
const phone = rectMask(W, H, 80, 30, 110, 70);

function byName(files: ExportFile[], name: string): ExportFile {
  const f = files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in ${files.map((x) => x.name).join(', ')}`);
  return f;
}

describe('exportOutputs', () => {
  const outcome = syntheticOutcome(gradientImage(W, H), [
    { label: 'cell phone', score: 0.71, mask: phone },
    { label: 'cat', score: 0.93, mask: cat },
  ]);

  it('names the files after the base name, instances in result order', async () => {
    const files = await exportOutputs(outcome, ['json', 'cutout', 'mask', 'overlay', 'npy'], 'photo');
    expect(files.map((f) => f.name)).toEqual([
      'photo.json', 'photo.overlay.png', 'photo.masks.npy', 'photo.cutout.png',
      'photo.cutout-1-cat.png', 'photo.mask-1-cat.png', 'photo.cutout-2-cell-phone.png', 'photo.mask-2-cell-phone.png',
    ]);
    expect(byName(files, 'photo.json').contentType).toBe('application/json');
    expect(byName(files, 'photo.overlay.png').contentType).toBe('image/png');
    const only = await exportOutputs(outcome, ['json'], 'photo');
    expect(only.map((f) => f.name)).toEqual(['photo.json']);
  });

  it('writes the result document as JSON', async () => {
    const [json] = await exportOutputs(outcome, ['json'], 'x');
    const doc = JSON.parse(new TextDecoder().decode(json.bytes));
    expect(doc).toEqual(outcome.result);
    expect(doc.instances.map((i: { label: string }) => i.label)).toEqual(['cat', 'cell phone']);
  });

  it('writes mask PNGs as single-channel 0/255 equal to the RLE', async () => {
    const files = await exportOutputs(outcome, ['mask'], 'x');
    for (const inst of outcome.result.instances) {
      const png = await readRawPixels(byName(files, `x.mask-${inst.id}-${inst.label.replace(' ', '-')}.png`).bytes);
      expect(png.channels).toBe(1);
      expect([png.width, png.height]).toEqual([W, H]);
      const fromRle = decodeRle(inst.rle).data;
      expect(png.data).toEqual(fromRle.map((v) => v * 255));
    }
  });

  it('cuts out the image pixels inside the mask on a transparent background', async () => {
    const files = await exportOutputs(outcome, ['cutout'], 'x');
    const one = await readRawPixels(byName(files, 'x.cutout-1-cat.png').bytes);
    expect(one.channels).toBe(4);
    const img = outcome.image;
    for (let i = 0; i < W * H; i++) {
      const a = one.data[i * 4 + 3];
      expect(a).toBe(cat.data[i] ? 255 : 0);
      if (a) expect([...one.data.subarray(i * 4, i * 4 + 3)]).toEqual([...img.data.subarray(i * 3, i * 3 + 3)]);
    }
    const union = await readRawPixels(byName(files, 'x.cutout.png').bytes);
    for (let i = 0; i < W * H; i++) expect(union.data[i * 4 + 3]).toBe(cat.data[i] || phone.data[i] ? 255 : 0);
  });

  it("keeps the source's transparency in cut-outs", async () => {
    const faded = syntheticOutcome(gradientImage(W, H, (x) => (x < 30 ? 0 : x < 50 ? 100 : 255)), [{ label: 'cat', score: 0.9, mask: cat }]);
    const files = await exportOutputs(faded, ['cutout'], 'x');
    const px = await readRawPixels(byName(files, 'x.cutout-1-cat.png').bytes);
    const alphaAt = (x: number, y: number) => px.data[(y * W + x) * 4 + 3];
    expect(alphaAt(25, 45)).toBe(0); // in the mask, transparent in the source
    expect(alphaAt(40, 45)).toBe(100);
    expect(alphaAt(55, 45)).toBe(255);
    expect(alphaAt(100, 10)).toBe(0); // outside the mask
  });

  it('draws tinted masks, outlines and a label tag on the overlay', async () => {
    const files = await exportOutputs(outcome, ['overlay'], 'x');
    const px = await readRawPixels(byName(files, 'x.overlay.png').bytes);
    expect([px.width, px.height, px.channels]).toEqual([W, H, 3]);
    const img = outcome.image;
    const at = (x: number, y: number) => [...px.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
    const src = (x: number, y: number) => [...img.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
    // inside the cat (instance 0): the source blended with colour 0
    const c0 = colorOf(0);
    expect(at(40, 45)).toEqual(src(40, 45).map((v, c) => Math.round(v * (1 - TINT) + c0[c] * TINT)));
    // its outline: colour 0 exactly (leftmost pixel of the disc)
    expect(at(20, 45)).toEqual([...c0]);
    // the phone's outline: colour 1 (bottom-right corner, away from its tag)
    expect(at(109, 69)).toEqual([...colorOf(1)]);
    // outside every mask and tag: unchanged
    expect(at(5, 78)).toEqual(src(5, 78));
    // the cat's tag sits above its box (top = 25): coloured background with white text in it
    const { fontSize } = overlayMetrics(W, H);
    let white = 0, tag = 0;
    for (let y = Math.max(0, 25 - fontSize - 4); y < 25; y++) for (let x = 20; x < 60; x++) {
      const [r, g, b] = at(x, y);
      if (r > 200 && g > 200 && b > 200) white++; // anti-aliased white glyphs
      if (r === c0[0] && g === c0[1] && b === c0[2]) tag++;
    }
    expect(tag).toBeGreaterThan(50);
    expect(white).toBeGreaterThan(15);
  });

  it('exports an image where nothing was found', async () => {
    const empty = syntheticOutcome(gradientImage(W, H), []);
    const files = await exportOutputs(empty, ['json', 'cutout', 'mask', 'overlay', 'npy'], 'x');
    expect(files.map((f) => f.name)).toEqual(['x.json', 'x.overlay.png', 'x.masks.npy', 'x.cutout.png']);
    const cut = await readRawPixels(byName(files, 'x.cutout.png').bytes);
    expect(cut.data.every((v) => v === 0)).toBe(true);
  });

  it('refuses an outcome whose masks do not match its instances or image', async () => {
    const bad = { ...outcome, masks: outcome.masks.slice(1) };
    await expect(exportOutputs(bad, ['json'], 'x')).rejects.toThrow(PromptsegError);
    const wrongSize = { ...outcome, masks: [rectMask(10, 10, 0, 0, 2, 2), phone] };
    await expect(exportOutputs(wrongSize, ['mask'], 'x')).rejects.toThrow(/10x10 but the image is 120x80/);
  });
});

describe('GeoJSON and polygons', () => {
  const outcome = syntheticOutcome(gradientImage(W, H), [
    { label: 'cell phone', score: 0.71, mask: phone },
    { label: 'cat', score: 0.93, mask: cat },
  ]);

  it('writes one Feature per instance with label and score, its MultiPolygon rasterising back to the mask', async () => {
    const [file] = await exportOutputs(outcome, ['geojson'], 'photo');
    expect([file.name, file.contentType]).toEqual(['photo.geojson', 'application/geo+json']);
    const doc = JSON.parse(new TextDecoder().decode(file.bytes));
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features.map((f: { id: number; properties: { label: string } }) => [f.id, f.properties.label])).toEqual([[1, 'cat'], [2, 'cell phone']]);
    doc.features.forEach((f: { geometry: { type: string; coordinates: MaskPolygons }; properties: { score: number } }, i: number) => {
      expect(f.geometry.type).toBe('MultiPolygon');
      expect(f.properties.score).toBe(outcome.result.instances[i].score);
      expect(maskIoU(rasterizePolygons(f.geometry.coordinates, W, H), outcome.masks[i])).toBeGreaterThanOrEqual(0.97);
    });
  });

  it('uses the polygons already in the result (--polygons) and the tolerance given', async () => {
    const withP = { ...outcome, result: withPolygons(outcome.result, outcome.masks, 0) };
    expect(withP.result.instances[0].polygons).toEqual(maskPolygons(cat, 0));
    const [a] = await exportOutputs(withP, ['geojson'], 'x');
    expect(JSON.parse(new TextDecoder().decode(a.bytes)).features[0].geometry.coordinates).toEqual(maskPolygons(cat, 0));
    const [coarse] = await exportOutputs(outcome, ['geojson'], 'x', { tolerance: 3 });
    const n = (f: ExportFile) => JSON.stringify(JSON.parse(new TextDecoder().decode(f.bytes)).features[0].geometry.coordinates).length;
    expect(n(coarse)).toBeLessThan(n(a));
  });
});
