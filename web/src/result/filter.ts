/**
 * Client-side filtering: every job is run at the lowest threshold (0.1), so moving the threshold
 * slider or changing top-K only hides or shows instances already received — no new request.
 * Top-K is applied after the threshold, over the score order (as the service does).
 */
import type { Instance } from '@promptseg/shared';

export interface FilterSettings {
  threshold: number;
  /** undefined = no limit. */
  topK?: number;
}

/** Instances by descending score; ties keep the service's order (stable sort). */
export function byScore<T extends { score: number }>(instances: readonly T[]): T[] {
  return [...instances].sort((a, b) => b.score - a.score);
}

/** Entries whose instance passes the threshold and top-K, best first. */
export function passingBy<T>(entries: readonly T[], inst: (t: T) => Instance, s: FilterSettings): T[] {
  // A score printed as 0.50 must pass a 0.50 threshold: compare with a small tolerance.
  const kept = [...entries].sort((a, b) => inst(b).score - inst(a).score).filter((e) => inst(e).score + 1e-9 >= s.threshold);
  return s.topK !== undefined && s.topK > 0 ? kept.slice(0, s.topK) : kept;
}

export function passing(instances: readonly Instance[], s: FilterSettings): Instance[] {
  return passingBy(instances, (i) => i, s);
}

/** Parses the top-K box: blank, zero or junk mean "all". */
export function parseTopK(text: string): number | undefined {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
