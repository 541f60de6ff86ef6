/**
 * Client-side filtering: every job is run at the lowest threshold (0.1), so moving the threshold
 * slider or changing top-K only hides or shows instances already received — no new request.
 * Top-K is applied after the threshold, per concept, over the score order — as the CLI and the
 * service do ("person, ball" with top-K 1 keeps the best person AND the best ball).
 */
import type { Instance } from '@promptseg/shared';

export interface FilterSettings {
  threshold: number;
  /** undefined = no limit. Per concept. */
  topK?: number;
}

/** Instances by descending score; ties keep the service's order (stable sort). */
export function byScore<T extends { score: number }>(instances: readonly T[]): T[] {
  return [...instances].sort((a, b) => b.score - a.score);
}

/** A score printed as 0.50 must pass a 0.50 threshold: compare with a small tolerance. */
export const passesThreshold = (score: number, threshold: number): boolean => score + 1e-9 >= threshold;

/** Entries whose instance passes the threshold and the per-concept top-K, best first. */
export function passingBy<T>(entries: readonly T[], inst: (t: T) => Instance, s: FilterSettings): T[] {
  const kept = [...entries].sort((a, b) => inst(b).score - inst(a).score).filter((e) => passesThreshold(inst(e).score, s.threshold));
  if (s.topK === undefined || s.topK <= 0) return kept;
  const perConcept = new Map<string, number>();
  return kept.filter((e) => {
    const key = inst(e).concept || inst(e).label;
    const n = perConcept.get(key) ?? 0;
    perConcept.set(key, n + 1);
    return n < (s.topK ?? Infinity);
  });
}

export function passing(instances: readonly Instance[], s: FilterSettings): Instance[] {
  return passingBy(instances, (i) => i, s);
}

/** What the filters hide, for an honest status: how many are under the threshold (and the best of them), how many top-K drops. */
export interface Hidden {
  belowThreshold: number;
  /** Best score among those under the threshold. */
  bestBelow?: number;
  byTopK: number;
}

export function hiddenBy<T>(entries: readonly T[], inst: (t: T) => Instance, s: FilterSettings): Hidden {
  const below = entries.map(inst).filter((i) => !passesThreshold(i.score, s.threshold));
  const passingCount = passingBy(entries, inst, s).length;
  return {
    belowThreshold: below.length,
    bestBelow: below.length ? Math.max(...below.map((i) => i.score)) : undefined,
    byTopK: entries.length - below.length - passingCount,
  };
}

/** The slider value (a 0.05 step, at least 0.1) that shows an instance scoring `score`. */
export function thresholdToShow(score: number, min = 0.1, step = 0.05): number {
  return Math.max(min, Math.floor((score + 1e-9) / step) * step);
}

/** Parses the top-K box: blank, zero or junk mean "all". */
export function parseTopK(text: string): number | undefined {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
