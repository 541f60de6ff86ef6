/**
 * Optimal one-to-one assignment (detections to tracks) with the Hungarian / Munkres algorithm
 * from the `munkres` package (maintained, MIT, no dependencies, rectangular matrices). Greedy
 * matching by best score is not enough for crossing objects: when two tracks both overlap the
 * same detection best, greedy can give one its second choice and leave a detection orphaned,
 * which then becomes a new id (an id switch). The optimum maximises the summed similarity.
 */
import munkres from 'munkres';

/**
 * Pairs [row, col] maximising the summed `similarity[row][col]`, keeping only pairs at or above
 * `min` (pairs below it are never forced in: they are treated as impossible).
 */
export function assign(similarity: readonly (readonly number[])[], min: number): [number, number][] {
  const rows = similarity.length, cols = rows ? similarity[0].length : 0;
  if (!rows || !cols) return [];
  // Costs: 1 - similarity; impossible pairs cost more than any feasible full assignment's gain.
  const BIG = 1 + rows + cols;
  const cost = similarity.map((r) => r.map((s) => (s >= min ? 1 - s : BIG)));
  return munkres(cost).filter(([r, c]) => similarity[r][c] >= min);
}
