import { describe, expect, it } from 'vitest';
import type { Instance } from '@promptseg/shared';
import { parseTopK, passing } from './filter.js';

const inst = (id: number, score: number): Instance => ({
  id,
  label: `l${id}`,
  concept: 'c',
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

  it('parses top-K text', () => {
    expect(parseTopK('')).toBeUndefined();
    expect(parseTopK('0')).toBeUndefined();
    expect(parseTopK('abc')).toBeUndefined();
    expect(parseTopK('3')).toBe(3);
  });
});
