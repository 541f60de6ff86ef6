/**
 * Which SAM 3 export the files are, read from their input/output names (never from file names),
 * and every size the runtime needs, read from the model metadata (docs/sam3-onnx-contract.md
 * §2, §4, §6). Pure functions of the sessions' I/O descriptions, so they are tested without
 * loading a model.
 */
import { PromptsegError } from '@promptseg/shared';
import type { IOInfo } from '../../runtime/onnx.js';

export type LayoutId = 'A' | 'C';

export interface ModelIO {
  path: string;
  inputs: IOInfo[];
  outputs: IOInfo[];
}

export interface Size { width: number; height: number }

export interface Sam3Layout {
  id: LayoutId;
  /** For messages: "Layout A (usls v2: vision, text, geometry+decoder)". */
  description: string;
  /** Index of each role in the models passed to detectLayout. */
  roles: { vision: number; text: number; decoder: number };
  imageInput: string;
  /** Model input resolution (the image is stretched to it), from the image input's dims 2–3. */
  inputSize: Size;
  /** Token count, from input_ids' dim 1. */
  tokenLength: number;
  /** Query count from pred_logits' dim 1, and mask size from pred_masks' dims 2–3 (0 = symbolic: read from the outputs). */
  queries: number;
  maskSize: Size;
  /** Vision-encoder outputs the decoder takes (what the per-image embedding holds). */
  visionToDecoder: string[];
  /** Text-encoder outputs the decoder takes (what the per-phrase cache holds). */
  textToDecoder: string[];
  /** Tokeniser tensors the decoder takes directly (Layout C: attention_mask). */
  tokensToDecoder: string[];
  /** Box-prompt inputs (Layout A). */
  boxInputs?: { boxes: string; labels: string };
  /** Whether the decoder has presence_logits (score = sigmoid(logit) × sigmoid(presence)). */
  hasPresence: boolean;
  /** Token padding rule (contract §1): both supported exports were made with the HF tokenizer. */
  padding: 'hf' | 'official';
  /** Sizes that were symbolic in the metadata and fell back to the contract's defaults. */
  assumed: string[];
}

const IMAGE_INPUTS: Record<string, LayoutId> = { images: 'A', pixel_values: 'C' };
const TOKEN_INPUTS = ['input_ids', 'attention_mask'];
const OUTPUTS_NEEDED = ['pred_masks', 'pred_boxes', 'pred_logits'];

const has = (io: IOInfo[], name: string) => io.some((x) => x.name === name);
const find = (io: IOInfo[], name: string) => io.find((x) => x.name === name);
const describe = (m: ModelIO) => `${m.path}: inputs [${m.inputs.map((i) => i.name).join(', ')}], outputs [${m.outputs.map((o) => o.name).join(', ')}]`;

function invalid(message: string, models: ModelIO[], hint = 'Install a supported export: promptseg models pull sam3 (usls, Layout A) or --source danilobukvic (Layout C).'): PromptsegError {
  return new PromptsegError('model_invalid', `${message} Files: ${models.map(describe).join(' | ')}.`, hint);
}

export function detectLayout(models: ModelIO[]): Sam3Layout {
  // Exports we know and do not run: say which, so the user knows what to fetch instead.
  if (models.some((m) => has(m.inputs, 'prompt_features') || has(m.outputs, 'geometry_features'))) {
    throw invalid('These are the usls v1 (Layout B, four files) SAM 3 export, which promptseg does not run.', models, 'Pull the v2 files instead: promptseg models pull sam3');
  }
  if (models.some((m) => has(m.inputs, 'image') && has(m.outputs, 'backbone_fpn_0')) || models.some((m) => has(m.inputs, 'language_features'))) {
    throw invalid('These are the samexporter SAM 3 files, whose decoder contract promptseg does not run.', models);
  }
  const pick = (what: string, test: (m: ModelIO) => boolean): number => {
    const idx = models.map((m, i) => (test(m) ? i : -1)).filter((i) => i >= 0);
    if (idx.length !== 1) throw invalid(`Expected exactly one SAM 3 ${what} among the files, found ${idx.length}.`, models);
    return idx[0];
  };
  const vision = pick('vision encoder (input "images" or "pixel_values")', (m) => m.inputs.some((i) => i.name in IMAGE_INPUTS));
  const text = pick('text encoder (input "input_ids")', (m) => has(m.inputs, 'input_ids') && !has(m.outputs, 'pred_logits'));
  const decoder = pick('decoder (output "pred_logits")', (m) => has(m.outputs, 'pred_logits'));
  if (new Set([vision, text, decoder]).size !== 3) throw invalid('One file claims two roles.', models);
  const V = models[vision], T = models[text], D = models[decoder];

  const image = V.inputs.find((i) => i.name in IMAGE_INPUTS) as IOInfo;
  const id = IMAGE_INPUTS[image.name];
  const assumed: string[] = [];

  for (const o of OUTPUTS_NEEDED) if (!has(D.outputs, o)) throw invalid(`The decoder has no "${o}" output.`, models);
  const boxInputs = has(D.inputs, 'input_boxes') && has(D.inputs, 'input_boxes_labels') ? { boxes: 'input_boxes', labels: 'input_boxes_labels' } : undefined;
  if (id === 'A' && !boxInputs) throw invalid('The decoder of a Layout A export must take input_boxes and input_boxes_labels.', models);

  // Every decoder input must come from somewhere: the image features, the text features, the tokens or the boxes.
  const visionToDecoder: string[] = [], textToDecoder: string[] = [], tokensToDecoder: string[] = [], unfed: string[] = [];
  for (const i of D.inputs) {
    if (has(V.outputs, i.name)) visionToDecoder.push(i.name);
    else if (has(T.outputs, i.name)) textToDecoder.push(i.name);
    else if (TOKEN_INPUTS.includes(i.name)) tokensToDecoder.push(i.name);
    else if (boxInputs && (i.name === boxInputs.boxes || i.name === boxInputs.labels)) continue;
    else unfed.push(i.name);
  }
  if (unfed.length) throw invalid(`Nothing produces the decoder input(s) ${unfed.map((n) => `"${n}"`).join(', ')}.`, models);
  if (!visionToDecoder.length || !textToDecoder.length) throw invalid('The decoder does not take the image and text features by name.', models);
  const oddText = T.inputs.filter((i) => !TOKEN_INPUTS.includes(i.name));
  if (oddText.length) throw invalid(`The text encoder takes inputs promptseg cannot make: ${oddText.map((i) => i.name).join(', ')}.`, models);
  if (V.inputs.length !== 1) throw invalid(`The vision encoder takes ${V.inputs.length} inputs, expected only "${image.name}".`, models);

  const dim = (info: IOInfo | undefined, k: number, fallback: number, what: string): number => {
    const d = info?.shape[k];
    if (typeof d === 'number' && d > 0) return d;
    assumed.push(`${what} (${fallback})`);
    return fallback;
  };
  if (image.shape.length !== 4) throw invalid(`The image input "${image.name}" has rank ${image.shape.length}, expected 4 (NCHW).`, models);
  if (typeof image.shape[1] === 'number' && image.shape[1] !== 3) throw invalid(`The image input "${image.name}" has ${image.shape[1]} channels, expected 3.`, models);
  const inputSize = { height: dim(image, 2, 1008, 'input height'), width: dim(image, 3, 1008, 'input width') };
  const tokenLength = dim(find(T.inputs, 'input_ids'), 1, 32, 'token length');
  const masks = find(D.outputs, 'pred_masks');
  const logits = find(D.outputs, 'pred_logits');
  const queries = typeof logits?.shape[1] === 'number' ? logits.shape[1] : 0;
  const maskSize = { height: typeof masks?.shape[2] === 'number' ? masks.shape[2] : 0, width: typeof masks?.shape[3] === 'number' ? masks.shape[3] : 0 };

  return {
    id,
    description: id === 'A' ? 'Layout A (usls v2: vision encoder, text encoder, geometry encoder + decoder)' : 'Layout C (danilobukvic: vision encoder, text encoder, decoder; text prompts only)',
    roles: { vision, text, decoder },
    imageInput: image.name,
    inputSize,
    tokenLength,
    queries,
    maskSize,
    visionToDecoder,
    textToDecoder,
    tokensToDecoder,
    ...(boxInputs ? { boxInputs } : {}),
    hasPresence: has(D.outputs, 'presence_logits'),
    padding: 'hf',
    assumed,
  };
}
