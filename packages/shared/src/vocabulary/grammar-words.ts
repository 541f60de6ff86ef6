/**
 * Vocabulary data: the small words of the prompt grammar (see prompt/GRAMMAR.md) — numbers,
 * ordinals, Chinese measure words, filler, prepositions, conjunctions and the exclusion markers.
 */

export const EN_NUMBERS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  both: 2, 'a couple of': 2, 'a dozen': 12,
};

export const EN_ORDINALS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12,
};

/** Chinese digits; 十 (ten) combines: 十二 = 12, 二十 = 20, 二十三 = 23. */
export const ZH_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
export const ZH_TEN = '十';

/** Measure words (量词) between a number and its noun: 两只猫, 三辆车, 一把椅子. */
export const ZH_MEASURE_WORDS: readonly string[] = [
  '个', '只', '辆', '把', '张', '条', '头', '匹', '台', '部', '件', '双', '块', '本', '棵', '株', '盆', '位', '名',
  '架', '艘', '根', '副', '顶', '朵', '片', '座', '面', '杯', '瓶', '碗', '份', '支', '枚', '组', '对', '盏', '颗', '口',
];

/** Collective measure words: 一群羊 is a flock of sheep, not one sheep, so the number is no count. */
export const ZH_COLLECTIVE: readonly string[] = ['群', '堆', '些', '批', '帮', '伙', '排', '行', '串'];

/** The ordinal prefix: 第二个人 = the second person. */
export const ZH_ORDINAL_PREFIX = '第';

/** Words that carry no meaning for segmentation: articles, demonstratives, commands, politeness. */
export const EN_FILLER: readonly string[] = [
  'a', 'an', 'the', 'some', 'all', 'any', 'every', 'each', 'this', 'that', 'these', 'those', 'my', 'your', 'his', 'her',
  'their', 'its', 'our', 'please', 'find', 'segment', 'select', 'show', 'get', 'highlight', 'mask', 'cut', 'out',
  'extract', 'detect', 'give', 'me', 'only', 'just', 'also', 'there', 'is', 'are', 'visible', 'other', 'pair of',
  'kind of', 'sort of', 'type of', 'piece of', 'very', 'whole', 'entire', 'one of the', 'of the', 'ones',
  'which', 'who', 'that is', 'located', 'standing', 'sitting', 'side of the', 'part of the', 'in the image', 'in the picture',
  'in the photo', 'of the image', 'of the picture', 'of the photo',
];

/**
 * Words after which the rest of a concept qualifies the head noun without being understood
 * ("dog with a ball", "man in a blue shirt"): the head is taken before them. Position phrases
 * ("on the left") are recognised before this cut.
 */
export const EN_PREPOSITIONS: readonly string[] = [
  'with', 'on', 'in', 'at', 'near', 'next', 'beside', 'behind', 'under', 'above', 'below', 'by', 'holding', 'wearing',
  'carrying', 'riding', 'of', 'to', 'for', 'inside', 'outside', 'over', 'against', 'around', 'between', 'among', 'into',
  'onto', 'across', 'along', 'toward', 'towards', 'like', 'from', 'eating', 'playing', 'using', 'sitting on', 'standing on',
];

/** Between two nouns these start a new concept ("cat and dog"); between adjectives they do not ("black and white cat"). */
export const EN_CONJUNCTIONS: readonly string[] = ['and', 'or', '&', 'plus', 'as well as', 'and also', 'along with', 'together with'];
export const ZH_CONJUNCTIONS: readonly string[] = ['和', '与', '及', '以及', '跟', '同', '还有', '或', '或者', '并且', '加上', '、'];

/** "X except Y", "X but not Y", and — as a concept of its own — "not Y", "without Y". */
export const EN_EXCLUDE_MARKERS: readonly string[] = [
  'except', 'except for', 'excluding', 'exclude', 'but not', 'but', 'other than', 'apart from', 'besides', 'aside from',
  'not including', 'not', 'no', 'minus', 'ignore', 'ignoring', 'save for', 'leave out', 'leaving out', 'without',
];

/** 除了 X 以外的 Y / Y 除了 X / 不要 X / Y 但不包括 X. */
export const ZH_EXCLUDE_MARKERS: readonly string[] = [
  '除了', '除', '除去', '除开', '不要', '不是', '不包括', '不包含', '不含', '排除', '去掉', '去除', '不算', '但不要', '但不包括', '而不是', '不用', '别',
];
/** Closes a 除了 … clause: 除了左边的人以外的人. */
export const ZH_EXCLUDE_CLOSERS: readonly string[] = ['以外', '之外', '外'];

/** "the second person from the left", "从左数第二个人", "左起第二个". */
export const EN_FROM: readonly string[] = ['from', 'counting from', 'starting from'];
export const ZH_FROM: readonly string[] = ['从', '起', '数', '往右数', '往左数', '开始数', '开始', '自', '由'];

export const ZH_FILLER: readonly string[] = [
  '的', '之', '在', '所有', '所有的', '全部', '全部的', '一些', '这些', '那些', '这个', '那个', '这', '那', '每个', '每一个', '各个',
  '图中', '图片中', '图里', '图片里', '照片中', '照片里', '画面中', '里', '里面', '中的', '请', '找出', '分割', '选出', '标出', '给我',
  '只要', '只有', '仅', '仅仅', '就', '是', '位于', '处于', '站在', '坐在', '其他', '其他的', '其余', '其余的', '剩下', '剩下的', '那只', '这只',
  '但', '但是', '而', '也', '要', '一下', '数到', '往', '边', '侧', '方向', '所在', '中', '们',
];
