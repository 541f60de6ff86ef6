/**
 * Generates a small CLIP-style `tokenizer.json` (+ tokenizer_config.json) for tests: the same
 * normalizer, pre-tokenizer, BPE-with-"</w>" model and <start>/<end> post-processor as CLIP's,
 * special ids 49406/49407 as in the real one, but a vocabulary of a few words. Whole words the
 * tests use become single tokens; every other word falls back to byte-level pieces.
 *
 * `odd` / `even` pin the parity of a word's token id: the fixture decoder treats a phrase whose
 * first token is odd as "present" (see models.ts).
 */
export const START_ID = 49406;
export const END_ID = 49407;

/** GPT-2/CLIP byte → unicode table of the ByteLevel pre-tokenizer. */
function byteLevelAlphabet(): string[] {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) { bs.push(b); cs.push(256 + n); n++; }
  }
  const table: string[] = new Array(256);
  bs.forEach((b, i) => { table[b] = String.fromCodePoint(cs[i]); });
  return table;
}

export interface TokenizerFixtureOptions {
  /** Words that get their own token (lower-case ASCII). */
  words: string[];
  /** Words whose token id must be odd / even. */
  odd?: string[];
  even?: string[];
  /** Write a `padding` block into tokenizer.json with this pad id (otherwise `padding: null`, as CLIP's). */
  padId?: number;
  /** pad_token in tokenizer_config.json (omitted when undefined). */
  padToken?: string;
}

export function makeClipTokenizer(o: TokenizerFixtureOptions): { tokenizer: Record<string, unknown>; config: Record<string, unknown> } {
  const vocab: Record<string, number> = {};
  let next = 0;
  const add = (tok: string) => { if (!(tok in vocab)) vocab[tok] = next++; };
  for (const ch of byteLevelAlphabet()) add(ch);
  for (const ch of byteLevelAlphabet()) add(`${ch}</w>`);
  const merges: string[] = [];
  for (const word of o.words) {
    const chars = [...word];
    let left = chars[0];
    for (let i = 1; i < chars.length; i++) {
      const right = i === chars.length - 1 ? `${chars[i]}</w>` : chars[i];
      const merged = left + right;
      if (!(merged in vocab)) {
        if (i === chars.length - 1) {
          const wantOdd = o.odd?.includes(word), wantEven = o.even?.includes(word);
          if ((wantOdd && next % 2 === 0) || (wantEven && next % 2 === 1)) add(`<filler${next}>`);
        }
        merges.push(`${left} ${right}`);
        add(merged);
      }
      left = merged;
    }
  }
  vocab['<|startoftext|>'] = START_ID;
  vocab['<|endoftext|>'] = END_ID;
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: o.padId === undefined ? null : { strategy: { Fixed: 32 }, direction: 'Right', pad_to_multiple_of: null, pad_id: o.padId, pad_type_id: 0, pad_token: '<|endoftext|>' },
    added_tokens: [special(START_ID, '<|startoftext|>'), special(END_ID, '<|endoftext|>')],
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', END_ID], cls: ['<|startoftext|>', START_ID], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: '<|endoftext|>', continuing_subword_prefix: '', end_of_word_suffix: '</w>', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
  const config: Record<string, unknown> = {
    tokenizer_class: 'CLIPTokenizer',
    model_max_length: 32,
    bos_token: '<|startoftext|>',
    eos_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
  };
  if (o.padToken !== undefined) config.pad_token = o.padToken;
  return { tokenizer, config };
}
