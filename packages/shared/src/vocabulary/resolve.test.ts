import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../prompt/parse.js';
import { resolveLiteConcept } from './resolve.js';
import { CATEGORY_WORDS } from './categories.js';
import { COCO_CLASSES } from './coco.js';
import { editDistance, suggestEnglish } from './suggest.js';

const resolve = (prompt: string) => resolveLiteConcept(parsePrompt(prompt).concepts[0]);
const classesOf = (prompt: string) => {
  const r = resolve(prompt);
  return r.target?.kind === 'coco' ? r.target.classes : r.target;
};

describe('resolveLiteConcept: synonyms and plurals → COCO classes', () => {
  it.each([
    ['man', 'person'], ['women', 'person'], ['boys', 'person'], ['girl', 'person'], ['children', 'person'], ['kid', 'person'],
    ['people', 'person'], ['player', 'person'], ['pedestrians', 'person'], ['astronaut', 'person'], ['puppy', 'dog'],
    ['puppies', 'dog'], ['kitten', 'cat'], ['motorbike', 'motorcycle'], ['bike', 'bicycle'], ['sofa', 'couch'],
    ['phone', 'cell phone'], ['smartphones', 'cell phone'], ['mobile', 'cell phone'], ['ball', 'sports ball'],
    ['football', 'sports ball'], ['soccer ball', 'sports ball'], ['basketball', 'sports ball'], ['tennis balls', 'sports ball'],
    ['mug', 'cup'], ['plant', 'potted plant'], ['houseplants', 'potted plant'], ['television', 'tv'], ['monitor', 'tv'],
    ['screen', 'tv'], ['TV', 'tv'], ['aeroplane', 'airplane'], ['fridge', 'refrigerator'], ['doughnuts', 'donut'],
    ['hair dryer', 'hair drier'], ['laptop', 'laptop'], ['mice', 'mouse'], ['knives', 'knife'], ['sheep', 'sheep'],
    ['ski', 'skis'], ['teddy bears', 'teddy bear'], ['hot dogs', 'hot dog'], ['traffic lights', 'traffic light'],
    ['小狗', 'dog'], ['猫咪', 'cat'], ['貓', 'cat'], ['車', 'car'], ['手机', 'cell phone'], ['杯子', 'cup'], ['人', 'person'],
  ])('%s → %s', (word, cls) => {
    const r = resolve(word);
    expect(r.status).toBe('ok');
    expect(r.target).toEqual({ kind: 'coco', classes: [cls] });
    expect(r.label).toBe(cls);
    expect(r.suggestions).toEqual([]);
  });

  it('says how a synonym or translation was reached', () => {
    expect(resolve('women').via).toBe('women → person');
    expect(resolve('小狗').via).toBe('小狗 → puppy → dog');
    expect(resolve('人').via).toBe('人 → person');
    expect(resolve('dog').via).toBeUndefined();
    expect(resolve('dogs').via).toBeUndefined();
  });

  it('reads a known noun behind modifiers it does not know ("garbage truck", "striped cat")', () => {
    expect(resolve('striped cats')).toMatchObject({ status: 'ok', label: 'cat', via: 'striped cats → cat' });
    expect(resolve('wooden chair')).toMatchObject({ status: 'ok', label: 'chair' });
    // …but not a known word used as a modifier of an unknown one
    expect(resolve('dog house').status).toBe('unknown');
    expect(resolve('cat food').label).toBe('food');
  });
});

describe('resolveLiteConcept: category words', () => {
  it.each([
    ['animals', ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe']],
    ['vehicle', ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat']],
    ['fruit', ['banana', 'apple', 'orange']],
    ['food', ['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake']],
    ['furniture', ['chair', 'couch', 'potted plant', 'bed', 'dining table', 'toilet']],
    ['electronics', ['tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone']],
    ['kitchenware', ['bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl']],
    ['动物', ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe']],
    ['水果', ['banana', 'apple', 'orange']],
    ['交通工具', ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat']],
  ])('%s expands to its classes', (word, classes) => {
    expect(classesOf(word)).toEqual(classes);
    expect(resolve(word).status).toBe('ok');
  });

  it('labels a category by its name and only points at real classes', () => {
    expect(resolve('animals').label).toBe('animal');
    expect(resolve('家具').label).toBe('furniture');
    for (const c of CATEGORY_WORDS) for (const cls of c.classes) expect(COCO_CLASSES).toContain(cls);
    expect(classesOf('everything')).toHaveLength(80);
  });
});

describe('resolveLiteConcept: person parts', () => {
  it.each([
    ['face', 'face', 'face'], ['faces', 'face', 'face'], ['head', 'head', 'head'], ['hair', 'hair', 'hair'],
    ['hands', 'hand', 'hand'], ['arm', 'arm', 'arm'], ['legs', 'leg', 'leg'], ['shirt', 'upper_body', 'upper body garment'],
    ['t-shirt', 'upper_body', 'upper body garment'], ['T-shirts', 'upper_body', 'upper body garment'], ['top', 'upper_body', 'upper body garment'],
    ['jacket', 'upper_body', 'upper body garment'], ['coats', 'upper_body', 'upper body garment'], ['sweater', 'upper_body', 'upper body garment'],
    ['hoodie', 'upper_body', 'upper body garment'], ['pants', 'lower_body', 'lower body garment'], ['trousers', 'lower_body', 'lower body garment'],
    ['jeans', 'lower_body', 'lower body garment'], ['shorts', 'lower_body', 'lower body garment'], ['skirts', 'lower_body', 'lower body garment'],
    ['shoes', 'shoes', 'shoes'], ['sneakers', 'shoes', 'shoes'], ['boots', 'shoes', 'shoes'],
    ['脸', 'face', 'face'], ['头发', 'hair', 'hair'], ['手', 'hand', 'hand'], ['衬衫', 'upper_body', 'upper body garment'],
    ['T恤', 'upper_body', 'upper body garment'], ['牛仔裤', 'lower_body', 'lower body garment'], ['鞋子', 'shoes', 'shoes'],
  ])('%s → part %s', (word, part, label) => {
    const r = resolve(word);
    expect(r).toMatchObject({ status: 'ok', target: { kind: 'part', part }, label });
  });

  it('keeps the colour of "blue shirt" on the concept for the engine', () => {
    const [c] = parsePrompt('blue shirt').concepts;
    expect(c.colors).toEqual([{ name: 'blue' }]);
    expect(resolveLiteConcept(c).target).toEqual({ kind: 'part', part: 'upper_body' });
  });
});

describe('resolveLiteConcept: unknown concepts', () => {
  it('reports an unknown English concept with the sam3 hint', () => {
    const r = resolve('squirrel');
    expect(r.status).toBe('unknown');
    expect(r.target).toBeUndefined();
    expect(r.label).toBe('squirrel');
    expect(r.message).toMatch(/^"squirrel" is not in the lite engine's vocabulary \(/);
    expect(r.message).toContain('The sam3 engine understands open vocabulary: promptseg models pull sam3.');
  });

  // Spelling suggestions are for typos: the lite engine asks WordNet first for real words
  // ("rocket" is a vehicle there: packages/model/src/vocabulary/resolve.test.ts).
  it('suggests the closest known words for a misspelling or near miss', () => {
    expect(resolve('puppys').status).toBe('ok'); // a plural the rules read
    expect(resolve('girafe').suggestions[0]).toBe('giraffe');
    expect(resolve('elefant').suggestions[0]).toBe('elephant');
    expect(resolve('skatebord').suggestions[0]).toBe('skateboard');
    expect(resolve('rackett').suggestions[0]).toBe('racket');
    const r = resolve('tennis rackett');
    expect(r.status).toBe('unknown');
    expect(r.suggestions[0]).toBe('tennis racket');
  });

  it('names the suggestions in the message', () => {
    const r = resolve('girafe');
    expect(r.message).toContain('closest: giraffe');
    expect(resolve('zzzzqx').suggestions).toEqual([]);
    expect(resolve('zzzzqx').message).toContain('80 COCO object classes');
  });

  it('reports an untranslated Chinese concept without character neighbours: what lite knows, in Chinese, and how to reach sam3', () => {
    const r = resolve('松鼠');
    expect(r.status).toBe('unknown');
    expect(r.label).toBe('松鼠');
    // 松饼 (muffin) and 滑鼠 (computer mouse) share a character with 松鼠 (squirrel), not a meaning.
    expect(r.suggestions).toEqual([]);
    expect(r.message).toMatch(/^"松鼠" is not in the lite engine's Chinese vocabulary/);
    expect(r.message).toContain('动物 (animal): 鸟、猫、狗、马');
    expect(r.message).toContain('交通工具 (vehicle):');
    expect(r.message).not.toMatch(/松饼|滑鼠/);
    expect(r.message).toContain('write the concept in English');
  });

  it('never resolves a Chinese word it cannot read to a class by accident', () => {
    for (const w of ['斑马线', '鸡蛋', '牛奶', '狗窝', '车轮', '手表', '马路']) {
      expect(resolve(w).status, w).toBe('unknown');
    }
  });
});

describe('editDistance', () => {
  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('猫咪', '猫')).toBe(1);
    expect(suggestEnglish('bycicle')[0]).toBe('bicycle');
  });
});
