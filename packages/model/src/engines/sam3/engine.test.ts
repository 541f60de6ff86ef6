/**
 * The sam3 engine on stand-in exports built by the tests (test/sam3-fixture): tiny ONNX models
 * with the contract's names, dtypes and ranks whose outputs are known functions of the inputs.
 */
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { maskArea, maskBox, parsePrompt, SegmentOptionsSchema, type SegmentOptionsInput } from '@promptseg/shared';
import { BOX_QUERY, PRESENCE_LOGIT, QUERY_LOGITS, writeSam3Fixture } from '../../../test/sam3-fixture/index.js';
import type { RgbImage } from '../../io/image.js';
import { Sam3Engine } from './engine.js';
import { Sam3Model } from './model.js';
import { sigmoid } from './postprocess.js';

const root = mkdtempSync(join(tmpdir(), 'sam3-engine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function load(layout: 'A' | 'C', variant: 'fp32' | 'fp16' | 'int4' = 'fp32', externalData = false): Promise<Sam3Engine> {
  const dir = join(root, `${layout}-${variant}-${externalData}`);
  const files = writeSam3Fixture(dir, { layout, variant, externalData });
  const model = await Sam3Model.load({ models: files.filter((f) => f.endsWith('.onnx')).map((f) => join(dir, f)), tokenizer: join(dir, 'tokenizer.json'), tokenizerConfig: join(dir, 'tokenizer_config.json') });
  return new Sam3Engine(model);
}

/** 200x100: left half pure red, right half (100, 60, 200). */
function testImage(): RgbImage {
  const width = 200, height = 100, data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    if (x < 100) data[i] = 255;
    else data.set([100, 60, 200], i);
  }
  return { width, height, data };
}

const opts = (o: SegmentOptionsInput = {}) => SegmentOptionsSchema.parse({ engine: 'sam3', ...o });
const concepts = (prompt: string) => parsePrompt(prompt).concepts;
const expectedScore = (q: number, presence: number | undefined) => Math.fround(sigmoid(Math.fround(QUERY_LOGITS[q])) * (presence === undefined ? 1 : sigmoid(presence)));

describe('sam3 engine, Layout A (usls v2)', () => {
  let engine: Sam3Engine;
  const image = testImage();
  beforeAll(async () => { engine = await load('A'); });

  it('reads the input size, mask size, queries and token length from the files', () => {
    const L = engine.model.layout;
    expect([L.id, L.inputSize.width, L.inputSize.height, L.maskSize.width, L.queries, L.tokenLength]).toEqual(['A', 56, 56, 16, 200, 32]);
    expect(engine.capabilities).toEqual({ openVocabulary: true, boxPrompts: true, pointPrompts: false });
  });

  it('token ids and the attention mask reach the text encoder as the HF rule says', async () => {
    const { tensors } = await engine.model.encodeText('Red car');
    const tok = engine.model.tokens('Red car');
    expect(tok.ids.slice(0, 4)).toEqual([49406, tok.ids[1], tok.ids[2], 49407]);
    expect(tok.ids.slice(4)).toEqual(new Array(28).fill(49407));
    const f = tensors.text_features.data as Float32Array; // [1,32,256]: ch0 = id x mask, ch1 = mask
    expect(Array.from({ length: 32 }, (_, t) => f[t * 256])).toEqual(tok.ids.map((id, t) => id * tok.mask[t]));
    expect(Array.from({ length: 32 }, (_, t) => f[t * 256 + 1])).toEqual([1, 1, 1, 1, ...new Array(28).fill(0)]);
    expect(tensors.text_mask.type).toBe('bool');
    expect(Array.from(tensors.text_mask.data as Uint8Array)).toEqual([1, 1, 1, 1, ...new Array(28).fill(0)]);
  });

  it('the image reaches the encoder stretched to the input size and normalised to -1..1', async () => {
    const emb = await engine.encodeImage(image);
    const f0 = emb.features.fpn_feat_0; // the fixture samples the model input into [1,256,16,16]
    expect(f0.dims).toEqual([1, 256, 16, 16]);
    const d = f0.data as Float32Array, px = (c: number, y: number, x: number) => d[c * 256 + y * 16 + x];
    for (const y of [0, 7, 15]) {
      expect([px(0, y, 1), px(1, y, 1), px(2, y, 1)]).toEqual([1, -1, -1]);
      expect(px(0, y, 14)).toBeCloseTo(100 / 127.5 - 1, 5);
      expect(px(1, y, 14)).toBeCloseTo(60 / 127.5 - 1, 5);
      expect(px(2, y, 14)).toBeCloseTo(200 / 127.5 - 1, 5);
    }
    // The embedding's memory is what the pipeline's LRU budgets: the four FPN tensors.
    expect(emb.bytes).toBe(4 * 256 * (16 * 16 + 8 * 8 + 4 * 4 + 4 * 4) + 1024);
  });

  it('scores = sigmoid(logit) x sigmoid(presence), with masks and boxes in pixels of the non-square original', async () => {
    const emb = await engine.encodeImage(image);
    const { candidates } = await engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts() });
    expect(candidates.map((c) => c.score)).toEqual([0, 1, 2].map((q) => expectedScore(q, PRESENCE_LOGIT)));
    expect(candidates.every((c) => c.label === 'squirrel' && c.conceptIndex === 0)).toBe(true);
    // Query 0's mask is "the red part" (fpn_feat_0 channel 0 x 10): the left half, on every row
    // (stretched, not padded), its edge within two cells of the 16-grid (25 px: the resize blends
    // the edge into the next sample) of x = 100; the right half's R = 100 maps to -0.22, so it
    // stays out only if the input was normalised.
    const red = candidates[0].mask;
    expect([red.width, red.height]).toEqual([200, 100]);
    const [x, y, w, h] = maskBox(red);
    expect([x, y, h]).toEqual([0, 0, 100]);
    expect(w).toBeGreaterThanOrEqual(100);
    expect(w).toBeLessThanOrEqual(125);
    expect(maskArea(red)).toBe(w * 100);
    // Query 1: box xyxy (0.25, 0.5, 0.75, 1.0) -> pixels xywh of 200x100, and its mask on the same cells.
    expect(candidates[1].box).toEqual([50, 50, 100, 50]);
    expect(maskBox(candidates[1].mask)).toEqual([50, 50, 100, 50]);
    expect(maskArea(candidates[1].mask)).toBe(100 * 50 - 4 * 4); // bilinear logits round off each corner by 4 px
    expect(candidates[0].why.formula).toMatch(/^sigmoid\(3\) \(query\) × sigmoid\(1\.5\) \(presence\) = 0\.779$/);
  });

  it('threshold edges: a score equal to the threshold is kept, a hair above it is not', async () => {
    const emb = await engine.encodeImage(image);
    const s2 = expectedScore(2, PRESENCE_LOGIT);
    const at = await engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts({ threshold: s2 }) });
    expect(at.candidates).toHaveLength(3);
    const above = await engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts({ threshold: s2 + 1e-6 }) });
    expect(above.candidates).toHaveLength(2);
    const top = await engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts({ threshold: 0.9 }) });
    expect(top.candidates).toHaveLength(0);
  });

  it('a concept the model calls absent (negative presence) finds nothing at the default threshold', async () => {
    const emb = await engine.encodeImage(image);
    expect((await engine.segment({ image, embedding: emb, concepts: concepts('zebra'), options: opts() })).candidates).toEqual([]);
    const low = await engine.segment({ image, embedding: emb, concepts: concepts('zebra'), options: opts({ threshold: 0.1 }) });
    expect(low.candidates.map((c) => c.score)).toEqual([0, 1, 2].map((q) => expectedScore(q, -PRESENCE_LOGIT)));
  });

  it('box prompts go in as normalised cxcywh with label 1 and come back at the box (query echo), negative boxes exclude', async () => {
    const emb = await engine.encodeImage(image);
    const pos = await engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts({ boxes: [{ box: [20, 10, 40, 30] }] }) });
    const echo = pos.candidates.find((c) => c.why.source.endsWith(`query ${BOX_QUERY}`));
    expect(echo?.score).toBeCloseTo(sigmoid(5) * sigmoid(PRESENCE_LOGIT), 6);
    echo?.box?.forEach((v, i) => expect(v).toBeCloseTo([20, 10, 40, 30][i], 3));
    const [bx, by, bw, bh] = maskBox(echo!.mask);
    expect(Math.abs(bx - 20) + Math.abs(by - 10) + Math.abs(bx + bw - 60) + Math.abs(by + bh - 40)).toBeLessThan(16);
    const neg = await engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts({ boxes: [{ box: [20, 10, 40, 30], negative: true }] }) });
    expect(neg.candidates.some((c) => c.why.source.endsWith(`query ${BOX_QUERY}`))).toBe(false);
    // Text only: the padding box (label -10) never yields the box query.
    const none = await engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts() });
    expect(none.candidates.some((c) => c.why.source.endsWith(`query ${BOX_QUERY}`))).toBe(false);
  });

  it('a box with no text runs with the text "visual" and reports the objects as box-prompt results', async () => {
    const emb = await engine.encodeImage(image);
    const r = await engine.segment({ image, embedding: emb, concepts: [], options: opts({ boxes: [{ box: [20, 10, 40, 30] }] }) });
    expect(r.candidates.length).toBeGreaterThan(0);
    expect(r.candidates.every((c) => c.conceptIndex === -1 && c.conceptText === 'box prompt' && c.why.matched === 'visual')).toBe(true);
    expect(r.candidates.some((c) => c.why.source.endsWith(`query ${BOX_QUERY}`))).toBe(true);
  });

  it('one image encode serves several concepts; text features are cached per phrase (LRU)', async () => {
    const e = await load('A');
    const emb = await e.encodeImage(image);
    await e.segment({ image, embedding: emb, concepts: concepts('person, dog, blue shirt'), options: opts() });
    expect(e.stats).toEqual({ visionRuns: 1, textRuns: 3, textCacheHits: 0, decoderRuns: 3 });
    await e.segment({ image, embedding: emb, concepts: concepts('dog, squirrel'), options: opts() });
    expect(e.stats).toEqual({ visionRuns: 1, textRuns: 4, textCacheHits: 1, decoderRuns: 5 });
  });

  it('evicts the least recently used phrase beyond the cache size', async () => {
    const e = new Sam3Engine(engine.model, { textCacheSize: 2 });
    const emb = await e.encodeImage(image);
    for (const p of ['person', 'car', 'person', 'squirrel', 'car']) await e.segment({ image, embedding: emb, concepts: concepts(p), options: opts() });
    // person, car miss; person hit; squirrel miss (evicts car); car miss again.
    expect([e.stats.textRuns, e.stats.textCacheHits]).toEqual([4, 1]);
  });

  it('Chinese concepts reach the text encoder as English; one with no translation is unknown, never tokenised', async () => {
    const e = await load('A');
    const zh = concepts('红色的车, 麒麟, 左边的人');
    expect(e.planConcepts(zh)).toEqual([
      { text: '红色的车', status: 'ok', label: 'red car' },
      { text: '麒麟', status: 'unknown', message: expect.stringMatching(/"麒麟" has no English translation.*write this concept in English/) },
      // position is applied to the instances afterwards; the encoder reads the noun phrase
      { text: '左边的人', status: 'ok', label: 'person' },
    ]);
    const sent: string[] = [];
    const encodeText = e.model.encodeText.bind(e.model);
    vi.spyOn(e.model, 'encodeText').mockImplementation((phrase: string) => {
      sent.push(phrase);
      return encodeText(phrase);
    });
    const emb = await e.encodeImage(image);
    const r = await e.segment({ image, embedding: emb, concepts: zh, options: opts() });
    expect(sent).toEqual(['red car', 'person']);
    expect(e.stats).toMatchObject({ textRuns: 2, decoderRuns: 2 });
    expect(r.candidates.length).toBeGreaterThan(0);
    expect(new Set(r.candidates.map((c) => c.conceptIndex))).toEqual(new Set([0, 2]));
    expect(r.candidates.find((c) => c.conceptIndex === 0)?.label).toBe('red car');
    // nothing understood: no text run and no decoder run at all
    const none = await e.segment({ image, embedding: emb, concepts: concepts('麒麟'), options: opts() });
    expect(none.candidates).toEqual([]);
    expect(sent).toEqual(['red car', 'person']);
    expect(e.stats).toMatchObject({ textRuns: 2, decoderRuns: 2 });
  });

  it('refuses an embedding it did not make', async () => {
    const other = await load('A');
    const emb = await other.encodeImage(image);
    await expect(engine.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts() })).rejects.toThrow(/did not make/);
  });
});

describe('sam3 engine, other exports', () => {
  const image = testImage();

  it('fp16 variant: float16 inputs and outputs give the same results as fp32', async () => {
    const [e32, e16] = await Promise.all([load('A', 'fp32'), load('A', 'fp16')]);
    expect(e16.model.layout.id).toBe('A');
    const [a, b] = await Promise.all([e32, e16].map(async (e) => {
      const emb = await e.encodeImage(image);
      return (await e.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts({ boxes: [{ box: [20, 10, 40, 30] }] }) })).candidates;
    }));
    expect(b.map((c) => c.label)).toEqual(a.map((c) => c.label));
    b.forEach((c, i) => {
      expect(c.score).toBeCloseTo(a[i].score, 3);
      expect(maskBox(c.mask)).toEqual(maskBox(a[i].mask));
    });
  });

  it('Layout C (danilobukvic), weights in external .onnx.data files: text prompts, score = sigmoid(logit), no boxes', async () => {
    const e = await load('C', 'fp32', true);
    expect(e.model.layout.id).toBe('C');
    expect(e.capabilities.boxPrompts).toBe(false);
    const emb = await e.encodeImage(image);
    expect(Object.keys(emb.features).sort()).toEqual(['fpn_hidden_state_0', 'fpn_hidden_state_1', 'fpn_hidden_state_2', 'fpn_position_encoding_2']);
    const r = await e.segment({ image, embedding: emb, concepts: concepts('squirrel, zebra'), options: opts() });
    // No presence output: sigmoid(0.5) = 0.62 now passes 0.5 too; "zebra" (logits - 10 in this fixture) finds nothing.
    expect(r.candidates.map((c) => [c.label, c.score])).toEqual([0, 1, 2].map((q) => ['squirrel', expectedScore(q, undefined)]));
    expect(maskBox(r.candidates[1].mask)).toEqual([50, 50, 100, 50]);
    await expect(e.segment({ image, embedding: emb, concepts: concepts('squirrel'), options: opts({ boxes: [{ box: [1, 1, 5, 5] }] }) })).rejects.toThrow(/Box prompts need the usls/);
  });

  it('a model whose external .onnx.data file is missing fails with a clear error naming the file', async () => {
    const dir = join(root, 'C-missing-data');
    const files = writeSam3Fixture(dir, { layout: 'C', externalData: true });
    unlinkSync(join(dir, 'decoder.onnx.data'));
    await expect(Sam3Model.load({ models: files.filter((f) => f.endsWith('.onnx')).map((f) => join(dir, f)), tokenizer: join(dir, 'tokenizer.json') }))
      .rejects.toMatchObject({ code: 'model_invalid', message: expect.stringContaining('decoder.onnx') });
  });

  it('refuses three files that are not a SAM 3 export', async () => {
    const dir = join(root, 'mixed');
    const a = writeSam3Fixture(join(dir, 'a'), { layout: 'A' });
    const c = writeSam3Fixture(join(dir, 'c'), { layout: 'C' });
    // C's vision and text encoders with A's decoder: nothing feeds "fpn_feat_0".
    const models = [join(dir, 'c', c[0]), join(dir, 'c', c[1]), join(dir, 'a', a[2])];
    await expect(Sam3Model.load({ models, tokenizer: join(dir, 'a', 'tokenizer.json') })).rejects.toThrow(/Nothing produces the decoder input\(s\) "fpn_feat_0"/);
  });
});
