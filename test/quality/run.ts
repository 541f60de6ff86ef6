/** One benchmark case through the public API: segment() on the lite engine, defaults except the threshold. */
import { segment } from '@promptseg/model';
import type { EvalCase } from './generate.ts';
import { scoreCase, type CaseOutcome, type Found } from './score.ts';

export interface RunResult {
  outcome: CaseOutcome;
  found: Found[];
}

/** One case through segment() (lite, defaults except the threshold). */
export async function runCase(c: EvalCase, low: number, threshold: number): Promise<RunResult> {
  const t = performance.now();
  const out = await segment(c.bytes, c.prompt, { engine: 'lite', threshold: low });
  const ms = performance.now() - t;
  const found: Found[] = out.result.instances.map((inst, i) => ({ score: inst.score, mask: out.masks[i], ...(inst.why ? { why: inst.why } : {}) }));
  const miss = out.result.cache?.embedding === 'miss';
  const outcome = scoreCase({ id: c.id, kind: c.kind, category: c.category, prompt: c.prompt, complete: c.complete, origin: c.origin, ms, ...(miss ? { firstMs: ms } : {}) }, found, c.refs, c.refIds, low, threshold);
  return { outcome, found };
}

