/**
 * Vocabulary data: the words that name each COCO class, in English and Chinese.
 *
 * `en`: singular English words and phrases (the first is the class name itself); plurals are
 * derived (see inflect.ts; irregular ones are listed there). `zh`: Chinese word → the English word
 * of `en` it translates (simplified characters; traditional ones are mapped by traditional.ts).
 * The English translation is what the sam3 engine reads, so it is the most faithful word, not
 * always the class name ("小狗" → "puppy", which the lite engine then maps to "dog").
 */
import type { CocoClass } from './coco.js';

export interface ObjectWords {
  class: CocoClass;
  en: readonly string[];
  zh: Readonly<Record<string, string>>;
}

export const OBJECT_WORDS: readonly ObjectWords[] = [
  {
    class: 'person',
    en: ['person', 'man', 'woman', 'boy', 'girl', 'child', 'kid', 'player', 'pedestrian', 'human', 'human being', 'adult',
      'baby', 'toddler', 'infant', 'teenager', 'teen', 'guy', 'lady', 'gentleman', 'individual',
      'rider', 'skier', 'snowboarder', 'surfer', 'skateboarder', 'athlete', 'worker', 'officer', 'police officer', 'policeman',
      'policewoman', 'soldier', 'tourist', 'student', 'astronaut', 'referee', 'driver', 'cyclist', 'biker', 'spectator',
      'passenger', 'runner', 'dancer', 'chef', 'cook', 'doctor', 'nurse', 'farmer', 'businessman', 'businesswoman', 'father',
      'mother', 'dad', 'mom', 'mum', 'son', 'daughter', 'grandfather', 'grandmother', 'grandpa', 'grandma', 'family',
      'crowd', 'bride', 'groom', 'fisherman', 'pitcher', 'batter', 'catcher', 'goalkeeper', 'tennis player',
      'baseball player', 'football player', 'soccer player', 'basketball player', 'someone', 'somebody'],
    zh: {
      人: 'person', 人类: 'human', 人们: 'person', 人物: 'person', 行人: 'pedestrian', 路人: 'pedestrian', 男人: 'man',
      女人: 'woman', 男子: 'man', 女子: 'woman', 男士: 'man', 女士: 'woman', 男性: 'man', 女性: 'woman', 男生: 'boy',
      女生: 'girl', 男孩: 'boy', 女孩: 'girl', 男孩子: 'boy', 女孩子: 'girl', 孩子: 'child', 小孩: 'child', 小孩子: 'child',
      儿童: 'child', 小朋友: 'kid', 婴儿: 'baby', 宝宝: 'baby', 大人: 'adult', 成人: 'adult', 成年人: 'adult', 老人: 'person',
      妇女: 'woman', 少年: 'teenager', 青少年: 'teenager', 球员: 'player', 运动员: 'athlete', 选手: 'player',
      宇航员: 'astronaut', 航天员: 'astronaut', 裁判: 'referee', 警察: 'police officer', 士兵: 'soldier', 军人: 'soldier',
      学生: 'student', 游客: 'tourist', 司机: 'driver', 乘客: 'passenger', 骑手: 'rider', 骑车人: 'cyclist',
      滑雪者: 'skier', 冲浪者: 'surfer', 厨师: 'chef', 医生: 'doctor', 护士: 'nurse', 农民: 'farmer', 爸爸: 'father',
      妈妈: 'mother', 父亲: 'father', 母亲: 'mother', 人群: 'crowd', 新娘: 'bride', 新郎: 'groom', 网球运动员: 'tennis player',
      足球运动员: 'soccer player', 篮球运动员: 'basketball player', 棒球运动员: 'baseball player',
    },
  },
  {
    class: 'bicycle',
    en: ['bicycle', 'bike', 'cycle', 'pushbike', 'mountain bike', 'road bike', 'push bike'],
    zh: { 自行车: 'bicycle', 脚踏车: 'bicycle', 单车: 'bike', 山地车: 'mountain bike' },
  },
  {
    class: 'car',
    en: ['car', 'automobile', 'auto', 'sedan', 'suv', 'taxi', 'cab', 'jeep', 'van', 'minivan', 'hatchback', 'coupe',
      'convertible', 'limousine', 'limo', 'police car', 'race car', 'racecar', 'sports car', 'station wagon'],
    zh: {
      车: 'car', 汽车: 'car', 小汽车: 'car', 轿车: 'sedan', 车子: 'car', 出租车: 'taxi', 的士: 'taxi', 计程车: 'taxi', 面包车: 'van',
      吉普车: 'jeep', 越野车: 'suv', 跑车: 'sports car', 警车: 'police car', 赛车: 'race car',
    },
  },
  {
    class: 'motorcycle',
    en: ['motorcycle', 'motorbike', 'motor bike', 'scooter', 'moped', 'dirt bike', 'motor cycle'],
    zh: { 摩托车: 'motorcycle', 摩托: 'motorcycle', 机车: 'motorcycle', 踏板车: 'scooter', 电动车: 'scooter', 电瓶车: 'scooter' },
  },
  {
    class: 'airplane',
    en: ['airplane', 'plane', 'aeroplane', 'aircraft', 'jet', 'airliner', 'jumbo jet', 'jetliner', 'passenger plane'],
    zh: { 飞机: 'airplane', 客机: 'airliner', 喷气机: 'jet', 航空器: 'aircraft' },
  },
  {
    class: 'bus',
    en: ['bus', 'minibus', 'school bus', 'double-decker', 'double-decker bus', 'autobus', 'trolleybus'],
    zh: { 公交车: 'bus', 公共汽车: 'bus', 公交: 'bus', 公车: 'bus', 巴士: 'bus', 大巴: 'bus', 大巴车: 'bus', 校车: 'school bus', 双层巴士: 'double-decker bus' },
  },
  {
    class: 'train',
    en: ['train', 'locomotive', 'tram', 'streetcar', 'subway', 'metro', 'railcar', 'steam engine', 'bullet train'],
    zh: { 火车: 'train', 列车: 'train', 高铁: 'bullet train', 动车: 'train', 地铁: 'subway', 有轨电车: 'tram', 电车: 'tram', 火车头: 'locomotive' },
  },
  {
    class: 'truck',
    en: ['truck', 'lorry', 'pickup', 'pickup truck', 'fire truck', 'fire engine', 'garbage truck', 'dump truck',
      'semi truck', 'tow truck', 'delivery truck'],
    zh: { 卡车: 'truck', 货车: 'truck', 大卡车: 'truck', 皮卡: 'pickup truck', 消防车: 'fire truck', 垃圾车: 'garbage truck', 自卸车: 'dump truck', 拖车: 'tow truck' },
  },
  {
    class: 'boat',
    en: ['boat', 'ship', 'sailboat', 'yacht', 'canoe', 'kayak', 'ferry', 'vessel', 'rowboat', 'motorboat', 'speedboat', 'raft'],
    zh: { 船: 'boat', 小船: 'boat', 船只: 'boat', 帆船: 'sailboat', 游艇: 'yacht', 轮船: 'ship', 独木舟: 'canoe', 皮划艇: 'kayak', 渡轮: 'ferry', 快艇: 'speedboat' },
  },
  {
    class: 'traffic light',
    en: ['traffic light', 'traffic signal', 'stoplight', 'stop light', 'traffic lamp', 'signal light'],
    zh: { 红绿灯: 'traffic light', 交通灯: 'traffic light', 信号灯: 'traffic signal', 交通信号灯: 'traffic signal' },
  },
  {
    class: 'fire hydrant',
    en: ['fire hydrant', 'hydrant', 'fireplug'],
    zh: { 消防栓: 'fire hydrant', 消火栓: 'fire hydrant' },
  },
  {
    class: 'stop sign',
    en: ['stop sign', 'stop signal'],
    zh: { 停车标志: 'stop sign', 停止标志: 'stop sign', 停车牌: 'stop sign' },
  },
  {
    class: 'parking meter',
    en: ['parking meter', 'meter'],
    zh: { 停车计时器: 'parking meter', 咪表: 'parking meter', 停车咪表: 'parking meter' },
  },
  {
    class: 'bench',
    en: ['bench', 'park bench'],
    zh: { 长椅: 'bench', 长凳: 'bench', 长条椅: 'bench', 公园长椅: 'park bench' },
  },
  {
    class: 'bird',
    en: ['bird', 'pigeon', 'dove', 'seagull', 'gull', 'duck', 'goose', 'parrot', 'chicken', 'hen', 'rooster', 'crow',
      'sparrow', 'eagle', 'hawk', 'owl', 'swan', 'penguin', 'flamingo', 'heron', 'pelican', 'robin', 'birdie'],
    zh: {
      鸟: 'bird', 小鸟: 'bird', 鸟儿: 'bird', 鸽子: 'pigeon', 海鸥: 'seagull', 鸭子: 'duck', 鸭: 'duck', 鹅: 'goose',
      鹦鹉: 'parrot', 鸡: 'chicken', 母鸡: 'hen', 公鸡: 'rooster', 乌鸦: 'crow', 麻雀: 'sparrow', 老鹰: 'eagle', 鹰: 'hawk',
      猫头鹰: 'owl', 天鹅: 'swan', 企鹅: 'penguin', 火烈鸟: 'flamingo', 鹈鹕: 'pelican',
    },
  },
  {
    class: 'cat',
    en: ['cat', 'kitten', 'kitty', 'tabby', 'tabby cat', 'tomcat', 'housecat', 'pussycat'],
    zh: { 猫: 'cat', 小猫: 'kitten', 猫咪: 'kitty', 猫猫: 'cat', 喵星人: 'cat', 虎斑猫: 'tabby cat' },
  },
  {
    class: 'dog',
    en: ['dog', 'puppy', 'pup', 'doggy', 'doggie', 'hound', 'labrador', 'retriever', 'poodle', 'terrier', 'bulldog', 'husky',
      'corgi', 'beagle', 'dachshund', 'chihuahua', 'german shepherd', 'sheepdog', 'collie', 'pug'],
    zh: {
      狗: 'dog', 小狗: 'puppy', 狗狗: 'dog', 犬: 'dog', 狗子: 'dog', 幼犬: 'puppy', 拉布拉多: 'labrador', 金毛: 'retriever',
      贵宾犬: 'poodle', 泰迪: 'poodle', 哈士奇: 'husky', 柯基: 'corgi', 斗牛犬: 'bulldog', 牧羊犬: 'sheepdog', 哈巴狗: 'pug',
    },
  },
  {
    class: 'horse',
    en: ['horse', 'pony', 'foal', 'stallion', 'mare', 'colt'],
    zh: { 马: 'horse', 马匹: 'horse', 小马: 'pony', 马驹: 'foal', 骏马: 'horse' },
  },
  {
    class: 'sheep',
    en: ['sheep', 'lamb', 'ram', 'ewe'],
    zh: { 羊: 'sheep', 绵羊: 'sheep', 小羊: 'lamb', 羔羊: 'lamb', 羊羔: 'lamb', 公羊: 'ram', 母羊: 'ewe' },
  },
  {
    class: 'cow',
    en: ['cow', 'cattle', 'bull', 'calf', 'ox', 'heifer', 'steer'],
    zh: { 牛: 'cow', 奶牛: 'cow', 母牛: 'cow', 公牛: 'bull', 小牛: 'calf', 牛犊: 'calf', 黄牛: 'cattle', 水牛: 'ox', 牛群: 'cattle' },
  },
  {
    class: 'elephant',
    en: ['elephant', 'baby elephant'],
    zh: { 大象: 'elephant', 象: 'elephant', 小象: 'baby elephant' },
  },
  {
    class: 'bear',
    en: ['bear', 'panda', 'giant panda', 'polar bear', 'grizzly', 'grizzly bear', 'bear cub'],
    zh: { 熊: 'bear', 熊猫: 'panda', 大熊猫: 'giant panda', 北极熊: 'polar bear', 灰熊: 'grizzly bear', 小熊: 'bear cub', 狗熊: 'bear' },
  },
  {
    class: 'zebra',
    en: ['zebra'],
    zh: { 斑马: 'zebra' },
  },
  {
    class: 'giraffe',
    en: ['giraffe'],
    zh: { 长颈鹿: 'giraffe' },
  },
  {
    class: 'backpack',
    en: ['backpack', 'rucksack', 'knapsack', 'schoolbag', 'school bag', 'daypack'],
    zh: { 背包: 'backpack', 书包: 'schoolbag', 双肩包: 'backpack', 旅行包: 'backpack' },
  },
  {
    class: 'umbrella',
    en: ['umbrella', 'parasol', 'brolly', 'sunshade'],
    zh: { 伞: 'umbrella', 雨伞: 'umbrella', 阳伞: 'parasol', 遮阳伞: 'parasol' },
  },
  {
    class: 'handbag',
    en: ['handbag', 'purse', 'tote', 'tote bag', 'clutch', 'shoulder bag', 'hand bag'],
    zh: { 手提包: 'handbag', 手袋: 'handbag', 挎包: 'shoulder bag', 女包: 'handbag', 手包: 'clutch' },
  },
  {
    class: 'tie',
    en: ['tie', 'necktie', 'bow tie', 'bowtie', 'cravat'],
    zh: { 领带: 'tie', 领结: 'bow tie' },
  },
  {
    class: 'suitcase',
    en: ['suitcase', 'luggage', 'baggage', 'trolley case', 'carry-on', 'valise'],
    zh: { 行李箱: 'suitcase', 旅行箱: 'suitcase', 手提箱: 'suitcase', 拉杆箱: 'trolley case', 行李: 'luggage', 箱子: 'suitcase' },
  },
  {
    class: 'frisbee',
    en: ['frisbee', 'flying disc', 'disc'],
    zh: { 飞盘: 'frisbee', 飞碟: 'frisbee' },
  },
  {
    class: 'skis',
    en: ['skis', 'ski', 'pair of skis'],
    zh: { 滑雪板: 'skis', 雪橇板: 'skis', 双板: 'skis' },
  },
  {
    class: 'snowboard',
    en: ['snowboard', 'snow board'],
    zh: { 单板: 'snowboard', 滑雪单板: 'snowboard', 雪板: 'snowboard' },
  },
  {
    class: 'sports ball',
    en: ['sports ball', 'ball', 'football', 'soccer ball', 'basketball', 'tennis ball', 'baseball', 'volleyball', 'golf ball',
      'rugby ball', 'beach ball', 'softball', 'handball', 'netball', 'sport ball'],
    zh: {
      球: 'ball', 足球: 'soccer ball', 篮球: 'basketball', 网球: 'tennis ball', 排球: 'volleyball', 棒球: 'baseball',
      橄榄球: 'rugby ball', 高尔夫球: 'golf ball', 皮球: 'ball', 沙滩球: 'beach ball', 垒球: 'softball', 手球: 'handball',
    },
  },
  {
    class: 'kite',
    en: ['kite'],
    zh: { 风筝: 'kite' },
  },
  {
    class: 'baseball bat',
    en: ['baseball bat', 'bat', 'softball bat', 'cricket bat'],
    zh: { 球棒: 'bat', 棒球棒: 'baseball bat', 棒球棍: 'baseball bat', 球棍: 'bat' },
  },
  {
    class: 'baseball glove',
    en: ['baseball glove', 'baseball mitt', 'mitt', 'glove', 'catcher mitt', 'softball glove'],
    zh: { 棒球手套: 'baseball glove', 手套: 'glove' },
  },
  {
    class: 'skateboard',
    en: ['skateboard', 'skate board', 'longboard'],
    zh: { 滑板: 'skateboard', 滑板车: 'skateboard' },
  },
  {
    class: 'surfboard',
    en: ['surfboard', 'surf board', 'paddleboard', 'bodyboard'],
    zh: { 冲浪板: 'surfboard', 桨板: 'paddleboard' },
  },
  {
    class: 'tennis racket',
    en: ['tennis racket', 'racket', 'racquet', 'tennis racquet', 'badminton racket'],
    zh: { 网球拍: 'tennis racket', 球拍: 'racket', 拍子: 'racket', 羽毛球拍: 'badminton racket' },
  },
  {
    class: 'bottle',
    en: ['bottle', 'water bottle', 'beer bottle', 'wine bottle', 'plastic bottle', 'flask', 'jar'],
    zh: { 瓶子: 'bottle', 瓶: 'bottle', 水瓶: 'water bottle', 酒瓶: 'wine bottle', 啤酒瓶: 'beer bottle', 塑料瓶: 'plastic bottle', 矿泉水瓶: 'water bottle' },
  },
  {
    class: 'wine glass',
    en: ['wine glass', 'glass', 'goblet', 'champagne glass', 'drinking glass', 'stemware'],
    zh: { 酒杯: 'wine glass', 红酒杯: 'wine glass', 高脚杯: 'wine glass', 玻璃杯: 'glass', 香槟杯: 'champagne glass' },
  },
  {
    class: 'cup',
    en: ['cup', 'mug', 'teacup', 'coffee cup', 'tea cup', 'coffee mug', 'paper cup', 'tumbler'],
    zh: { 杯子: 'cup', 杯: 'cup', 茶杯: 'teacup', 咖啡杯: 'coffee cup', 马克杯: 'mug', 水杯: 'cup', 纸杯: 'paper cup' },
  },
  {
    class: 'fork',
    en: ['fork', 'dinner fork'],
    zh: { 叉子: 'fork', 叉: 'fork', 餐叉: 'fork' },
  },
  {
    class: 'knife',
    en: ['knife', 'kitchen knife', 'butter knife', 'blade', 'cleaver'],
    zh: { 刀: 'knife', 刀子: 'knife', 小刀: 'knife', 餐刀: 'knife', 菜刀: 'kitchen knife' },
  },
  {
    class: 'spoon',
    en: ['spoon', 'teaspoon', 'tablespoon', 'soup spoon', 'ladle'],
    zh: { 勺子: 'spoon', 勺: 'spoon', 汤匙: 'spoon', 调羹: 'spoon', 汤勺: 'soup spoon', 茶匙: 'teaspoon', 小勺: 'teaspoon' },
  },
  {
    class: 'bowl',
    en: ['bowl', 'soup bowl', 'rice bowl', 'dish'],
    zh: { 碗: 'bowl', 饭碗: 'rice bowl', 汤碗: 'soup bowl' },
  },
  {
    class: 'banana',
    en: ['banana'],
    zh: { 香蕉: 'banana' },
  },
  {
    class: 'apple',
    en: ['apple'],
    zh: { 苹果: 'apple' },
  },
  {
    class: 'sandwich',
    en: ['sandwich', 'bread', 'burger', 'hamburger', 'cheeseburger', 'sub', 'panini', 'wrap'],
    zh: { 三明治: 'sandwich', 面包: 'bread', 汉堡: 'burger', 汉堡包: 'hamburger', 芝士汉堡: 'cheeseburger' },
  },
  {
    class: 'orange',
    en: ['orange', 'tangerine', 'mandarin', 'clementine', 'citrus'],
    zh: { 橙子: 'orange', 橙: 'orange', 橘子: 'tangerine', 桔子: 'tangerine', 柑橘: 'citrus', 柑: 'mandarin', 柳橙: 'orange', 柳丁: 'orange' },
  },
  {
    class: 'broccoli',
    en: ['broccoli', 'cauliflower'],
    zh: { 西兰花: 'broccoli', 西蓝花: 'broccoli', 花椰菜: 'cauliflower', 菜花: 'cauliflower' },
  },
  {
    class: 'carrot',
    en: ['carrot'],
    zh: { 胡萝卜: 'carrot', 红萝卜: 'carrot', 萝卜: 'carrot' },
  },
  {
    class: 'hot dog',
    en: ['hot dog', 'hotdog', 'sausage', 'frankfurter', 'wiener'],
    zh: { 热狗: 'hot dog', 香肠: 'sausage', 热狗肠: 'hot dog' },
  },
  {
    class: 'pizza',
    en: ['pizza', 'pizza slice', 'slice of pizza'],
    zh: { 披萨: 'pizza', 比萨: 'pizza', 匹萨: 'pizza', 比萨饼: 'pizza' },
  },
  {
    class: 'donut',
    en: ['donut', 'doughnut'],
    zh: { 甜甜圈: 'donut', 甜圈: 'donut', 多拿滋: 'donut' },
  },
  {
    class: 'cake',
    en: ['cake', 'cupcake', 'birthday cake', 'cheesecake', 'muffin', 'pastry'],
    zh: { 蛋糕: 'cake', 纸杯蛋糕: 'cupcake', 生日蛋糕: 'birthday cake', 芝士蛋糕: 'cheesecake', 松饼: 'muffin' },
  },
  {
    class: 'chair',
    en: ['chair', 'seat', 'stool', 'armchair', 'office chair', 'folding chair', 'wheelchair'],
    zh: { 椅子: 'chair', 椅: 'chair', 凳子: 'stool', 座椅: 'seat', 扶手椅: 'armchair', 办公椅: 'office chair', 轮椅: 'wheelchair' },
  },
  {
    class: 'couch',
    en: ['couch', 'sofa', 'settee', 'loveseat', 'love seat', 'futon'],
    zh: { 沙发: 'sofa', 长沙发: 'couch' },
  },
  {
    class: 'potted plant',
    en: ['potted plant', 'plant', 'houseplant', 'house plant', 'flower pot', 'flowerpot', 'pot plant', 'bonsai', 'succulent',
      'cactus'],
    zh: { 盆栽: 'potted plant', 盆景: 'potted plant', 植物: 'plant', 绿植: 'houseplant', 花盆: 'flower pot', 盆花: 'potted plant', 仙人掌: 'cactus', 多肉: 'succulent' },
  },
  {
    class: 'bed',
    en: ['bed', 'double bed', 'bunk bed', 'crib', 'cot'],
    zh: { 床: 'bed', 双人床: 'double bed', 婴儿床: 'crib', 床铺: 'bed' },
  },
  {
    class: 'dining table',
    en: ['dining table', 'table', 'desk', 'kitchen table', 'dinner table', 'coffee table', 'dining room table'],
    zh: { 桌子: 'table', 桌: 'table', 餐桌: 'dining table', 饭桌: 'dining table', 书桌: 'desk', 茶几: 'coffee table', 办公桌: 'desk' },
  },
  {
    class: 'toilet',
    en: ['toilet', 'loo', 'lavatory', 'wc', 'toilet bowl', 'commode'],
    zh: { 马桶: 'toilet', 坐便器: 'toilet', 厕所: 'toilet', 便池: 'toilet' },
  },
  {
    class: 'tv',
    en: ['tv', 'television', 'tv set', 'television set', 'monitor', 'screen', 'telly', 'tv screen', 'computer monitor', 'display'],
    zh: { 电视: 'tv', 电视机: 'television', 显示器: 'monitor', 屏幕: 'screen', 显示屏: 'screen' },
  },
  {
    class: 'laptop',
    en: ['laptop', 'notebook computer', 'computer', 'macbook', 'laptop computer', 'pc'],
    zh: { 笔记本电脑: 'laptop', 笔记本: 'laptop', 电脑: 'computer', 手提电脑: 'laptop', 计算机: 'computer', 笔电: 'laptop', 笔记型电脑: 'laptop' },
  },
  {
    class: 'mouse',
    en: ['mouse', 'computer mouse'],
    zh: { 鼠标: 'computer mouse', 滑鼠: 'computer mouse' },
  },
  {
    class: 'remote',
    en: ['remote', 'remote control', 'controller', 'tv remote', 'clicker', 'game controller'],
    zh: { 遥控器: 'remote control', 遥控: 'remote', 手柄: 'game controller' },
  },
  {
    class: 'keyboard',
    en: ['keyboard', 'computer keyboard'],
    zh: { 键盘: 'keyboard' },
  },
  {
    class: 'cell phone',
    en: ['cell phone', 'phone', 'smartphone', 'mobile', 'mobile phone', 'cellphone', 'cellular phone', 'iphone', 'telephone',
      'smart phone'],
    zh: { 手机: 'cell phone', 电话: 'telephone', 智能手机: 'smartphone', 移动电话: 'mobile phone' },
  },
  {
    class: 'microwave',
    en: ['microwave', 'microwave oven'],
    zh: { 微波炉: 'microwave' },
  },
  {
    class: 'oven',
    en: ['oven', 'stove', 'cooker'],
    zh: { 烤箱: 'oven', 炉子: 'stove', 灶台: 'stove', 炉灶: 'stove' },
  },
  {
    class: 'toaster',
    en: ['toaster'],
    zh: { 烤面包机: 'toaster', 面包机: 'toaster', 多士炉: 'toaster' },
  },
  {
    class: 'sink',
    en: ['sink', 'basin', 'washbasin', 'wash basin', 'kitchen sink'],
    zh: { 水槽: 'sink', 水池: 'sink', 洗手池: 'washbasin', 洗碗池: 'kitchen sink', 洗手盆: 'washbasin', 洗脸盆: 'washbasin', 洗手台: 'washbasin' },
  },
  {
    class: 'refrigerator',
    en: ['refrigerator', 'fridge', 'freezer', 'icebox'],
    zh: { 冰箱: 'fridge', 电冰箱: 'refrigerator', 冰柜: 'freezer' },
  },
  {
    class: 'book',
    en: ['book', 'novel', 'textbook', 'paperback', 'magazine'],
    zh: { 书: 'book', 书本: 'book', 书籍: 'book', 课本: 'textbook', 小说: 'novel', 杂志: 'magazine' },
  },
  {
    class: 'clock',
    en: ['clock', 'wall clock', 'alarm clock', 'clock tower'],
    zh: { 钟: 'clock', 时钟: 'clock', 钟表: 'clock', 挂钟: 'wall clock', 闹钟: 'alarm clock', 钟楼: 'clock tower' },
  },
  {
    class: 'vase',
    en: ['vase', 'flower vase', 'urn'],
    zh: { 花瓶: 'vase' },
  },
  {
    class: 'scissors',
    en: ['scissors', 'pair of scissors', 'shears'],
    zh: { 剪刀: 'scissors', 剪子: 'scissors' },
  },
  {
    class: 'teddy bear',
    en: ['teddy bear', 'teddy', 'stuffed animal', 'plush toy', 'stuffed toy', 'soft toy', 'plushie', 'stuffed bear'],
    zh: { 泰迪熊: 'teddy bear', 玩具熊: 'teddy bear', 毛绒玩具: 'stuffed animal', 毛绒熊: 'teddy bear', 布偶: 'stuffed toy', 公仔: 'stuffed toy' },
  },
  {
    class: 'hair drier',
    en: ['hair drier', 'hair dryer', 'hairdryer', 'blow dryer', 'blowdryer', 'blow drier'],
    zh: { 吹风机: 'hair dryer', 电吹风: 'hair dryer', 吹风筒: 'hair dryer' },
  },
  {
    class: 'toothbrush',
    en: ['toothbrush', 'tooth brush', 'electric toothbrush'],
    zh: { 牙刷: 'toothbrush', 电动牙刷: 'electric toothbrush' },
  },
];
