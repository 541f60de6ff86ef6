/**
 * English nouns by meaning: the hand-made vocabulary misses every word of the table below, so
 * each answer comes from WordNet 3.1 and the sense rule of meaning.ts.
 */
import { describe, expect, it } from 'vitest';
import { parsePrompt, resolveLiteConcept as resolveHandMade } from '@promptseg/shared';
import { resolveLiteConcept } from './resolve.js';

const concept = (word: string) => parsePrompt(word).concepts[0];
const resolve = (word: string) => resolveLiteConcept(concept(word));

/**
 * word → what the lite engine looks for: a COCO class, `part:NAME`, or `unknown:GROUP` (the
 * group named in the message, whose lite classes are the suggestions; `unknown:` = none).
 *
 * Misses accepted, and why (WordNet's own sense order or structure; the hand-made vocabulary can
 * override any of them by listing the word):
 * - "crane" → unknown (the lifting machine is WordNet's first non-person sense; the bird is later);
 *   "canine" → unknown (first the tooth), "gondola" → unknown (first a freight car).
 * - "siamese" → unknown (first a pipe fitting); "siamese cat" works. "persian" → person (WordNet
 *   has the cat only as "persian cat").
 * - "jack" → unknown, described as an edible fruit (jackfruit is its first thing sense).
 * - "lumberjack" → upper body garment (WordNet's first thing sense is the lumber jacket).
 * - "glider", "helicopter", "tricycle" → unknown with the vehicles (WordNet files them beside
 *   airplane and bicycle, not under them; COCO would not call them airplane / bicycle either).
 * - "cookie" → cake (WordNet: "any of various small flat sweet cakes").
 * - "table lamp" → unknown among the furniture (WordNet files lamps under furniture).
 */
const TABLE: [string, string][] = [
  // dogs, cats, horses, farm and wild animals, birds
  ['dalmatian', 'dog'], ['boxer', 'dog'], ['schnauzer', 'dog'], ['greyhound', 'dog'], ['spaniels', 'dog'], ['mastiff', 'dog'],
  ['great dane', 'dog'], ['manx', 'cat'], ['feline', 'cat'], ['mustang', 'horse'], ['percheron', 'horse'], ['clydesdale', 'horse'],
  ['thoroughbred', 'horse'], ['palomino', 'horse'], ['gelding', 'horse'], ['merino', 'sheep'], ['bullock', 'cow'], ['holstein', 'cow'],
  ['kodiak', 'bear'], ['cardinal', 'bird'], ['blackbird', 'bird'], ['raven', 'bird'], ['ostrich', 'bird'], ['hummingbird', 'bird'],
  ['woodpeckers', 'bird'], ['falcon', 'bird'],
  // vehicles
  ['biplane', 'airplane'], ['seaplane', 'airplane'], ['fighter', 'airplane'], ['ambulance', 'car'], ['jalopy', 'car'],
  ['battleship', 'boat'], ['submarine', 'boat'], ['lifeboat', 'boat'], ['trawler', 'boat'], ['barge', 'boat'], ['ocean liner', 'boat'],
  ['tandem', 'bicycle'], ['minibike', 'motorcycle'],
  // food, furniture, household
  ['granny smith', 'apple'], ['recliner', 'chair'], ['throne', 'chair'], ['divan', 'couch'], ['workbench', 'dining table'],
  ['notebook', 'book'],
  // people and what they wear
  ['pilot', 'person'], ['cowboy', 'person'], ['ballerina', 'person'], ['firefighters', 'person'], ['king', 'person'],
  ['juggler', 'person'], ['persian', 'person'], ['moccasin', 'part:shoes'], ['clogs', 'part:shoes'], ['wellington', 'part:shoes'],
  ['brogan', 'part:shoes'], ['galoshes', 'part:shoes'], ['anorak', 'part:upper_body'], ['peacoat', 'part:upper_body'],
  ['kilt', 'part:lower_body'], ['breeches', 'part:lower_body'],
  // unknown to lite: suggestions by meaning
  ['squirrel', 'unknown:animals'], ['fish', 'unknown:animals'], ['monkey', 'unknown:animals'], ['lion', 'unknown:animals'],
  ['tiger', 'unknown:animals'], ['whale', 'unknown:animals'], ['wolves', 'unknown:animals'], ['lynx', 'unknown:animals'],
  ['hamster', 'unknown:animals'], ['butterfly', 'unknown:animals'], ['rocket', 'unknown:vehicles'], ['spaceship', 'unknown:vehicles'],
  ['helicopter', 'unknown:vehicles'], ['glider', 'unknown:vehicles'], ['tank', 'unknown:vehicles'], ['tree', 'unknown:plants'],
  ['flower', 'unknown:plants'], ['pear', 'unknown:fruits'], ['strawberry', 'unknown:fruits'], ['tomato', 'unknown:vegetables'],
  ['potato', 'unknown:vegetables'], ['bagel', 'unknown:foods'], ['croissant', 'unknown:foods'], ['taco', 'unknown:foods'],
  ['hat', 'unknown:kinds of clothing'], ['dress', 'unknown:kinds of clothing'], ['nose', 'unknown:parts of the body'],
  ['wristwatch', 'unknown:timepieces'], ['coffee maker', 'unknown:home appliances'], ['printer', 'unknown:electronic devices'],
  ['chopsticks', 'unknown:kinds of tableware'], ['doll', 'unknown:toys'], ['table lamp', 'unknown:pieces of furniture'],
  ['ruler', 'unknown:'], ['crane', 'unknown:'], ['seal', 'unknown:'], ['can', 'unknown:'], ['pot', 'unknown:'], ['house', 'unknown:'],
  ['guitar', 'unknown:'], ['box', 'unknown:'],
];

describe('resolveLiteConcept: English nouns by meaning (WordNet)', () => {
  it('the table has at least 60 words, none of them in the hand-made vocabulary', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
    for (const [word] of TABLE) expect(resolveHandMade(concept(word)).status, word).toBe('unknown');
  });

  it.each(TABLE)('%s → %s', (word, expected) => {
    const r = resolve(word);
    if (expected.startsWith('unknown:')) {
      const group = expected.slice('unknown:'.length);
      expect(r.status).toBe('unknown');
      expect(r.target).toBeUndefined();
      if (group) {
        expect(r.message).toContain(`the lite engine knows these ${group}: ${r.suggestions.join(', ')}.`);
        expect(r.suggestions.length).toBeGreaterThan(0);
      } else {
        expect(r.message).toContain('no class of that kind');
        expect(r.suggestions).toEqual([]);
      }
      expect(r.message).toContain(`Use --engine sam3 for "${r.label}"`);
      return;
    }
    expect(r.status).toBe('ok');
    if (expected.startsWith('part:')) {
      expect(r.target).toEqual({ kind: 'part', part: expected.slice(5) });
    } else {
      expect(r.target).toEqual({ kind: 'coco', classes: [expected] });
      expect(r.label).toBe(expected);
    }
    expect(r.suggestions).toEqual([]);
    expect(r.via?.endsWith(` → ${r.label}`)).toBe(true);
  });

  it('says how a word was reached, leaving out steps that only change number', () => {
    expect(resolve('dalmatians').via).toBe('dalmatians → dog');
    expect(resolve('great danes').via).toBe('great danes → dog');
    expect(resolve('moccasins')).toMatchObject({ status: 'ok', label: 'shoes', via: 'moccasins → shoes' });
    expect(resolve('geese').via).toBe('geese → bird'); // hand-made: an irregular plural
  });

  it('describes an unknown word by what it is and suggests lite classes of its kind', () => {
    const r = resolve('squirrel');
    expect(r).toMatchObject({ status: 'unknown', label: 'squirrel' });
    expect(r.suggestions).toEqual(['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe']);
    expect(r.message).toBe('"squirrel" is a rodent; the lite engine knows these animals: bird, cat, dog, horse, sheep, cow, elephant, bear, zebra, giraffe. Use --engine sam3 for "squirrel" (open vocabulary).');
    const rocket = resolve('rocket');
    expect(rocket.suggestions).toEqual(expect.arrayContaining(['car', 'airplane', 'boat']));
    expect(rocket.suggestions).not.toContain('racket'); // spelling is no meaning
    expect(resolve('fish').suggestions).not.toContain('dish');
    expect(resolve('rice').suggestions).toEqual(['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake']);
  });

  it('reads the last words of a phrase WordNet does not have as a whole', () => {
    expect(resolve('fluffy dalmatian')).toMatchObject({ status: 'ok', label: 'dog', via: 'fluffy dalmatian → dalmatian → dog' });
    expect(resolve('desk lamp').message).toMatch(/^"desk lamp": WordNet knows "lamp", a source of illumination;/);
  });

  it('a general word with several lite classes below it looks for all of them; one mixing parts is unknown', () => {
    const organism = resolve('organism');
    expect(organism.status).toBe('ok');
    expect(organism.target?.kind === 'coco' && organism.target.classes).toEqual(expect.arrayContaining(['person', 'dog', 'bird']));
    const garment = resolve('garment');
    expect(garment.status).toBe('unknown');
    expect(garment.suggestions).toEqual(expect.arrayContaining(['shirt', 'pants']));
    expect(garment.message).toMatch(/covers several things the lite engine looks for one at a time/);
  });

  it('keeps spelling suggestions for words WordNet does not know either (typos)', () => {
    expect(resolve('girafe').suggestions[0]).toBe('giraffe');
    expect(resolve('tennis rackett').suggestions[0]).toBe('tennis racket');
    expect(resolve('zzzzqx')).toMatchObject({ status: 'unknown', suggestions: [] });
  });

  it('leaves the hand-made vocabulary and its Chinese words in charge', () => {
    for (const [word, label] of [['terriers', 'dog'], ['tabby', 'cat'], ['jetliner', 'airplane'], ['sneakers', 'shoes'], ['puppy', 'dog'], ['sofa', 'couch'], ['plant', 'potted plant'], ['mouse', 'mouse'], ['小狗', 'dog'], ['哈士奇', 'dog']]) {
      const r = resolve(word);
      expect(r).toEqual(resolveHandMade(concept(word)));
      expect(r.label).toBe(label);
    }
  });

  it('Chinese words outside the vocabulary: no character neighbours, what lite knows in Chinese, write it in English', () => {
    for (const w of ['松鼠', '火箭', '鱼']) {
      const r = resolve(w);
      expect(r.status, w).toBe('unknown');
      expect(r.suggestions).toEqual([]);
      expect(r.message).toContain('动物 (animal): 鸟、猫、狗');
      expect(r.message).toContain('write the concept in English');
    }
  });
});
