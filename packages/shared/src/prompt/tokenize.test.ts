import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';

const words = (text: string) => tokenize(text).map((t) => t.norm);

describe('tokenize: Chinese segmentation by longest match over the vocabulary', () => {
  it.each([
    ['红色的车', ['红色', '的', '车']],
    ['左边的人', ['左边', '的', '人']],
    ['最大的狗', ['最大', '的', '狗']],
    ['两只猫', ['两', '只', '猫']],
    ['蓝色衬衫', ['蓝色', '衬衫']],
    ['大象', ['大象']], // not 大 + 象
    ['小狗', ['小狗']], // a word of its own, not 小 + 狗
    ['手机', ['手机']], // not 手 (hand) + 机
    ['红绿灯', ['红绿灯']], // not 红 + 绿 + 灯
    ['上衣', ['上衣']], // not 上 (top) + 衣
    ['三明治', ['三明治']], // a word, not the numeral 三
    ['二十三个人', ['二十三', '个', '人']],
    ['除了左边的人以外的人', ['除了', '左边', '的', '人', '以外', '的', '人']],
    ['松鼠', ['松', '鼠']], // unknown characters stay single; the parser groups them
  ])('%s → %j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it('reads traditional characters as simplified, keeping offsets into the original', () => {
    const tokens = tokenize('紅色的車');
    expect(tokens.map((t) => t.norm)).toEqual(['红色', '的', '车']);
    expect(tokens.map((t) => '紅色的車'.slice(t.start, t.end))).toEqual(['紅色', '的', '車']);
  });

  it('reads full-width letters and punctuation as half-width', () => {
    expect(words('Ｄｏｇ，ｃａｔ；人')).toEqual(['dog', ',', 'cat', ';', '人']);
  });

  it('merges English words into the longest known phrase', () => {
    expect(words('the teddy bears on the far left')).toEqual(['the', 'teddy bears', 'on', 'the', 'far left']);
    expect(words('T-shirt, cell phones')).toEqual(['t shirt', ',', 'cell phones']);
    expect(words("man's hot-dog")).toEqual(['man', 'hot dog']);
  });

  it('reads mixed Chinese and English in one concept', () => {
    expect(words('2只cat')).toEqual(['2', '只', 'cat']);
    expect(words('蓝色的T恤')).toEqual(['蓝色', '的', 't恤']);
  });
});
