/**
 * One concept's tokens → ParsedConcept (head noun + attributes). See GRAMMAR.md for the rules in
 * prose; the order below follows it:
 *  1. position phrases ("on the left", "from the right") are found first, then the first other
 *     English preposition / participle ends the head phrase ("dog with a ball" → "dog");
 *  2. a word that is both a noun and an attribute ("orange", "top", "橙") is the noun only when no
 *     other noun follows it; a Chinese word that is both a noun and a measure word ("头", "杯") is
 *     the measure word right after a number when a noun follows;
 *  3. the head is the last noun of the head phrase (English and Chinese noun phrases are both
 *     head-final), with English modifiers the vocabulary does not know kept in front
 *     ("striped cat"); colours, size, position, count and ordinal are collected around it.
 */
import { PromptsegError } from '../errors.js';
import { singularize } from '../vocabulary/inflect.js';
import type { Reading, Role } from '../vocabulary/lexicon.js';
import { englishPhrase } from './english.js';
import type { Token } from './tokenize.js';
import type { ColorAttr, OrdinalAttr, ParsedConcept, PositionAttr, Side, SizeAttr } from './types.js';

const ATTRIBUTE_ROLES: ReadonlySet<Role> = new Set(['color', 'shade', 'position', 'size']);

export function reading<R extends Role>(t: Token, role: R): Extract<Reading, { role: R }> | undefined {
  return t.readings.find((r): r is Extract<Reading, { role: R }> => r.role === role);
}

export function has(t: Token, role: Role): boolean {
  return t.readings.some((r) => r.role === role);
}

/** An unknown word: not in the lexicon at all (so it can only be a noun or a modifier). */
export function isUnknown(t: Token): boolean {
  return t.readings.length === 0 && (t.script === 'latin' || t.script === 'cjk');
}

/** Could name the object: a vocabulary noun or an unknown word. */
export function isNounish(t: Token): boolean {
  return isUnknown(t) || has(t, 'noun');
}

/** A noun that cannot also be read as an attribute. */
export function isDefiniteNoun(t: Token): boolean {
  return isNounish(t) && !t.readings.some((r) => ATTRIBUTE_ROLES.has(r.role));
}

export function isAttribute(t: Token): boolean {
  return t.readings.some((r) => ATTRIBUTE_ROLES.has(r.role) || r.role === 'number' || r.role === 'ordinal');
}

/** The head a concept without a noun of its own takes over ("people except the one on the left"). */
export interface InheritedHead {
  head: string;
  headText: string;
  via?: string;
  untranslated?: boolean;
}

export interface ConceptSource {
  tokens: Token[];
  /** The original prompt (token offsets point into it). */
  original: string;
  /** Offsets of the concept's own text in `original`. */
  start: number;
  end: number;
  inherit?: InheritedHead;
}

const EXAMPLE_HINT = 'Name an object in every concept, e.g. "person, red car" or "左边的人".';

/** Parses one concept; throws invalid_prompt when it names no object. */
export function parseConcept(src: ConceptSource): ParsedConcept {
  const { tokens, original } = src;
  const text = original.slice(src.start, src.end).trim();
  const used = new Set<number>();

  // 1. Position / from phrases, then the cut at the first other preposition.
  let fromSide: Side | undefined;
  const forcedPosition = new Set<number>();
  let cut = tokens.length;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const isFrom = has(t, 'from');
    if (!has(t, 'prep') && !isFrom) continue;
    let j = k + 1;
    while (j < tokens.length && has(tokens[j], 'filler')) j++;
    const target = tokens[j];
    const pos = target && reading(target, 'position');
    if (pos) {
      if (isFrom) fromSide ??= pos.side;
      else forcedPosition.add(j);
      for (let u = k; u <= j; u++) used.add(u);
      if (isFrom) continue;
      k = j;
      continue;
    }
    if (isFrom && !has(t, 'prep')) continue; // 从 / 数 without a side: filler
    // A preposition that does not introduce a position: the rest qualifies the head.
    if (tokens.slice(0, k).some(isNounish)) {
      cut = k;
      break;
    }
  }
  // A participle after a noun ("dog sleeping on the couch") ends the head phrase too.
  for (let k = 1; k < cut; k++) {
    const t = tokens[k];
    if (isUnknown(t) && t.script === 'latin' && /(ing|ed)$/.test(t.norm) && tokens.slice(0, k).some((p) => has(p, 'noun'))) {
      cut = k;
      break;
    }
  }
  const chunk = tokens.slice(0, cut);

  // 2. Which tokens are nouns (decided once: `used` and `forcedPosition` are final here).
  const isNoun = chunk.map((t, k): boolean => {
    if (used.has(k) || forcedPosition.has(k) || !isNounish(t)) return false;
    const prev = chunk[k - 1];
    const laterNoun = chunk.slice(k + 1).some((n, i) => !used.has(k + 1 + i) && isDefiniteNoun(n));
    if (has(t, 'measure') && prev && has(prev, 'number') && laterNoun) return false;
    if (isDefiniteNoun(t)) return true;
    return !laterNoun; // "orange cat": colour; "red orange": the fruit
  });
  const last = isNoun.lastIndexOf(true);

  // 3a. The head.
  let head: string;
  let headText: string;
  let via: string | undefined;
  let untranslated: boolean | undefined;
  const headTokens = new Set<number>();
  if (last < 0) {
    if (!src.inherit) {
      throw new PromptsegError(
        'invalid_prompt',
        `"${text}" names no object: every concept needs a noun (e.g. "big dog", "dog on the left", "最大的狗").`,
        EXAMPLE_HINT,
        { concept: text },
      );
    }
    ({ head, headText, via, untranslated } = src.inherit);
  } else {
    const L = chunk[last];
    const noun = reading(L, 'noun');
    let first = last;
    if (L.script === 'latin') {
      // English: keep the modifiers right before the head ("striped cat", "dog house").
      const keep = (t: Token) => t.script === 'latin' && (isUnknown(t) || (!noun && has(t, 'noun') && isDefiniteNoun(t)));
      while (first > 0 && !used.has(first - 1) && keep(chunk[first - 1])) first--;
      const words = chunk.slice(first, last).map((t) => t.norm);
      words.push(noun ? noun.term : singularize(L.norm));
      head = words.join(' ');
      headText = original.slice(chunk[first].start, L.end);
    } else if (noun) {
      head = noun.term;
      headText = original.slice(L.start, L.end);
      via = `${headText} → ${head}`;
    } else {
      // An unknown Chinese word: the contiguous run of characters the lexicon could not place.
      while (first > 0 && chunk[first - 1].script === 'cjk' && isNounish(chunk[first - 1]) && !used.has(first - 1)) first--;
      headText = original.slice(chunk[first].start, L.end);
      head = headText;
      untranslated = true;
    }
    for (let k = first; k <= last; k++) headTokens.add(k);
  }

  // 3b. Attributes around it. In Chinese a noun before the head starts a clause that describes
  // the head ("穿蓝色衬衫的人": the person wearing a blue shirt; "桌子上的杯子": the cup on the
  // table): the attributes before such a noun, and a position word right after it, are that
  // noun's, not the head's.
  const headStart = headTokens.size ? Math.min(...headTokens) : chunk.length;
  let clauseEnd = -1;
  for (let k = 0; k < headStart; k++) if (chunk[k].script === 'cjk' && has(chunk[k], 'noun') && isNoun[k]) clauseEnd = k;
  const colors: ColorAttr[] = [];
  let position: PositionAttr | undefined;
  let size: SizeAttr | undefined;
  let count: number | undefined;
  let ordinal: number | undefined;
  for (let k = 0; k < chunk.length; k++) {
    if (headTokens.has(k)) continue;
    const t = chunk[k];
    if (used.has(k) && !forcedPosition.has(k)) continue;
    if (k < clauseEnd && !has(t, 'number')) continue; // "两个穿红衣服的人": the count is still the head's
    if (k === clauseEnd + 1 && clauseEnd >= 0 && t.script === 'cjk' && has(t, 'position')) continue;
    const pos = reading(t, 'position');
    if (pos && (forcedPosition.has(k) || !isNoun[k])) {
      position ??= { side: pos.side, superlative: pos.superlative };
      continue;
    }
    if (isNoun[k]) continue; // a second noun ("man shirt"): not an attribute
    const color = reading(t, 'color');
    if (color) {
      const prev = chunk[k - 1];
      const shade = prev && reading(prev, 'shade');
      const attr: ColorAttr = { ...color.color };
      if (shade && !attr.shade) attr.shade = shade.shade;
      if (!colors.some((c) => c.name === attr.name && c.shade === attr.shade)) colors.push(attr);
      continue;
    }
    const sz = reading(t, 'size');
    if (sz) {
      size ??= { size: sz.size, superlative: sz.superlative };
      continue;
    }
    const ord = reading(t, 'ordinal');
    if (ord) {
      ordinal ??= ord.n;
      continue;
    }
    const num = reading(t, 'number');
    if (num) {
      const prev = chunk[k - 1];
      const next = chunk[k + 1];
      if (prev && has(prev, 'ordinal-prefix')) {
        ordinal ??= num.n;
        continue;
      }
      if (next && has(next, 'collective')) continue; // 一群羊: a flock, not one sheep
      // "one" / a number counts only before the head ("the one on the left" has none).
      if (last >= 0 && k < last) {
        if (num.n < 1) {
          throw new PromptsegError('invalid_prompt', `"${text}" asks for ${num.n} objects; a count must be at least 1.`, 'Leave the number out to get every match, or write how many you want (e.g. "two dogs").', { concept: text });
        }
        if (num.n > 1000) {
          throw new PromptsegError('invalid_prompt', `"${text}" asks for ${num.n} objects; a count can be at most 1000.`, 'Leave the number out to get every match.', { concept: text });
        }
        count ??= num.n;
      }
    }
  }

  let ordinalAttr: OrdinalAttr | undefined;
  if (ordinal !== undefined) {
    if (ordinal < 1) {
      throw new PromptsegError('invalid_prompt', `"${text}": ordinals start at 1 (first, 第一).`, 'Write e.g. "the second person from the left" or "左边第二个人".', { concept: text });
    }
    // "the second person on the left" / "左边第二个人": the side says where counting starts.
    ordinalAttr = { n: ordinal, from: fromSide ?? position?.side ?? 'left' };
    position = undefined;
  } else if (fromSide && !position) {
    position = { side: fromSide, superlative: false };
  }

  const scripts = new Set(tokens.filter((t) => t.script === 'latin' || t.script === 'cjk').map((t) => t.script));
  const lang: ParsedConcept['lang'] = scripts.size === 2 ? 'mixed' : scripts.has('cjk') ? 'zh' : 'en';

  const concept: Omit<ParsedConcept, 'english'> = { text, head, headText, colors, lang };
  if (via) concept.via = via;
  if (position) concept.position = position;
  if (size) concept.size = size;
  if (count !== undefined) concept.count = count;
  if (ordinalAttr) concept.ordinal = ordinalAttr;
  if (untranslated) concept.untranslated = true;
  return { ...concept, english: englishPhrase(concept) };
}

/**
 * A parsed concept with what to leave out of it ("people except the referee"). Its language
 * counts the exclusions' too; its English phrase names them.
 */
export function withExclusions(c: ParsedConcept, exclude: ParsedConcept[]): ParsedConcept {
  const langs = new Set([c.lang, ...exclude.map((e) => e.lang)]);
  const lang = langs.size > 1 ? 'mixed' : c.lang;
  const { english: _english, untranslated, ...rest } = c;
  const concept: Omit<ParsedConcept, 'english'> = { ...rest, lang, exclude };
  if (untranslated) concept.untranslated = true;
  return { ...concept, english: englishPhrase(concept) };
}
