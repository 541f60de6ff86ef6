/**
 * "Did you mean": the vocabulary words closest to an unknown English one, by edit distance and
 * shared words. Spelling is the right help only for typos: the lite engine looks real words up
 * by meaning in WordNet first (packages/model/src/vocabulary), and Chinese words get no
 * character neighbours (shared characters say nothing about meaning: 松鼠 is no 松饼).
 */
import { lexicon } from './lexicon.js';

/** Levenshtein distance (insert, delete, substitute = 1); a few lines, no dependency needed. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

interface Scored {
  word: string;
  score: number;
}

function best(scored: Scored[], limit: number): string[] {
  return scored
    .sort((a, b) => a.score - b.score || a.word.length - b.word.length || a.word.localeCompare(b.word))
    .slice(0, limit)
    .map((s) => s.word);
}

/** English vocabulary words close to `word` ("puppys" → puppy; "tennis rackett" → tennis racket). */
export function suggestEnglish(word: string, limit = 3): string[] {
  const w = word.toLowerCase();
  const words = new Set(w.split(' '));
  const scored: Scored[] = [];
  for (const term of lexicon().senses.keys()) {
    const d = editDistance(w, term) / Math.max(w.length, term.length);
    const shared = term.split(' ').some((t) => t.length > 2 && words.has(t));
    const score = shared ? Math.min(d, 0.3) - 0.05 : d;
    if (score <= 0.4) scored.push({ word: term, score });
  }
  return best(scored, limit);
}
