/**
 * The lite engine's score for a detected COCO object: a calibrated probability that the mask is
 * a correct answer to the concept (IoU >= 0.5 with the object a person means), formed from the
 * engine's evidence by logistic regression fitted on the quality benchmark (test/quality; the
 * fit and its reliability table are printed by `npm run eval:quality -- --fit`).
 *
 *   z = b0 + b1 * logit(detector) + b2 * (detector - rival) + b3 * passes + b4 * logit(mask quality)
 *   score = 1 / (1 + e^-z)
 *
 * - detector: the best raw CenterNet score of the object over the passes that saw it;
 * - rival: the best other class's heatmap score at that cell (an apple that is also an orange);
 * - passes: how many passes (full / zoom-out / tile) saw it, minus one (agreement);
 * - mask quality: SAM's own IoU estimate, clipped to 0.5..0.99.
 * Attribute factors (colour, position, size) multiply the result afterwards (postprocess/).
 */
import { roundFactor, roundScore } from '@promptseg/shared';
import type { PassEvidence } from './passes.js';

/** Fitted coefficients (see the file comment); `fittedOn` says on what. */
export const CALIBRATION = {
  b0: -2,
  detector: 1.6,
  margin: 1.5,
  agreement: 0.5,
  quality: 0.6,
  fittedOn: 'provisional (hand-set before the benchmark fit)',
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

export function objectScore(o: ObjectEvidence): number {
  const c = CALIBRATION;
  const z = c.b0
    + c.detector * logit(clip(o.detector, 0.01, 0.99))
    + c.margin * (o.detector - o.rival)
    + c.agreement * (passCount(o.evidence) - 1)
    + c.quality * logit(clip(o.quality, 0.5, 0.99));
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
