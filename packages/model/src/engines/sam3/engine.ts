/**
 * The `sam3` engine: open-vocabulary segmentation with SAM 3's ONNX export (pulled by the user).
 * Per image: one vision-encoder run (the embedding = the FPN tensors the decoder takes). Per
 * concept: the text encoder (cached per phrase) and one decoder run. So "person, dog, blue
 * shirt" costs one image encode and three decoder runs.
 *
 * Candidate score (README, section "sam3"): sigmoid(pred_logit) × sigmoid(presence_logit), or
 * sigmoid(pred_logit) for an export without presence output. Attribute words stay in the
 * phrase (SAM 3 reads "red car" itself).
 */
import { join } from 'node:path';
import {
  PromptsegError,
  roundFactor,
  roundScore,
  toEnglishPhrase,
  type ConceptStatus,
  type ParsedConcept,
  type RefineLevel,
} from '@promptseg/shared';
import type { RgbImage } from '../../io/image.js';
import type { Tensor } from '../../runtime/onnx.js';
import type { Device } from '../../runtime/onnx.js';
import { installStatusAt, ModelStore } from '../../models/store.js';
import { dedupeByMask, SAME_CONCEPT_IOU } from '../../postprocess/dedupe.js';
import type { Candidate, Embedding, Engine, EngineSegmentRequest, EngineSegmentResponse } from '../engine.js';
import { Sam3Model, type DecoderOutput, type Sam3Files } from './model.js';
import { boxToPixels, maskConfidence, MaskResizer, nearestMask, queryScores, selectQueries } from './postprocess.js';

export interface Sam3Embedding extends Embedding {
  readonly engine: 'sam3';
  /** Vision-encoder outputs by decoder input name. */
  readonly features: Readonly<Record<string, Tensor>>;
  /** The image this was computed for (predicted boxes and masks map back to its size). */
  readonly width: number;
  readonly height: number;
  /** Which loaded model produced it; another model's embedding is refused. */
  readonly modelKey: string;
  readonly timings: Readonly<{ preprocess: number; encode: number }>;
}

export function isSam3Embedding(e: Embedding): e is Sam3Embedding {
  return e.engine === 'sam3' && 'features' in e && 'modelKey' in e;
}

export interface Sam3EngineOptions {
  /** A model folder holding manifest.json (default: PROMPTSEG_HOME/models/sam3). */
  modelDir?: string;
  /** PROMPTSEG_HOME, when modelDir is not given. */
  home?: string;
  device?: Device;
  intraOpThreads?: number;
  /** Phrases whose text features are kept (each ~32 KB). */
  textCacheSize?: number;
  /** Most candidates one concept may yield before the pipeline's top-K (bounds mask work). */
  maxPerConcept?: number;
}

/** Phrase for a box-only call (contract §1: geometry without text uses the text "visual"). */
export const VISUAL_PHRASE = 'visual';

let nextKey = 0;

export class Sam3Engine implements Engine {
  readonly id = 'sam3' as const;
  readonly capabilities: { openVocabulary: boolean; boxPrompts: boolean; pointPrompts: boolean };
  /** Counters for tests and the benchmark (how often each model ran, cache hits). */
  readonly stats = { visionRuns: 0, textRuns: 0, textCacheHits: 0, decoderRuns: 0 };
  private readonly key = `sam3#${nextKey++}`;
  private readonly textCache = new Map<string, Promise<Record<string, Tensor>>>();
  private readonly textCacheSize: number;
  private readonly maxPerConcept: number;

  constructor(readonly model: Sam3Model, opts: Pick<Sam3EngineOptions, 'textCacheSize' | 'maxPerConcept'> = {}) {
    this.capabilities = { openVocabulary: true, boxPrompts: Boolean(model.layout.boxInputs), pointPrompts: false };
    this.textCacheSize = opts.textCacheSize ?? 256;
    this.maxPerConcept = opts.maxPerConcept ?? 100;
  }

  /** Loads the installed (or given) model folder; model_missing with the pull command when there is none. */
  static async create(opts: Sam3EngineOptions = {}): Promise<Sam3Engine> {
    const files = await resolveSam3Files(opts);
    const model = await Sam3Model.load(files, { device: opts.device, intraOpThreads: opts.intraOpThreads });
    return new Sam3Engine(model, opts);
  }

  /** Human-readable: what runs (for engine_reason / stderr). */
  describe(): string {
    const L = this.model.layout;
    const fallback = this.model.fallbackReason ? `; ${this.model.fallbackReason}` : '';
    return `${L.description}, input ${L.inputSize.width}x${L.inputSize.height}, on ${this.model.device}${fallback}`;
  }

  planConcepts(concepts: ParsedConcept[]): ConceptStatus[] {
    return concepts.map((c) => {
      const p = toEnglishPhrase(c);
      return p.ok ? { text: c.text, status: 'ok', label: p.phrase } : { text: c.text, status: 'unknown', message: p.message };
    });
  }

  async encodeImage(image: RgbImage): Promise<Sam3Embedding> {
    const { features, preprocessMs, runMs } = await this.model.encodeImage(image);
    this.stats.visionRuns++;
    const bytes = Object.values(features).reduce((a, t) => a + (t.data as ArrayBufferView).byteLength, 0) + 1024;
    return { engine: 'sam3', bytes, features, width: image.width, height: image.height, modelKey: this.key, timings: { preprocess: preprocessMs, encode: runMs } };
  }

  async segment(req: EngineSegmentRequest): Promise<EngineSegmentResponse> {
    const { image, embedding, concepts, options } = req;
    if (!isSam3Embedding(embedding) || embedding.modelKey !== this.key) {
      throw new PromptsegError('internal', `The sam3 engine was given an embedding it did not make (${embedding.engine}).`, 'This is a bug in promptseg; please report it.');
    }
    if (embedding.width !== image.width || embedding.height !== image.height) {
      throw new PromptsegError('internal', `The embedding is for a ${embedding.width}x${embedding.height} image, not ${image.width}x${image.height}.`, 'This is a bug in promptseg; please report it.');
    }
    const boxes = options.boxes?.length ? options.boxes : undefined;
    if (boxes && !this.capabilities.boxPrompts) {
      throw new PromptsegError('invalid_option', `Box prompts need the usls SAM 3 export; the installed one is ${this.model.layout.description}.`, 'Pull it with: promptseg models pull sam3 (default source), or leave out --box.');
    }
    const timings: Record<string, number> = { sam3_tokenize: 0, sam3_text: 0, sam3_decoder: 0, sam3_postprocess: 0 };

    // What to decode: each understood concept (with the boxes as exemplars, if any); with boxes
    // and no concept, one box-only query with the text "visual".
    const jobs: { conceptIndex: number; conceptText?: string; phrase: string; label: string; concept: string; via?: string }[] = [];
    concepts.forEach((c, i) => {
      const p = toEnglishPhrase(c);
      if (p.ok) jobs.push({ conceptIndex: i, phrase: p.phrase, label: p.phrase, concept: c.text, ...(c.via ? { via: c.via } : {}) });
    });
    if (!concepts.length && boxes) jobs.push({ conceptIndex: -1, conceptText: 'box prompt', phrase: VISUAL_PHRASE, label: 'object', concept: 'box prompt' });

    const candidates: Candidate[] = [];
    for (const job of jobs) {
      const text = await this.textFeatures(job.phrase, timings);
      let t = performance.now();
      const out = await this.model.decode(embedding.features, text, boxes, image);
      this.stats.decoderRuns++;
      timings.sam3_decoder += performance.now() - t;
      t = performance.now();
      const found = this.toCandidates(out, job, image, options.threshold, options.refine, options.topK);
      // Box-only results bypass the pipeline's per-concept de-duplication (they have no concept), so do it here.
      candidates.push(...(job.conceptIndex < 0 ? dedupeByMask(found, SAME_CONCEPT_IOU).kept : found));
      timings.sam3_postprocess += performance.now() - t;
    }
    return { candidates, timings };
  }

  /** Text features of a phrase: computed once, then served from an LRU of `textCacheSize` phrases. */
  private async textFeatures(phrase: string, timings: Record<string, number>): Promise<Record<string, Tensor>> {
    const hit = this.textCache.get(phrase);
    if (hit) {
      this.textCache.delete(phrase);
      this.textCache.set(phrase, hit); // most recently used last
      this.stats.textCacheHits++;
      return hit;
    }
    const p = this.model.encodeText(phrase).then((r) => {
      timings.sam3_tokenize += r.tokenizeMs;
      timings.sam3_text += r.runMs;
      return r.tensors;
    });
    this.stats.textRuns++;
    this.textCache.set(phrase, p);
    p.catch(() => this.textCache.delete(phrase));
    while (this.textCache.size > this.textCacheSize) this.textCache.delete(this.textCache.keys().next().value as string);
    return p;
  }

  private toCandidates(out: DecoderOutput, job: { conceptIndex: number; conceptText?: string; label: string; concept: string; phrase: string; via?: string }, image: RgbImage, threshold: number, refine: RefineLevel, topK: number | undefined): Candidate[] {
    const scores = queryScores(out.logits, out.presence);
    const picked = selectQueries(scores, threshold, Math.min(this.maxPerConcept, topK ?? Infinity));
    const { maskWidth: mw, maskHeight: mh } = out;
    const result: Candidate[] = [];
    // Only the picked queries are resized, all through one set of sampling tables.
    const resizer = refine === 'fast' || !picked.length ? undefined : new MaskResizer(mw, mh, image.width, image.height);
    for (const q of picked) {
      const offset = q * mw * mh;
      const { mask, area } = resizer ? resizer.resize(out.masks, offset) : nearestMask(out.masks, offset, mw, mh, image.width, image.height);
      if (area === 0) continue; // a query whose mask vanishes at full size has nothing to cut out
      const b = out.boxes.subarray(q * 4, q * 4 + 4);
      const logit = out.logits[q];
      const formula = out.presence === undefined
        ? `sigmoid(${roundFactor(logit)}) (query) = ${roundScore(scores[q])}`
        : `sigmoid(${roundFactor(logit)}) (query) × sigmoid(${roundFactor(out.presence)}) (presence) = ${roundScore(scores[q])}`;
      result.push({
        label: job.label,
        conceptIndex: job.conceptIndex,
        ...(job.conceptText ? { conceptText: job.conceptText } : {}),
        mask,
        box: boxToPixels(b[0], b[1], b[2], b[3], image.width, image.height),
        score: scores[q],
        why: {
          concept: job.concept,
          matched: job.phrase,
          ...(job.via ? { via: job.via } : {}),
          source: `sam3 ${this.model.layout.id === 'A' ? 'usls' : 'danilobukvic'}: "${job.phrase}" query ${q}`,
          detector_score: roundScore(scores[q]),
          mask_quality: roundFactor(maskConfidence(out.masks, offset, mw * mh)),
          formula,
        },
      });
    }
    return result;
  }

  async release(): Promise<void> {
    this.textCache.clear();
    await this.model.release();
  }
}

/** The files of the installed (or given) SAM 3 folder, or model_missing saying how to install them. */
export async function resolveSam3Files(opts: Pick<Sam3EngineOptions, 'modelDir' | 'home'> = {}): Promise<Sam3Files> {
  const modelDir = opts.modelDir ?? new ModelStore(opts.home).modelDir('sam3');
  const st = await installStatusAt(modelDir);
  if (!st.installed) {
    throw new PromptsegError('model_missing', `The sam3 engine's model files are not installed (${st.reason}).`, 'Install them with: promptseg models pull sam3 (about 3.4 GB for fp32; --variant q4f16 is smaller), or use --engine lite.');
  }
  const names = st.manifest.files.map((f) => f.name);
  const cfg = names.includes('tokenizer_config.json') ? { tokenizerConfig: join(st.dir, 'tokenizer_config.json') } : {};
  return { models: names.filter((n) => n.endsWith('.onnx')).map((n) => join(st.dir, n)), tokenizer: join(st.dir, 'tokenizer.json'), ...cfg };
}
