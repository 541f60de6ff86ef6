/**
 * The three SAM 3 sessions and the tokenizer, found by role, with one method per model run.
 * Every input is built in the dtype its model declares (float16 variants included), outputs are
 * passed between models by name, and each run names its tensor shapes.
 */
import { basename } from 'node:path';
import { PromptsegError } from '@promptseg/shared';
import type { RgbImage } from '../../io/image.js';
import { castTensor, createSession, floatTensor, readFloats, tensor, type Device, type OnnxSession, type Tensor } from '../../runtime/onnx.js';
import { detectLayout, type Sam3Layout } from './layout.js';
import { encodeBoxes, imageToInput } from './preprocess.js';
import { Sam3Tokenizer } from './tokenizer.js';
import type { BoxPrompt } from '@promptseg/shared';

export interface Sam3Files {
  /** The three .onnx files, in any order (roles are read from their I/O names). */
  models: string[];
  tokenizer: string;
  tokenizerConfig?: string;
}

export interface LoadOptions {
  device?: Device;
  intraOpThreads?: number;
}

/** Decoder outputs of one run, batch 1, as float32. */
export interface DecoderOutput {
  /** [Q, mh, mw] mask logits. */
  masks: Float32Array;
  maskWidth: number;
  maskHeight: number;
  /** [Q, 4] xyxy normalised. */
  boxes: Float32Array;
  /** [Q] */
  logits: Float32Array;
  presence?: number;
  queries: number;
}

export class Sam3Model {
  /**
   * The vision input (3·H·W floats, 12 MB at 1008²), kept between images: allocating and
   * collecting a buffer that size per image costs about as much as filling it. Only one encode
   * uses it at a time (until its run resolves); an overlapping encode gets its own array.
   */
  private inputBuffer: Float32Array | undefined;
  private inputBufferBusy = false;

  private constructor(
    readonly layout: Sam3Layout,
    private readonly vision: OnnxSession,
    private readonly text: OnnxSession,
    private readonly decoder: OnnxSession,
    readonly tokenizer: Sam3Tokenizer,
  ) {}

  static async load(files: Sam3Files, opts: LoadOptions = {}): Promise<Sam3Model> {
    if (files.models.length !== 3) {
      throw new PromptsegError('model_invalid', `A SAM 3 export has 3 .onnx files; found ${files.models.length} (${files.models.map((f) => basename(f)).join(', ')}).`, 'Reinstall the model files (promptseg models pull sam3).');
    }
    const sessions: OnnxSession[] = [];
    try {
      for (const path of files.models) sessions.push(await createSession(path, { device: opts.device, intraOpThreads: opts.intraOpThreads }));
      const layout = detectLayout(sessions);
      const tokenizer = await Sam3Tokenizer.load(files.tokenizer, files.tokenizerConfig, layout.padding);
      return new Sam3Model(layout, sessions[layout.roles.vision], sessions[layout.roles.text], sessions[layout.roles.decoder], tokenizer);
    } catch (e) {
      await Promise.all(sessions.map((s) => s.release().catch(() => undefined)));
      throw e;
    }
  }

  get device(): 'cpu' | 'cuda' {
    return this.vision.device;
  }

  get fallbackReason(): string | undefined {
    return this.vision.fallbackReason ?? this.text.fallbackReason ?? this.decoder.fallbackReason;
  }

  /** Vision encoder: image [1,3,H,W] → the FPN tensors the decoder takes, by name. */
  async encodeImage(image: RgbImage): Promise<{ features: Record<string, Tensor>; preprocessMs: number; runMs: number }> {
    const L = this.layout;
    const t0 = performance.now();
    const { width, height } = L.inputSize;
    const owned = !this.inputBufferBusy;
    if (owned) this.inputBufferBusy = true;
    try {
      const buffer = owned ? (this.inputBuffer ??= new Float32Array(3 * width * height)) : undefined;
      const data = await imageToInput(image, L.inputSize, buffer);
      const declared = this.vision.inputs[0].type;
      const feeds = { [L.imageInput]: floatTensor(declared, data, [1, 3, height, width]) };
      const t1 = performance.now();
      // → fpn_feat_0 [1,256,4g,4g], fpn_feat_1 [1,256,2g,2g], fpn_feat_2 / fpn_pos_2 [1,256,g,g] (C: fpn_hidden_state_* / fpn_position_encoding_*)
      const out = await this.vision.run(feeds, L.visionToDecoder);
      return { features: out, preprocessMs: t1 - t0, runMs: performance.now() - t1 };
    } finally {
      if (owned) this.inputBufferBusy = false;
    }
  }

  /** Tokens for a phrase, as the text encoder and (Layout C) the decoder take them: [1,L] each. */
  tokens(phrase: string): { ids: number[]; mask: number[] } {
    return this.tokenizer.encode(phrase, this.layout.tokenLength);
  }

  /** Text encoder: input_ids, attention_mask [1,L] → text_features [1,L,256] (+ text_mask [1,L] bool), plus the token tensors. */
  async encodeText(phrase: string): Promise<{ tensors: Record<string, Tensor>; tokenizeMs: number; runMs: number }> {
    const L = this.layout;
    const t0 = performance.now();
    const tok = this.tokens(phrase);
    const tokenTensors: Record<string, Tensor> = {
      input_ids: tensor('int64', BigInt64Array.from(tok.ids.map(BigInt)), [1, L.tokenLength]),
      attention_mask: tensor('int64', BigInt64Array.from(tok.mask.map(BigInt)), [1, L.tokenLength]),
    };
    const feeds: Record<string, Tensor> = {};
    for (const i of this.text.inputs) feeds[i.name] = castTensor(tokenTensors[i.name], i.type);
    const t1 = performance.now();
    const out = await this.text.run(feeds, L.textToDecoder);
    const tensors: Record<string, Tensor> = { ...out };
    for (const n of L.tokensToDecoder) tensors[n] = tokenTensors[n];
    return { tensors, tokenizeMs: t1 - t0, runMs: performance.now() - t1 };
  }

  /** Decoder: image features + text features (+ boxes) → pred_masks [1,Q,mh,mw], pred_boxes [1,Q,4], pred_logits [1,Q] (+ presence_logits [1,1]). */
  async decode(features: Record<string, Tensor>, text: Record<string, Tensor>, boxes: readonly BoxPrompt[] | undefined, imageSize: { width: number; height: number }): Promise<DecoderOutput> {
    const L = this.layout;
    const available: Record<string, Tensor> = { ...features, ...text };
    if (L.boxInputs) {
      const b = encodeBoxes(boxes, imageSize.width, imageSize.height);
      available[L.boxInputs.boxes] = floatTensor('float32', b.boxes, [1, b.count, 4]);
      available[L.boxInputs.labels] = tensor('int64', b.labels, [1, b.count]);
    } else if (boxes?.length) {
      throw new PromptsegError('invalid_option', `The installed SAM 3 export (${L.description}) does not take box prompts.`, 'Install the usls export for box prompts (promptseg models pull sam3), or leave out the boxes.');
    }
    const feeds: Record<string, Tensor> = {};
    for (const i of this.decoder.inputs) {
      const t = available[i.name];
      if (!t) throw new PromptsegError('internal', `No tensor for the decoder input "${i.name}".`, 'This is a bug in promptseg; please report it.');
      feeds[i.name] = castTensor(t, i.type);
    }
    const names = ['pred_masks', 'pred_boxes', 'pred_logits', ...(L.hasPresence ? ['presence_logits'] : [])];
    const out = await this.decoder.run(feeds, names);
    const m = out.pred_masks, lg = out.pred_logits;
    const queries = Number(lg.dims[1]);
    const [, mq, mh, mw] = m.dims.map(Number);
    if (m.dims.length !== 4 || mq !== queries || out.pred_boxes.dims[1] !== queries) {
      throw new PromptsegError('model_invalid', `The decoder's outputs disagree: pred_logits [${lg.dims.join(',')}], pred_masks [${m.dims.join(',')}], pred_boxes [${out.pred_boxes.dims.join(',')}].`, 'The model files do not form one export; reinstall them.');
    }
    return {
      masks: readFloats(m),
      maskWidth: mw,
      maskHeight: mh,
      boxes: readFloats(out.pred_boxes),
      logits: readFloats(lg),
      ...(L.hasPresence ? { presence: readFloats(out.presence_logits)[0] } : {}),
      queries,
    };
  }

  async release(): Promise<void> {
    this.inputBuffer = undefined;
    await Promise.all([this.vision.release(), this.text.release(), this.decoder.release()]);
  }
}
