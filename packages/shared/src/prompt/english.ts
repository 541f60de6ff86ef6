/**
 * English phrases for parsed concepts: `ParsedConcept.english` (the whole concept, shown in results
 * and explanations) and `toEnglishPhrase` (what an English text encoder such as SAM 3's reads).
 */
import { POSITION_WORDS, SIZE_WORDS } from '../vocabulary/attributes.js';
import { pluralize } from '../vocabulary/inflect.js';
import { EN_NUMBERS, EN_ORDINALS } from '../vocabulary/grammar-words.js';
import type { ColorAttr, ParsedConcept } from './types.js';

const NUMBER_WORD = new Map<number, string>(
  Object.entries(EN_NUMBERS).filter(([w]) => /^[a-z]+$/.test(w) && w !== 'both').map(([w, n]) => [n, w]),
);
const ORDINAL_WORD = new Map<number, string>(Object.entries(EN_ORDINALS).map(([w, n]) => [n, w]));

function ordinalWord(n: number): string {
  const word = ORDINAL_WORD.get(n);
  if (word) return word;
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function colorPhrase(colors: ColorAttr[]): string {
  const names = colors.map((c) => (c.shade ? `${c.shade} ${c.name}` : c.name));
  return names.length > 2 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join(' and ');
}

/** The concept's noun phrase with its colours: "red car", "light blue shirt", "black and white cat". */
export function visualPhrase(c: Pick<ParsedConcept, 'head' | 'colors'>, plural = false): string {
  const head = plural ? pluralize(c.head) : c.head;
  return [colorPhrase(c.colors), head].filter(Boolean).join(' ');
}

/** The whole concept in English: "two red cars", "second person from the left", "person except the person on the left". */
export function englishPhrase(c: Omit<ParsedConcept, 'english'>): string {
  const words: string[] = [];
  if (c.ordinal) words.push(ordinalWord(c.ordinal.n));
  if (c.count !== undefined) words.push(NUMBER_WORD.get(c.count) ?? String(c.count));
  if (c.size) {
    const s = SIZE_WORDS.find((w) => w.size === c.size?.size);
    if (s) words.push(c.size.superlative ? s.superlativeWord : s.word);
  }
  const position = c.position && !c.ordinal ? POSITION_WORDS.find((p) => p.side === c.position?.side) : undefined;
  if (position && c.position?.superlative) words.push(position.superlativeWord);
  words.push(visualPhrase(c, c.count !== undefined && c.count > 1));
  if (position && !c.position?.superlative) words.push(position.phrase);
  if (c.ordinal) words.push(`from the ${c.ordinal.from === 'center' ? 'middle' : c.ordinal.from}`);
  if (c.exclude?.length) words.push('except', c.exclude.map((e) => `the ${e.english}`).join(' and '));
  return words.join(' ');
}

export type EnglishPhraseResult = { ok: true; phrase: string } | { ok: false; message: string };

/**
 * What an open-vocabulary engine with an English text encoder (sam3) should read for a concept.
 * By default the noun phrase with its colours ("红色的车" → "red car"): count, position, size,
 * ordinal and exclusion are applied to the instances afterwards, the same way for every engine,
 * and a referring phrase ("person on the left") is not a concept such a model segments well.
 * `{ full: true }` gives the whole phrase (`concept.english`). A Chinese concept whose noun is not
 * in the vocabulary has no translation: ok:false with a message, so nothing untranslated is ever
 * tokenised by an English tokenizer.
 */
export function toEnglishPhrase(c: ParsedConcept, options: { full?: boolean } = {}): EnglishPhraseResult {
  if (c.untranslated) {
    return {
      ok: false,
      message:
        `"${c.headText}" has no English translation in promptseg's vocabulary, and the sam3 engine reads English only; ` +
        'write this concept in English.',
    };
  }
  return { ok: true, phrase: options.full ? c.english : visualPhrase(c) };
}
