/**
 * `npm run bench:wordnet`: what words by meaning cost the lite engine (not a test; numbers vary
 * with the CPU and the disk cache). Each round is a fresh process, so "cold" is the first word the
 * hand-made vocabulary lacks in a process that has not touched WordNet: opening the two files,
 * the target/group tables (the ancestors of every target synset) and the word's own lookup.
 * "warm" is a further new word; "repeat" a word already looked up. Memory is what the process
 * holds more after the cold lookup (heap: parsed synsets; rss: also the pages read).
 *
 *   PROMPTSEG_BENCH_REPEAT=9 npm run bench:wordnet
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parsePrompt, resolveLiteConcept as resolveHandMade } from '@promptseg/shared';
import { resolveLiteConcept } from '../../packages/model/src/vocabulary/index.js';

const REPEAT = Math.max(1, Number(process.env.PROMPTSEG_BENCH_REPEAT) || 5);
const WARM_WORDS = ['dalmatian', 'rocket', 'tiger', 'granny smith', 'moccasin', 'spaceship', 'bagel', 'helicopter', 'cardinal', 'lynx'];

interface Round { cold: number; warm: number; repeat: number; hand: number; heapMB: number; rssMB: number }

function child(): void {
  const c = (w: string) => parsePrompt(w).concepts[0];
  const known = c('person');
  resolveHandMade(known); // the hand-made lexicon is built before timing, as in a running engine
  let t = performance.now();
  for (let i = 0; i < 1000; i++) resolveLiteConcept(known);
  const hand = (performance.now() - t) / 1000;
  global.gc?.();
  const m0 = process.memoryUsage();
  const squirrel = c('squirrel');
  t = performance.now();
  resolveLiteConcept(squirrel);
  const cold = performance.now() - t;
  global.gc?.();
  const m1 = process.memoryUsage();
  const concepts = WARM_WORDS.map(c);
  t = performance.now();
  for (const x of concepts) resolveLiteConcept(x);
  const warm = (performance.now() - t) / concepts.length;
  t = performance.now();
  for (let i = 0; i < 100; i++) resolveLiteConcept(squirrel);
  const repeat = (performance.now() - t) / 100;
  const round: Round = { cold, warm, repeat, hand, heapMB: (m1.heapUsed - m0.heapUsed) / 2 ** 20, rssMB: (m1.rss - m0.rss) / 2 ** 20 };
  process.stdout.write(JSON.stringify(round));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.argv.includes('--child')) child();
else {
  const me = fileURLToPath(import.meta.url);
  const rounds: Round[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', me, '--child'], { encoding: 'utf8' });
    rounds.push(JSON.parse(out) as Round);
  }
  const f = (k: keyof Round, d = 2) => median(rounds.map((r) => r[k])).toFixed(d);
  console.log(`WordNet by meaning, median of ${REPEAT} fresh processes:`);
  console.log(`  hand-made vocabulary word (WordNet untouched): ${f('hand', 4)} ms`);
  console.log(`  cold: first unknown word ("squirrel"):         ${f('cold')} ms`);
  console.log(`  warm: a further new word (mean of ${WARM_WORDS.length}):        ${f('warm')} ms`);
  console.log(`  repeat: a word already looked up:              ${f('repeat', 3)} ms`);
  console.log(`  memory added by the cold lookup: heap ${f('heapMB')} MB, rss ${f('rssMB')} MB`);
}
