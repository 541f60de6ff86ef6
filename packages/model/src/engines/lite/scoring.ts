/**
 * The lite engine's score for a detected COCO object: a logistic function of the engine's
 * evidence whose 0.5 point is the benchmark's operating point — of the instances scoring >= 0.5 on
 * the quality benchmark (test/quality), at least 90 % are correct (README, lite, "The score").
 *
 *   z = b0 + b1 * logit(detector) + b2 * (detector - rival) + b3 * passes + b4 * logit(mask quality)
 *   score = 1 / (1 + e^-z)
 *
 * - detector: the best raw CenterNet score of the object over the passes that saw it;
 * - rival: the best other class's heatmap score at that cell (an apple that is also an orange);
 * - passes: how many passes (full / zoom-out / tile) saw it, minus one (agreement);
 * - mask quality: SAM's own IoU estimate, clipped to 0.5..0.99.
 * Attribute factors (colour, position, size) multiply the result afterwards (postprocess/).
 *
 * The coefficients are hand-set, and kept after a fit: `npm run eval:quality -- --fit` fits this
 * same form by ridge logistic regression on the benchmark's judged instances, moves its intercept
 * to the 90 %-correct operating point under leave-one-case-out validation, and prints both sets
 * side by side. On the benchmark of 2026-12-05 the fitted set kept fewer correct instances at
 * that precision than the hand-set one (README, lite), so the hand-set one stays; refit after any
 * change to the detector or the passes.
 */
import { roundFactor, roundScore } from '@promptseg/shared';
import type { PassEvidence } from './passes.js';

/** The coefficients (see the file comment); `fittedOn` says where they come from. */
export const CALIBRATION = {
  b0: -2,
  detector: 1.6,
  margin: 1.5,
  agreement: 0.5,
  quality: 0.6,
  fittedOn: 'hand-set; kept over the benchmark fit of 2026-12-05 (more correct instances at >= 90 % precision)',
} as const;

export interface ObjectEvidence {
  detector: number;
  rival: number;
  evidence: PassEvidence;
  quality: number;
}

const logit = (p: number) => Math.log(p / (1 - p));
const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function passCount(e: PassEvidence): number {
  return Number(e.full !== undefined) + Number(e['zoom-out'] !== undefined) + Number(e.tile !== undefined);
}

/** The evidence as the features of the logistic form, in the order of FEATURE_NAMES (no intercept). */
export const FEATURE_NAMES = ['detector', 'margin', 'agreement', 'quality'] as const;
export function scoreFeatures(o: ObjectEvidence): number[] {
  return [logit(clip(o.detector, 0.01, 0.99)), o.detector - o.rival, passCount(o.evidence) - 1, logit(clip(o.quality, 0.5, 0.99))];
}

export function objectScore(o: ObjectEvidence): number {
  const c = CALIBRATION;
  const f = scoreFeatures(o);
  const z = c.b0 + FEATURE_NAMES.reduce((a, name, k) => a + c[name] * f[k], 0);
  return 1 / (1 + Math.exp(-z));
}

/** The best score an object with this detector evidence can reach (mask quality at its cap): decode only if >= threshold. */
export function objectScoreBound(o: Omit<ObjectEvidence, 'quality'>): number {
  return objectScore({ ...o, quality: 1 });
}

/** The formula with its numbers, for why.formula. */
export function objectFormula(o: ObjectEvidence, score: number): string {
  const c = CALIBRATION;
  const n = passCount(o.evidence) - 1;
  return `σ(${c.b0} + ${c.detector}·logit ${roundFactor(o.detector)} (detector) + ${c.margin}·(${roundFactor(o.detector)} − ${roundFactor(o.rival)} rival) + ${c.agreement}·${n} (more passes) + ${c.quality}·logit ${roundFactor(clip(o.quality, 0.5, 0.99))} (mask quality)) = ${roundScore(score)}`;
}
