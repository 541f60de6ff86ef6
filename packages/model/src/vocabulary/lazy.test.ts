/**
 * WordNet is read only for words the hand-made vocabulary lacks. Own file: vitest runs each file
 * in its own process, so nothing else has opened WordNet yet.
 */
import { describe, expect, it } from 'vitest';
import { parsePrompt } from '@promptseg/shared';
import { resolveLiteConcept, wordnetLoaded } from './resolve.js';

describe('lazy WordNet', () => {
  it('is not opened while every concept is in the hand-made vocabulary, then opened by the first unknown word', () => {
    for (const c of parsePrompt('person, two dogs, 小狗, blue shirt, terriers, sofa').concepts) {
      expect(resolveLiteConcept(c).status).toBe('ok');
    }
    expect(wordnetLoaded()).toBe(false);
    expect(resolveLiteConcept(parsePrompt('squirrel').concepts[0]).status).toBe('unknown');
    expect(wordnetLoaded()).toBe(true);
  });
});
