import { describe, expect, it } from 'vitest';
import { parsePrompt, SegmentOptionsSchema, type Mask } from '@promptseg/shared';
import type { Candidate } from '../engines/engine.js';
import type { RgbImage } from '../io/image.js';
import { postprocess, type PostprocessInput } from './instances.js';

const W = 200, H = 100;

/** A rectangle mask; the image gets `color` under it. */
function rect(x0: number, y0: number, x1: number, y1: number): Mask {
  const data = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * W + x] = 1;
  return { width: W, height: H, data };
}

function paint(img: RgbImage, m: Mask, rgb: [number, number, number]): void {
  m.data.forEach((v, i) => { if (v) img.data.set(rgb, i * 3); });
}

function cand(conceptIndex: number, label: string, mask: Mask, score: number): Candidate {
  return { conceptIndex, label, mask, score, why: { concept: '', matched: label, source: 'test', detector_score: score, mask_quality: 1, formula: `${score} (test) = ${score}` } };
}

function run(prompt: string, candidates: (concepts: number) => Candidate[], img?: RgbImage, opts: Record<string, unknown> = {}) {
  const parsed = parsePrompt(prompt).concepts;
  const concepts = [...parsed];
  const excludes: (number | undefined)[] = parsed.map(() => undefined);
  parsed.forEach((c, i) => (c.exclude ?? []).forEach((x) => { concepts.push(x); excludes.push(i); }));
  const input: PostprocessInput = {
    image: img ?? { width: W, height: H, data: new Uint8Array(W * H * 3).fill(128) },
    candidates: candidates(concepts.length),
    concepts,
    excludes,
    options: SegmentOptionsSchema.parse(opts),
    colorOnPixels: true,
  };
  return postprocess(input);
}

describe('post-processing candidates into instances', () => {
  it('drops candidates under the threshold and sorts by score', () => {
    const out = run('car', () => [cand(0, 'car', rect(0, 0, 20, 20), 0.4), cand(0, 'car', rect(50, 0, 70, 20), 0.9), cand(0, 'car', rect(100, 0, 120, 20), 0.6)]);
    expect(out.map((i) => i.score)).toEqual([0.9, 0.6]);
    const low = run('car', () => [cand(0, 'car', rect(0, 0, 20, 20), 0.4)], undefined, { threshold: 0.3 });
    expect(low).toHaveLength(1);
  });

  it('merges the same object found through two concepts, keeping the better one', () => {
    const out = run('person, woman', () => [cand(0, 'person', rect(10, 10, 50, 90), 0.7), cand(1, 'person', rect(10, 10, 50, 89), 0.8)]);
    expect(out).toHaveLength(1);
    expect(out[0].concept).toBe('woman');
  });

  it('keeps a part inside its object (a shirt is not its person)', () => {
    const out = run('person, shirt', () => [cand(0, 'person', rect(10, 10, 50, 90), 0.7), cand(1, 'upper body garment', rect(10, 30, 50, 60), 0.8)]);
    expect(out).toHaveLength(2);
  });

  it('ranks by colour measured on the mask pixels and explains it', () => {
    const img: RgbImage = { width: W, height: H, data: new Uint8Array(W * H * 3).fill(200) };
    const left = rect(10, 10, 60, 60), right = rect(120, 10, 170, 60);
    paint(img, left, [30, 50, 210]);
    paint(img, right, [220, 20, 20]);
    const out = run('red car', () => [cand(0, 'car', left, 0.9), cand(0, 'car', right, 0.7)], img);
    expect(out).toHaveLength(1);
    expect(out[0].mask).toBe(right);
    expect(out[0].why.color_match).toBe(1);
    expect(out[0].why.formula).toBe('0.7 (test) × 1 (colour red) = 0.7');
  });

  it('puts the leftmost first for "on the left" and keeps only it for "leftmost"', () => {
    const a = rect(130, 10, 160, 60), b = rect(10, 10, 40, 60), c = rect(70, 10, 100, 60);
    const mk = () => [cand(0, 'person', a, 0.95), cand(0, 'person', b, 0.8), cand(0, 'person', c, 0.9)];
    const onLeft = run('person on the left', mk, undefined, { threshold: 0.1 });
    expect(onLeft[0].mask).toBe(b);
    expect(onLeft[0].why.rank).toBe(1);
    expect(onLeft.map((i) => i.mask)).toEqual([b, c, a]);
    const leftmost = run('leftmost person', mk);
    expect(leftmost.map((i) => i.mask)).toEqual([b]);
    const second = run('second person from the left', mk);
    expect(second.map((i) => i.mask)).toEqual([c]);
  });

  it('ranks by size and keeps only the largest for "largest"', () => {
    const small = rect(10, 10, 20, 20), big = rect(100, 10, 180, 90);
    const out = run('largest dog', () => [cand(0, 'dog', small, 0.9), cand(0, 'dog', big, 0.7)]);
    expect(out.map((i) => i.mask)).toEqual([big]);
    const sm = run('small dog', () => [cand(0, 'dog', small, 0.7), cand(0, 'dog', big, 0.9)], undefined, { threshold: 0.1 });
    expect(sm[0].mask).toBe(small);
  });

  it('applies counts ("two dogs") and top-K per concept', () => {
    const mk = () => [0, 1, 2, 3].map((k) => cand(0, 'dog', rect(k * 40, 0, k * 40 + 30, 30), 0.9 - k * 0.05));
    expect(run('two dogs', mk)).toHaveLength(2);
    expect(run('dogs', mk, undefined, { topK: 3 })).toHaveLength(3);
  });

  it('removes objects covered by an excluded concept', () => {
    const keep = rect(0, 0, 40, 90), drop = rect(100, 0, 140, 90);
    const out = run('people except the woman', (n) => {
      expect(n).toBe(2);
      return [cand(0, 'person', keep, 0.9), cand(0, 'person', drop, 0.8), cand(1, 'person', rect(100, 0, 140, 88), 0.8)];
    });
    expect(out.map((i) => i.mask)).toEqual([keep]);
  });

  it('keeps user boxes and clicks whatever their score, and drops empty masks', () => {
    const user: Candidate = { ...cand(-1, 'object', rect(0, 0, 10, 10), 0.2), conceptText: 'box 1' };
    const out = run('car', () => [user, cand(0, 'car', rect(0, 0, 0, 0), 0.9)]);
    expect(out).toHaveLength(1);
    expect(out[0].concept).toBe('box 1');
  });
});
