/**
 * English number inflection for the vocabulary and for unknown words. The vocabulary's plurals
 * are derived with these rules plus the irregular table (data), so "women", "knives", "mice" and
 * "sheep" all find their singular; unknown words ("squirrels") get the regular rules, which is
 * enough for a head noun shown in a message or sent to an open-vocabulary engine.
 */

/** Irregular plurals (singular → plural), data. */
export const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people', man: 'men', woman: 'women', child: 'children', mouse: 'mice', foot: 'feet', tooth: 'teeth',
  goose: 'geese', ox: 'oxen', knife: 'knives', wife: 'wives', life: 'lives', leaf: 'leaves', calf: 'calves', half: 'halves',
  shelf: 'shelves', wolf: 'wolves', loaf: 'loaves', thief: 'thieves', scarf: 'scarves', hoof: 'hooves', cactus: 'cacti',
  fungus: 'fungi', octopus: 'octopuses', bus: 'buses', minibus: 'minibuses', trolleybus: 'trolleybuses', autobus: 'autobuses',
  lens: 'lenses', die: 'dice', louse: 'lice', bass: 'basses', cattle: 'cattle', passerby: 'passersby', policeman: 'policemen',
  policewoman: 'policewomen', businessman: 'businessmen', businesswoman: 'businesswomen', fisherman: 'fishermen',
  gentleman: 'gentlemen', human: 'humans', shoe: 'shoes', tomato: 'tomatoes', potato: 'potatoes', hero: 'heroes',
  echo: 'echoes', volcano: 'volcanoes', torpedo: 'torpedoes', veto: 'vetoes', cookie: 'cookies', movie: 'movies',
  hoodie: 'hoodies', veggie: 'veggies', birdie: 'birdies', doggie: 'doggies', plushie: 'plushies', brownie: 'brownies',
  zombie: 'zombies', goalie: 'goalies', smoothie: 'smoothies', necktie: 'neckties', bowtie: 'bowties',
};

/** Words with one form for both numbers, data. */
export const UNINFLECTED: ReadonlySet<string> = new Set([
  'sheep', 'deer', 'fish', 'moose', 'bison', 'swine', 'aircraft', 'spacecraft', 'series', 'species', 'scissors', 'shears',
  'pants', 'trousers', 'jeans', 'shorts', 'leggings', 'slacks', 'sweatpants', 'joggers', 'chinos', 'bottoms',
  'skis', 'electronics', 'kitchenware', 'tableware', 'dishware', 'crockery', 'cutlery', 'silverware', 'flatware',
  'glassware', 'drinkware', 'stemware', 'furniture', 'luggage', 'baggage', 'footwear', 'wildlife', 'livestock', 'hair',
  'broccoli', 'cauliflower', 'everything', 'anything', 'stuff', 'food', 'fruit', 'transport', 'transportation',
  'police', 'clothing', 'equipment', 'gear', 'news', 'sports equipment', 'sporting goods', 'sports gear', 'cattle', 'salmon',
  'trout', 'tuna', 'offspring', 'headquarters', 'means',
]);

const singularOf = new Map<string, string>(Object.entries(IRREGULAR_PLURALS).map(([s, p]) => [p, s]));

function splitLast(phrase: string): [string, string] {
  const i = phrase.lastIndexOf(' ');
  return i < 0 ? ['', phrase] : [phrase.slice(0, i + 1), phrase.slice(i + 1)];
}

function pluralWord(w: string): string {
  if (UNINFLECTED.has(w)) return w;
  const irregular = IRREGULAR_PLURALS[w];
  if (irregular) return irregular;
  if (/(man|woman)$/.test(w) && w.length > 5) return w.replace(/man$/, 'men');
  if (/(s|x|z|ch|sh)$/.test(w)) return w + 'es';
  if (/[^aeiou]y$/.test(w)) return w.slice(0, -1) + 'ies';
  return w + 's';
}

function singularWord(w: string): string {
  if (UNINFLECTED.has(w)) return w;
  const irregular = singularOf.get(w);
  if (irregular) return irregular;
  if (/[a-z]men$/.test(w) && w.length > 5) return w.replace(/men$/, 'man');
  if (/[^aeiou]ies$/.test(w) && w.length > 4) return w.slice(0, -3) + 'y';
  if (/(ss|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (/(ss|us|is|ous)$/.test(w) || w.length <= 3) return w;
  if (/s$/.test(w)) return w.slice(0, -1);
  return w;
}

/** "dog" → "dogs", "hot dog" → "hot dogs", "person" → "people", "sheep" → "sheep". */
export function pluralize(phrase: string): string {
  if (UNINFLECTED.has(phrase)) return phrase;
  const [head, last] = splitLast(phrase);
  return head + pluralWord(last);
}

/** "dogs" → "dog", "women" → "woman", "boxes" → "box", "glass" → "glass". */
export function singularize(phrase: string): string {
  if (UNINFLECTED.has(phrase)) return phrase;
  const [head, last] = splitLast(phrase);
  return head + singularWord(last);
}
