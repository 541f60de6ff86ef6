// Prompt parsing: text → concepts (grammar in GRAMMAR.md).
export { parsePrompt } from './parse.js';
export { toEnglishPhrase, type EnglishPhraseResult } from './english.js';
export { tokenize, type Token } from './tokenize.js';
