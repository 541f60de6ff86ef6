/**
 * segment(image, prompt, options): the one library entry point of promptseg, used by the CLI
 * and the inference function. Bytes -> decoded image + parsed concepts -> engine (embedding
 * from the cache or the encoder) -> candidates -> post-processing -> the result document.
 */
import { createHash } from 'node:crypto';
import {
  roundScore,
  encodeRle,
  maskArea,
  maskBox,
  parsePrompt,
  PromptsegError,
  SegmentOptionsSchema,
  type ConceptStatus,
  type EngineChoice,
  type Instance,
  type Mask,
  type ParsedConcept,
  type SegmentOptions,
  type SegmentOptionsInput,
  type SegmentResult,
} from '@promptseg/shared';
import type { Embedding, Engine } from '../engines/engine.js';
import { resolveEngine } from '../engines/registry.js';
import { decodeImage } from '../io/decode.js';
import type { DecodedImage, RgbImage } from '../io/image.js';
import { postprocess, type FinalInstance } from '../postprocess/instances.js';
import { ByteLru, type CacheStats } from './cache.js';

export interface SegmentCallOptions extends SegmentOptionsInput {
  /** Reported as result.image.path. */
  path?: string;
  /** Refuse images above this many pixels (decompression bombs). */
  maxPixels?: number;
}

export interface SegmentOutcome {
  result: SegmentResult;
  /** Full-resolution masks, aligned with result.instances. */
  masks: Mask[];
  image: DecodedImage;
}

/** Embedding cache budget: PROMPTSEG_EMBEDDING_CACHE_MB (default 256 MB, ~60 lite embeddings). */
function defaultBudget(): number {
  const mb = Number(process.env.PROMPTSEG_EMBEDDING_CACHE_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 256) * 1024 * 1024;
}

const embeddings = new ByteLru<Embedding>(defaultBudget());

/**
 * Decoded images by hash of their file bytes: a re-prompt on the same upload (the page, the
 * API) skips decoding too. Small (the embedding cache is the one that matters); keyed with the
 * pixel limit so a stricter limit is still enforced.
 */
const decoded = new ByteLru<{ bytes: number; image: DecodedImage }>(64 * 1024 * 1024);

export function embeddingCacheStats(): CacheStats {
  return embeddings.stats();
}

export function setEmbeddingCacheBudget(bytes: number): void {
  embeddings.setBudget(bytes);
}

/** Empties the embedding cache (and the small cache of decoded uploads). */
export function clearEmbeddingCache(): void {
  embeddings.clear();
  decoded.clear();
}

/**
 * Creates the engine's sessions and runs them once on a small image, so the first real call
 * does not pay for session creation and first-run kernel set-up (the inference function's cold start).
 */
export async function warmup(choice: EngineChoice = 'auto'): Promise<{ engine: string; ms: number }> {
  const t = performance.now();
  const { engine } = await resolveEngine(choice);
  if (engine.warmup) {
    await engine.warmup();
    return { engine: engine.id, ms: performance.now() - t };
  }
  const size = 64;
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
  const image: DecodedImage = { width: size, height: size, data, format: 'raw', hash: 'warmup' };
  const emb = await engine.encodeImage(image);
  // A text-only export (sam3 Layout C) takes no box prompts: warm its encoders only.
  const options = SegmentOptionsSchema.parse({ engine: engine.id, ...(engine.capabilities.boxPrompts ? { boxes: [{ box: [8, 8, 40, 40] }] } : {}) });
  // A box runs the mask decoder; the concepts warm an open-vocabulary engine's text side.
  await engine.segment({ image, embedding: emb, concepts: parsePrompt('person, face, hand').concepts, options });
  return { engine: engine.id, ms: performance.now() - t };
}

export function validateOptions(options: SegmentCallOptions): SegmentOptions {
  const { path: _path, maxPixels: _maxPixels, ...rest } = options;
  const parsed = SegmentOptionsSchema.safeParse(rest);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const field = i.path.length ? i.path.join('.') : 'options';
    return i.code === 'unrecognized_keys' ? i.message : `${field}: ${i.message}`;
  });
  throw new PromptsegError('invalid_option', `Invalid option — ${problems.join('; ')}.`, 'Fix the option(s) named above; see README, "CLI" for the allowed values.', { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) });
}

/**
 * An exclusion the engine resolves to exactly what its concept resolves to, with no attribute
 * of its own to tell them apart ("people except the woman" on lite: both are "person"), would
 * remove every result of the concept. Such exclusions are not applied; the concept's message
 * says so.
 */
function indistinct(engine: Engine, concept: ParsedConcept, x: ParsedConcept): boolean {
  if (x.colors.length || x.position || x.size || x.ordinal) return false;
  const [a, b] = engine.planConcepts([concept, x]);
  return a.status === 'ok' && b.status === 'ok' && a.label !== undefined && a.label === b.label;
}

/** User concepts plus their (applicable) exclusions, flattened for the engine, with the link back. */
function flatten(engine: Engine, main: ParsedConcept[]): { concepts: ParsedConcept[]; excludes: (number | undefined)[] } {
  const concepts = [...main];
  const excludes: (number | undefined)[] = main.map(() => undefined);
  main.forEach((c, i) => {
    for (const x of c.exclude ?? []) {
      if (indistinct(engine, c, x)) continue;
      concepts.push(x);
      excludes.push(i);
    }
  });
  return { concepts, excludes };
}

const ms = (v: number) => Math.round(v * 10) / 10;

export async function segment(input: Uint8Array | DecodedImage, prompt: string, options: SegmentCallOptions = {}): Promise<SegmentOutcome> {
  const t0 = performance.now();
  const opts = validateOptions(options);
  if (typeof prompt !== 'string') throw new PromptsegError('invalid_prompt', 'The prompt must be text.', 'Pass what to cut out, e.g. "person, dog".');
  const userPrompts = (opts.boxes?.length ?? 0) > 0 || opts.points !== undefined;
  const parsed = prompt.trim() === '' && userPrompts ? { text: prompt, concepts: [] } : parsePrompt(prompt);

  const timings: Record<string, number> = {};
  let image: DecodedImage;
  if (input instanceof Uint8Array) {
    const t = performance.now();
    const key = `${createHash('sha256').update(input).digest('hex')}:${options.maxPixels ?? ''}`;
    const got = await decoded.getOrCompute(key, async () => {
      const img = await decodeImage(input, { maxPixels: options.maxPixels });
      return { bytes: img.data.byteLength + (img.alpha?.byteLength ?? 0), image: img };
    });
    image = got.value.image;
    timings.decode = performance.now() - t;
  } else {
    image = input;
    timings.decode = 0;
  }

  const { engine, reason } = await resolveEngine(opts.engine);
  const plan = planPrompt(engine, parsed, opts);
  const { statuses } = plan;
  let instances: FinalInstance[] = [];
  let cache: 'hit' | 'miss' | 'skipped' = 'skipped';
  timings.encode = 0;
  timings.detect = 0;
  timings.decode_masks = 0;
  timings.postprocess = 0;
  timings.model_sessions = 0;
  if (plan.runnable) {
    const key = `${engine.id}:${image.hash}`;
    const got = await embeddings.getOrCompute(key, () => engine.encodeImage(image, { concepts: plan.concepts }));
    cache = got.hit ? 'hit' : 'miss';
    if (!got.hit) {
      for (const [k, v] of Object.entries(got.value.timings ?? {})) timings[k] = (timings[k] ?? 0) + v;
    }
    instances = await findInstances(engine, image, got.value, plan, opts, timings);
    // The engine may have added per-image results to the embedding (detections, poses, …).
    embeddings.refresh(key);
  }

  const t = performance.now();
  const out: Instance[] = instances.map((inst, k) => ({
    id: k + 1,
    label: inst.label,
    concept: inst.concept,
    score: roundScore(inst.score),
    box: maskBox(inst.mask),
    area: maskArea(inst.mask),
    rle: encodeRle(inst.mask),
    why: inst.why,
  }));
  timings.postprocess += performance.now() - t;
  timings.total = performance.now() - t0;

  const timings_ms: Record<string, number> = {};
  for (const [k, v] of Object.entries(timings)) timings_ms[k] = ms(v);
  const result: SegmentResult = {
    image: { ...(options.path !== undefined ? { path: options.path } : {}), width: image.width, height: image.height },
    prompt,
    engine: engine.id,
    engine_reason: reason,
    concepts: statuses,
    instances: out,
    timings_ms,
    cache: { embedding: cache },
  };
  return { result, masks: instances.map((i) => i.mask), image };
}

/** What an engine is asked for a prompt: flat concepts (with exclusions), and each concept's status. */
export interface PromptPlan {
  concepts: ParsedConcept[];
  excludes: (number | undefined)[];
  /** One per concept of the prompt (exclusions not listed). */
  statuses: ConceptStatus[];
  /** Whether there is anything to run (a known concept or a user box / click). */
  runnable: boolean;
}

/** Plans one prompt for one engine (pure; the video pipeline plans once per clip). */
export function planPrompt(engine: Engine, parsed: { concepts: ParsedConcept[] }, opts: SegmentOptions): PromptPlan {
  const userPrompts = (opts.boxes?.length ?? 0) > 0 || opts.points !== undefined;
  // Click refinement (options.points) re-cuts one object from the user's clicks: the engine's
  // mask decoder runs on the cached embedding with box + points, and nothing else — the prompt's
  // concepts are not searched again (no detector, no pose models). Engines without point
  // prompts (sam3) answer the prompt instead, as before.
  const clickOnly = opts.points !== undefined && engine.capabilities.pointPrompts;
  if (clickOnly && (opts.boxes?.length ?? 0) > 0) {
    throw new PromptsegError('invalid_option', 'points (click refinement) and boxes cannot be combined: points re-cut one object.', "Give that object's box as points.box, or send the boxes in a separate call.");
  }
  const { concepts, excludes } = clickOnly ? { concepts: [], excludes: [] } : flatten(engine, parsed.concepts);
  const statuses = (clickOnly ? notSearched(engine.planConcepts(parsed.concepts)) : planStatuses(engine, parsed.concepts)).slice(0, parsed.concepts.length);
  return { concepts, excludes, statuses, runnable: userPrompts || statuses.some((s) => s.status === 'ok') };
}

/**
 * The engine's candidates on one embedded image, post-processed into the final instances
 * (attributes, threshold, de-duplication, top-K, exclusions). Adds to `timings`.
 */
export async function findInstances(engine: Engine, image: RgbImage, embedding: Embedding, plan: PromptPlan, opts: SegmentOptions, timings: Record<string, number>): Promise<FinalInstance[]> {
  const seg = await engine.segment({ image, embedding, concepts: plan.concepts, options: opts });
  for (const [k, v] of Object.entries(seg.timings)) timings[k] = (timings[k] ?? 0) + v;
  const t = performance.now();
  const instances = postprocess({ image, candidates: seg.candidates, concepts: plan.concepts, excludes: plan.excludes, options: opts, colorOnPixels: !engine.capabilities.openVocabulary });
  timings.postprocess = (timings.postprocess ?? 0) + performance.now() - t;
  return instances;
}

/** Click refinement: the prompt's concepts keep their status, with a note that they were not searched. */
function notSearched(statuses: ConceptStatus[]): ConceptStatus[] {
  const note = 'Not searched: this call refines one object from clicks (options.points); only the mask decoder ran.';
  return statuses.map((s) => (s.status === 'ok' ? { ...s, message: s.message ? `${s.message} ${note}` : note } : s));
}

/** Statuses of the user's concepts; an exclusion the engine cannot see is noted on its concept. */
function planStatuses(engine: Engine, main: ParsedConcept[]): ConceptStatus[] {
  const statuses = engine.planConcepts(main);
  const addNote = (i: number, note: string) => {
    statuses[i] = { ...statuses[i], message: statuses[i].message ? `${statuses[i].message} ${note}` : note };
  };
  main.forEach((c, i) => {
    const bad = (c.exclude ?? []).filter((x) => engine.planConcepts([x])[0].status !== 'ok');
    if (bad.length) addNote(i, `Could not exclude ${bad.map((x) => `"${x.text}"`).join(', ')}: not in the ${engine.id} engine's vocabulary.`);
    const same = (c.exclude ?? []).filter((x) => indistinct(engine, c, x));
    if (same.length) {
      const label = statuses[i].label ?? c.head;
      addNote(i, `Did not exclude ${same.map((x) => `"${x.text}"`).join(', ')}: to the ${engine.id} engine it is the same as "${c.text}" (${label}), so it would remove every result. Tell them apart with a colour, position or size (e.g. "except the one on the left")${engine.capabilities.openVocabulary ? '' : ', or use the sam3 engine'}.`);
    }
  });
  return statuses;
}
