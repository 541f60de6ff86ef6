/**
 * parsePrompt: the prompt text → concepts. The grammar is in GRAMMAR.md beside this file.
 *
 * Steps: tokenise (tokenize.ts) → cut at hard separators (, ; newline 。) → merge a part that is
 * only attributes into the next one ("big, red car") → find exclusions ("X except Y", "除了Y以外的X",
 * a part of its own "not Y") → split on "and"/"和"/"、" where both sides name an object → parse
 * each concept (concept.ts).
 */
import { PromptsegError } from '../errors.js';
import { MAX_CONCEPTS, MAX_PROMPT_CHARS } from '../options.js';
import { has, isAttribute, isDefiniteNoun, isNounish, parseConcept, withExclusions, type InheritedHead } from './concept.js';
import { tokenize, type Token } from './tokenize.js';
import type { ParsedConcept, ParsedPrompt } from './types.js';

const HINT = 'Write the objects to cut out, separated by commas, e.g. "person, dog, blue shirt" or "人, 狗, 蓝色衬衫".';

/** Tokens are "content" when they name something or describe it (not filler, not grammar). */
function hasContent(tokens: Token[]): boolean {
  return tokens.some((t) => isNounish(t) || isAttribute(t));
}

function splitOnSeparators(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (t.script === 'sep') parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** "big, red car": a part with attributes but no noun belongs to the next part. */
function mergeAttributeOnlyParts(parts: Token[][]): Token[][] {
  const out: Token[][] = [];
  let carry: Token[] = [];
  parts.forEach((part, i) => {
    const attributeOnly = !part.some(isNounish) && part.some(isAttribute) && !part.some((t) => has(t, 'exclude'));
    if (attributeOnly && i < parts.length - 1) carry = [...carry, ...part];
    else {
      out.push([...carry, ...part]);
      carry = [];
    }
  });
  return out;
}

function firstContent(tokens: Token[]): Token | undefined {
  return tokens.find((t) => !has(t, 'filler') && !has(t, 'conj'));
}

/**
 * "cat and dog" → two concepts; "black and white cat" → one. A conjunction splits when the left
 * side already names an object and the right side names one too.
 */
function splitOnConjunctions(tokens: Token[]): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (!has(t, 'conj')) {
      current.push(t);
      continue;
    }
    let end = k + 1;
    while (end < tokens.length && !has(tokens[end], 'conj')) end++;
    const right = tokens.slice(k + 1, end);
    const rightFirst = firstContent(right);
    const rightStartsWithAttribute = rightFirst !== undefined && isAttribute(rightFirst) && !isDefiniteNoun(rightFirst);
    const leftNames =
      current.some(isDefiniteNoun) ||
      (!rightStartsWithAttribute && current.some(isNounish));
    if (leftNames && right.some(isNounish)) {
      parts.push(current);
      current = [];
    } else current.push(t);
  }
  parts.push(current);
  return parts.filter(hasContent);
}

interface Segment {
  /** Concepts to cut out, each with the exclusions written inside the same part. */
  positives: { tokens: Token[]; exclude: Token[][]; span: [number, number] }[];
  /** A part that only says what to leave out ("not the ball", "除了左边的"): applies to every concept. */
  negatives: Token[][];
}

function splitExclusion(tokens: Token[]): Segment {
  const m = tokens.findIndex((t) => has(t, 'exclude'));
  if (m < 0) return { positives: splitOnConjunctions(tokens).map((p) => ({ tokens: p, exclude: [], span: span(p) })), negatives: [] };
  const closer = tokens.findIndex((t, i) => i > m && has(t, 'exclude-close'));
  let positive: Token[];
  let excluded: Token[];
  if (closer > 0) {
    // 除了 X 以外的 Y (or Y 除了 X 以外)
    excluded = tokens.slice(m + 1, closer);
    positive = [...tokens.slice(0, m), ...tokens.slice(closer + 1)];
  } else {
    positive = tokens.slice(0, m);
    excluded = tokens.slice(m + 1);
  }
  excluded = excluded.filter((t) => !has(t, 'exclude'));
  const excludes = splitOnConjunctions(excluded);
  if (!positive.some(isNounish) && !positive.some(isAttribute)) return { positives: [], negatives: excludes };
  const parts = splitOnConjunctions(positive);
  // The concept's text includes its own "except …" when it is the only concept of its part.
  return { positives: parts.map((p) => ({ tokens: p, exclude: excludes, span: parts.length === 1 ? span(tokens) : span(p) })), negatives: [] };
}

function span(tokens: Token[]): [number, number] {
  return [Math.min(...tokens.map((t) => t.start)), Math.max(...tokens.map((t) => t.end))];
}

function parseExclusions(groups: Token[][], original: string, parent: InheritedHead): ParsedConcept[] {
  return groups.map((g) => {
    const [start, end] = span(g);
    return parseConcept({ tokens: g, original, start, end, inherit: parent });
  });
}

function inheritFrom(c: ParsedConcept): InheritedHead {
  return { head: c.head, headText: c.headText, via: c.via, untranslated: c.untranslated };
}

export function parsePrompt(text: string): ParsedPrompt {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new PromptsegError('invalid_prompt', 'The prompt is empty.', HINT);
  }
  if (text.length > MAX_PROMPT_CHARS) {
    throw new PromptsegError(
      'invalid_prompt',
      `The prompt is ${text.length} characters long; the limit is ${MAX_PROMPT_CHARS}.`,
      'Shorten the prompt: list only the objects to cut out.',
      { length: text.length, limit: MAX_PROMPT_CHARS },
    );
  }
  const parts = mergeAttributeOnlyParts(splitOnSeparators(tokenize(text)));
  const segments = parts.map(splitExclusion);
  const total = segments.reduce((n, s) => n + s.positives.length + s.negatives.length, 0);
  if (total === 0) {
    throw new PromptsegError('invalid_prompt', `The prompt "${text.trim()}" names no object.`, HINT);
  }
  if (total > MAX_CONCEPTS) {
    throw new PromptsegError(
      'invalid_prompt',
      `The prompt has ${total} concepts; the limit is ${MAX_CONCEPTS}.`,
      'Split the request into several calls, or use category words ("animal", "vehicle", "food") instead of listing every class.',
      { concepts: total, limit: MAX_CONCEPTS },
    );
  }

  const negatives = segments.flatMap((s) => s.negatives);
  const positives = segments.flatMap((seg) => seg.positives);
  if (negatives.length && positives.length === 0) {
    throw new PromptsegError(
      'invalid_prompt',
      `The prompt "${text.trim()}" only says what to leave out.`,
      'Name what to cut out too, e.g. "animals, not the dog" or "人，不要左边的".',
    );
  }
  const concepts = positives.map((p) => {
    const [start, end] = p.span;
    const bare = parseConcept({ tokens: p.tokens, original: text, start, end });
    // A part of its own like "not the ball" applies to every concept; an exclusion without a noun
    // takes the concept's ("people except the one on the left", "人，不要左边的").
    const groups = [...p.exclude, ...negatives];
    return groups.length === 0 ? bare : withExclusions(bare, parseExclusions(groups, text, inheritFrom(bare)));
  });
  return { text, concepts };
}
