/**
 * Tokenising and Chinese word segmentation.
 *
 * The prompt is normalised character by character (NFKC, so full-width "，" and "Ｄｏｇ" read as
 * "," and "dog"; lower case; traditional → simplified) keeping each character's offsets in the
 * original text, then cut into tokens:
 * - English words, merged into the longest phrase the lexicon knows ("teddy bear", "on the left"
 *   stays three words but "far left" is one position, "cell phones" one noun);
 * - Chinese text by longest match over the lexicon (greedy forward maximum matching). The lexicon
 *   holds every word the parser can act on — vocabulary nouns, attributes, numbers, measure and
 *   grammar words — so a word it does not hold can only ever be an unknown noun; such characters
 *   become single-character tokens that the parser groups back into one unknown word. That is why
 *   a general-purpose segmenter (jieba and the like) would add nothing here but a large dictionary:
 *   it would split unknown words more finely, but there is still nothing to map them to.
 *   Chinese numerals (两, 十二) are read as numbers unless a longer word starts there (三明治).
 * - separators: , ; newline 。！？ (and their full-width forms).
 */
import { lexicon, type Reading } from '../vocabulary/lexicon.js';
import { toSimplifiedChar } from '../vocabulary/traditional.js';
import { ZH_DIGITS, ZH_TEN } from '../vocabulary/grammar-words.js';

export type Script = 'latin' | 'cjk' | 'digit' | 'sep';

export interface Token {
  /** Offsets of the token in the original prompt (UTF-16 units, end exclusive). */
  start: number;
  end: number;
  /** Normalised form: lower case, half-width, simplified; an English phrase's words joined by one space. */
  norm: string;
  script: Script;
  /** What the lexicon knows about it; empty for an unknown word. */
  readings: Reading[];
}

interface Normalized {
  text: string;
  /** For each UTF-16 unit of `text`, the original offsets it came from. */
  from: number[];
  to: number[];
}

const SEPARATORS = new Set([',', ';', '\n', '\r', '。', '!', '?', '|', '．']);
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3005\u3007]/;

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

function normalize(original: string): Normalized {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let offset = 0;
  for (const ch of original) {
    let n = ch.normalize('NFKC').toLowerCase();
    n = [...n].map(toSimplifiedChar).join('').replace(/[’‘`´]/g, "'");
    for (let k = 0; k < n.length; k++) {
      from.push(offset);
      to.push(offset + ch.length);
    }
    text += n;
    offset += ch.length;
  }
  return { text, from, to };
}

/** Longest Chinese lexicon word starting at i (may begin with Latin letters: "t恤"). */
function zhMatchAt(text: string, i: number): string | undefined {
  const { zh, zhMaxChars } = lexicon();
  for (let len = Math.min(zhMaxChars, text.length - i); len >= 1; len--) {
    const piece = text.slice(i, i + len);
    if (zh.has(piece)) return piece;
  }
  return undefined;
}

/** A Chinese numeral at i: 三, 两, 十, 十二, 二十, 二十三 (up to 99). */
function zhNumeralAt(text: string, i: number): { length: number; value: number } | undefined {
  let j = i;
  while (j < text.length && (text[j] in ZH_DIGITS || text[j] === ZH_TEN)) j++;
  if (j === i) return undefined;
  const run = text.slice(i, j);
  const d = (c: string | undefined) => (c === undefined ? undefined : ZH_DIGITS[c]);
  if (run.length === 1) return { length: 1, value: run === ZH_TEN ? 10 : (d(run) as number) };
  // 十二 / 二十 / 二十三; anything else reads as the first digit alone.
  const m = /^(.)?十(.)?$/.exec(run);
  if (m) {
    const tens = m[1] === undefined ? 1 : d(m[1]);
    const ones = m[2] === undefined ? 0 : d(m[2]);
    if (tens !== undefined && ones !== undefined) return { length: run.length, value: tens * 10 + ones };
  }
  const first = d(run[0]);
  return first === undefined ? undefined : { length: 1, value: first };
}

const LATIN_WORD = /^(?:[a-z]+(?:'[a-z]+)*|[0-9]+(?:st|nd|rd|th)?|&)/;

/** Raw pieces: single English words, Chinese lexicon words, unknown Chinese characters, separators. */
function pieces(original: string): Token[] {
  const norm = normalize(original);
  const { text } = norm;
  const out: Token[] = [];
  const push = (i: number, len: number, value: string, script: Script, readings: Reading[]) =>
    out.push({ start: norm.from[i], end: norm.to[i + len - 1], norm: value, script, readings });

  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (SEPARATORS.has(ch)) {
      push(i, 1, ch === '\r' ? '\n' : ch, 'sep', []);
      i++;
      continue;
    }
    const atWordStart = i === 0 || !/[a-z0-9]/.test(text[i - 1]);
    const latin = /[a-z0-9&]/.test(ch) ? LATIN_WORD.exec(text.slice(i))?.[0] : undefined;
    const zhWord = isCjk(ch) || (latin && atWordStart) || ch === '、' ? zhMatchAt(text, i) : undefined;
    if (latin && !(zhWord && zhWord.length > latin.length)) {
      const word = latin.replace(/'s$|'$/, '');
      const ordinal = /^([0-9]+)(st|nd|rd|th)$/.exec(word);
      if (ordinal) push(i, latin.length, word, 'digit', [{ role: 'ordinal', n: Number(ordinal[1]) }]);
      else if (/^[0-9]+$/.test(word)) push(i, latin.length, word, 'digit', [{ role: 'number', n: Number(word) }]);
      else push(i, latin.length, word, 'latin', []);
      i += latin.length;
      continue;
    }
    const numeral = isCjk(ch) ? zhNumeralAt(text, i) : undefined;
    if (numeral && (!zhWord || numeral.length > zhWord.length)) {
      push(i, numeral.length, text.slice(i, i + numeral.length), 'cjk', [{ role: 'number', n: numeral.value }]);
      i += numeral.length;
      continue;
    }
    if (zhWord) {
      push(i, zhWord.length, zhWord, 'cjk', lexicon().zh.get(zhWord) ?? []);
      i += zhWord.length;
      continue;
    }
    if (isCjk(ch)) push(i, 1, ch, 'cjk', []);
    // Anything else (spaces, hyphens, quotes, brackets) only separates words.
    i++;
  }
  return out;
}

/** Merges runs of English words into the longest phrases the lexicon knows and attaches readings. */
function mergeEnglish(raw: Token[]): Token[] {
  const { en, enMaxWords } = lexicon();
  const out: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    const t = raw[i];
    if (t.script !== 'latin') {
      out.push(t);
      i++;
      continue;
    }
    let matched = false;
    for (let n = Math.min(enMaxWords, raw.length - i); n >= 1; n--) {
      const run = raw.slice(i, i + n);
      if (run.some((r) => r.script !== 'latin')) continue;
      const key = run.map((r) => r.norm).join(' ');
      const readings = en.get(key);
      if (readings) {
        out.push({ start: run[0].start, end: run[n - 1].end, norm: key, script: 'latin', readings });
        i += n;
        matched = true;
        break;
      }
    }
    if (!matched) {
      out.push(t);
      i++;
    }
  }
  return out;
}

export function tokenize(text: string): Token[] {
  return mergeEnglish(pieces(text));
}
