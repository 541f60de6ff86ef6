import { describe, expect, it } from 'vitest';
import { rectMask } from '../../packages/model/src/export/testing.ts';
import { matchCase, reliability, scoreCase, targets, type CaseOutcome } from './score.ts';

const W = 100, H = 100;
const box = (x0: number, y0: number, x1: number, y1: number) => rectMask(W, H, x0, y0, x1, y1);

describe('quality benchmark scoring', () => {
  it('matches one-to-one, best score first: a duplicate of a found object is wrong', () => {
    const ref = box(10, 10, 50, 50);
    const found = [{ score: 0.6, mask: box(12, 12, 50, 50) }, { score: 0.9, mask: box(10, 10, 48, 50) }];
    const m = matchCase(found, [ref], false, 0.5);
    expect(m.instances.map((i) => [i.score, i.correct])).toEqual([[0.9, true], [0.6, false]]);
    expect(m.matchedBy).toEqual([0]);
  });

  it('counts an unannotated extra as wrong in a complete case and as don\'t care otherwise', () => {
    const ref = box(0, 0, 30, 30);
    const found = [{ score: 0.7, mask: box(0, 0, 30, 30) }, { score: 0.6, mask: box(60, 60, 90, 90) }];
    expect(matchCase(found, [ref], true, 0.5).instances[1].correct).toBe(false);
    expect(matchCase(found, [ref], false, 0.5).instances[1].correct).toBeNull();
  });

  it('reports a reference below the threshold as missed, with its score and rank from the low run', () => {
    const ref = box(0, 0, 40, 40);
    const o = scoreCase({ id: 'c', kind: 'photo', category: 'ordinary', prompt: 'x', complete: true, origin: '', ms: 1 }, [{ score: 0.45, mask: box(0, 0, 40, 38) }], [ref], ['c#0'], 0.1, 0.5);
    expect(o.refs[0]).toMatchObject({ found: false, score: 0.45, rank: 1, side: 40 });
    expect(o.kept).toEqual([]);
    expect(o.all).toHaveLength(1);
  });

  it('builds the reliability table and the targets from the outcomes', () => {
    const ok = scoreCase({ id: 'a', kind: 'photo', category: 'frame-filling', prompt: 'x', complete: true, origin: '', ms: 1 }, [{ score: 0.85, mask: box(0, 0, 90, 90) }], [box(0, 0, 90, 90)], ['a#0'], 0.1, 0.5);
    const neg = scoreCase({ id: 'n', kind: 'photo', category: 'negative', prompt: 'x', complete: true, origin: '', ms: 1 }, [{ score: 0.55, mask: box(0, 0, 9, 9) }], [], [], 0.1, 0.5);
    const outcomes: CaseOutcome[] = [ok, neg];
    const table = reliability(outcomes);
    expect(table.find((b) => b.lo === 0.8)).toMatchObject({ count: 1, correct: 1 });
    expect(table.find((b) => b.lo === 0.5)).toMatchObject({ count: 1, wrong: 1 });
    const t = Object.fromEntries(targets(outcomes).map((x) => [x.name, x]));
    expect(t['recall on frame-filling objects'].met).toBe(true);
    expect(t['negative cases with no instance'].value).toBe(0);
    expect(t['instances >= threshold that are correct'].value).toBe(0.5);
    expect(t['recall on objects of 24–40 px'].met).toBe(false); // nothing measured is not "met"
  });
});
