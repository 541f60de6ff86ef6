/**
 * Vocabulary data: parts of a person (from the pose / face / hand models), with the garments that
 * cover them. Same layout as objects.ts. `label` is what the result calls the part.
 */
import type { PersonPart } from './coco.js';

export interface PartWords {
  part: PersonPart;
  label: string;
  en: readonly string[];
  zh: Readonly<Record<string, string>>;
}

export const PART_WORDS: readonly PartWords[] = [
  {
    part: 'face',
    label: 'face',
    en: ['face', 'human face', 'facial area'],
    zh: { 脸: 'face', 脸部: 'face', 面部: 'face', 面孔: 'face', 脸庞: 'face', 人脸: 'human face', 脸蛋: 'face' },
  },
  {
    part: 'head',
    label: 'head',
    en: ['head', 'human head'],
    zh: { 头: 'head', 头部: 'head', 脑袋: 'head', 人头: 'human head' },
  },
  {
    part: 'hair',
    label: 'hair',
    en: ['hair', 'hairstyle', 'haircut', 'ponytail', 'hairdo'],
    zh: { 头发: 'hair', 发型: 'hairstyle', 秀发: 'hair', 马尾: 'ponytail', 长发: 'hair', 短发: 'hair' },
  },
  {
    part: 'hand',
    label: 'hand',
    en: ['hand', 'fist', 'palm', 'finger'],
    zh: { 手: 'hand', 手部: 'hand', 双手: 'hand', 拳头: 'fist', 手掌: 'palm', 手指: 'finger' },
  },
  {
    part: 'arm',
    label: 'arm',
    en: ['arm', 'forearm', 'upper arm'],
    zh: { 手臂: 'arm', 胳膊: 'arm', 胳臂: 'arm', 臂: 'arm', 双臂: 'arm', 前臂: 'forearm' },
  },
  {
    part: 'leg',
    label: 'leg',
    en: ['leg', 'thigh', 'knee'],
    zh: { 腿: 'leg', 腿部: 'leg', 双腿: 'leg', 大腿: 'thigh', 膝盖: 'knee' },
  },
  {
    part: 'upper_body',
    label: 'upper body garment',
    en: ['shirt', 't-shirt', 'tshirt', 'tee', 'tee shirt', 'top', 'blouse', 'jacket', 'coat', 'sweater', 'hoodie',
      'sweatshirt', 'jumper', 'vest', 'cardigan', 'blazer', 'polo shirt', 'polo', 'tank top', 'jersey', 'suit jacket',
      'raincoat', 'overcoat', 'parka', 'windbreaker', 'pullover', 'upper body', 'torso', 'upper body garment', 'outfit top'],
    zh: {
      衬衫: 'shirt', 衬衣: 'shirt', T恤: 't-shirt', T恤衫: 't-shirt', 短袖: 't-shirt', 上衣: 'top', 夹克: 'jacket',
      外套: 'jacket', 大衣: 'coat', 风衣: 'coat', 毛衣: 'sweater', 卫衣: 'hoodie', 连帽衫: 'hoodie', 背心: 'vest',
      马甲: 'vest', 西装: 'suit jacket', 西服: 'suit jacket', 开衫: 'cardigan', 球衣: 'jersey', 羽绒服: 'parka',
      雨衣: 'raincoat', 上身: 'upper body', 上半身: 'upper body', 衣服: 'top', 吊带: 'tank top', Polo衫: 'polo shirt',
    },
  },
  {
    part: 'lower_body',
    label: 'lower body garment',
    en: ['pants', 'trousers', 'jeans', 'shorts', 'skirt', 'leggings', 'slacks', 'sweatpants', 'joggers', 'chinos',
      'miniskirt', 'lower body', 'lower body garment', 'bottoms'],
    zh: {
      裤子: 'pants', 长裤: 'trousers', 牛仔裤: 'jeans', 短裤: 'shorts', 裙子: 'skirt', 短裙: 'miniskirt', 半身裙: 'skirt',
      打底裤: 'leggings', 运动裤: 'sweatpants', 西裤: 'slacks', 下身: 'lower body', 下半身: 'lower body', 裤: 'pants', 裙: 'skirt',
    },
  },
  {
    part: 'shoes',
    label: 'shoes',
    en: ['shoe', 'sneaker', 'boot', 'trainer', 'sandal', 'high heel', 'heel', 'slipper', 'footwear', 'loafer', 'foot',
      'running shoe', 'tennis shoe', 'flip-flop', 'cleat'],
    zh: {
      鞋: 'shoe', 鞋子: 'shoe', 运动鞋: 'sneaker', 球鞋: 'sneaker', 靴子: 'boot', 靴: 'boot', 皮鞋: 'shoe', 凉鞋: 'sandal',
      拖鞋: 'slipper', 高跟鞋: 'high heel', 跑鞋: 'running shoe', 脚: 'foot', 双脚: 'foot', 帆布鞋: 'sneaker',
    },
  },
];
