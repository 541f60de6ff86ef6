import { describe, expect, it } from 'vitest';
import type { Instance } from '@promptseg/shared';
import { RefineHistory } from './history.js';

const inst = (area: number, label = 'cup'): Instance => ({ id: 2, label, concept: 'cup', score: 0.8, box: [1, 2, 3, 4], area, rle: { size: [1, 1], counts: '01' } });

describe('RefineHistory', () => {
  it('accumulates points, undoes and resets without requests', () => {
    const h = new RefineHistory(inst(100));
    const r1 = h.request([{ x: 5, y: 6, positive: true }]);
    expect(r1).toEqual({ label: 'cup', box: [1, 2, 3, 4], points: [{ x: 5, y: 6, positive: true }] });
    h.push(r1.points, { ...inst(120, 'something else'), id: 9, score: 0.3, box: [0, 0, 9, 9] });
    expect(h.current.area).toBe(120);
    expect(h.current.box).toEqual([0, 0, 9, 9]);
    expect(h.current.score).toBe(0.8);
    expect(h.current.id).toBe(2);
    expect(h.current.label).toBe('cup');
    const r2 = h.request([{ x: 1, y: 1, positive: false }]);
    expect(r2.points).toHaveLength(2);
    h.push(r2.points, inst(90));
    expect(h.depth).toBe(2);
    expect(h.undo().area).toBe(120);
    expect(h.points).toHaveLength(1);
    expect(h.reset().area).toBe(100);
    expect(h.points).toEqual([]);
  });
});
