/**
 * Scoring a case's instances against its references, and the totals. Pure functions.
 *
 * Matching (per case, per threshold): the instances scoring >= the threshold, best score first,
 * each take the still-unmatched reference they overlap most; IoU >= 0.5 makes a match (the
 * instance is correct, the reference found). An unmatched instance is wrong when the case is
 * complete (every object of the concept is annotated) or when it overlaps a reference (IoU >=
 * 0.1: a duplicate or a bad cut of an annotated object); otherwise — an unannotated extra in an
 * incomplete case — it is "don't care" and left out of precision and calibration.
 */
import { maskBox, maskIoU, type Explanation, type Mask } from '@promptseg/shared';
import type { EvalCase } from './generate.ts';

export const MATCH_IOU = 0.5;
export const DONT_CARE_MAX_IOU = 0.1;

export interface Found {
  score: number;
  mask: Mask;
  why?: Explanation;
}

/** An instance after matching: correct (true), wrong (false) or don't care (null). */
export interface ScoredInstance {
  score: number;
  /** Best IoU with any reference of the case. */
  bestIoU: number;
  correct: boolean | null;
  /** Index of the reference it matched. */
  ref?: number;
  /** 1-based position by score among the case's instances. */
  rank: number;
  why?: Explanation;
}

export interface RefOutcome {
  id: string;
  found: boolean;
  iou: number;
  score?: number;
  rank?: number;
  /** Longest side of the reference's bounding box, pixels. */
  side: number;
}

/** Matches the instances (at or above `threshold`) of one case to its references. */
export function matchCase(found: Found[], refs: Mask[], complete: boolean, threshold: number): { instances: ScoredInstance[]; matchedIoU: (number | undefined)[]; matchedBy: (number | undefined)[] } {
  const order = found.map((f, i) => ({ f, i })).filter((x) => x.f.score >= threshold).sort((a, b) => b.f.score - a.f.score);
  const matchedIoU: (number | undefined)[] = refs.map(() => undefined);
  const matchedBy: (number | undefined)[] = refs.map(() => undefined);
  const instances: ScoredInstance[] = [];
  order.forEach(({ f }, k) => {
    const ious = refs.map((r) => maskIoU(f.mask, r));
    const bestIoU = ious.length ? Math.max(...ious) : 0;
    let pick = -1;
    for (let r = 0; r < refs.length; r++) if (matchedIoU[r] === undefined && ious[r] >= MATCH_IOU && (pick < 0 || ious[r] > ious[pick])) pick = r;
    let correct: boolean | null;
    if (pick >= 0) {
      matchedIoU[pick] = ious[pick];
      matchedBy[pick] = k;
      correct = true;
    } else {
      correct = complete || bestIoU >= DONT_CARE_MAX_IOU ? false : null;
    }
    instances.push({ score: f.score, bestIoU, correct, ...(pick >= 0 ? { ref: pick } : {}), rank: k + 1, ...(f.why ? { why: f.why } : {}) });
  });
  return { instances, matchedIoU, matchedBy };
}

export function refSide(m: Mask): number {
  const [, , w, h] = maskBox(m);
  return Math.max(w, h);
}

/** A case's outcome carries the case's own description (EvalCase in generate.ts). */
export interface CaseOutcome extends Pick<EvalCase, 'id' | 'kind' | 'category' | 'prompt' | 'complete' | 'origin'> {
  /** Every instance the low-threshold run returned, matched at that threshold (ranks, reliability). */
  all: ScoredInstance[];
  /** The instances at the reporting threshold, matched among themselves. */
  kept: ScoredInstance[];
  refs: RefOutcome[];
  /** Wall time of the first prompt on this image (empty embedding cache), ms; undefined on a cache hit. */
  firstMs?: number;
  ms: number;
}

export function scoreCase(base: Omit<CaseOutcome, 'all' | 'kept' | 'refs'>, found: Found[], refs: Mask[], refIds: string[], low: number, threshold: number): CaseOutcome {
  const all = matchCase(found, refs, base.complete, low);
  const kept = matchCase(found, refs, base.complete, threshold);
  const refOut: RefOutcome[] = refs.map((m, r) => {
    const k = kept.matchedBy[r];
    const a = all.matchedBy[r];
    return {
      id: refIds[r],
      found: k !== undefined,
      iou: kept.matchedIoU[r] ?? all.matchedIoU[r] ?? 0,
      // score / rank of the match at the low threshold (what a lower threshold would have found)
      ...(a !== undefined ? { score: all.instances[a].score, rank: all.instances[a].rank } : {}),
      side: refSide(m),
    };
  });
  return { ...base, all: all.instances, kept: kept.instances, refs: refOut };
}

export interface Totals {
  cases: number;
  refs: number;
  found: number;
  recall: number;
  meanIoU: number;
  /** Instances at the threshold: correct / wrong / don't care. */
  correct: number;
  wrong: number;
  dontCare: number;
  /** Share of judged instances (correct + wrong) that are correct. */
  calibration: number;
  /** Negative cases (no references) and those with any instance. */
  negatives: number;
  negativesWithInstance: number;
}

export function totals(outcomes: CaseOutcome[]): Totals {
  const refs = outcomes.flatMap((o) => o.refs);
  const found = refs.filter((r) => r.found);
  const kept = outcomes.flatMap((o) => o.kept);
  const correct = kept.filter((i) => i.correct === true).length;
  const wrong = kept.filter((i) => i.correct === false).length;
  const negatives = outcomes.filter((o) => o.refs.length === 0);
  return {
    cases: outcomes.length,
    refs: refs.length,
    found: found.length,
    recall: refs.length ? found.length / refs.length : NaN,
    meanIoU: found.length ? found.reduce((a, r) => a + r.iou, 0) / found.length : NaN,
    correct,
    wrong,
    dontCare: kept.length - correct - wrong,
    calibration: correct + wrong ? correct / (correct + wrong) : NaN,
    negatives: negatives.length,
    negativesWithInstance: negatives.filter((o) => o.kept.length > 0).length,
  };
}

export interface Bucket {
  lo: number;
  hi: number;
  count: number;
  correct: number;
  wrong: number;
  dontCare: number;
}

/** Score buckets 0.1–0.2 … 0.9–1.0 over every instance of the low-threshold run. */
export function reliability(outcomes: CaseOutcome[]): Bucket[] {
  const buckets: Bucket[] = [];
  for (let b = 1; b < 10; b++) buckets.push({ lo: b / 10, hi: (b + 1) / 10, count: 0, correct: 0, wrong: 0, dontCare: 0 });
  for (const i of outcomes.flatMap((o) => o.all)) {
    const b = buckets[Math.min(8, Math.max(0, Math.floor(i.score * 10 + 1e-9) - 1))];
    b.count++;
    if (i.correct === true) b.correct++;
    else if (i.correct === false) b.wrong++;
    else b.dontCare++;
  }
  return buckets;
}

export interface Target {
  name: string;
  value: number;
  goal: number;
  /** How many cases / objects / instances the value is over. */
  over: string;
  /** 'share' (printed as %) or 'iou'. */
  unit: 'share' | 'iou';
  met: boolean;
}

/** The quality targets, measured on these outcomes. */
export function targets(outcomes: CaseOutcome[]): Target[] {
  const all = totals(outcomes);
  const frame = totals(outcomes.filter((o) => o.category === 'frame-filling'));
  const refs = outcomes.flatMap((o) => o.refs);
  const small = refs.filter((r) => r.side >= 24 && r.side <= 40);
  const smallRecall = small.length ? small.filter((r) => r.found).length / small.length : NaN;
  const negShare = all.negatives ? (all.negatives - all.negativesWithInstance) / all.negatives : NaN;
  // NaN (nothing to measure, e.g. a --filter run without such cases) is not met
  const t = (name: string, value: number, goal: number, over: string, unit: Target['unit'] = 'share'): Target => ({ name, value, goal, over, unit, met: value >= goal });
  return [
    t('recall at the default threshold, overall', all.recall, 0.9, `${all.found}/${all.refs} objects`),
    t('recall on frame-filling objects', frame.recall, 0.95, `${frame.found}/${frame.refs} objects`),
    t('recall on objects of 24–40 px', smallRecall, 0.7, `${small.filter((r) => r.found).length}/${small.length} objects`),
    t('mean IoU of found objects', all.meanIoU, 0.85, `${all.found} found`, 'iou'),
    t('negative cases with no instance', negShare, 0.95, `${all.negatives - all.negativesWithInstance}/${all.negatives} cases`),
    t('instances >= threshold that are correct', all.calibration, 0.9, `${all.correct}/${all.correct + all.wrong} judged instances`),
  ];
}
