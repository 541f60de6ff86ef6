// The vocabulary: data tables (objects, categories, parts, attributes, grammar words, traditional
// characters) and what is built from them.
export { COCO_CLASSES, PERSON_PARTS, isCocoClass, type CocoClass, type PersonPart, type LiteTarget } from './coco.js';
export { OBJECT_WORDS, type ObjectWords } from './objects.js';
export { CATEGORY_WORDS, type CategoryWords } from './categories.js';
export { PART_WORDS, type PartWords } from './parts.js';
export { COLOR_WORDS, POSITION_WORDS, SIZE_WORDS, SHADE_WORDS } from './attributes.js';
export { pluralize, singularize } from './inflect.js';
export { senseOf, vocabularyTerms, type Sense } from './lexicon.js';
export { resolveLiteConcept, type LiteResolution } from './resolve.js';
export { editDistance, suggestEnglish } from './suggest.js';
