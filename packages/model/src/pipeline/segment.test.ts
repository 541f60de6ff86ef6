/**
 * segment() end to end with the real lite models on the sample images. One process, one set of
 * sessions for the whole file; each image is encoded once and re-prompted from the cache.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRle, maskIoU, PromptsegError, type Mask } from '@promptseg/shared';
import { decodeImage } from '../io/decode.js';
import type { DecodedImage } from '../io/image.js';
import { embeddingCacheStats, segment, warmup } from './segment.js';

const SAMPLES = fileURLToPath(new URL('../../../../web/public/samples/', import.meta.url));
const load = async (name: string) => decodeImage(await readFile(SAMPLES + name));

/** The image twice side by side; the right copy with red and blue swapped (an orange suit turns blue). */
function twins(img: DecodedImage): DecodedImage {
  const W = img.width * 2, H = img.height;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + x) * 3, l = (y * W + x) * 3, r = (y * W + x + img.width) * 3;
      data.set(img.data.subarray(s, s + 3), l);
      data[r] = img.data[s + 2];
      data[r + 1] = img.data[s + 1];
      data[r + 2] = img.data[s];
    }
  }
  return { width: W, height: H, data, format: 'raw', hash: createHash('sha256').update(data).digest('hex') };
}

const cx = (box: [number, number, number, number]) => box[0] + box[2] / 2;

/** astronaut.png: x < 60, y < 250 is only flag (beside her); how many mask pixels fall there. */
const FLAG_PATCH = { w: 60, h: 250 };
function flagPixels(mask: Mask): number {
  let n = 0;
  for (let y = 0; y < FLAG_PATCH.h; y++) for (let x = 0; x < FLAG_PATCH.w; x++) n += mask.data[y * mask.width + x];
  return n;
}

describe('segment() with the lite engine', () => {
  beforeAll(async () => {
    const w = await warmup('lite');
    expect(w.engine).toBe('lite');
  });

  it('astronaut: "person" is the top instance, and the RLE is the mask', async () => {
    const { result, masks, image } = await segment(await readFile(SAMPLES + 'astronaut.png'), 'person', { path: 'astronaut.png' });
    expect(result.image).toEqual({ path: 'astronaut.png', width: 512, height: 512 });
    expect(result.engine).toBe('lite');
    expect(result.engine_reason).toMatch(/lite/);
    expect(result.concepts).toEqual([{ text: 'person', status: 'ok', label: 'person' }]);
    const top = result.instances[0];
    expect(top).toMatchObject({ id: 1, label: 'person', concept: 'person' });
    expect(top.score).toBeGreaterThanOrEqual(0.5);
    // She fills the left two thirds of the frame, head to bottom edge.
    expect(top.box[0]).toBeLessThan(40);
    expect(top.box[1]).toBeLessThan(40);
    expect(top.box[2]).toBeGreaterThan(280);
    expect(top.area).toBeGreaterThan(0.3 * 512 * 512);
    expect(decodeRle(top.rle).data).toEqual(masks[0].data);
    // The flag beside her (x < 60, y < 250: only flag there) stays out of the mask (a box prompt
    // alone took in 79 % of that patch); her hair, face, suit and the glove at the bottom are in.
    expect(flagPixels(masks[0]) / (FLAG_PATCH.w * FLAG_PATCH.h)).toBeLessThan(0.05);
    for (const [x, y] of [[220, 40], [222, 123], [200, 420], [150, 495]]) expect(masks[0].data[y * 512 + x], `${x},${y}`).toBe(1);
    expect(top.why?.formula).toMatch(/detector.*mask quality/);
    for (const k of ['decode', 'encode', 'detect', 'decode_masks', 'postprocess', 'total']) expect(result.timings_ms[k]).toBeGreaterThanOrEqual(0);
    expect(image.hash).toHaveLength(64);
    expect(result.cache?.embedding).toBe('miss');
  });

  it('re-prompting the same image reuses the cached embedding (the encoder does not run)', async () => {
    const before = embeddingCacheStats();
    const { result } = await segment(await readFile(SAMPLES + 'astronaut.png'), 'face, hair, person');
    const after = embeddingCacheStats();
    expect(after.misses).toBe(before.misses);
    expect(after.hits).toBe(before.hits + 1);
    expect(result.cache?.embedding).toBe('hit');
    expect(result.timings_ms.encode).toBe(0);
    // a multi-concept prompt: one instance per concept, each labelled
    expect(result.concepts.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    const byConcept = new Map(result.instances.map((i) => [i.concept, i]));
    expect(byConcept.get('person')?.label).toBe('person');
    const face = byConcept.get('face'), hair = byConcept.get('hair');
    expect(face?.label).toBe('face');
    expect(hair?.label).toBe('hair');
    // the face sits under the hair, both in the upper part of the person
    expect(face!.box[1]).toBeGreaterThan(hair!.box[1]);
    expect(face!.box[1] + face!.box[3]).toBeLessThan(260);
  });

  it('coffee: "cup"', async () => {
    const { result } = await segment(await readFile(SAMPLES + 'coffee.png'), 'a cup');
    expect(result.instances[0]).toMatchObject({ label: 'cup', concept: 'a cup' });
    const [x, y, w, h] = result.instances[0].box;
    expect(x).toBeGreaterThan(120);
    expect(x + w).toBeLessThan(440);
    expect(y + h).toBeLessThan(330);
  });

  it('coffee: the dark-red cup is a "red cup" as well as a "brown cup"', async () => {
    const bytes = await readFile(SAMPLES + 'coffee.png');
    const cup = (await segment(bytes, 'cup')).result.instances[0];
    for (const prompt of ['red cup', 'brown cup', 'dark red cup']) {
      const { result } = await segment(bytes, prompt);
      expect(result.instances, prompt).toHaveLength(1);
      expect(result.instances[0]).toMatchObject({ label: 'cup', box: cup.box });
      expect(result.instances[0].score, prompt).toBeGreaterThanOrEqual(0.5);
    }
    // (its white inside, 16 % of the mask, also passes "white cup": a two-tone cup)
    for (const prompt of ['blue cup', 'green cup', 'yellow cup']) expect((await segment(bytes, prompt)).result.instances, prompt).toHaveLength(0);
  });

  it('chelsea: the tabby is a "cat" (and not a "dog")', async () => {
    const img = await load('chelsea.png');
    const cat = await segment(img, 'cat');
    expect(cat.result.instances).toHaveLength(1);
    expect(cat.result.instances[0].label).toBe('cat');
    expect(cat.result.instances[0].area).toBeGreaterThan(0.5 * img.width * img.height);
    const animal = await segment(img, 'animals');
    expect(animal.result.instances.map((i) => i.label)).toEqual(['cat']);
    expect((await segment(img, 'dog')).result.instances).toHaveLength(0);
  });

  it('horse: "horse", and `fine` is measurably closer to the true silhouette than `standard`', async () => {
    const img = await load('horse.png');
    const truth: Mask = { width: img.width, height: img.height, data: new Uint8Array(img.width * img.height) };
    for (let i = 0; i < truth.data.length; i++) truth.data[i] = img.data[i * 3] < 128 ? 1 : 0;
    const std = await segment(img, 'horse', { refine: 'standard' });
    expect(std.result.instances[0].label).toBe('horse');
    const fine = await segment(img, 'horse', { refine: 'fine' });
    const fast = await segment(img, 'horse', { refine: 'fast' });
    const iouStd = maskIoU(std.masks[0], truth), iouFine = maskIoU(fine.masks[0], truth), iouFast = maskIoU(fast.masks[0], truth);
    // standard takes in the white gap between the legs (IoU ~0.67); fine removes it.
    expect(iouFine).toBeGreaterThan(iouStd + 0.1);
    expect(iouFine).toBeGreaterThan(0.9);
    expect(iouFast).toBeGreaterThan(0.5);
  });

  it('unknown concepts are flagged, with suggestions and no invented masks', async () => {
    const before = embeddingCacheStats();
    const { result, masks } = await segment(await readFile(SAMPLES + 'rocket.jpg'), 'squirrel, rocket');
    expect(result.instances).toEqual([]);
    expect(masks).toEqual([]);
    expect(result.concepts.map((c) => c.status)).toEqual(['unknown', 'unknown']);
    for (const c of result.concepts) expect(c.message).toMatch(/sam3/);
    // nothing to look for: the encoder did not even run
    expect(result.cache?.embedding).toBe('skipped');
    expect(embeddingCacheStats().misses).toBe(before.misses);
  });

  describe('attributes on two cups (left: original, right: red and blue swapped)', () => {
    let img: DecodedImage;
    beforeAll(async () => {
      img = twins(await load('coffee.png'));
    });

    it('finds both cups', async () => {
      const { result } = await segment(img, 'cups');
      expect(result.instances.map((i) => i.label)).toEqual(['cup', 'cup']);
    });

    it('a colour picks the cup of that colour', async () => {
      const blue = (await segment(img, 'blue cup')).result.instances;
      expect(blue.length).toBeGreaterThan(0);
      expect(cx(blue[0].box)).toBeGreaterThan(img.width / 2);
      expect(blue[0].why?.color_match).toBeGreaterThan(0.35);
      const brown = (await segment(img, 'brown cup')).result.instances;
      expect(cx(brown[0].box)).toBeLessThan(img.width / 2);
    });

    it('a position puts the cup on that side first', async () => {
      const left = (await segment(img, 'cup on the left')).result.instances;
      expect(cx(left[0].box)).toBeLessThan(img.width / 2);
      expect(left[0].why?.rank).toBe(1);
      const right = (await segment(img, 'the cup on the right', { threshold: 0.2 })).result.instances;
      expect(cx(right[0].box)).toBeGreaterThan(img.width / 2);
      expect(right).toHaveLength(2); // the other cup stays, ranked below (position factor 0.4)
      expect(right[1].why?.rank).toBe(2);
    });
  });

  it('"blue shirt" is the blue upper-body garment of the person wearing it', async () => {
    const img = twins(await load('astronaut.png'));
    const people = (await segment(img, 'person')).result.instances;
    expect(people).toHaveLength(2);
    const right = people.find((p) => cx(p.box) > img.width / 2)!;
    const { result } = await segment(img, 'blue shirt');
    expect(result.concepts[0]).toMatchObject({ status: 'ok', label: 'upper body garment' });
    expect(result.instances).toHaveLength(1);
    const shirt = result.instances[0];
    expect(shirt.label).toBe('upper body garment');
    // inside the right-hand (blue-suited) person, below the face
    expect(shirt.box[0]).toBeGreaterThanOrEqual(right.box[0] - 5);
    expect(shirt.box[0] + shirt.box[2]).toBeLessThanOrEqual(right.box[0] + right.box[2] + 5);
    expect(shirt.box[1]).toBeGreaterThan(150);
    const orange = (await segment(img, 'orange shirt')).result.instances;
    expect(cx(orange[0].box)).toBeLessThan(img.width / 2);
  });

  it('refines one object from clicks on the cached embedding (the page\'s click refinement)', async () => {
    const img = await load('astronaut.png');
    const { result } = await segment(img, '', { points: { label: 'helmet', points: [{ x: 390, y: 430, positive: true }] } });
    expect(result.cache?.embedding).toBe('hit');
    expect(result.instances).toHaveLength(1);
    const helmet = result.instances[0];
    expect(helmet).toMatchObject({ label: 'helmet', concept: 'helmet' });
    // the black helmet at the bottom right
    expect(helmet.box[0]).toBeGreaterThan(250);
    expect(helmet.box[1]).toBeGreaterThan(300);
  });

  it('click refinement runs the mask decoder alone: not the prompt, not the detector (cached image)', async () => {
    const img = await load('astronaut.png'); // encoded by the tests above
    const person = (await segment(img, 'person')).result.instances[0];
    // What the page sends: the prompt it ran, the selected instance's label and box, the clicks
    // (a negative one on the flag at the left edge, a positive one on the suit).
    const { result, masks } = await segment(img, 'person, face', {
      points: { label: 'person', box: person.box, points: [{ x: 30, y: 300, positive: false }, { x: 200, y: 420, positive: true }] },
    });
    expect(result.cache?.embedding).toBe('hit');
    expect(result.instances).toHaveLength(1);
    expect(result.instances[0]).toMatchObject({ label: 'person', concept: 'person' });
    expect(result.instances[0].why?.source).toBe('click refinement');
    // only the decoder ran: no detection, no pose / face models
    expect(result.timings_ms.detect).toBe(0);
    expect(result.timings_ms.people ?? 0).toBe(0);
    expect(result.timings_ms.decode_masks).toBeGreaterThan(0);
    // the prompt's concepts are reported, and said not to have been searched
    expect(result.concepts.map((c) => c.status)).toEqual(['ok', 'ok']);
    for (const c of result.concepts) expect(c.message).toMatch(/not searched/i);
    // the negative click is outside the mask, the positive one inside
    expect(masks[0].data[300 * img.width + 30]).toBe(0);
    expect(masks[0].data[420 * img.width + 200]).toBe(1);
  });

  it('one click on the selected person refines the mask she started from: the flag stays out', async () => {
    const img = await load('astronaut.png');
    const { result, masks } = await segment(img, 'person');
    const person = result.instances[0];
    expect(person.label).toBe('person');
    // What the page sends for one positive click on her suit (box centre, 60 % down the box).
    const click = { x: person.box[0] + person.box[2] / 2, y: person.box[1] + person.box[3] * 0.6, positive: true };
    const refined = await segment(img, 'person', { points: { label: 'person', box: person.box, points: [click] } });
    expect(refined.result.instances[0].why?.source).toBe('click refinement');
    const after = refined.masks[0];
    // The box alone (plus the click) takes the flag back in; the refinement starts from the
    // detection's own prompt (box + centre point), so the flag stays out ...
    expect(flagPixels(after) / (FLAG_PATCH.w * FLAG_PATCH.h)).toBeLessThan(0.05);
    // ... and she is kept: at least 90 % of the mask the user started from.
    let kept = 0, was = 0;
    for (let i = 0; i < after.data.length; i++) {
      was += masks[0].data[i];
      kept += masks[0].data[i] & after.data[i];
    }
    expect(kept / was).toBeGreaterThanOrEqual(0.9);
    expect(after.data[Math.round(click.y) * img.width + Math.round(click.x)]).toBe(1);
  });

  it('click refinement on an image not seen before runs the encoder alone; the detector waits for a prompt that needs it', async () => {
    const src = await load('horse.png');
    const img = twins(src); // a new image (new hash): not in the cache
    const click = await segment(img, 'horse', { points: { label: 'horse', points: [{ x: 200, y: 150, positive: true }] } });
    expect(click.result.cache?.embedding).toBe('miss');
    expect(click.result.timings_ms.encode).toBeGreaterThan(0);
    expect(click.result.timings_ms.detect).toBe(0);
    expect(click.result.instances).toHaveLength(1);
    expect(click.result.instances[0].why?.source).toBe('click refinement');
    // the first text prompt on it runs the detector, once, on the cached embedding
    const horses = await segment(img, 'horses');
    expect(horses.result.cache?.embedding).toBe('hit');
    expect(horses.result.timings_ms.encode).toBe(0);
    expect(horses.result.timings_ms.detect).toBeGreaterThan(0);
    expect(horses.result.instances.map((i) => i.label)).toEqual(['horse', 'horse']);
    const again = await segment(img, 'horse on the left');
    expect(again.result.timings_ms.detect).toBe(0);
    expect(cx(again.result.instances[0].box)).toBeLessThan(src.width);
  });

  it('refuses click refinement combined with boxes', async () => {
    const img = await load('coffee.png');
    await expect(segment(img, '', { boxes: [{ box: [10, 10, 50, 50] }], points: { points: [{ x: 20, y: 20, positive: true }] } })).rejects.toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/points.*boxes/) });
  });

  it('an exclusion that means the same as its concept is reported, not applied; one with an attribute applies', async () => {
    const img = await load('astronaut.png');
    const { result } = await segment(img, 'people except the woman');
    expect(result.concepts).toHaveLength(1);
    expect(result.concepts[0]).toMatchObject({ text: 'people except the woman', status: 'ok', label: 'person' });
    expect(result.concepts[0].message).toMatch(/not exclude "the woman".*same as "people except the woman" \(person\).*every result/);
    expect(result.instances.map((i) => i.label)).toEqual(['person']);
    // with a position the exclusion is distinct: of two astronauts, the one on the left goes
    const two = twins(img);
    const right = await segment(two, 'people except the person on the left');
    expect(right.result.concepts[0].message).toBeUndefined();
    expect(right.result.instances).toHaveLength(1);
    expect(cx(right.result.instances[0].box)).toBeGreaterThan(img.width);
  });

  it('counts per-image results added after encoding (poses, faces, the colour grid of `fine`) in the cache size', async () => {
    const src = await load('astronaut.png');
    const data = new Uint8Array(src.data.length); // mirrored: a new image for the cache
    for (let y = 0; y < src.height; y++) for (let x = 0; x < src.width; x++) data.set(src.data.subarray((y * src.width + x) * 3, (y * src.width + x) * 3 + 3), (y * src.width + src.width - 1 - x) * 3);
    const img: DecodedImage = { ...src, data, hash: createHash('sha256').update(data).digest('hex') };
    await segment(img, 'person');
    const encoded = embeddingCacheStats().bytes;
    await segment(img, 'face, hair'); // runs the pose and face models
    const withPeople = embeddingCacheStats().bytes;
    expect(withPeople).toBeGreaterThan(encoded);
    await segment(img, 'person', { refine: 'fine' }); // keeps the 128 x 128 grid of Lab cell colours
    expect(embeddingCacheStats().bytes - withPeople).toBeGreaterThanOrEqual(128 * 128 * 3 * 4);
    expect(embeddingCacheStats().evictions).toBe(0);
  });

  it('takes positive boxes as prompts and refuses negative ones on lite', async () => {
    const img = await load('coffee.png');
    const { result } = await segment(img, '', { boxes: [{ box: [170, 20, 240, 270] }] });
    expect(result.instances).toHaveLength(1);
    expect(result.instances[0]).toMatchObject({ label: 'object', concept: 'box 1' });
    await expect(segment(img, 'cup', { boxes: [{ box: [0, 0, 10, 10], negative: true }] })).rejects.toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/negative/) });
  });

  it('rejects bad options with a message naming the field', async () => {
    const img = await load('coffee.png');
    const err = await segment(img, 'cup', { threshold: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromptsegError);
    expect((err as PromptsegError).code).toBe('invalid_option');
    expect((err as PromptsegError).message).toMatch(/threshold/);
    await expect(segment(img, 'cup', { refine: 'ultra' as 'fine' })).rejects.toMatchObject({ code: 'invalid_option', message: expect.stringMatching(/refine/) });
  });
});
