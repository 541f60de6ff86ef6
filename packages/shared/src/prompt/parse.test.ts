/**
 * Table-driven parser tests: each prompt with the concepts it must give — head noun, attributes,
 * language and English phrase. An attribute not listed must be absent. Both languages, mixed
 * prompts, full-width punctuation and traditional characters.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CONCEPTS, MAX_PROMPT_CHARS } from '../options.js';
import { PromptsegError } from '../errors.js';
import { parsePrompt } from './parse.js';
import type { ParsedConcept } from './types.js';

interface Expected {
  head: string;
  /** "light blue,white" */
  colors?: string;
  /** "left", or "left*" for the superlative (leftmost / 最左) */
  position?: string;
  /** "large", "small*" */
  size?: string;
  count?: number;
  /** "2@left": the second from the left */
  ordinal?: string;
  /** English phrases of the excluded concepts */
  exclude?: string[];
  untranslated?: true;
  lang?: 'en' | 'zh' | 'mixed';
  english: string;
}

type Row = [prompt: string, lang: 'en' | 'zh' | 'mixed', concepts: Expected[]];

function summary(c: ParsedConcept): Expected {
  const o: Expected = { head: c.head, english: c.english, lang: c.lang };
  if (c.colors.length) o.colors = c.colors.map((x) => (x.shade ? `${x.shade} ${x.name}` : x.name)).join(',');
  if (c.position) o.position = c.position.side + (c.position.superlative ? '*' : '');
  if (c.size) o.size = c.size.size + (c.size.superlative ? '*' : '');
  if (c.count !== undefined) o.count = c.count;
  if (c.ordinal) o.ordinal = `${c.ordinal.n}@${c.ordinal.from}`;
  if (c.exclude) o.exclude = c.exclude.map((e) => e.english);
  if (c.untranslated) o.untranslated = true;
  return o;
}

const ROWS: Row[] = [
  // Separators the table below does not show well.
  ['person\ndog', 'en', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['person\r\n\r\ndog\n', 'en', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['人\n狗', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['dog,, cat,', 'en', [{ head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['  Dog  ;  CAT  ', 'en', [{ head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['人。狗！猫', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['person', 'en', [{ head: 'person', english: 'person' }]],
  ['Person', 'en', [{ head: 'person', english: 'person' }]],
  ['PEOPLE', 'en', [{ head: 'person', english: 'person' }]],
  ['a dog', 'en', [{ head: 'dog', english: 'dog' }]],
  ['the dogs', 'en', [{ head: 'dog', english: 'dog' }]],
  ['some cats', 'en', [{ head: 'cat', english: 'cat' }]],
  ['all the people', 'en', [{ head: 'person', english: 'person' }]],
  ['women', 'en', [{ head: 'woman', english: 'woman' }]],
  ['men and women', 'en', [{ head: 'man', english: 'man' }, { head: 'woman', english: 'woman' }]],
  ['boy, girl', 'en', [{ head: 'boy', english: 'boy' }, { head: 'girl', english: 'girl' }]],
  ['kids', 'en', [{ head: 'kid', english: 'kid' }]],
  ['a child', 'en', [{ head: 'child', english: 'child' }]],
  ['players', 'en', [{ head: 'player', english: 'player' }]],
  ['pedestrians', 'en', [{ head: 'pedestrian', english: 'pedestrian' }]],
  ['puppies', 'en', [{ head: 'puppy', english: 'puppy' }]],
  ['kittens', 'en', [{ head: 'kitten', english: 'kitten' }]],
  ['motorbikes', 'en', [{ head: 'motorbike', english: 'motorbike' }]],
  ['bikes', 'en', [{ head: 'bike', english: 'bike' }]],
  ['sofa', 'en', [{ head: 'sofa', english: 'sofa' }]],
  ['phones', 'en', [{ head: 'phone', english: 'phone' }]],
  ['smartphones', 'en', [{ head: 'smartphone', english: 'smartphone' }]],
  ['mobile phone', 'en', [{ head: 'mobile phone', english: 'mobile phone' }]],
  ['soccer ball', 'en', [{ head: 'soccer ball', english: 'soccer ball' }]],
  ['a football', 'en', [{ head: 'football', english: 'football' }]],
  ['basketballs', 'en', [{ head: 'basketball', english: 'basketball' }]],
  ['tennis balls', 'en', [{ head: 'tennis ball', english: 'tennis ball' }]],
  ['mugs', 'en', [{ head: 'mug', english: 'mug' }]],
  ['plants', 'en', [{ head: 'plant', english: 'plant' }]],
  ['houseplant', 'en', [{ head: 'houseplant', english: 'houseplant' }]],
  ['television', 'en', [{ head: 'television', english: 'television' }]],
  ['monitors', 'en', [{ head: 'monitor', english: 'monitor' }]],
  ['screen', 'en', [{ head: 'screen', english: 'screen' }]],
  ['animals', 'en', [{ head: 'animal', english: 'animal' }]],
  ['vehicles', 'en', [{ head: 'vehicle', english: 'vehicle' }]],
  ['fruit', 'en', [{ head: 'fruit', english: 'fruit' }]],
  ['food', 'en', [{ head: 'food', english: 'food' }]],
  ['furniture', 'en', [{ head: 'furniture', english: 'furniture' }]],
  ['electronics', 'en', [{ head: 'electronics', english: 'electronics' }]],
  ['kitchenware', 'en', [{ head: 'kitchenware', english: 'kitchenware' }]],
  ['face', 'en', [{ head: 'face', english: 'face' }]],
  ['faces', 'en', [{ head: 'face', english: 'face' }]],
  ['heads', 'en', [{ head: 'head', english: 'head' }]],
  ['hair', 'en', [{ head: 'hair', english: 'hair' }]],
  ['hands', 'en', [{ head: 'hand', english: 'hand' }]],
  ['arms', 'en', [{ head: 'arm', english: 'arm' }]],
  ['legs', 'en', [{ head: 'leg', english: 'leg' }]],
  ['shirt', 'en', [{ head: 'shirt', english: 'shirt' }]],
  ['t-shirt', 'en', [{ head: 't-shirt', english: 't-shirt' }]],
  ['T-shirts', 'en', [{ head: 't-shirt', english: 't-shirt' }]],
  ['jackets', 'en', [{ head: 'jacket', english: 'jacket' }]],
  ['coat', 'en', [{ head: 'coat', english: 'coat' }]],
  ['sweater', 'en', [{ head: 'sweater', english: 'sweater' }]],
  ['hoodie', 'en', [{ head: 'hoodie', english: 'hoodie' }]],
  ['pants', 'en', [{ head: 'pants', english: 'pants' }]],
  ['trousers', 'en', [{ head: 'trousers', english: 'trousers' }]],
  ['jeans', 'en', [{ head: 'jeans', english: 'jeans' }]],
  ['shorts', 'en', [{ head: 'shorts', english: 'shorts' }]],
  ['skirt', 'en', [{ head: 'skirt', english: 'skirt' }]],
  ['shoes', 'en', [{ head: 'shoe', english: 'shoe' }]],
  ['sneakers', 'en', [{ head: 'sneaker', english: 'sneaker' }]],
  ['boots', 'en', [{ head: 'boot', english: 'boot' }]],
  ['traffic lights', 'en', [{ head: 'traffic light', english: 'traffic light' }]],
  ['cell phones', 'en', [{ head: 'cell phone', english: 'cell phone' }]],
  ['teddy bear', 'en', [{ head: 'teddy bear', english: 'teddy bear' }]],
  ['hot dog', 'en', [{ head: 'hot dog', english: 'hot dog' }]],
  ['fire hydrant', 'en', [{ head: 'fire hydrant', english: 'fire hydrant' }]],
  ['stop sign', 'en', [{ head: 'stop sign', english: 'stop sign' }]],
  ['wine glasses', 'en', [{ head: 'wine glass', english: 'wine glass' }]],
  ['knives', 'en', [{ head: 'knife', english: 'knife' }]],
  ['mice', 'en', [{ head: 'mouse', english: 'mouse' }]],
  ['sheep', 'en', [{ head: 'sheep', english: 'sheep' }]],
  ['skis', 'en', [{ head: 'skis', english: 'skis' }]],
  ['scissors', 'en', [{ head: 'scissors', english: 'scissors' }]],
  ['red car', 'en', [{ head: 'car', colors: 'red', english: 'red car' }]],
  ['blue shirt', 'en', [{ head: 'shirt', colors: 'blue', english: 'blue shirt' }]],
  ['dark green car', 'en', [{ head: 'car', colors: 'dark green', english: 'dark green car' }]],
  ['light blue jeans', 'en', [{ head: 'jeans', colors: 'light blue', english: 'light blue jeans' }]],
  ['grey cat', 'en', [{ head: 'cat', colors: 'gray', english: 'gray cat' }]],
  ['gray cat', 'en', [{ head: 'cat', colors: 'gray', english: 'gray cat' }]],
  ['pink flowers', 'en', [{ head: 'flower', colors: 'pink', english: 'pink flower' }]],
  ['brown dog', 'en', [{ head: 'dog', colors: 'brown', english: 'brown dog' }]],
  ['purple umbrella', 'en', [{ head: 'umbrella', colors: 'purple', english: 'purple umbrella' }]],
  ['yellow bus', 'en', [{ head: 'bus', colors: 'yellow', english: 'yellow bus' }]],
  ['white horse', 'en', [{ head: 'horse', colors: 'white', english: 'white horse' }]],
  ['black and white cat', 'en', [{ head: 'cat', colors: 'black,white', english: 'black and white cat' }]],
  ['red and blue car', 'en', [{ head: 'car', colors: 'red,blue', english: 'red and blue car' }]],
  ['cat and dog', 'en', [{ head: 'cat', english: 'cat' }, { head: 'dog', english: 'dog' }]],
  ['cats and dogs', 'en', [{ head: 'cat', english: 'cat' }, { head: 'dog', english: 'dog' }]],
  ['the person on the left', 'en', [{ head: 'person', position: 'left', english: 'person on the left' }]],
  ['person on the right', 'en', [{ head: 'person', position: 'right', english: 'person on the right' }]],
  ['the dog at the top', 'en', [{ head: 'dog', position: 'top', english: 'dog at the top' }]],
  ['the cat at the bottom', 'en', [{ head: 'cat', position: 'bottom', english: 'cat at the bottom' }]],
  ['person in the middle', 'en', [{ head: 'person', position: 'center', english: 'person in the middle' }]],
  ['person in the center', 'en', [{ head: 'person', position: 'center', english: 'person in the middle' }]],
  ['the leftmost person', 'en', [{ head: 'person', position: 'left*', english: 'leftmost person' }]],
  ['the rightmost car', 'en', [{ head: 'car', position: 'right*', english: 'rightmost car' }]],
  ['topmost bird', 'en', [{ head: 'bird', position: 'top*', english: 'topmost bird' }]],
  ['the big dog', 'en', [{ head: 'dog', size: 'large', english: 'large dog' }]],
  ['large elephant', 'en', [{ head: 'elephant', size: 'large', english: 'large elephant' }]],
  ['the largest dog', 'en', [{ head: 'dog', size: 'large*', english: 'largest dog' }]],
  ['small cat', 'en', [{ head: 'cat', size: 'small', english: 'small cat' }]],
  ['the smallest bird', 'en', [{ head: 'bird', size: 'small*', english: 'smallest bird' }]],
  ['little girl', 'en', [{ head: 'girl', size: 'small', english: 'small girl' }]],
  ['the biggest red car on the left', 'en', [{ head: 'car', colors: 'red', position: 'left', size: 'large*', english: 'largest red car on the left' }]],
  ['two dogs', 'en', [{ head: 'dog', count: 2, english: 'two dogs' }]],
  ['3 people', 'en', [{ head: 'person', count: 3, english: 'three people' }]],
  ['four cars', 'en', [{ head: 'car', count: 4, english: 'four cars' }]],
  ['one cat', 'en', [{ head: 'cat', count: 1, english: 'one cat' }]],
  ['ten birds', 'en', [{ head: 'bird', count: 10, english: 'ten birds' }]],
  ['2 red cars', 'en', [{ head: 'car', colors: 'red', count: 2, english: 'two red cars' }]],
  ['the second person from the left', 'en', [{ head: 'person', ordinal: '2@left', english: 'second person from the left' }]],
  ['the 3rd car from the right', 'en', [{ head: 'car', ordinal: '3@right', english: 'third car from the right' }]],
  ['the first dog from the top', 'en', [{ head: 'dog', ordinal: '1@top', english: 'first dog from the top' }]],
  ['third person', 'en', [{ head: 'person', ordinal: '3@left', english: 'third person from the left' }]],
  ['people except the person on the left', 'en', [{ head: 'person', exclude: ['person on the left'], english: 'person except the person on the left' }]],
  ['dogs but not the black dog', 'en', [{ head: 'dog', exclude: ['black dog'], english: 'dog except the black dog' }]],
  ['animals except dogs', 'en', [{ head: 'animal', exclude: ['dog'], english: 'animal except the dog' }]],
  ['cars excluding the red one', 'en', [{ head: 'car', exclude: ['red car'], english: 'car except the red car' }]],
  ['person, not the ball', 'en', [{ head: 'person', exclude: ['ball'], english: 'person except the ball' }]],
  ['animals, not the dog', 'en', [{ head: 'animal', exclude: ['dog'], english: 'animal except the dog' }]],
  ['everything except people', 'en', [{ head: 'everything', exclude: ['person'], english: 'everything except the person' }]],
  ['dog; cat', 'en', [{ head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['dog', 'en', [{ head: 'dog', english: 'dog' }]],
  ['cat', 'en', [{ head: 'cat', english: 'cat' }]],
  ['person; car, bus', 'en', [{ head: 'person', english: 'person' }, { head: 'car', english: 'car' }, { head: 'bus', english: 'bus' }]],
  ['the dog with a ball', 'en', [{ head: 'dog', english: 'dog' }]],
  ['the man in a blue shirt', 'en', [{ head: 'man', english: 'man' }]],
  ['cup on the table', 'en', [{ head: 'cup', english: 'cup' }]],
  ['dog sleeping on the couch', 'en', [{ head: 'dog', english: 'dog' }]],
  ['squirrel', 'en', [{ head: 'squirrel', english: 'squirrel' }]],
  ['rockets', 'en', [{ head: 'rocket', english: 'rocket' }]],
  ['a red squirrel', 'en', [{ head: 'squirrel', colors: 'red', english: 'red squirrel' }]],
  ['striped cat', 'en', [{ head: 'striped cat', english: 'striped cat' }]],
  ['garbage truck', 'en', [{ head: 'garbage truck', english: 'garbage truck' }]],
  ['baby elephant', 'en', [{ head: 'baby elephant', english: 'baby elephant' }]],
  ['coffee mugs', 'en', [{ head: 'coffee mug', english: 'coffee mug' }]],
  ['man\'s shirt', 'en', [{ head: 'shirt', english: 'shirt' }]],
  ['dog house', 'en', [{ head: 'dog house', english: 'dog house' }]],
  ['orange', 'en', [{ head: 'orange', english: 'orange' }]],
  ['oranges and apples', 'en', [{ head: 'orange', english: 'orange' }, { head: 'apple', english: 'apple' }]],
  ['orange cat', 'en', [{ head: 'cat', colors: 'orange', english: 'orange cat' }]],
  ['an orange and a banana', 'en', [{ head: 'orange', english: 'orange' }, { head: 'banana', english: 'banana' }]],
  ['blue top', 'en', [{ head: 'top', colors: 'blue', english: 'blue top' }]],
  ['person at the top', 'en', [{ head: 'person', position: 'top', english: 'person at the top' }]],
  ['big, red car', 'en', [{ head: 'car', colors: 'red', size: 'large', english: 'large red car' }]],
  ['left person', 'en', [{ head: 'person', position: 'left', english: 'person on the left' }]],
  ['the person on the far left', 'en', [{ head: 'person', position: 'left*', english: 'leftmost person' }]],
  ['bottom-most car', 'en', [{ head: 'car', position: 'bottom*', english: 'bottommost car' }]],
  ['person standing on the left', 'en', [{ head: 'person', position: 'left', english: 'person on the left' }]],
  ['find the dog', 'en', [{ head: 'dog', english: 'dog' }]],
  ['segment all people in the image', 'en', [{ head: 'person', english: 'person' }]],
  ['人', 'zh', [{ head: 'person', english: 'person' }]],
  ['人们', 'zh', [{ head: 'person', english: 'person' }]],
  ['男人和女人', 'zh', [{ head: 'man', english: 'man' }, { head: 'woman', english: 'woman' }]],
  ['男孩，女孩', 'zh', [{ head: 'boy', english: 'boy' }, { head: 'girl', english: 'girl' }]],
  ['小孩', 'zh', [{ head: 'child', english: 'child' }]],
  ['孩子们', 'zh', [{ head: 'child', english: 'child' }]],
  ['行人', 'zh', [{ head: 'pedestrian', english: 'pedestrian' }]],
  ['球员', 'zh', [{ head: 'player', english: 'player' }]],
  ['小狗', 'zh', [{ head: 'puppy', english: 'puppy' }]],
  ['小猫', 'zh', [{ head: 'kitten', english: 'kitten' }]],
  ['狗狗', 'zh', [{ head: 'dog', english: 'dog' }]],
  ['猫咪', 'zh', [{ head: 'kitty', english: 'kitty' }]],
  ['摩托车', 'zh', [{ head: 'motorcycle', english: 'motorcycle' }]],
  ['自行车', 'zh', [{ head: 'bicycle', english: 'bicycle' }]],
  ['单车', 'zh', [{ head: 'bike', english: 'bike' }]],
  ['沙发', 'zh', [{ head: 'sofa', english: 'sofa' }]],
  ['手机', 'zh', [{ head: 'cell phone', english: 'cell phone' }]],
  ['足球', 'zh', [{ head: 'soccer ball', english: 'soccer ball' }]],
  ['篮球', 'zh', [{ head: 'basketball', english: 'basketball' }]],
  ['杯子', 'zh', [{ head: 'cup', english: 'cup' }]],
  ['马克杯', 'zh', [{ head: 'mug', english: 'mug' }]],
  ['盆栽', 'zh', [{ head: 'potted plant', english: 'potted plant' }]],
  ['植物', 'zh', [{ head: 'plant', english: 'plant' }]],
  ['电视', 'zh', [{ head: 'tv', english: 'tv' }]],
  ['显示器', 'zh', [{ head: 'monitor', english: 'monitor' }]],
  ['动物', 'zh', [{ head: 'animal', english: 'animal' }]],
  ['交通工具', 'zh', [{ head: 'vehicle', english: 'vehicle' }]],
  ['水果', 'zh', [{ head: 'fruit', english: 'fruit' }]],
  ['食物', 'zh', [{ head: 'food', english: 'food' }]],
  ['家具', 'zh', [{ head: 'furniture', english: 'furniture' }]],
  ['电子产品', 'zh', [{ head: 'electronics', english: 'electronics' }]],
  ['厨具', 'zh', [{ head: 'kitchenware', english: 'kitchenware' }]],
  ['脸', 'zh', [{ head: 'face', english: 'face' }]],
  ['头', 'zh', [{ head: 'head', english: 'head' }]],
  ['头发', 'zh', [{ head: 'hair', english: 'hair' }]],
  ['手', 'zh', [{ head: 'hand', english: 'hand' }]],
  ['手臂', 'zh', [{ head: 'arm', english: 'arm' }]],
  ['腿', 'zh', [{ head: 'leg', english: 'leg' }]],
  ['衬衫', 'zh', [{ head: 'shirt', english: 'shirt' }]],
  ['T恤', 'zh', [{ head: 't-shirt', english: 't-shirt' }]],
  ['外套', 'zh', [{ head: 'jacket', english: 'jacket' }]],
  ['毛衣', 'zh', [{ head: 'sweater', english: 'sweater' }]],
  ['卫衣', 'zh', [{ head: 'hoodie', english: 'hoodie' }]],
  ['裤子', 'zh', [{ head: 'pants', english: 'pants' }]],
  ['牛仔裤', 'zh', [{ head: 'jeans', english: 'jeans' }]],
  ['短裤', 'zh', [{ head: 'shorts', english: 'shorts' }]],
  ['裙子', 'zh', [{ head: 'skirt', english: 'skirt' }]],
  ['鞋子', 'zh', [{ head: 'shoe', english: 'shoe' }]],
  ['运动鞋', 'zh', [{ head: 'sneaker', english: 'sneaker' }]],
  ['靴子', 'zh', [{ head: 'boot', english: 'boot' }]],
  ['红绿灯', 'zh', [{ head: 'traffic light', english: 'traffic light' }]],
  ['泰迪熊', 'zh', [{ head: 'teddy bear', english: 'teddy bear' }]],
  ['热狗', 'zh', [{ head: 'hot dog', english: 'hot dog' }]],
  ['消防栓', 'zh', [{ head: 'fire hydrant', english: 'fire hydrant' }]],
  ['停车标志', 'zh', [{ head: 'stop sign', english: 'stop sign' }]],
  ['人, 狗, 蓝色衬衫', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }, { head: 'shirt', colors: 'blue', english: 'blue shirt' }]],
  ['红色的车', 'zh', [{ head: 'car', colors: 'red', english: 'red car' }]],
  ['左边的人', 'zh', [{ head: 'person', position: 'left', english: 'person on the left' }]],
  ['最大的狗', 'zh', [{ head: 'dog', size: 'large*', english: 'largest dog' }]],
  ['两只猫', 'zh', [{ head: 'cat', count: 2, english: 'two cats' }]],
  ['person, 小狗', 'mixed', [{ head: 'person', lang: 'en', english: 'person' }, { head: 'puppy', lang: 'zh', english: 'puppy' }]],
  ['人，狗，猫', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['人；狗', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['人、狗、猫', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['人和狗', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['人与狗', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['猫及狗', 'zh', [{ head: 'cat', english: 'cat' }, { head: 'dog', english: 'dog' }]],
  ['浅蓝色的衬衫', 'zh', [{ head: 'shirt', colors: 'light blue', english: 'light blue shirt' }]],
  ['深绿色的车', 'zh', [{ head: 'car', colors: 'dark green', english: 'dark green car' }]],
  ['灰色的猫', 'zh', [{ head: 'cat', colors: 'gray', english: 'gray cat' }]],
  ['黑白相间的猫', 'zh', [{ head: 'cat', colors: 'black,white', english: 'black and white cat' }]],
  ['红色和蓝色的车', 'zh', [{ head: 'car', colors: 'red,blue', english: 'red and blue car' }]],
  ['橙色的猫', 'zh', [{ head: 'cat', colors: 'orange', english: 'orange cat' }]],
  ['橙子', 'zh', [{ head: 'orange', english: 'orange' }]],
  ['橙', 'zh', [{ head: 'orange', english: 'orange' }]],
  ['右边的车', 'zh', [{ head: 'car', position: 'right', english: 'car on the right' }]],
  ['上面的鸟', 'zh', [{ head: 'bird', position: 'top', english: 'bird at the top' }]],
  ['下面的猫', 'zh', [{ head: 'cat', position: 'bottom', english: 'cat at the bottom' }]],
  ['中间的人', 'zh', [{ head: 'person', position: 'center', english: 'person in the middle' }]],
  ['最右边的车', 'zh', [{ head: 'car', position: 'right*', english: 'rightmost car' }]],
  ['最上面的鸟', 'zh', [{ head: 'bird', position: 'top*', english: 'topmost bird' }]],
  ['大狗', 'zh', [{ head: 'dog', size: 'large', english: 'large dog' }]],
  ['小车', 'zh', [{ head: 'car', size: 'small', english: 'small car' }]],
  ['最小的鸟', 'zh', [{ head: 'bird', size: 'small*', english: 'smallest bird' }]],
  ['大象', 'zh', [{ head: 'elephant', english: 'elephant' }]],
  ['三辆车', 'zh', [{ head: 'car', count: 3, english: 'three cars' }]],
  ['3个人', 'zh', [{ head: 'person', count: 3, english: 'three people' }]],
  ['一只狗', 'zh', [{ head: 'dog', count: 1, english: 'one dog' }]],
  ['十只鸟', 'zh', [{ head: 'bird', count: 10, english: 'ten birds' }]],
  ['两个红色的杯子', 'zh', [{ head: 'cup', colors: 'red', count: 2, english: 'two red cups' }]],
  ['左边第二个人', 'zh', [{ head: 'person', ordinal: '2@left', english: 'second person from the left' }]],
  ['从右数第三辆车', 'zh', [{ head: 'car', ordinal: '3@right', english: 'third car from the right' }]],
  ['第一只狗', 'zh', [{ head: 'dog', ordinal: '1@left', english: 'first dog from the left' }]],
  ['第二个人', 'zh', [{ head: 'person', ordinal: '2@left', english: 'second person from the left' }]],
  ['除了左边的人以外的人', 'zh', [{ head: 'person', exclude: ['person on the left'], english: 'person except the person on the left' }]],
  ['除了狗以外的动物', 'zh', [{ head: 'animal', exclude: ['dog'], english: 'animal except the dog' }]],
  ['所有人除了左边的那个', 'zh', [{ head: 'person', exclude: ['person on the left'], english: 'person except the person on the left' }]],
  ['人，不要左边的', 'zh', [{ head: 'person', exclude: ['person on the left'], english: 'person except the person on the left' }]],
  ['动物，不要狗', 'zh', [{ head: 'animal', exclude: ['dog'], english: 'animal except the dog' }]],
  ['車', 'zh', [{ head: 'car', english: 'car' }]],
  ['貓', 'zh', [{ head: 'cat', english: 'cat' }]],
  ['紅色的車', 'zh', [{ head: 'car', colors: 'red', english: 'red car' }]],
  ['兩隻貓', 'zh', [{ head: 'cat', count: 2, english: 'two cats' }]],
  ['左邊的人', 'zh', [{ head: 'person', position: 'left', english: 'person on the left' }]],
  ['藍色襯衫', 'zh', [{ head: 'shirt', colors: 'blue', english: 'blue shirt' }]],
  ['電視', 'zh', [{ head: 'tv', english: 'tv' }]],
  ['鳥', 'zh', [{ head: 'bird', english: 'bird' }]],
  ['馬', 'zh', [{ head: 'horse', english: 'horse' }]],
  ['人，狗', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['ｄｏｇ，ｃａｔ', 'en', [{ head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['人；狗；猫', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['红色的 car', 'mixed', [{ head: 'car', colors: 'red', english: 'red car' }]],
  ['big 狗', 'mixed', [{ head: 'dog', size: 'large', english: 'large dog' }]],
  ['2只cat', 'mixed', [{ head: 'cat', count: 2, english: 'two cats' }]],
  ['蓝色 shirt', 'mixed', [{ head: 'shirt', colors: 'blue', english: 'blue shirt' }]],
  ['松鼠', 'zh', [{ head: '松鼠', untranslated: true, english: '松鼠' }]],
  ['红色的松鼠', 'zh', [{ head: '松鼠', colors: 'red', untranslated: true, english: 'red 松鼠' }]],
  ['火箭', 'zh', [{ head: '火箭', untranslated: true, english: '火箭' }]],
  ['咖啡杯', 'zh', [{ head: 'coffee cup', english: 'coffee cup' }]],
  ['玩具车', 'zh', [{ head: 'car', english: 'car' }]],
  ['熊猫', 'zh', [{ head: 'panda', english: 'panda' }]],
  ['一群羊', 'zh', [{ head: 'sheep', english: 'sheep' }]],
  ['两头牛', 'zh', [{ head: 'cow', count: 2, english: 'two cows' }]],
  ['穿蓝色衬衫的人', 'zh', [{ head: 'person', english: 'person' }]],
  ['桌子上的杯子', 'zh', [{ head: 'cup', english: 'cup' }]],
  ['图中所有的人', 'zh', [{ head: 'person', english: 'person' }]],
  ['找出所有的狗', 'zh', [{ head: 'dog', english: 'dog' }]],
  ['cat, dog', 'en', [{ head: 'cat', english: 'cat' }, { head: 'dog', english: 'dog' }]],
  ['red car and blue bus', 'en', [{ head: 'car', colors: 'red', english: 'red car' }, { head: 'bus', colors: 'blue', english: 'blue bus' }]],
  ['a cat & a dog', 'en', [{ head: 'cat', english: 'cat' }, { head: 'dog', english: 'dog' }]],
  ['cat or dog', 'en', [{ head: 'cat', english: 'cat' }, { head: 'dog', english: 'dog' }]],
  ['the dog and the cat', 'en', [{ head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['dogs and cats on the left', 'en', [{ head: 'dog', english: 'dog' }, { head: 'cat', position: 'left', english: 'cat on the left' }]],
  ['狗和猫和鸟', 'zh', [{ head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }, { head: 'bird', english: 'bird' }]],
  ['人，狗；猫', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['人，狗，蓝色衬衫', 'zh', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }, { head: 'shirt', colors: 'blue', english: 'blue shirt' }]],
  ['Ｐｅｒｓｏｎ，　ｄｏｇ', 'en', [{ head: 'person', english: 'person' }, { head: 'dog', english: 'dog' }]],
  ['DOG, Cat', 'en', [{ head: 'dog', english: 'dog' }, { head: 'cat', english: 'cat' }]],
  ['both dogs', 'en', [{ head: 'dog', count: 2, english: 'two dogs' }]],
  ['5 cups', 'en', [{ head: 'cup', count: 5, english: 'five cups' }]],
  ['twenty people', 'en', [{ head: 'person', count: 20, english: 'twenty people' }]],
  ['二十三个人', 'zh', [{ head: 'person', count: 23, english: '23 people' }]],
  ['十二只鸟', 'zh', [{ head: 'bird', count: 12, english: 'twelve birds' }]],
  ['两辆红色的车', 'zh', [{ head: 'car', colors: 'red', count: 2, english: 'two red cars' }]],
  ['一个人', 'zh', [{ head: 'person', count: 1, english: 'one person' }]],
  ['people other than the referee', 'en', [{ head: 'person', exclude: ['referee'], english: 'person except the referee' }]],
  ['cars apart from the red one', 'en', [{ head: 'car', exclude: ['red car'], english: 'car except the red car' }]],
  ['除了红色的车以外的车', 'zh', [{ head: 'car', exclude: ['red car'], english: 'car except the red car' }]],
  ['除狗外的动物', 'zh', [{ head: 'animal', exclude: ['dog'], english: 'animal except the dog' }]],
  ['人但不包括小孩', 'zh', [{ head: 'person', exclude: ['child'], english: 'person except the child' }]],
  ['person, dog, not the ball', 'en', [{ head: 'person', exclude: ['ball'], english: 'person except the ball' }, { head: 'dog', exclude: ['ball'], english: 'dog except the ball' }]],
  ['the second dog from the right', 'en', [{ head: 'dog', ordinal: '2@right', english: 'second dog from the right' }]],
  ['the fourth car', 'en', [{ head: 'car', ordinal: '4@left', english: 'fourth car from the left' }]],
  ['left-most person', 'en', [{ head: 'person', position: 'left*', english: 'leftmost person' }]],
  ['far right car', 'en', [{ head: 'car', position: 'right*', english: 'rightmost car' }]],
  ['the very top bird', 'en', [{ head: 'bird', position: 'top*', english: 'topmost bird' }]],
  ['centre dog', 'en', [{ head: 'dog', position: 'center', english: 'dog in the middle' }]],
  ['the dog in the centre', 'en', [{ head: 'dog', position: 'center', english: 'dog in the middle' }]],
  ['the cat on the left side', 'en', [{ head: 'cat', position: 'left', english: 'cat on the left' }]],
  ['the bird on the left side of the image', 'en', [{ head: 'bird', position: 'left', english: 'bird on the left' }]],
  ['person on the left, dog on the right', 'en', [{ head: 'person', position: 'left', english: 'person on the left' }, { head: 'dog', position: 'right', english: 'dog on the right' }]],
  ['最左的人', 'zh', [{ head: 'person', position: 'left*', english: 'leftmost person' }]],
  ['最右侧的车', 'zh', [{ head: 'car', position: 'right*', english: 'rightmost car' }]],
  ['最顶上的鸟', 'zh', [{ head: 'bird', position: 'top*', english: 'topmost bird' }]],
  ['最下面的猫', 'zh', [{ head: 'cat', position: 'bottom*', english: 'bottommost cat' }]],
  ['正中间的人', 'zh', [{ head: 'person', position: 'center*', english: 'most central person' }]],
  ['中央的狗', 'zh', [{ head: 'dog', position: 'center', english: 'dog in the middle' }]],
  ['右边第一只狗', 'zh', [{ head: 'dog', ordinal: '1@right', english: 'first dog from the right' }]],
  ['左起第三个人', 'zh', [{ head: 'person', ordinal: '3@left', english: 'third person from the left' }]],
  ['从左往右第二辆车', 'zh', [{ head: 'car', ordinal: '2@left', english: 'second car from the left' }]],
  ['第2个人', 'zh', [{ head: 'person', ordinal: '2@left', english: 'second person from the left' }]],
  ['两个最大的狗', 'zh', [{ head: 'dog', size: 'large*', count: 2, english: 'two largest dogs' }]],
  ['最大的两只狗', 'zh', [{ head: 'dog', size: 'large*', count: 2, english: 'two largest dogs' }]],
  ['大红色的车', 'zh', [{ head: 'car', colors: 'red', size: 'large', english: 'large red car' }]],
  ['浅灰色的猫', 'zh', [{ head: 'cat', colors: 'light gray', english: 'light gray cat' }]],
  ['深蓝色牛仔裤', 'zh', [{ head: 'jeans', colors: 'dark blue', english: 'dark blue jeans' }]],
  ['粉红色的裙子', 'zh', [{ head: 'skirt', colors: 'pink', english: 'pink skirt' }]],
  ['棕色的熊', 'zh', [{ head: 'bear', colors: 'brown', english: 'brown bear' }]],
  ['白色的马', 'zh', [{ head: 'horse', colors: 'white', english: 'white horse' }]],
  ['紫色的伞', 'zh', [{ head: 'umbrella', colors: 'purple', english: 'purple umbrella' }]],
  ['黄色的公交车', 'zh', [{ head: 'bus', colors: 'yellow', english: 'yellow bus' }]],
  ['藏青色的外套', 'zh', [{ head: 'jacket', colors: 'dark blue', english: 'dark blue jacket' }]],
  ['酒红色的车', 'zh', [{ head: 'car', colors: 'dark red', english: 'dark red car' }]],
  ['金色的头发', 'zh', [{ head: 'hair', colors: 'yellow', english: 'yellow hair' }]],
  ['navy jacket', 'en', [{ head: 'jacket', colors: 'dark blue', english: 'dark blue jacket' }]],
  ['maroon car', 'en', [{ head: 'car', colors: 'dark red', english: 'dark red car' }]],
  ['silver car', 'en', [{ head: 'car', colors: 'gray', english: 'gray car' }]],
  ['light grey sweater', 'en', [{ head: 'sweater', colors: 'light gray', english: 'light gray sweater' }]],
  ['dark brown bear', 'en', [{ head: 'bear', colors: 'dark brown', english: 'dark brown bear' }]],
  ['pale yellow cup', 'en', [{ head: 'cup', colors: 'light yellow', english: 'light yellow cup' }]],
  ['blue and white striped shirt', 'en', [{ head: 'striped shirt', colors: 'blue,white', english: 'blue and white striped shirt' }]],
  ['a red, white and blue flag', 'en', [{ head: 'flag', colors: 'red,white,blue', english: 'red, white and blue flag' }]],
  ['小狗和小猫', 'zh', [{ head: 'puppy', english: 'puppy' }, { head: 'kitten', english: 'kitten' }]],
  ['男人，女人，孩子', 'zh', [{ head: 'man', english: 'man' }, { head: 'woman', english: 'woman' }, { head: 'child', english: 'child' }]],
  ['老人和小孩', 'zh', [{ head: 'person', english: 'person' }, { head: 'child', english: 'child' }]],
  ['一群人', 'zh', [{ head: 'person', english: 'person' }]],
  ['三只小鸟', 'zh', [{ head: 'bird', count: 3, english: 'three birds' }]],
  ['一辆自行车', 'zh', [{ head: 'bicycle', count: 1, english: 'one bicycle' }]],
  ['两个手机', 'zh', [{ head: 'cell phone', count: 2, english: 'two cell phones' }]],
  ['笔记本电脑', 'zh', [{ head: 'laptop', english: 'laptop' }]],
  ['键盘和鼠标', 'zh', [{ head: 'keyboard', english: 'keyboard' }, { head: 'computer mouse', english: 'computer mouse' }]],
  ['遥控器', 'zh', [{ head: 'remote control', english: 'remote control' }]],
  ['冰箱', 'zh', [{ head: 'fridge', english: 'fridge' }]],
  ['微波炉', 'zh', [{ head: 'microwave', english: 'microwave' }]],
  ['烤箱', 'zh', [{ head: 'oven', english: 'oven' }]],
  ['水槽', 'zh', [{ head: 'sink', english: 'sink' }]],
  ['马桶', 'zh', [{ head: 'toilet', english: 'toilet' }]],
  ['床', 'zh', [{ head: 'bed', english: 'bed' }]],
  ['餐桌', 'zh', [{ head: 'dining table', english: 'dining table' }]],
  ['椅子', 'zh', [{ head: 'chair', english: 'chair' }]],
  ['书', 'zh', [{ head: 'book', english: 'book' }]],
  ['时钟', 'zh', [{ head: 'clock', english: 'clock' }]],
  ['花瓶', 'zh', [{ head: 'vase', english: 'vase' }]],
  ['剪刀', 'zh', [{ head: 'scissors', english: 'scissors' }]],
  ['牙刷', 'zh', [{ head: 'toothbrush', english: 'toothbrush' }]],
  ['吹风机', 'zh', [{ head: 'hair dryer', english: 'hair dryer' }]],
  ['香蕉和苹果', 'zh', [{ head: 'banana', english: 'banana' }, { head: 'apple', english: 'apple' }]],
  ['胡萝卜', 'zh', [{ head: 'carrot', english: 'carrot' }]],
  ['西兰花', 'zh', [{ head: 'broccoli', english: 'broccoli' }]],
  ['披萨', 'zh', [{ head: 'pizza', english: 'pizza' }]],
  ['甜甜圈', 'zh', [{ head: 'donut', english: 'donut' }]],
  ['蛋糕', 'zh', [{ head: 'cake', english: 'cake' }]],
  ['三明治', 'zh', [{ head: 'sandwich', english: 'sandwich' }]],
  ['瓶子', 'zh', [{ head: 'bottle', english: 'bottle' }]],
  ['酒杯', 'zh', [{ head: 'wine glass', english: 'wine glass' }]],
  ['叉子', 'zh', [{ head: 'fork', english: 'fork' }]],
  ['刀', 'zh', [{ head: 'knife', english: 'knife' }]],
  ['勺子', 'zh', [{ head: 'spoon', english: 'spoon' }]],
  ['碗', 'zh', [{ head: 'bowl', english: 'bowl' }]],
  ['背包', 'zh', [{ head: 'backpack', english: 'backpack' }]],
  ['雨伞', 'zh', [{ head: 'umbrella', english: 'umbrella' }]],
  ['手提包', 'zh', [{ head: 'handbag', english: 'handbag' }]],
  ['领带', 'zh', [{ head: 'tie', english: 'tie' }]],
  ['行李箱', 'zh', [{ head: 'suitcase', english: 'suitcase' }]],
  ['飞盘', 'zh', [{ head: 'frisbee', english: 'frisbee' }]],
  ['滑雪板', 'zh', [{ head: 'skis', english: 'skis' }]],
  ['单板', 'zh', [{ head: 'snowboard', english: 'snowboard' }]],
  ['风筝', 'zh', [{ head: 'kite', english: 'kite' }]],
  ['棒球棒', 'zh', [{ head: 'baseball bat', english: 'baseball bat' }]],
  ['棒球手套', 'zh', [{ head: 'baseball glove', english: 'baseball glove' }]],
  ['滑板', 'zh', [{ head: 'skateboard', english: 'skateboard' }]],
  ['冲浪板', 'zh', [{ head: 'surfboard', english: 'surfboard' }]],
  ['网球拍', 'zh', [{ head: 'tennis racket', english: 'tennis racket' }]],
  ['飞机', 'zh', [{ head: 'airplane', english: 'airplane' }]],
  ['公交车', 'zh', [{ head: 'bus', english: 'bus' }]],
  ['火车', 'zh', [{ head: 'train', english: 'train' }]],
  ['卡车', 'zh', [{ head: 'truck', english: 'truck' }]],
  ['船', 'zh', [{ head: 'boat', english: 'boat' }]],
  ['长椅', 'zh', [{ head: 'bench', english: 'bench' }]],
  ['停车计时器', 'zh', [{ head: 'parking meter', english: 'parking meter' }]],
  ['斑马', 'zh', [{ head: 'zebra', english: 'zebra' }]],
  ['长颈鹿', 'zh', [{ head: 'giraffe', english: 'giraffe' }]],
  ['羊', 'zh', [{ head: 'sheep', english: 'sheep' }]],
  ['牛', 'zh', [{ head: 'cow', english: 'cow' }]],
  ['熊', 'zh', [{ head: 'bear', english: 'bear' }]],
  ['马', 'zh', [{ head: 'horse', english: 'horse' }]],
  ['鸟', 'zh', [{ head: 'bird', english: 'bird' }]],
  ['蔬菜', 'zh', [{ head: 'vegetable', english: 'vegetable' }]],
  ['宠物', 'zh', [{ head: 'pet', english: 'pet' }]],
  ['電腦', 'zh', [{ head: 'computer', english: 'computer' }]],
  ['滑鼠', 'zh', [{ head: 'computer mouse', english: 'computer mouse' }]],
  ['書', 'zh', [{ head: 'book', english: 'book' }]],
  ['鐘', 'zh', [{ head: 'clock', english: 'clock' }]],
  ['雨傘', 'zh', [{ head: 'umbrella', english: 'umbrella' }]],
  ['飛機', 'zh', [{ head: 'airplane', english: 'airplane' }]],
  ['火車', 'zh', [{ head: 'train', english: 'train' }]],
  ['腳踏車', 'zh', [{ head: 'bicycle', english: 'bicycle' }]],
  ['機車', 'zh', [{ head: 'motorcycle', english: 'motorcycle' }]],
  ['計程車', 'zh', [{ head: 'taxi', english: 'taxi' }]],
  ['頭髮', 'zh', [{ head: 'hair', english: 'hair' }]],
  ['褲子', 'zh', [{ head: 'pants', english: 'pants' }]],
  ['左邊第二個人', 'zh', [{ head: 'person', ordinal: '2@left', english: 'second person from the left' }]],
  ['兩輛紅色的車', 'zh', [{ head: 'car', colors: 'red', count: 2, english: 'two red cars' }]],
  ['除了左邊的人以外的人', 'zh', [{ head: 'person', exclude: ['person on the left'], english: 'person except the person on the left' }]],
  ['紅綠燈', 'zh', [{ head: 'traffic light', english: 'traffic light' }]],
];

describe('parsePrompt: concepts and attributes', () => {
  it(`has a table of at least 150 phrases`, () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(150);
    expect(ROWS.filter(([, lang]) => lang !== 'en').length).toBeGreaterThanOrEqual(75);
  });

  it.each(ROWS)('%j', (prompt, lang, expected) => {
    const parsed = parsePrompt(prompt);
    expect(parsed.text).toBe(prompt);
    expect(parsed.concepts.map(summary)).toEqual(expected.map((e) => ({ lang, ...e })));
  });
});

describe('parsePrompt: text and provenance of each concept', () => {
  it('keeps each concept as the user wrote it', () => {
    const p = parsePrompt('  the Red car , 紅色的車；除了左边的人以外的人 ');
    expect(p.concepts.map((c) => c.text)).toEqual(['the Red car', '紅色的車', '除了左边的人以外的人']);
    expect(p.concepts.map((c) => c.headText)).toEqual(['car', '車', '人']);
  });

  it('says which word was translated', () => {
    const [dog, cat] = parsePrompt('小狗, 貓').concepts;
    expect(dog).toMatchObject({ head: 'puppy', headText: '小狗', via: '小狗 → puppy' });
    expect(cat).toMatchObject({ head: 'cat', headText: '貓', via: '貓 → cat' });
    expect(parsePrompt('women').concepts[0]).toMatchObject({ head: 'woman', headText: 'women' });
    expect(parsePrompt('women').concepts[0].via).toBeUndefined();
  });

  it('gives an excluded concept its own text and the head of its concept when it names none', () => {
    const [c] = parsePrompt('people except the one on the left').concepts;
    expect(c.text).toBe('people except the one on the left');
    expect(c.exclude).toHaveLength(1);
    expect(c.exclude?.[0]).toMatchObject({ text: 'the one on the left', head: 'person', position: { side: 'left', superlative: false } });
  });

  it('gives every concept an English phrase without Chinese in it when the head is known', () => {
    for (const [prompt] of ROWS) {
      for (const c of parsePrompt(prompt).concepts) {
        if (c.untranslated) continue;
        expect(c.english, prompt).toMatch(/^[a-z0-9 ,'-]+$/);
      }
    }
  });
});

describe('parsePrompt: errors', () => {
  const invalid = (prompt: string): PromptsegError => {
    try {
      parsePrompt(prompt);
    } catch (e) {
      expect(e).toBeInstanceOf(PromptsegError);
      const err = e as PromptsegError;
      expect(err.code).toBe('invalid_prompt');
      expect(err.hint.length).toBeGreaterThan(10);
      return err;
    }
    throw new Error(`"${prompt}" was accepted`);
  };

  it.each(['', '   ', '\n\t', ',,, ;', '，、；'])('refuses the empty prompt %j', (p) => {
    expect(invalid(p).message).toMatch(/empty|names no object/);
  });

  it('refuses a prompt over the length limit, saying the length and the limit', () => {
    const err = invalid('dog, '.repeat(500));
    expect(err.message).toContain(String(MAX_PROMPT_CHARS));
    expect(err.message).toContain('2500');
  });

  it('refuses more concepts than the limit, saying the count and the limit', () => {
    const many = Array.from({ length: MAX_CONCEPTS + 3 }, () => 'dog').join(', ');
    const err = invalid(many);
    expect(err.message).toContain(`${MAX_CONCEPTS + 3} concepts`);
    expect(err.message).toContain(`limit is ${MAX_CONCEPTS}`);
    expect(parsePrompt(Array.from({ length: MAX_CONCEPTS }, () => 'cat').join(', ')).concepts).toHaveLength(MAX_CONCEPTS);
  });

  it.each(['the', 'big', 'the big one', 'red', 'dog, big', '最大的', '左边的', 'the one on the left', 'some of the'])(
    'refuses a concept with no noun: %j',
    (p) => {
      const err = invalid(p);
      expect(err.message).toMatch(/names no object/);
    },
  );

  it('names the concept that has no noun', () => {
    expect(invalid('dog, cat, the big one').message).toContain('"the big one"');
    expect(invalid('dog; 最大的').message).toContain('"最大的"');
  });

  it('refuses a prompt that only says what to leave out', () => {
    expect(invalid('not the ball').message).toMatch(/only says what to leave out/);
    expect(invalid('不要球').message).toMatch(/only says what to leave out/);
  });

  it('refuses a count of zero', () => {
    expect(invalid('0 dogs').message).toMatch(/at least 1/);
  });
});
