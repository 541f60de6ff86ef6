/** What the prompt parser produces: one ParsedConcept per comma/semicolon/"and"/newline part. */

export const COLOR_NAMES = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'black', 'white', 'gray'] as const;
export type ColorName = (typeof COLOR_NAMES)[number];

export interface ColorAttr {
  name: ColorName;
  shade?: 'light' | 'dark';
}

export type Side = 'left' | 'right' | 'top' | 'bottom' | 'center';

export interface PositionAttr {
  side: Side;
  /** "leftmost" / "最左" (true) vs "on the left" / "左边的" (false). */
  superlative: boolean;
}

export interface SizeAttr {
  size: 'large' | 'small';
  /** "largest" / "最大" (true) vs "big" / "大" (false). */
  superlative: boolean;
}

export interface OrdinalAttr {
  /** 1-based: "the second person from the left" -> { n: 2, from: 'left' }. */
  n: number;
  from: Side;
}

export interface ParsedConcept {
  /** The concept exactly as the user wrote it (trimmed). */
  text: string;
  /** Head noun phrase: lower-case, singular, English, filler and attributes removed ("shirt", "cell phone", "squirrel"). */
  head: string;
  /** The word(s) of `text` that named the head (e.g. "women", "小狗"), for explanations. */
  headText: string;
  /** Translation / synonym note when `head` differs from what was written (e.g. "小狗 → dog"). */
  via?: string;
  colors: ColorAttr[];
  position?: PositionAttr;
  size?: SizeAttr;
  /** "two dogs" -> 2: at most that many instances, best first. */
  count?: number;
  ordinal?: OrdinalAttr;
  /** "people except the referee": instances matching any of these are removed. */
  exclude?: ParsedConcept[];
  lang: 'en' | 'zh' | 'mixed';
  /**
   * True when the head is a Chinese word outside the vocabulary: `head` then holds that Chinese
   * text (there is no English for it), the lite engine reports it unknown and toEnglishPhrase
   * refuses it for sam3.
   */
  untranslated?: boolean;
  /** English phrase with its attributes, for open-vocabulary engines ("red car", "person on the left"). */
  english: string;
}

export interface ParsedPrompt {
  text: string;
  concepts: ParsedConcept[];
}
