/**
 * Vocabulary data: attribute words — colours (with light/dark shades), positions and sizes — in
 * English and Chinese. Superlative Chinese positions and sizes are the plain word with 最 in front
 * ("最左", "最大"); those are derived in lexicon.ts, the irregular ones are listed here.
 */
import type { ColorName, Side } from '../prompt/types.js';

export interface ColorWords {
  name: ColorName;
  /** Words for the colour; "navy" style words carry a shade. */
  en: readonly string[];
  zh: readonly string[];
}

export const COLOR_WORDS: readonly ColorWords[] = [
  { name: 'red', en: ['red', 'reddish', 'crimson', 'scarlet'], zh: ['红', '红色', '赤', '赤色'] },
  { name: 'orange', en: ['orange', 'orangey', 'orangish'], zh: ['橙', '橙色', '橘色', '橘黄色', '桔色', '橙黄色'] },
  { name: 'yellow', en: ['yellow', 'yellowish', 'golden', 'gold'], zh: ['黄', '黄色', '金色', '金黄色'] },
  { name: 'green', en: ['green', 'greenish', 'lime'], zh: ['绿', '绿色', '青绿色'] },
  { name: 'blue', en: ['blue', 'bluish', 'azure', 'cyan', 'teal'], zh: ['蓝', '蓝色', '青色', '天蓝色'] },
  { name: 'purple', en: ['purple', 'violet', 'purplish', 'lilac', 'lavender'], zh: ['紫', '紫色', '紫罗兰色'] },
  { name: 'pink', en: ['pink', 'pinkish', 'magenta', 'rose'], zh: ['粉', '粉色', '粉红', '粉红色', '玫红色'] },
  { name: 'brown', en: ['brown', 'brownish', 'tan', 'chocolate', 'beige', 'khaki'], zh: ['棕', '棕色', '褐', '褐色', '咖啡色', '咖色', '米色', '卡其色'] },
  { name: 'black', en: ['black', 'blackish', 'ebony'], zh: ['黑', '黑色'] },
  { name: 'white', en: ['white', 'whitish', 'ivory', 'cream'], zh: ['白', '白色', '米白色', '雪白'] },
  { name: 'gray', en: ['gray', 'grey', 'greyish', 'grayish', 'silver', 'silvery', 'charcoal'], zh: ['灰', '灰色', '银色', '银灰色'] },
];

/** Colour words that carry a shade of their own ("navy" = dark blue). */
export const SHADED_COLOR_WORDS: Readonly<Record<string, { name: ColorName; shade: 'light' | 'dark' }>> = {
  navy: { name: 'blue', shade: 'dark' },
  'navy blue': { name: 'blue', shade: 'dark' },
  'sky blue': { name: 'blue', shade: 'light' },
  'baby blue': { name: 'blue', shade: 'light' },
  maroon: { name: 'red', shade: 'dark' },
  burgundy: { name: 'red', shade: 'dark' },
  olive: { name: 'green', shade: 'dark' },
  'forest green': { name: 'green', shade: 'dark' },
  'mint green': { name: 'green', shade: 'light' },
  藏青色: { name: 'blue', shade: 'dark' },
  藏蓝色: { name: 'blue', shade: 'dark' },
  酒红色: { name: 'red', shade: 'dark' },
  墨绿色: { name: 'green', shade: 'dark' },
};

export const SHADE_WORDS: Readonly<Record<'light' | 'dark', { en: readonly string[]; zh: readonly string[] }>> = {
  light: { en: ['light', 'pale', 'pastel'], zh: ['浅', '淡', '浅色', '淡色'] },
  dark: { en: ['dark', 'deep'], zh: ['深', '暗', '深色', '暗色'] },
};

export interface PositionWords {
  side: Side;
  /** "on the left", "left": a side. */
  en: readonly string[];
  /** "leftmost", "far left": the most extreme one. */
  enSuperlative: readonly string[];
  zh: readonly string[];
  /** Besides 最 + each of `zh`. */
  zhSuperlative: readonly string[];
  /** How the English phrase says it: "person on the left", "leftmost person". */
  phrase: string;
  superlativeWord: string;
}

export const POSITION_WORDS: readonly PositionWords[] = [
  {
    side: 'left', en: ['left', 'left side', 'left hand side', 'lefthand side'],
    enSuperlative: ['leftmost', 'left most', 'far left', 'most left', 'very left', 'furthest left', 'farthest left'],
    zh: ['左', '左边', '左侧', '左面', '左方', '左手边', '左边儿', '靠左'], zhSuperlative: ['最左端'],
    phrase: 'on the left', superlativeWord: 'leftmost',
  },
  {
    side: 'right', en: ['right', 'right side', 'right hand side', 'righthand side'],
    enSuperlative: ['rightmost', 'right most', 'far right', 'most right', 'very right', 'furthest right', 'farthest right'],
    zh: ['右', '右边', '右侧', '右面', '右方', '右手边', '右边儿', '靠右'], zhSuperlative: ['最右端'],
    phrase: 'on the right', superlativeWord: 'rightmost',
  },
  {
    side: 'top', en: ['top', 'upper', 'top side', 'upper side', 'upper part'],
    enSuperlative: ['topmost', 'top most', 'uppermost', 'highest', 'very top'],
    zh: ['上', '上边', '上面', '上方', '顶部', '上部', '顶端', '上端', '上侧', '上头'], zhSuperlative: ['最顶端', '最顶上'],
    phrase: 'at the top', superlativeWord: 'topmost',
  },
  {
    side: 'bottom', en: ['bottom', 'lower', 'bottom side', 'lower side', 'lower part'],
    enSuperlative: ['bottommost', 'bottom most', 'lowermost', 'lowest', 'very bottom'],
    zh: ['下', '下边', '下面', '下方', '底部', '下部', '底端', '下端', '下侧', '底下'], zhSuperlative: ['最底部', '最底下', '最底端'],
    phrase: 'at the bottom', superlativeWord: 'bottommost',
  },
  {
    side: 'center', en: ['center', 'centre', 'middle', 'central'],
    enSuperlative: ['centermost', 'centremost', 'very center', 'very centre', 'very middle', 'most central', 'dead center', 'exact center'],
    zh: ['中间', '中央', '中心', '中部', '当中', '居中'], zhSuperlative: ['正中', '正中间', '正中央', '最中心'],
    phrase: 'in the middle', superlativeWord: 'most central',
  },
];

export interface SizeWords {
  size: 'large' | 'small';
  en: readonly string[];
  enSuperlative: readonly string[];
  zh: readonly string[];
  zhSuperlative: readonly string[];
  word: string;
  superlativeWord: string;
}

export const SIZE_WORDS: readonly SizeWords[] = [
  {
    size: 'large', en: ['big', 'large', 'huge', 'giant', 'enormous', 'bigger', 'larger', 'massive'],
    enSuperlative: ['biggest', 'largest', 'hugest', 'most prominent'],
    zh: ['大', '较大', '巨大', '大型', '大个', '大号', '更大'], zhSuperlative: ['最大个'],
    word: 'large', superlativeWord: 'largest',
  },
  {
    size: 'small', en: ['small', 'little', 'tiny', 'smaller', 'mini', 'miniature'],
    enSuperlative: ['smallest', 'tiniest', 'littlest'],
    zh: ['小', '较小', '小型', '小小', '迷你', '小号', '更小', '微小'], zhSuperlative: [],
    word: 'small', superlativeWord: 'smallest',
  },
];
