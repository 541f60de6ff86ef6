/**
 * The lexicon: the vocabulary data (objects, categories, parts, attributes, grammar words) turned
 * into lookup tables, built once on first use.
 *
 * - `senseOf(term)`: what an English vocabulary word means to the lite engine (classes or a part).
 * - `enSurface(words)`: the readings of an English word or phrase as written (plurals included).
 * - `zhSurface(text)`: the readings of a Chinese word (simplified; see traditional.ts).
 *
 * A surface form can have several readings ("orange": a fruit and a colour; "头": a head and the
 * measure word of 两头牛); the parser chooses by context.
 */
import type { ColorAttr, Side } from '../prompt/types.js';
import type { LiteTarget } from './coco.js';
import { OBJECT_WORDS } from './objects.js';
import { CATEGORY_WORDS } from './categories.js';
import { PART_WORDS } from './parts.js';
import { COLOR_WORDS, POSITION_WORDS, SHADED_COLOR_WORDS, SHADE_WORDS, SIZE_WORDS, type PositionWords, type SizeWords } from './attributes.js';
import {
  EN_CONJUNCTIONS, EN_EXCLUDE_MARKERS, EN_FILLER, EN_FROM, EN_NUMBERS, EN_ORDINALS, EN_PREPOSITIONS, ZH_COLLECTIVE,
  ZH_CONJUNCTIONS, ZH_EXCLUDE_CLOSERS, ZH_EXCLUDE_MARKERS, ZH_FILLER, ZH_FROM, ZH_MEASURE_WORDS, ZH_ORDINAL_PREFIX,
} from './grammar-words.js';
import { pluralize } from './inflect.js';

export type Reading =
  /** A vocabulary noun: `term` is its singular English word ("woman" for "women" and for "女人"). */
  | { role: 'noun'; term: string }
  | { role: 'color'; color: ColorAttr }
  | { role: 'shade'; shade: 'light' | 'dark' }
  | { role: 'position'; side: Side; superlative: boolean }
  | { role: 'size'; size: 'large' | 'small'; superlative: boolean }
  | { role: 'number'; n: number }
  | { role: 'ordinal'; n: number }
  | { role: 'ordinal-prefix' }
  | { role: 'measure' }
  | { role: 'collective' }
  | { role: 'filler' }
  | { role: 'prep' }
  | { role: 'conj' }
  | { role: 'exclude' }
  | { role: 'exclude-close' }
  | { role: 'from' };

export type Role = Reading['role'];

/** What a vocabulary noun means to the lite engine. */
export interface Sense {
  /** The English vocabulary word ("puppy"). */
  term: string;
  target: LiteTarget;
  /** What the engine looks for, as shown in results ("dog", "animal", "upper body garment"). */
  label: string;
  kind: 'class' | 'category' | 'part';
}

export interface Lexicon {
  senses: Map<string, Sense>;
  en: Map<string, Reading[]>;
  zh: Map<string, Reading[]>;
  /** Longest English surface form, in words, and Chinese one, in characters. */
  enMaxWords: number;
  zhMaxChars: number;
  /** Chinese words per English vocabulary word, for messages ("猫" for "cat"). */
  zhOf: Map<string, string[]>;
}

/** The word lists positions and sizes share (attributes.ts). */
type GradedWords = Pick<PositionWords & SizeWords, 'en' | 'enSuperlative' | 'zh' | 'zhSuperlative'>;

let built: Lexicon | undefined;

export function lexicon(): Lexicon {
  built ??= buildLexicon();
  return built;
}

function add(map: Map<string, Reading[]>, key: string, reading: Reading): void {
  // Hyphens separate words in the tokenizer ("t-shirt" → "t shirt"), so keys do too.
  const k = key.toLowerCase().replace(/-/g, ' ').trim();
  const list = map.get(k);
  if (!list) map.set(k, [reading]);
  else if (!list.some((r) => JSON.stringify(r) === JSON.stringify(reading))) list.push(reading);
}

function buildLexicon(): Lexicon {
  const senses = new Map<string, Sense>();
  const en = new Map<string, Reading[]>();
  const zh = new Map<string, Reading[]>();
  const zhOf = new Map<string, string[]>();

  const addNoun = (words: readonly string[], zhWords: Readonly<Record<string, string>>, sense: Omit<Sense, 'term'>) => {
    for (const w of words) senses.set(w, { ...sense, term: w });
    for (const [zhWord, term] of Object.entries(zhWords)) {
      add(zh, zhWord, { role: 'noun', term });
      zhOf.set(term, [...(zhOf.get(term) ?? []), zhWord]);
    }
  };
  for (const o of OBJECT_WORDS) addNoun(o.en, o.zh, { target: { kind: 'coco', classes: [o.class] }, label: o.class, kind: 'class' });
  for (const c of CATEGORY_WORDS) addNoun(c.en, c.zh, { target: { kind: 'coco', classes: [...c.classes] }, label: c.en[0], kind: 'category' });
  for (const p of PART_WORDS) addNoun(p.en, p.zh, { target: { kind: 'part', part: p.part }, label: p.label, kind: 'part' });
  // Singular forms first, so a plural never shadows a vocabulary word spelled the same way.
  for (const term of senses.keys()) add(en, term, { role: 'noun', term });
  for (const term of senses.keys()) {
    const plural = pluralize(term);
    if (!en.get(plural)?.some((r) => r.role === 'noun')) add(en, plural, { role: 'noun', term });
  }

  for (const c of COLOR_WORDS) {
    for (const w of c.en) add(en, w, { role: 'color', color: { name: c.name } });
    for (const w of c.zh) add(zh, w, { role: 'color', color: { name: c.name } });
  }
  for (const [w, { name, shade }] of Object.entries(SHADED_COLOR_WORDS)) {
    add(/[a-z]/.test(w) ? en : zh, w, { role: 'color', color: { name, shade } });
  }
  for (const shade of ['light', 'dark'] as const) {
    for (const w of SHADE_WORDS[shade].en) add(en, w, { role: 'shade', shade });
    for (const w of SHADE_WORDS[shade].zh) add(zh, w, { role: 'shade', shade });
  }
  // Positions and sizes come plain and superlative; 最 + a plain Chinese word is its superlative.
  const addGraded = (words: GradedWords, reading: (superlative: boolean) => Reading) => {
    for (const w of words.en) add(en, w, reading(false));
    for (const w of words.enSuperlative) add(en, w, reading(true));
    for (const w of words.zh) {
      add(zh, w, reading(false));
      add(zh, '最' + w, reading(true));
    }
    for (const w of words.zhSuperlative) add(zh, w, reading(true));
  };
  for (const p of POSITION_WORDS) addGraded(p, (superlative) => ({ role: 'position', side: p.side, superlative }));
  for (const s of SIZE_WORDS) addGraded(s, (superlative) => ({ role: 'size', size: s.size, superlative }));

  for (const [w, n] of Object.entries(EN_NUMBERS)) add(en, w, { role: 'number', n });
  for (const [w, n] of Object.entries(EN_ORDINALS)) add(en, w, { role: 'ordinal', n });
  for (const w of EN_FILLER) add(en, w, { role: 'filler' });
  for (const w of EN_PREPOSITIONS) add(en, w, { role: 'prep' });
  for (const w of EN_CONJUNCTIONS) add(en, w, { role: 'conj' });
  for (const w of EN_EXCLUDE_MARKERS) add(en, w, { role: 'exclude' });
  for (const w of EN_FROM) add(en, w, { role: 'from' });

  add(zh, ZH_ORDINAL_PREFIX, { role: 'ordinal-prefix' });
  for (const w of ZH_MEASURE_WORDS) add(zh, w, { role: 'measure' });
  for (const w of ZH_COLLECTIVE) add(zh, w, { role: 'collective' });
  for (const w of ZH_FILLER) add(zh, w, { role: 'filler' });
  for (const w of ZH_CONJUNCTIONS) add(zh, w, { role: 'conj' });
  for (const w of ZH_EXCLUDE_MARKERS) add(zh, w, { role: 'exclude' });
  for (const w of ZH_EXCLUDE_CLOSERS) add(zh, w, { role: 'exclude-close' });
  for (const w of ZH_FROM) add(zh, w, { role: 'from' });

  let enMaxWords = 1;
  for (const k of en.keys()) enMaxWords = Math.max(enMaxWords, k.split(' ').length);
  let zhMaxChars = 1;
  for (const k of zh.keys()) zhMaxChars = Math.max(zhMaxChars, [...k].length);
  return { senses, en, zh, enMaxWords, zhMaxChars, zhOf };
}

/** The lite meaning of an English vocabulary word, or undefined. */
export function senseOf(term: string): Sense | undefined {
  return lexicon().senses.get(term);
}

/** Every English vocabulary noun (singular), for suggestions. */
export function vocabularyTerms(): string[] {
  return [...lexicon().senses.keys()];
}

