/**
 * Candidates (any engine) -> the final instances: clean-up for `fine`, de-duplication, the
 * attribute factors (colour on the mask's pixels, position, size, ordinals), the threshold,
 * counts / top-K per concept, exclusions ("people except the referee"), and the explanation.
 *
 *   final score = engine score x colour match x position factor x size factor
 */
import { roundFactor, roundScore, type Explanation, type Mask, type ParsedConcept, type SegmentOptions } from '@promptseg/shared';
import type { Candidate } from '../engines/engine.js';
import type { RgbImage } from '../io/image.js';
import { ordinalFactors, placement, positionFactors, sizeFactors, type Placed } from './attributes.js';
import { colorMatch } from './color.js';
import { coveredShare, CROSS_CONCEPT_IOU, dedupeByMask, fastMaskIoU, SAME_CONCEPT_IOU } from './dedupe.js';
import { cleanMask } from './morphology.js';

export interface FinalInstance {
  label: string;
  /** The concept text as the user wrote it. */
  concept: string;
  conceptIndex: number;
  score: number;
  mask: Mask;
  why: Explanation;
}

export interface PostprocessInput {
  image: RgbImage;
  candidates: Candidate[];
  /** The flat concept list the engine saw. */
  concepts: ParsedConcept[];
  /** For an exclusion concept, the index of the concept it removes objects from. */
  excludes: (number | undefined)[];
  options: SegmentOptions;
  /** Measure colours on the pixels (closed-vocabulary engines); open-vocabulary engines got the colour in the text. */
  colorOnPixels: boolean;
}

/** A mask smaller than this many pixels is no object. */
const MIN_AREA = 4;
/** An object counts as excluded when this share of it is covered by an excluded object. */
const EXCLUDE_COVER = 0.6;

interface Work {
  c: Candidate;
  mask: Mask;
  score: number;
  placed: Placed;
  why: Explanation;
}


/** Rewrites "… = 0.67" as "… × 0.80 (what) = 0.536". */
function withFactor(formula: string, factor: number, what: string, score: number): string {
  const cut = formula.lastIndexOf(' = ');
  const left = cut >= 0 ? formula.slice(0, cut) : formula;
  return `${left} × ${roundFactor(factor)} (${what}) = ${roundScore(score)}`;
}

function applyAttributes(group: Work[], concept: ParsedConcept, input: PostprocessInput): Work[] {
  const { image, options } = input;
  let items = group;
  if (input.colorOnPixels && concept.colors.length) {
    for (const w of items) {
      const m = colorMatch(image, w.mask, concept.colors);
      w.score *= m.score;
      w.why = { ...w.why, color_match: roundFactor(m.share), attribute_score: roundFactor((w.why.attribute_score ?? 1) * m.score), formula: withFactor(w.why.formula, m.score, `colour ${concept.colors.map((c) => (c.shade ? `${c.shade} ` : '') + c.name).join('+')}`, w.score) };
    }
    items = items.filter((w) => w.score >= options.threshold);
  }
  const ranked: [string, ReturnType<typeof positionFactors> | null][] = [
    ['ordinal', concept.ordinal ? ordinalFactors(items.map((w) => w.placed), concept.ordinal, image.width, image.height) : null],
    ['position', concept.position ? positionFactors(items.map((w) => w.placed), concept.position, image.width, image.height) : null],
    ['size', concept.size ? sizeFactors(items.map((w) => w.placed), concept.size) : null],
  ];
  for (const [what, out] of ranked) {
    if (!out) continue;
    items.forEach((w, i) => {
      const f = out.factor[i];
      w.score *= f;
      const rank = w.why.rank ?? out.rank[i];
      w.why = { ...w.why, ...(rank !== undefined ? { rank } : {}), attribute_score: roundFactor((w.why.attribute_score ?? 1) * f), formula: withFactor(w.why.formula, f, what, w.score) };
    });
  }
  return items.filter((w) => w.score > 0 && w.score >= options.threshold);
}

/** A mask covered at least this much by a better-scored mask of the same concept is the same object. */
const CONTAINED_SHARE = 0.9;

function dropContained(items: Work[]): Work[] {
  const kept: Work[] = [];
  for (const w of [...items].sort((a, b) => b.score - a.score)) {
    if (!kept.some((k) => coveredShare(w.mask, k.mask) >= CONTAINED_SHARE)) kept.push(w);
  }
  return kept;
}

export function postprocess(input: PostprocessInput): FinalInstance[] {
  const { image, candidates, concepts, options } = input;
  // 1. Clean / drop empty masks.
  const work: Work[] = [];
  for (const c of candidates) {
    const mask = options.refine === 'fine' ? cleanMask(c.mask, image) : c.mask;
    const placed = placement(mask);
    if (placed.area < MIN_AREA) continue;
    work.push({ c, mask, score: c.score, placed, why: { ...c.why } });
  }

  // 2. Per concept: de-duplicate, threshold, attributes. User boxes / clicks (conceptIndex -1)
  // are kept as drawn: no threshold, no attributes.
  const byConcept = new Map<number, Work[]>();
  const userPrompts: Work[] = [];
  for (const w of work) {
    if (w.c.conceptIndex < 0) userPrompts.push(w);
    else byConcept.set(w.c.conceptIndex, [...(byConcept.get(w.c.conceptIndex) ?? []), w]);
  }
  const survivors = new Map<number, Work[]>();
  for (const [ci, group] of byConcept) {
    const concept = concepts[ci];
    // Also one object: a mask lying almost wholly inside a better one of the same concept (the
    // cup alone inside "cup with saucer" — two passes boxing the same object differently).
    const unique = dropContained(dedupeByMask(group, SAME_CONCEPT_IOU).kept).filter((w) => w.score >= options.threshold);
    survivors.set(ci, applyAttributes(unique, concept, input));
  }

  // 3. The same object through two concepts or synonyms: keep the better-scored one.
  const mains = [...survivors.entries()].filter(([ci]) => input.excludes[ci] === undefined).flatMap(([, ws]) => ws);
  let kept = dedupeByMask(mains, CROSS_CONCEPT_IOU).kept;

  // 4. Exclusions: drop objects mostly covered by (or equal to) an excluded object.
  for (const [ci, ws] of survivors) {
    const parent = input.excludes[ci];
    if (parent === undefined || !ws.length) continue;
    kept = kept.filter((w) => w.c.conceptIndex !== parent || !ws.some((x) => coveredShare(w.mask, x.mask) >= EXCLUDE_COVER || fastMaskIoU(w.mask, x.mask) > 0.5));
  }

  // 5. Counts ("two dogs") and top-K, per concept, best first.
  const out: Work[] = [];
  const perConcept = new Map<number, number>();
  for (const w of [...kept].sort((a, b) => b.score - a.score)) {
    const ci = w.c.conceptIndex;
    const limit = Math.min(concepts[ci].count ?? Infinity, options.topK ?? Infinity);
    const n = perConcept.get(ci) ?? 0;
    if (n >= limit) continue;
    perConcept.set(ci, n + 1);
    out.push(w);
  }
  out.push(...userPrompts);

  return out
    .sort((a, b) => b.score - a.score)
    .map((w) => ({
      label: w.c.label,
      concept: w.c.conceptIndex >= 0 ? concepts[w.c.conceptIndex].text : w.c.conceptText ?? w.c.label,
      conceptIndex: w.c.conceptIndex,
      score: w.score,
      mask: w.mask,
      why: w.why,
    }));
}
