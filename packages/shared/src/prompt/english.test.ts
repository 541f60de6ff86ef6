import { describe, expect, it } from 'vitest';
import { parsePrompt } from './parse.js';
import { toEnglishPhrase } from './english.js';

const one = (prompt: string) => parsePrompt(prompt).concepts[0];

describe('toEnglishPhrase (what the sam3 text encoder reads)', () => {
  it.each([
    ['红色的车', 'red car'],
    ['紅色的車', 'red car'],
    ['蓝色衬衫', 'blue shirt'],
    ['浅蓝色的牛仔裤', 'light blue jeans'],
    ['黑白的猫', 'black and white cat'],
    ['人', 'person'],
    ['小狗', 'puppy'],
    ['左边的人', 'person'],
    ['最大的狗', 'dog'],
    ['两只猫', 'cat'],
    ['杯子', 'cup'],
    ['person', 'person'],
    ['red cars on the left', 'red car'],
    ['striped cats', 'striped cat'],
    ['squirrels', 'squirrel'],
    ['蓝色 shirt', 'blue shirt'],
    ['2只cat', 'cat'],
  ])('%s → %s', (prompt, phrase) => {
    expect(toEnglishPhrase(one(prompt))).toEqual({ ok: true, phrase });
  });

  it('gives the whole phrase with { full: true }', () => {
    expect(toEnglishPhrase(one('左边的人'), { full: true })).toEqual({ ok: true, phrase: 'person on the left' });
    expect(toEnglishPhrase(one('两只猫'), { full: true })).toEqual({ ok: true, phrase: 'two cats' });
    expect(toEnglishPhrase(one('最大的红色的车'), { full: true })).toEqual({ ok: true, phrase: 'largest red car' });
    expect(toEnglishPhrase(one('左边第二个人'), { full: true })).toEqual({ ok: true, phrase: 'second person from the left' });
    expect(toEnglishPhrase(one('除了左边的人以外的人'), { full: true })).toEqual({ ok: true, phrase: 'person except the person on the left' });
  });

  it('refuses a Chinese concept it cannot translate, with a message, instead of sending Chinese to an English tokenizer', () => {
    for (const p of ['松鼠', '红色的松鼠', '火箭']) {
      const r = toEnglishPhrase(one(p));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toContain('no English translation');
        expect(r.message).toContain('write this concept in English');
      }
    }
  });
});
