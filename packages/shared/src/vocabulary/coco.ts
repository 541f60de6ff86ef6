/**
 * The closed set of things the lite engine can look for: the 80 COCO classes (in the index order
 * every COCO-trained detector uses, so `COCO_CLASSES[i]` is the name of detector class i) and the
 * parts of a person it derives from the pose / face / hand models.
 */

export const COCO_CLASSES = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
] as const;

export type CocoClass = (typeof COCO_CLASSES)[number];

export function isCocoClass(name: string): name is CocoClass {
  return (COCO_CLASSES as readonly string[]).includes(name);
}

/** Parts of a person the lite engine derives from the pose, face and hand models. */
export const PERSON_PARTS = ['face', 'head', 'hair', 'hand', 'arm', 'leg', 'upper_body', 'lower_body', 'shoes'] as const;
export type PersonPart = (typeof PERSON_PARTS)[number];

/** What the lite engine looks for: detector classes, or a part of each detected person. */
export type LiteTarget = { kind: 'coco'; classes: string[] } | { kind: 'part'; part: PersonPart };
