import { describe, expect, it } from 'vitest';
import { END_ID, makeClipTokenizer, START_ID } from '../../../test/sam3-fixture/tokenizer.js';
import { Sam3Tokenizer } from './tokenizer.js';

// A generated CLIP-style tokenizer.json (see test/sam3-fixture/tokenizer.ts): CLIP's normalizer,
// pre-tokenizer, BPE with "</w>" and <start>/<end> post-processor, with a few whole-word tokens.
const words = ['squirrel', 'red', 'car'];
const fixture = (o: { padId?: number; padToken?: string } = {}) => makeClipTokenizer({ words, ...o });

describe('Sam3Tokenizer', () => {
  it('HF rule: <start> tokens <end>, padded with <|endoftext|> 49407, attention 0 on padding', () => {
    const { tokenizer, config } = fixture();
    const t = new Sam3Tokenizer(tokenizer, config, 'hf');
    const squirrel = (tokenizer.model as { vocab: Record<string, number> }).vocab['squirrel</w>'];
    const { ids, mask } = t.encode('Squirrel', 32);
    expect(ids).toHaveLength(32);
    expect(ids.slice(0, 3)).toEqual([START_ID, squirrel, END_ID]);
    expect(ids.slice(3)).toEqual(new Array(29).fill(END_ID));
    expect(mask).toEqual([1, 1, 1, ...new Array(29).fill(0)]);
  });

  it('HF rule reads the pad id from tokenizer.json padding, else from tokenizer_config pad_token', () => {
    const a = fixture({ padId: 0 });
    expect(new Sam3Tokenizer(a.tokenizer, a.config, 'hf').encode('red car', 8)).toEqual({ ids: [START_ID, expect.any(Number), expect.any(Number), END_ID, 0, 0, 0, 0], mask: [1, 1, 1, 1, 0, 0, 0, 0] });
    const b = fixture({ padToken: '<|startoftext|>' });
    expect(new Sam3Tokenizer(b.tokenizer, b.config, 'hf').encode('red', 5).ids).toEqual([START_ID, expect.any(Number), END_ID, START_ID, START_ID]);
  });

  it('official rule: pads with 0 and the mask is id != 0', () => {
    const { tokenizer, config } = fixture();
    const { ids, mask } = new Sam3Tokenizer(tokenizer, config, 'official').encode('red car', 6);
    expect(ids.slice(3)).toEqual([END_ID, 0, 0]);
    expect(mask).toEqual([1, 1, 1, 1, 0, 0]);
  });

  it('truncates long phrases to the length with the end token last', () => {
    const { tokenizer, config } = fixture();
    const t = new Sam3Tokenizer(tokenizer, config, 'hf');
    const long = 'an extraordinarily long description of a small brown squirrel sitting on a red car';
    const { ids, mask } = t.encode(long, 32);
    expect(ids).toHaveLength(32);
    expect(ids[0]).toBe(START_ID);
    expect(ids[31]).toBe(END_ID);
    expect(ids.slice(1, 31)).not.toContain(END_ID);
    expect(mask).toEqual(new Array(32).fill(1));
  });

  it('tokenises words outside the vocabulary into byte-level pieces, never failing', () => {
    const { tokenizer, config } = fixture();
    const { ids, mask } = new Sam3Tokenizer(tokenizer, config, 'hf').encode('Straße 12!', 32);
    const real = mask.filter(Boolean).length;
    expect(real).toBeGreaterThan(5);
    expect(ids[real - 1]).toBe(END_ID);
  });
});
