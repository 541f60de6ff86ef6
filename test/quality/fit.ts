/**
 * `npm run eval:quality -- --fit`: fits the lite score's logistic form (scoring.ts) on the
 * benchmark's judged instances and compares it with the coefficients in use, at the README's
 * operating point (of the instances scoring >= 0.5, at least 90 % correct).
 *
 * - Ridge logistic regression by Newton's method (IRLS): 5 parameters and ~100 rows, so the exact
 *   solve converges in a few steps with no learning rate to tune; the ridge (lambda on every
 *   coefficient but the intercept) keeps it stable when a feature separates a few rows perfectly.
 *   Hand-written because it is 30 lines and no maintained npm package offers ridge IRLS with a
 *   fixed feature matrix (ml-logistic-regression is plain gradient descent).
 * - Operating point: a maximum-likelihood fit puts 0.5 where an instance is a coin toss, so the
 *   instances above 0.5 are ~85 % correct, not 90 %. The intercept is moved down by the smallest
 *   step that makes the instances >= 0.5 at least 90 % correct — judged by leave-one-case-out
 *   scores (each case scored by a fit that never saw it), so the reported precision is not the
 *   fit's own flattery.
 */
import { CALIBRATION, FEATURE_NAMES, objectScore, scoreFeatures, type ObjectEvidence } from '../../packages/model/src/engines/lite/scoring.ts';
import type { PassEvidence } from '../../packages/model/src/engines/lite/passes.ts';
import type { Explanation } from '@promptseg/shared';

export interface FitRow {
  case: string;
  evidence: ObjectEvidence;
  correct: boolean;
}

export const PRECISION_GOAL = 0.9;
const RIDGE = 1;
const SHIFT_STEP = 0.05;

/** The evidence behind a lite object's score, read back from its `why` (undefined for other sources). */
export function evidenceFromWhy(why: Explanation | undefined): ObjectEvidence | undefined {
  if (!why?.passes || why.rival === undefined || why.mask_quality === undefined || why.detector_score === undefined) return undefined;
  const evidence: PassEvidence = {};
  for (const [k, v] of Object.entries(why.passes)) evidence[k.replace('_', '-') as keyof PassEvidence] = v;
  return { detector: why.detector_score, rival: why.rival.score, evidence, quality: why.mask_quality };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

/** Ridge logistic regression: coefficients [intercept, ...features]. */
export function fitLogistic(X: number[][], y: number[], ridge = RIDGE, steps = 50): number[] {
  const d = X[0].length + 1;
  let b = new Array<number>(d).fill(0);
  for (let it = 0; it < steps; it++) {
    const H = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j && i > 0 ? ridge : 0)));
    const g = b.map((v, i) => (i > 0 ? ridge * v : 0));
    X.forEach((x, n) => {
      const row = [1, ...x];
      const p = sigmoid(row.reduce((a, v, i) => a + v * b[i], 0));
      const w = p * (1 - p);
      for (let i = 0; i < d; i++) {
        g[i] += (p - y[n]) * row[i];
        for (let j = 0; j < d; j++) H[i][j] += w * row[i] * row[j];
      }
    });
    const step = solve(H, g);
    b = b.map((v, i) => v - step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return b;
}

const linear = (b: number[], x: number[]) => b[0] + x.reduce((a, v, i) => a + v * b[i + 1], 0);

export interface OperatingPoint {
  kept: number;
  correct: number;
  precision: number;
}

function at(scores: number[], y: number[]): OperatingPoint {
  const kept = scores.filter((s) => s >= 0.5).length;
  const correct = scores.filter((s, i) => s >= 0.5 && y[i] === 1).length;
  return { kept, correct, precision: kept ? correct / kept : NaN };
}

export interface FitReport {
  rows: number;
  positives: number;
  fitted: { coefficients: number[]; shift: number; loco: OperatingPoint; inSample: OperatingPoint };
  current: OperatingPoint;
}

/** Fits, validates leave-one-case-out, moves the intercept to the operating point, compares with CALIBRATION. */
export function fitCalibration(rows: FitRow[]): FitReport {
  const X = rows.map((r) => scoreFeatures(r.evidence));
  const y: number[] = rows.map((r) => (r.correct ? 1 : 0));
  const cases = [...new Set(rows.map((r) => r.case))];
  const loco = new Array<number>(rows.length).fill(0);
  for (const c of cases) {
    const train = rows.map((r, i) => i).filter((i) => rows[i].case !== c);
    const b = fitLogistic(train.map((i) => X[i]), train.map((i) => y[i]));
    rows.forEach((r, i) => {
      if (r.case === c) loco[i] = linear(b, X[i]);
    });
  }
  let shift = 0;
  const scored = (s: number) => loco.map((z) => sigmoid(z - s));
  while (shift < 10 && !(at(scored(shift), y).precision >= PRECISION_GOAL)) shift += SHIFT_STEP;
  const b = fitLogistic(X, y);
  const coefficients = [b[0] - shift, ...b.slice(1)];
  return {
    rows: rows.length,
    positives: y.reduce((a, v) => a + v, 0),
    fitted: { coefficients, shift, loco: at(scored(shift), y), inSample: at(X.map((x) => sigmoid(linear(coefficients, x))), y) },
    current: at(rows.map((r) => objectScore(r.evidence)), y),
  };
}

export function fitReportText(r: FitReport): string {
  const f2 = (v: number) => v.toFixed(2);
  const op = (o: OperatingPoint) => `${o.correct} correct of ${o.kept} kept (${(100 * o.precision).toFixed(1)} %)`;
  const names = ['b0', ...FEATURE_NAMES];
  return [
    `Score fit (${r.rows} judged lite instances with detector evidence, ${r.positives} correct; ridge ${RIDGE}; intercept moved by −${f2(r.fitted.shift)} to the ${100 * PRECISION_GOAL} %-correct point):`,
    `  fitted:  ${names.map((n, i) => `${n} ${f2(r.fitted.coefficients[i])}`).join(', ')}`,
    `  in use:  ${names.map((n) => `${n} ${CALIBRATION[n as keyof typeof CALIBRATION]}`).join(', ')}  (${CALIBRATION.fittedOn})`,
    `  at >= 0.5 — fitted, leave-one-case-out: ${op(r.fitted.loco)}; fitted, in sample: ${op(r.fitted.inSample)}; in use: ${op(r.current)}`,
    `  To adopt the fitted set, copy it into CALIBRATION (packages/model/src/engines/lite/scoring.ts) — only if its leave-one-case-out line beats the one in use.`,
  ].join('\n');
}
