/**
 * resolveLiteConcept: what the lite engine looks for, for one parsed concept — detector classes
 * (a class, its synonyms and plurals, or a category word's classes) or a part of each person.
 */
import type { ParsedConcept } from '../prompt/types.js';
import type { LiteTarget } from './coco.js';
import { pluralize } from './inflect.js';
import { CATEGORY_WORDS } from './categories.js';
import { lexicon, senseOf, type Sense } from './lexicon.js';
import { PART_WORDS } from './parts.js';
import { suggestEnglish } from './suggest.js';

export interface LiteResolution {
  status: 'ok' | 'unknown';
  target?: LiteTarget;
  /** What the engine looks for ("person", "animal", "upper body garment"); for unknown, the head. */
  label: string;
  /** How the words led there: "women → person", "小狗 → puppy → dog", "garbage truck → truck". */
  via?: string;
  /** Closest vocabulary words, best first (unknown only). */
  suggestions: string[];
  message?: string;
}

const SAM3_NOTE = 'The sam3 engine understands open vocabulary: promptseg models pull sam3.';

/** The sense of the head, or of its last words ("garbage truck" → truck, "striped cat" → cat). */
function findSense(head: string): { sense: Sense; matched: string } | undefined {
  const words = head.split(' ');
  for (let i = 0; i < words.length; i++) {
    const tail = words.slice(i).join(' ');
    const sense = senseOf(tail);
    if (sense) return { sense, matched: tail };
  }
  return undefined;
}

/** Same word, or one the plural of the other ("dogs", "dog"). */
function sameWord(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x === y || pluralize(x) === y || pluralize(y) === x;
}

function chain(steps: string[]): string | undefined {
  const out: string[] = [];
  for (const s of steps) if (s && !(out.length && sameWord(out[out.length - 1], s))) out.push(s);
  return out.length > 1 ? out.join(' → ') : undefined;
}

export function resolveLiteConcept(c: ParsedConcept): LiteResolution {
  const found = c.untranslated ? undefined : findSense(c.head);
  if (found) {
    const { sense, matched } = found;
    // Steps that only change number or case ("women" → "woman") are left out.
    const written = c.headText.normalize('NFKC').toLowerCase().trim();
    const via = chain([written, c.head, matched, sense.label]);
    const res: LiteResolution = { status: 'ok', target: sense.target, label: sense.label, suggestions: [] };
    if (via) res.via = via;
    return res;
  }
  if (c.untranslated) return unknownChinese(c.headText);
  // Spelling neighbours, for English words outside this vocabulary. The lite engine asks WordNet
  // first (packages/model/src/vocabulary) and keeps these only for words WordNet does not know
  // either: those are typos ("girafe", "tennis rackett"), where spelling is the right help.
  const name = c.head;
  const suggestions = suggestEnglish(name);
  const closest = suggestions.length
    ? `closest: ${suggestions.join(', ')}`
    : 'it knows the 80 COCO object classes with their synonyms and category words, and parts of people';
  return {
    status: 'unknown',
    label: name,
    suggestions,
    message: `"${name}" is not in the lite engine's vocabulary (${closest}). ${SAM3_NOTE}`,
  };
}

/** Groups of the Chinese overview, by their English vocabulary word (categories.ts, parts.ts). */
const ZH_OVERVIEW = ['animal', 'vehicle', 'food', 'furniture', 'electronics', 'kitchenware'] as const;

/**
 * A Chinese word outside the vocabulary has no English to look up by meaning, and characters
 * it shares with known words say nothing about what it means (松鼠 "squirrel" is no 松饼
 * "muffin"), so there are no suggestions: the message lists what the lite engine knows, in the
 * vocabulary's own Chinese words, and says how to reach an open-vocabulary engine.
 */
function unknownChinese(name: string): LiteResolution {
  const { zhOf } = lexicon();
  const zh = (en: string) => zhOf.get(en)?.[0];
  const groups = ZH_OVERVIEW.flatMap((en) => {
    const cat = CATEGORY_WORDS.find((c) => c.en[0] === en);
    const word = zh(en);
    if (!cat || !word) return [];
    const members = cat.classes.map(zh).filter((w): w is string => !!w);
    return [`${word} (${en}): ${members.join('、')}`];
  });
  const parts = PART_WORDS.map((p) => zh(p.en[0])).filter((w): w is string => !!w);
  const overview = [`${zh('person') ?? '人'} (person)`, ...groups, `parts of people: ${parts.join('、')}`].join('; ');
  return {
    status: 'unknown',
    label: name,
    suggestions: [],
    message: `"${name}" is not in the lite engine's Chinese vocabulary, which knows ${overview}. ` +
      'The sam3 engine understands open vocabulary but reads English: write the concept in English (the lite engine also reads English nouns by meaning) and run promptseg models pull sam3.',
  };
}
