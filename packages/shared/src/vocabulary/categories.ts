/**
 * Vocabulary data: category words that expand to several COCO classes ("animal" → bird, cat, …).
 * Same layout as objects.ts: `en` singular words (the first names the category), `zh` Chinese word
 * → its English word.
 */
import { COCO_CLASSES, type CocoClass } from './coco.js';

export interface CategoryWords {
  en: readonly string[];
  zh: Readonly<Record<string, string>>;
  classes: readonly CocoClass[];
}

export const CATEGORY_WORDS: readonly CategoryWords[] = [
  {
    en: ['animal', 'creature', 'beast', 'mammal'],
    zh: { 动物: 'animal', 小动物: 'animal', 哺乳动物: 'mammal' },
    classes: ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'],
  },
  {
    en: ['pet', 'domestic animal'],
    zh: { 宠物: 'pet' },
    classes: ['cat', 'dog'],
  },
  {
    en: ['farm animal', 'livestock'],
    zh: { 家畜: 'livestock', 牲畜: 'livestock', 牲口: 'livestock' },
    classes: ['horse', 'sheep', 'cow'],
  },
  {
    en: ['wild animal', 'wildlife'],
    zh: { 野生动物: 'wild animal', 野兽: 'wild animal' },
    classes: ['elephant', 'bear', 'zebra', 'giraffe'],
  },
  {
    en: ['vehicle', 'transport', 'transportation', 'means of transport'],
    zh: { 交通工具: 'vehicle', 车辆: 'vehicle', 载具: 'vehicle' },
    classes: ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'],
  },
  {
    en: ['motor vehicle', 'road vehicle'],
    zh: { 机动车: 'motor vehicle' },
    classes: ['car', 'motorcycle', 'bus', 'truck'],
  },
  {
    en: ['fruit'],
    zh: { 水果: 'fruit', 果子: 'fruit' },
    classes: ['banana', 'apple', 'orange'],
  },
  {
    en: ['vegetable', 'veggie', 'veg'],
    zh: { 蔬菜: 'vegetable', 青菜: 'vegetable' },
    classes: ['broccoli', 'carrot'],
  },
  {
    en: ['food', 'meal', 'snack', 'dish of food'],
    zh: { 食物: 'food', 食品: 'food', 吃的: 'food', 零食: 'snack', 饭菜: 'meal' },
    classes: ['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake'],
  },
  {
    en: ['dessert', 'sweet', 'pastry dish'],
    zh: { 甜点: 'dessert', 甜品: 'dessert', 点心: 'dessert' },
    classes: ['donut', 'cake'],
  },
  {
    en: ['furniture', 'piece of furniture'],
    zh: { 家具: 'furniture' },
    classes: ['chair', 'couch', 'potted plant', 'bed', 'dining table', 'toilet'],
  },
  {
    en: ['electronics', 'electronic device', 'device', 'gadget'],
    zh: { 电子产品: 'electronics', 电子设备: 'electronic device', 数码产品: 'electronics', 设备: 'device' },
    classes: ['tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone'],
  },
  {
    en: ['appliance', 'kitchen appliance', 'home appliance'],
    zh: { 家电: 'appliance', 电器: 'appliance', 厨房电器: 'kitchen appliance' },
    classes: ['microwave', 'oven', 'toaster', 'sink', 'refrigerator'],
  },
  {
    en: ['kitchenware', 'tableware', 'dishware', 'crockery', 'kitchen utensil'],
    zh: { 厨具: 'kitchenware', 餐具: 'tableware', 厨房用具: 'kitchenware' },
    classes: ['bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl'],
  },
  {
    en: ['cutlery', 'utensil', 'silverware', 'flatware'],
    zh: { 刀叉: 'cutlery', 刀叉勺: 'cutlery', 餐刀叉: 'cutlery' },
    classes: ['fork', 'knife', 'spoon'],
  },
  {
    en: ['drinkware', 'drinking vessel', 'glassware'],
    zh: { 杯具: 'drinkware' },
    classes: ['wine glass', 'cup'],
  },
  {
    en: ['sports equipment', 'sporting goods', 'sports gear'],
    zh: { 运动器材: 'sports equipment', 体育用品: 'sporting goods', 运动装备: 'sports gear' },
    classes: ['frisbee', 'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket'],
  },
  {
    en: ['bag'],
    zh: { 包: 'bag', 包包: 'bag', 袋子: 'bag', 袋: 'bag' },
    classes: ['backpack', 'handbag', 'suitcase'],
  },
  {
    en: ['accessory'],
    zh: { 配饰: 'accessory', 饰品: 'accessory' },
    classes: ['backpack', 'umbrella', 'handbag', 'tie', 'suitcase'],
  },
  {
    en: ['street furniture', 'traffic sign'],
    zh: { 交通标志: 'traffic sign', 路牌: 'traffic sign' },
    classes: ['traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench'],
  },
  {
    en: ['toy'],
    zh: { 玩具: 'toy' },
    classes: ['teddy bear', 'kite', 'frisbee', 'sports ball'],
  },
  {
    en: ['object', 'thing', 'everything', 'item', 'anything'],
    zh: { 物体: 'object', 东西: 'thing', 物品: 'item', 一切: 'everything', 所有东西: 'everything' },
    classes: [...COCO_CLASSES],
  },
];
