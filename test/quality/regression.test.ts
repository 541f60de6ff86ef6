/**
 * Regression guard from the quality benchmark (npm run eval:quality): a few of its photo cases,
 * run as a user would (segment() on lite, default options), so quality cannot drop unnoticed.
 * Frame-filling close-ups must be found (IoU >= 0.5 with the hand-made reference), negatives
 * must stay empty, an ordinary photo must stay found. References come from refs.json, built from
 * the prompts in cases.json (`npm run eval:quality -- --build-refs`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRle, SegmentOptionsSchema } from '@promptseg/shared';
import { segment } from '@promptseg/model';
import { loadCases, loadRefs, PHOTOS_DIR, promptKey, refId, type PhotoCase } from './cases.ts';
import { readPhoto } from './refs.ts';
import { matchCase, MATCH_IOU } from './score.ts';

const cases = loadCases();
const refs = loadRefs();
const threshold = SegmentOptionsSchema.parse({}).threshold;
const byId = (id: string): PhotoCase => {
  const c = cases.cases.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id} in cases.json`);
  return c;
};

/** The case through segment() at the default threshold, matched to its references. */
async function run(c: PhotoCase) {
  const photo = readPhoto(c.photo);
  const masks = c.objects.map((o, i) => {
    const stored = refs[refId(c.id, i)];
    // a prompt edited without rebuilding refs.json would be checked against an old mask
    expect(stored?.key, `refs.json is stale for ${refId(c.id, i)}: run npm run eval:quality -- --build-refs`).toBe(promptKey(photo, o));
    return decodeRle(stored.rle);
  });
  const out = await segment(photo, c.prompt, { engine: 'lite' });
  const found = out.result.instances.map((inst, i) => ({ score: inst.score, mask: out.masks[i] }));
  const m = matchCase(found, masks, c.complete, threshold);
  const summary = out.result.instances.map((i) => `${i.label} ${i.score}`).join(', ') || 'nothing';
  return { ...m, summary };
}

describe('quality benchmark regression guard (lite, default options)', () => {
  // plant-closeup (leaves + pot filling the frame) is still missed by the multi-scale lite engine
  // (best IoU 0.27: the pot or a leaf clump alone); it stays in the benchmark's frame-filling row,
  // and joins this list once it is found.
  it.each(['apple-closeup', 'orange-closeup', 'dog-face'])('finds the frame-filling object of %s', async (id) => {
    const c = byId(id);
    const { matchedIoU, summary } = await run(c);
    expect(matchedIoU[0] ?? 0, `"${c.prompt}" on ${c.photo}: got ${summary}`).toBeGreaterThanOrEqual(MATCH_IOU);
  });

  it.each(['neg-dog-on-monkey', 'neg-airplane-birds', 'neg-person-garage'])('returns no instance for the absent class of %s', async (id) => {
    const c = byId(id);
    const { instances, summary } = await run(c);
    expect(instances.length, `"${c.prompt}" on ${c.photo}: got ${summary}`).toBe(0);
  });

  it('still finds the motorcycle of an ordinary photo, with a close mask', async () => {
    const c = byId('motorcycle');
    const { matchedIoU, instances, summary } = await run(c);
    expect(matchedIoU[0] ?? 0, summary).toBeGreaterThanOrEqual(0.8);
    expect(instances.filter((i) => i.correct === false), summary).toEqual([]);
  });

  it('has the source and licence of every committed photo recorded (cases.json and ATTRIBUTION.md)', () => {
    const attribution = readFileSync(join(PHOTOS_DIR, 'ATTRIBUTION.md'), 'utf8');
    const images = (dir: string) => readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
    expect(images(PHOTOS_DIR)).toEqual(Object.keys(cases.photos).sort());
    expect(images(join(PHOTOS_DIR, 'stamps'))).toEqual(Object.keys(cases.stamps).sort());
    for (const [file, src] of [...Object.entries(cases.photos), ...Object.entries(cases.stamps).map(([f, s]) => [`stamps/${f}`, s] as const)]) {
      expect(src.license && src.package && src.path, file).toBeTruthy();
      expect(attribution, `${file} is not in ATTRIBUTION.md`).toContain(`\`${file}\``);
    }
    for (const c of cases.cases) expect(cases.photos[c.photo], `${c.id}: photo ${c.photo} has no source entry`).toBeDefined();
  });
});
