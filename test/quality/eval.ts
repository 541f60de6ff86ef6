/**
 * `npm run eval:quality`: the lite engine's quality benchmark (README, lite, "Quality benchmark").
 * A benchmark, not a test: it prints per-case results, totals per category, the reliability
 * table, time per image and the issue's targets (met / MISSED), and exits 0 either way.
 *
 * Each case runs ONCE at a low threshold (0.1, the lowest the API takes) and the figures at the
 * reporting threshold (default 0.5) are derived by keeping the instances scoring >= it: so the
 * reliability table sees the low scores too. `--check-threshold` also runs every case at the
 * reporting threshold and says whether that gives the same instances.
 *
 *   npm run eval:quality                         # everything
 *   npm run eval:quality -- --filter neg-        # cases whose id contains "neg-"
 *   npm run eval:quality -- --json out.json      # every instance: score, why, IoU, correct
 *   npm run eval:quality -- --threshold 0.4      # report at another threshold
 *   npm run eval:quality -- --fit                # also fit the score's coefficients (fit.ts) and compare
 *   npm run eval:quality -- --build-refs         # rebuild refs.json + overlays from cases.json
 *   npm run eval:quality -- --show-generated     # overlays of the generated cases, to check them by eye
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { SegmentOptionsSchema, THRESHOLD_MIN, maskIoU, type Mask } from '@promptseg/shared';
import { clearEmbeddingCache, segment, warmup } from '@promptseg/model';
import { join } from 'node:path';
import { ARTIFACTS_DIR, loadCases, loadRefs, CATEGORIES, type CaseKind } from './cases.ts';
import { buildReferences, writeGeneratedOverlays } from './refs.ts';
import { generatedCases, photoCases, type EvalCase } from './generate.ts';
import { reliability, targets, totals, type CaseOutcome, type Found, type Totals } from './score.ts';
import { runCase } from './run.ts';
import { evidenceFromWhy, fitCalibration, fitReportText, type FitRow } from './fit.ts';

const DEFAULT_THRESHOLD = SegmentOptionsSchema.parse({}).threshold;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '—');
const f2 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));

function caseLine(o: CaseOutcome, threshold: number): string {
  const refs = o.refs.map((r) => (r.found ? `found IoU ${f2(r.iou)} s ${f2(r.score)} #${r.rank}` : `MISSED${r.score !== undefined ? ` (s ${f2(r.score)} #${r.rank} IoU ${f2(r.iou)})` : o.all.length ? ` (best IoU ${f2(Math.max(...o.all.map((i) => i.bestIoU)))})` : ' (nothing)'}`)).join('; ');
  const wrong = o.kept.filter((i) => i.correct === false);
  const fp = wrong.length ? `  FP ${wrong.length} (${wrong.map((i) => f2(i.score)).join(', ')})` : '';
  const dc = o.kept.filter((i) => i.correct === null).length;
  const neg = o.refs.length === 0 ? (o.kept.length ? `INSTANCE ${o.kept.map((i) => f2(i.score)).join(', ')}` : 'empty, ok') : refs;
  const low = o.all.length - o.kept.length;
  return `${o.id.padEnd(38)} ${o.category.padEnd(13)} ${o.prompt.padEnd(12)} ${neg}${fp}${dc ? `  (${dc} don't care)` : ''}${low ? `  [+${low} below ${threshold}]` : ''}  ${Math.round(o.ms)} ms`;
}

function totalsRow(name: string, t: Totals): string {
  const neg = t.negatives ? `${t.negativesWithInstance}/${t.negatives}` : '—';
  return `${name.padEnd(16)} ${String(t.cases).padStart(5)} ${`${t.found}/${t.refs}`.padStart(8)} ${pct(t.recall).padStart(8)} ${f2(t.meanIoU).padStart(8)} ${`${t.correct}/${t.correct + t.wrong}`.padStart(9)} ${pct(t.calibration).padStart(8)} ${String(t.dontCare).padStart(5)} ${neg.padStart(10)}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function report(outcomes: CaseOutcome[], threshold: number, low: number): string {
  const lines: string[] = [];
  lines.push(`Per case (threshold ${threshold}; "s" = score, "#" = rank by score, both from the run at ${low}):`);
  for (const o of outcomes) lines.push('  ' + caseLine(o, threshold));
  lines.push('');
  lines.push(`Totals at threshold ${threshold} (calibration = correct / judged instances >= threshold; "don't care" = unannotated extras in incomplete cases):`);
  lines.push(`  ${'category'.padEnd(16)} ${'cases'.padStart(5)} ${'found'.padStart(8)} ${'recall'.padStart(8)} ${'mean IoU'.padStart(8)} ${'correct'.padStart(9)} ${'calib.'.padStart(8)} ${'d.c.'.padStart(5)} ${'neg w/ inst'.padStart(10)}`);
  for (const cat of CATEGORIES) {
    const sub = outcomes.filter((o) => o.category === cat);
    if (sub.length) lines.push('  ' + totalsRow(cat, totals(sub)));
  }
  const kinds: CaseKind[] = ['photo', 'crop', 'product', 'composite', 'background'];
  for (const k of kinds) {
    const sub = outcomes.filter((o) => o.kind === k);
    if (sub.length) lines.push('  ' + totalsRow(`(${k})`, totals(sub)));
  }
  lines.push('  ' + totalsRow('ALL', totals(outcomes)));
  lines.push('');
  lines.push(`Reliability (every instance of the run at ${low}, by score):`);
  lines.push('  score      count  correct  wrong  d.c.  share correct');
  for (const b of reliability(outcomes)) {
    const judged = b.correct + b.wrong;
    lines.push(`  ${b.lo.toFixed(1)}–${b.hi.toFixed(1)}  ${String(b.count).padStart(6)}  ${String(b.correct).padStart(7)}  ${String(b.wrong).padStart(5)}  ${String(b.dontCare).padStart(4)}  ${judged ? pct(b.correct / judged).padStart(13) : '—'.padStart(13)}`);
  }
  const first = outcomes.map((o) => o.firstMs).filter((v): v is number => v !== undefined);
  lines.push('');
  lines.push(`Time per image (first prompt on an image, empty embedding cache, ${first.length} images): median ${Math.round(median(first))} ms, max ${Math.round(Math.max(...first))} ms` +
    ` — ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} (a quality run, not a speed benchmark: see npm run bench).`);
  lines.push('');
  lines.push('Targets (issue 10):');
  for (const t of targets(outcomes)) lines.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.unit === 'iou' ? f2(t.value) : pct(t.value)} (goal ≥ ${t.unit === 'iou' ? f2(t.goal) : pct(t.goal)}; ${t.over})`);
  return lines.join('\n');
}

/** The instances of a run at `threshold` vs the low run's instances kept at it: same scores and masks? */
function sameInstances(a: Found[], b: Found[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort((x, y) => y.score - x.score), sb = [...b].sort((x, y) => y.score - x.score);
  return sa.every((x, i) => Math.abs(x.score - sb[i].score) < 1e-9 && maskIoU(x.mask, sb[i].mask as Mask) > 0.999);
}

async function main(): Promise<void> {
  const cases = loadCases();
  const filter = arg('--filter');
  if (process.argv.includes('--build-refs')) {
    console.log('Building reference masks from the prompts in cases.json:');
    await buildReferences(cases, { filter });
    return;
  }
  const threshold = Number(arg('--threshold') ?? DEFAULT_THRESHOLD);
  const low = THRESHOLD_MIN;
  if (!(threshold >= low && threshold <= 1)) throw new Error(`--threshold must be between ${low} and 1`);
  const jsonFile = arg('--json');
  const check = process.argv.includes('--check-threshold');

  const stale: string[] = [];
  const src = { cases, store: loadRefs(), onStale: (id: string) => stale.push(id) };
  const t0 = performance.now();
  const photo = await photoCases(src);
  const all = [...photo, ...(await generatedCases(src, photo))].filter((c) => !filter || c.id.includes(filter));
  if (process.argv.includes('--show-generated')) {
    const n = await writeGeneratedOverlays(all.filter((c) => c.kind !== 'photo'));
    console.log(`Wrote ${n} overlays of generated cases (reference mask tinted) to ${join(ARTIFACTS_DIR, 'generated')}.`);
    return;
  }
  if (stale.length) console.log(`Note: ${stale.length} reference(s) changed since refs.json was built and were cut again for this run (${stale.join(', ')}); run --build-refs and look at the overlays.`);
  const count = (k: string) => all.filter((c) => c.category === k).length;
  console.log(`Quality benchmark: ${all.length} cases (${CATEGORIES.map((k) => `${count(k)} ${k}`).join(', ')}); ${all.filter((c) => c.kind === 'photo').length} hand-annotated photo cases, ${all.filter((c) => c.kind !== 'photo').length} generated. Lite engine, run at threshold ${low}, reported at ${threshold}.`);
  await warmup('lite');
  clearEmbeddingCache();

  const outcomes: CaseOutcome[] = [];
  const mismatched: string[] = [];
  for (const c of all) {
    const { outcome, found } = await runCase(c, low, threshold);
    outcomes.push(outcome);
    if (check) {
      const at = await segment(c.bytes, c.prompt, { engine: 'lite', threshold });
      const direct: Found[] = at.result.instances.map((inst, i) => ({ score: inst.score, mask: at.masks[i] }));
      if (!sameInstances(direct, found.filter((f) => f.score >= threshold))) mismatched.push(c.id);
    }
  }
  console.log(report(outcomes, threshold, low));
  if (check) console.log(mismatched.length ? `\nThreshold check: a run at ${threshold} differs from the run at ${low} filtered to >= ${threshold} in ${mismatched.length} case(s): ${mismatched.join(', ')}` : `\nThreshold check: a run at ${threshold} gives exactly the instances of the run at ${low} filtered to >= ${threshold}, in all ${all.length} cases.`);
  console.log(`\n${all.length} cases in ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
  if (process.argv.includes('--fit')) {
    const rows: FitRow[] = outcomes.flatMap((o) => o.all.flatMap((i) => {
      const evidence = evidenceFromWhy(i.why);
      return evidence && i.correct !== null ? [{ case: o.id, evidence, correct: i.correct }] : [];
    }));
    console.log('\n' + fitReportText(fitCalibration(rows)));
  }

  if (jsonFile) {
    const rows = outcomes.flatMap((o) => o.all.map((i) => ({ case: o.id, kind: o.kind, category: o.category, prompt: o.prompt, complete: o.complete, score: i.score, rank: i.rank, best_iou: Math.round(i.bestIoU * 1000) / 1000, correct: i.correct, kept: i.score >= threshold, why: i.why })));
    const refs = outcomes.flatMap((o) => o.refs.map((r) => ({ case: o.id, category: o.category, ...r })));
    writeFileSync(jsonFile, JSON.stringify({ threshold, low, instances: rows, references: refs, targets: targets(outcomes) }, null, 1));
    console.log(`Wrote ${rows.length} instances and ${refs.length} references to ${jsonFile}.`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
