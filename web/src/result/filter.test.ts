import { describe, expect, it } from 'vitest';
import type { Instance } from '@promptseg/shared';
import { hiddenBy, parseTopK, passing, thresholdToShow } from './filter.js';

const inst = (id: number, score: number, concept = 'c'): Instance => ({
  id,
  label: concept,
  concept,
  score,
  box: [0, 0, 1, 1],
  area: 1,
  rle: { size: [1, 1], counts: '01' },
});

describe('passing', () => {
  const all = [inst(1, 0.3), inst(2, 0.9), inst(3, 0.55), inst(4, 0.12)];

  it('hides instances under the threshold and sorts by score', () => {
    expect(passing(all, { threshold: 0.5 }).map((i) => i.id)).toEqual([2, 3]);
    expect(passing(all, { threshold: 0.1 }).map((i) => i.id)).toEqual([2, 3, 1, 4]);
  });

  it('keeps a score equal to the threshold', () => {
    expect(passing([inst(1, 0.55)], { threshold: 0.55 })).toHaveLength(1);
  });

  it('applies top-K after the threshold', () => {
    expect(passing(all, { threshold: 0.2, topK: 2 }).map((i) => i.id)).toEqual([2, 3]);
    expect(passing(all, { threshold: 0.6, topK: 2 }).map((i) => i.id)).toEqual([2]);
  });

  it('applies top-K per concept, as the CLI does: "person, ball" with top-K 1 keeps the ball', () => {
    const mixed = [inst(1, 0.9, 'person'), inst(2, 0.8, 'person'), inst(3, 0.4, 'ball'), inst(4, 0.3, 'ball')];
    expect(passing(mixed, { threshold: 0.1, topK: 1 }).map((i) => i.id)).toEqual([1, 3]);
    expect(passing(mixed, { threshold: 0.1, topK: 2 }).map((i) => i.id)).toEqual([1, 2, 3, 4]);
  });

  it('says what is hidden: under the threshold (with the best of them) and by top-K', () => {
    expect(hiddenBy(all, (i) => i, { threshold: 0.5 })).toEqual({ belowThreshold: 2, bestBelow: 0.3, byTopK: 0 });
    expect(hiddenBy(all, (i) => i, { threshold: 0.1, topK: 1 })).toEqual({ belowThreshold: 0, bestBelow: undefined, byTopK: 3 });
  });

  it('finds the slider step that shows a score', () => {
    expect(thresholdToShow(0.48)).toBeCloseTo(0.45);
    expect(thresholdToShow(0.5)).toBeCloseTo(0.5);
    expect(thresholdToShow(0.12)).toBeCloseTo(0.1);
    expect(passing([inst(1, 0.48)], { threshold: thresholdToShow(0.48) })).toHaveLength(1);
  });

  it('parses top-K text', () => {
    expect(parseTopK('')).toBeUndefined();
    expect(parseTopK('0')).toBeUndefined();
    expect(parseTopK('abc')).toBeUndefined();
    expect(parseTopK('3')).toBe(3);
  });
});
