/**
 * The lite engine's vocabulary: the hand-made one of @promptseg/shared first (synonyms, plurals,
 * category words, Chinese), and only when it says unknown, WordNet by meaning ("terrier" → dog,
 * "squirrel" → unknown, a rodent, with the lite animals as suggestions).
 *
 * This lives in packages/model, not packages/shared: shared is bundled into the web page and the
 * edge-safe API, which must never carry the 20 MB WordNet database or node:fs
 * (vocabulary.imports.test.ts checks that shared never reaches this folder).
 */
import {
  PART_WORDS,
  pluralize,
  resolveLiteConcept as resolveHandMade,
  type LiteResolution,
  type LiteTarget,
  type ParsedConcept,
  type PersonPart,
} from '@promptseg/shared';
import { MeaningReader, type Meaning, type TargetName } from './meaning.js';
import { openWordNet } from './wordnet.js';

let reader: MeaningReader | undefined;

/** The process-wide reader; nothing of WordNet is opened before the first unknown word. */
function meanings(): MeaningReader {
  reader ??= new MeaningReader(openWordNet());
  return reader;
}

export function resolveLiteConcept(c: ParsedConcept): LiteResolution {
  const hand = resolveHandMade(c);
  // Chinese words outside the hand-made vocabulary have no English to look up (shared's
  // message says so); English words it knows never reach WordNet.
  if (hand.status === 'ok' || c.untranslated) return hand;
  const found = lookUp(c);
  // WordNet does not know the word either: most likely a typo ("girafe", "tennis rackett"), so
  // the hand-made resolver's spelling suggestions are the right help.
  if (!found) return hand;
  return fromMeaning(c, found.meaning, found.matched);
}

/**
 * The longest tail of the head phrase that WordNet has ("big german shepherd" → german
 * shepherd, "dog house" → house), as written first (WordNet's own base forms: "terriers" →
 * terrier), then as the parser singularised it ("geese" → goose).
 */
function lookUp(c: ParsedConcept): { meaning: Meaning; matched: string } | undefined {
  const written = c.headText.normalize('NFKC').toLowerCase().trim().split(/\s+/);
  const head = c.head.toLowerCase().trim().split(/\s+/);
  const wn = meanings().wn;
  for (let i = 0; i < Math.max(written.length, head.length); i++) {
    for (const words of [written, head]) {
      if (i >= words.length) continue;
      const tail = words.slice(i).join(' ');
      for (const form of [...wn.baseForms(tail), ...(tail.includes(' ') ? wn.baseForms(tail.replace(/ /g, '-')) : [])]) {
        const meaning = meanings().meaningOf(form);
        if (meaning) return { meaning, matched: form };
      }
    }
  }
  return undefined;
}

/** A word for each target that the hand-made vocabulary reads back (suggestion buttons). */
function suggestionWord(t: TargetName): string {
  const part = PART_WORDS.find((p) => p.part === t);
  if (!part) return t;
  return part.label.includes(' ') ? part.en[0] : part.label;
}

function targetOf(t: TargetName): LiteTarget {
  const part = PART_WORDS.find((p) => p.part === t);
  return part ? { kind: 'part', part: part.part as PersonPart } : { kind: 'coco', classes: [t] };
}

function labelOf(t: TargetName): string {
  return PART_WORDS.find((p) => p.part === t)?.label ?? t;
}

function sameWord(a: string, b: string): boolean {
  return a === b || pluralize(a) === b || pluralize(b) === a;
}

/** "terriers → dog", "big german shepherds → german shepherd → dog"; steps that only change number are left out. */
function chain(steps: string[]): string | undefined {
  const out: string[] = [];
  for (const s of steps) if (s && !(out.length && sameWord(out[out.length - 1], s))) out.push(s);
  return out.length > 1 ? out.join(' → ') : undefined;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) && !/^(uni|use|usu|eu|one)/i.test(word) ? `an ${word}` : `a ${word}`;
}

const SAM3 = (name: string) => `Use --engine sam3 for "${name}" (open vocabulary).`;

function fromMeaning(c: ParsedConcept, m: Meaning, matched: string): LiteResolution {
  const written = c.headText.normalize('NFKC').toLowerCase().trim();
  const name = c.head;
  const coco = m.targets.every((t) => !PART_WORDS.some((p) => p.part === t));

  if (m.kind === 'target' || (m.kind === 'covers' && m.targets.length === 1)) {
    const t = m.targets[0];
    const res: LiteResolution = { status: 'ok', target: targetOf(t), label: labelOf(t), suggestions: [] };
    const via = chain([written, matched, labelOf(t)]);
    if (via) res.via = via;
    return res;
  }
  if (m.kind === 'covers' && coco) {
    // A general word with several lite classes below it ("seat", "feline"), like the hand-made
    // category words ("animal").
    const res: LiteResolution = { status: 'ok', target: { kind: 'coco', classes: [...m.targets] }, label: matched, suggestions: [] };
    res.via = `${written} → ${m.targets.join(', ')}`;
    return res;
  }
  const what = matched === name || sameWord(matched, name) ? `"${name}" is ${article(m.isA ?? 'thing')}` : `"${name}": WordNet knows "${matched}", ${article(m.isA ?? 'thing')}`;
  const suggestions = m.targets.map(suggestionWord);
  if (m.kind === 'covers') {
    return {
      status: 'unknown', label: name, suggestions,
      message: `"${name}" covers several things the lite engine looks for one at a time: ${suggestions.join(', ')}. ${SAM3(name)}`,
    };
  }
  const knows = m.group && suggestions.length
    ? `the lite engine knows these ${m.group}: ${suggestions.join(', ')}`
    : 'the lite engine has no class of that kind (it knows the 80 COCO object classes and parts of people)';
  return { status: 'unknown', label: name, suggestions, message: `${what}; ${knows}. ${SAM3(name)}` };
}

/** Whether WordNet has been opened in this process (for the lazy-load test and the benchmark). */
export { wordnetLoaded } from './wordnet.js';
