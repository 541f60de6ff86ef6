import { describe, expect, it } from 'vitest';
import { rng } from './generate.ts';
import { evidenceFromWhy, fitCalibration, fitLogistic, PRECISION_GOAL, type FitRow } from './fit.ts';

describe('the score fit (npm run eval:quality -- --fit)', () => {
  it('recovers the coefficients of data drawn from a known logistic model', () => {
    const r = rng('fit');
    const X: number[][] = [], y: number[] = [];
    for (let n = 0; n < 4000; n++) {
      const x = [4 * r() - 2, 4 * r() - 2];
      X.push(x);
      y.push(r() < 1 / (1 + Math.exp(-(-0.5 + 2 * x[0] - 1 * x[1]))) ? 1 : 0);
    }
    const b = fitLogistic(X, y, 0);
    expect(b[0]).toBeCloseTo(-0.5, 0);
    expect(b[1]).toBeCloseTo(2, 0);
    expect(b[2]).toBeCloseTo(-1, 0);
  });

  it('moves the intercept until the instances scoring >= 0.5 are 90 % correct, judged leave-one-case-out', () => {
    // Correct objects have higher detector scores, with overlap: a plain fit is not 90 % precise at 0.5.
    const r = rng('op');
    const rows: FitRow[] = [];
    for (let n = 0; n < 200; n++) {
      const correct = r() < 0.6;
      const detector = Math.min(0.95, Math.max(0.05, (correct ? 0.5 : 0.3) + 0.25 * (r() - 0.5) * 2));
      rows.push({ case: `c${n % 40}`, correct, evidence: { detector, rival: 0.1, evidence: { full: detector }, quality: 0.9 } });
    }
    const rep = fitCalibration(rows);
    expect(rep.fitted.shift).toBeGreaterThan(0);
    expect(rep.fitted.loco.precision).toBeGreaterThanOrEqual(PRECISION_GOAL);
    expect(rep.fitted.loco.kept).toBeGreaterThan(20);
  });

  it('reads the evidence back from an instance explanation', () => {
    const e = evidenceFromWhy({ concept: 'apple', matched: 'apple', source: 'centernet: apple', detector_score: 0.45, passes: { zoom_out: 0.45, full: 0.1 }, rival: { class: 'orange', score: 0.51 }, mask_quality: 1, formula: '' } as never);
    expect(e).toEqual({ detector: 0.45, rival: 0.51, evidence: { 'zoom-out': 0.45, full: 0.1 }, quality: 1 });
    expect(evidenceFromWhy({ concept: 'box 1', matched: 'box', source: 'box prompt', mask_quality: 0.9 } as never)).toBeUndefined();
  });
});
