/**
 * The embedded `lite` engine: a closed vocabulary (80 COCO classes + parts of people) found by
 * shipped detectors and cut out by Segment Anything. Per image: one SAM encoder run and one
 * detector run (together when the prompt names something; the detector waits for the first
 * prompt that needs it after a click refinement on a new image); both stay with the cached
 * embedding. Per prompt: one SAM decoder run per detection (box prompt; box + centre point for
 * people) or per person part (box + points prompt); click refinement: the decoder alone, twice
 * (the selected object's own prompt, then that with the clicks and its mask as mask input).
 *
 * Candidate score (documented in README, section "lite"):
 *   score = sqrt(detector score) x mask quality
 * where mask quality is the decoder's predicted IoU clipped to 0..1; the pipeline multiplies in
 * the attribute match (colour, position, size) afterwards.
 */
import {
  PromptsegError,
  roundFactor,
  roundScore,
  type ConceptStatus,
  type Explanation,
  type LiteResolution,
  type Mask,
  type ParsedConcept,
  type PersonPart,
  type RefineLevel,
} from '@promptseg/shared';
import type { RgbImage } from '../../io/image.js';
import { resolveLiteConcept } from '../../vocabulary/index.js'; // hand-made vocabulary, then WordNet
import type { Candidate, EncodeHint, Embedding, Engine, EnginePropagateRequest, EngineSegmentRequest, EngineSegmentResponse, PropagatedMask } from '../engine.js';
import { DETECTOR, REFINE } from './config.js';
import { detectInView, type Detection } from './detector.js';
import { detectFaces } from './face.js';
import { detectHands } from './hands.js';
import { boxIoU, type BoxXYXY } from './geometry.js';
import { cellColours, logitsToMask, lowResToMask, samplePoints, shiftLowRes, spansBox, SPANS_BOX_IOU } from './masks.js';
import { ImageMemo, type MemoGot } from './memo.js';
import { loadLiteModels, type LiteModels } from './models.js';
import { partPrompts, type PeopleAnalysis } from './parts.js';
import { detectPoses, type Keypoint, type KeypointName, type PersonPose } from './pose.js';
import { fuseDetections, needsTiles, needsZoomOut, PASSES, trusted, type FusedDetection } from './passes.js';
import { objectFormula, objectScore, objectScoreBound } from './scoring.js';
import { fullView, tileViews, zoomOutView, type View } from './views.js';
import type { SamImageEmbedding, SamMaskOutput, SamPoint, SamPrompt } from './sam.js';

export interface LiteEmbedding extends Embedding {
  readonly engine: 'lite';
  readonly sam: SamImageEmbedding;
  /** Stage wall times and the pure model-session time that made this embedding. */
  readonly timings: Readonly<{ encode: number; detect: number; people: number; model_sessions: number }>;
  /**
   * Per-image analyses computed on first need: COCO detections (with the encoder when the
   * prompt asks for objects, later otherwise), poses, faces, hands for part prompts, the colour
   * grid of `fine`. `bytes` includes what they weigh, so it grows as they are added.
   */
  readonly memo: ImageMemo;
}

export function isLiteEmbedding(e: Embedding): e is LiteEmbedding {
  return e.engine === 'lite' && 'sam' in e && 'memo' in e && e.memo instanceof ImageMemo;
}

/** Memo keys of the per-image analyses. */
const MEMO = { poses: 'poses', faces: 'faces', hands: 'hands', cells: 'cells' } as const;
/** Memo key of one detector pass (its view), and of one class's merged detections. */
const passKey = (v: View) => `det:${v.pass}:${v.region.map(Math.round).join(',')}`;
const fusedKey = (cls: string) => `fused:${cls}`;

const OPEN_VOCAB_NOTE = 'The sam3 engine handles open vocabulary (--engine sam3 once its model files are installed).';


interface PromptJob {
  conceptIndex: number;
  conceptText?: string;
  label: string;
  prompt: SamPrompt;
  detectorScore: number;
  source: string;
  why: Omit<Explanation, 'detector_score' | 'mask_quality' | 'formula' | 'source'>;
  /** User clicks / boxes: the score is the mask quality alone (nothing was detected). */
  userPrompt?: boolean;
  /** A detected COCO object: scored by the calibrated model (scoring.ts) from this evidence. */
  detection?: FusedDetection;
  /** Decoded instead when the prompt's mask does not span its box (a helper point that missed the object). */
  fallback?: SamPrompt;
  /**
   * Click refinement of a known object: `prompt` holds only the clicks; the object's own prompt
   * (what made the mask the user selected) is decoded first, then again with the clicks added
   * and its low-res mask as the decoder's mask input.
   */
  refines?: ObjectPrompt;
}

export class LiteEngine implements Engine {
  readonly id = 'lite' as const;
  readonly capabilities = { openVocabulary: false, boxPrompts: true, pointPrompts: true };

  private constructor(private readonly models: LiteModels) {}

  static async create(): Promise<LiteEngine> {
    return new LiteEngine(await loadLiteModels());
  }

  /** For tests and callers that manage sessions themselves. */
  static withModels(models: LiteModels): LiteEngine {
    return new LiteEngine(models);
  }

  planConcepts(concepts: ParsedConcept[]): ConceptStatus[] {
    return concepts.map((c) => toStatus(c, resolveLiteConcept(c)));
  }

  async encodeImage(image: RgbImage, hint?: EncodeHint): Promise<LiteEmbedding> {
    // The SAM encoder runs on ONNX Runtime's own threads while the TensorFlow.js models run on
    // the JS thread (wasm): start the encoder first, then detect (and, when the prompt asks for
    // parts of people, run the pose / face / hand models) while it works. A call with nothing to
    // look for (click refinement, user boxes: hint.concepts empty) runs the encoder alone; the
    // detector then runs on the first prompt that needs it.
    const t0 = performance.now();
    const encoding = this.models.sam.encode(image).then((sam) => ({ sam, ms: performance.now() - t0 }));
    encoding.catch(() => undefined); // awaited below; avoids an unhandled rejection meanwhile
    const memo = new ImageMemo();
    const resolved = (hint?.concepts ?? []).map((c) => resolveLiteConcept(c)).filter((r) => r.status === 'ok');
    let detectMs = 0, sessions = 0;
    if (!hint || resolved.length) {
      const d = await this.pass(memo, image, fullView(image.width, image.height, DETECTOR.inputSize));
      detectMs = d.wallMs;
      sessions += d.ms;
    }
    const parts = new Set(resolved.map((r) => r.target).flatMap((t) => (t?.kind === 'part' ? [t.part] : [])));
    const wantsPeople = resolved.some((r) => r.target?.kind === 'coco' && r.target.classes.includes('person'));
    let peopleMs = 0;
    if (parts.size || wantsPeople) {
      const t2 = performance.now();
      for (const part of parts) sessions += (await this.people(memo, image, part)).ms;
      if (wantsPeople) sessions += (await this.poses(memo, image)).ms;
      peopleMs = performance.now() - t2;
    }
    const { sam, ms } = await encoding;
    const base = sam.data.byteLength + 1024;
    return {
      engine: 'lite',
      get bytes() {
        return base + memo.bytes;
      },
      sam,
      timings: { encode: ms, detect: detectMs, people: peopleMs, model_sessions: sam.sessionMs + sessions },
      memo,
    };
  }

  /** One detector pass over one view of the image, run at most once per image (memo in the embedding). */
  private pass(memo: ImageMemo, image: RgbImage, view: View): Promise<MemoGot<Detection[]>> {
    return memo.once(passKey(view), async () => {
      const r = await detectInView(this.models.detector, image, view);
      return { value: r.detections, ms: r.ms };
    });
  }

  /**
   * Each requested class's detections, merged over the passes the adaptive rule plans for it
   * (passes.ts). Planned per class from the image alone, so a class gets the same passes — and
   * the same answer — whatever else the prompt asks for. Passes run once per image.
   */
  private async objectDetections(memo: ImageMemo, image: RgbImage, wanted: ReadonlySet<string>, timings: Record<string, number>): Promise<Map<string, FusedDetection[]>> {
    const { width: W, height: H } = image;
    const S = DETECTOR.inputSize;
    const run = async (view: View, stage: string): Promise<Detection[]> => {
      const got = await this.pass(memo, image, view);
      if (got.ran) {
        timings[stage] = (timings[stage] ?? 0) + got.wallMs;
        timings.model_sessions += got.ms;
      }
      return got.value.filter((d) => trusted(d, view, W, H));
    };
    const full = await run(fullView(W, H, S), 'detect');
    const grid = tileViews(W, H, S, Math.max(W, H) >= PASSES.largeImage ? PASSES.tileGridLarge : PASSES.tileGrid, PASSES.tileOverlap);
    const out = new Map<string, FusedDetection[]>();
    for (const cls of wanted) {
      const one = new Set([cls]);
      const mine = full.filter((d) => d.className === cls);
      if (needsZoomOut(full, one, W, H)) mine.push(...(await run(zoomOutView(W, H, S, PASSES.zoomOutShare, PASSES.zoomOutFill), 'detect_zoom_out')).filter((d) => d.className === cls));
      if (needsTiles(mine, one)) {
        for (const tile of grid) mine.push(...(await run(tile, 'detect_tiles')).filter((d) => d.className === cls));
      }
      const fused = (await memo.once(fusedKey(cls), async () => ({ value: fuseDetections(mine), ms: 0 }))).value;
      out.set(cls, fused);
    }
    return out;
  }

  /** Every model once on a synthetic image, so no request pays for first-run set-up. */
  async warmup(): Promise<void> {
    const size = 96;
    const data = new Uint8Array(size * size * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
    const image: RgbImage = { width: size, height: size, data };
    const emb = await this.encodeImage(image);
    await this.models.sam.decode(emb.sam, { box: [8, 8, 80, 80], points: [{ x: 40, y: 40, positive: true }] });
    const m = await this.models.people();
    // Run directly: on a synthetic image the pose model finds nobody, which would skip the others.
    await detectPoses(m.pose, image);
    await detectFaces(m.face, image);
    await detectHands(m.hands, image);
  }

  async segment(req: EngineSegmentRequest): Promise<EngineSegmentResponse> {
    const { image, embedding, concepts, options } = req;
    if (!isLiteEmbedding(embedding)) {
      throw new PromptsegError('internal', `The lite engine was given a ${embedding.engine} embedding.`, 'This is a bug in promptseg; please report it.');
    }
    const timings: Record<string, number> = { decode_masks: 0, model_sessions: 0 };
    const jobs: PromptJob[] = [];
    // A candidate's best possible score is sqrt(detector score) (mask quality <= 1, attributes
    // <= 1), so detections that cannot reach the threshold are not decoded at all.
    const minDetector = options.threshold * options.threshold;

    const resolutions = concepts.map((c) => resolveLiteConcept(c));
    const wanted = new Set(resolutions.flatMap((r) => (r.status === 'ok' && r.target?.kind === 'coco' ? r.target.classes : [])));
    const objects = wanted.size ? await this.objectDetections(embedding.memo, image, wanted, timings) : new Map<string, FusedDetection[]>();
    // People's limbs: their pose keypoints become extra positive points (objectPrompt).
    let poses: PersonPose[] = [];
    if (objects.get('person')?.length) {
      const t = performance.now();
      const got = await this.poses(embedding.memo, image);
      if (got.ran) {
        timings.people = (timings.people ?? 0) + (performance.now() - t);
        timings.model_sessions += got.ms;
      }
      poses = got.value;
    }
    for (let ci = 0; ci < concepts.length; ci++) {
      const c = concepts[ci];
      const res = resolutions[ci];
      if (res.status !== 'ok' || !res.target) continue;
      const base = { concept: c.text, matched: c.headText || c.head, ...(res.via ?? c.via ? { via: res.via ?? c.via } : {}) };
      if (res.target.kind === 'coco') {
        for (const cls of res.target.classes) {
          for (const d of objects.get(cls) ?? []) {
            // The best score this object can reach (mask quality at its cap, attributes <= 1):
            // objects that cannot reach the threshold are not decoded at all.
            if (objectScoreBound({ detector: d.score, rival: d.rival, evidence: d.evidence }) < options.threshold) continue;
            jobs.push({ conceptIndex: ci, label: d.className, ...objectPrompt(d.className, d.box, poses), detectorScore: d.score, detection: d, source: `centernet: ${d.className}`, why: base });
          }
        }
      } else {
        const t = performance.now();
        const { analysis, ms } = await this.people(embedding.memo, image, res.target.part);
        timings.people = (timings.people ?? 0) + (performance.now() - t);
        timings.model_sessions += ms;
        for (const p of partPrompts(res.target.part, analysis, image.width, image.height)) {
          if (p.score < minDetector) continue;
          jobs.push({ conceptIndex: ci, label: res.label, prompt: { box: p.box, points: p.points }, detectorScore: p.score, source: `${p.source}: ${p.side ? `${p.side} ` : ''}${res.target.part.replace('_', ' ')}`, why: base });
        }
      }
    }

    (options.boxes ?? []).forEach((b, i) => {
      if (b.negative) {
        throw new PromptsegError('invalid_option', `boxes[${i}] is a negative (exclusion) box; the lite engine only takes positive boxes.`, 'Remove negative boxes, or use --engine sam3, which supports them.');
      }
      const [x, y, w, h] = b.box;
      jobs.push({ conceptIndex: -1, conceptText: `box ${i + 1}`, label: 'object', prompt: { box: [x, y, x + w, y + h] }, detectorScore: 1, source: 'box prompt', why: { concept: `box ${i + 1}`, matched: 'box' }, userPrompt: true });
    });

    if (options.points) {
      const pr = options.points;
      const label = pr.label?.trim() || 'object';
      const box: [number, number, number, number] | undefined = pr.box && pr.box[2] > 0 && pr.box[3] > 0 ? [pr.box[0], pr.box[1], pr.box[0] + pr.box[2], pr.box[1] + pr.box[3]] : undefined;
      const clicks = pr.points.map((p) => ({ x: p.x, y: p.y, positive: p.positive }));
      // Start from the prompt that made the mask the user selected, then add the clicks: for a
      // "person" box alone plus a click, the flag of astronaut.png comes back in (README, lite).
      const refines = box ? await this.selectedObjectPrompt(embedding, image, label, box) : undefined;
      jobs.push({ conceptIndex: -1, conceptText: label, label, prompt: { box: refines?.prompt.box, points: clicks }, ...(refines ? { refines } : {}), detectorScore: 1, source: 'click refinement', why: { concept: label, matched: 'click' }, userPrompt: true });
    }

    const candidates: Candidate[] = [];
    // Synonyms and exclusions ("person, woman", "people except the woman") ask for the same
    // detections again: decode each distinct prompt once per call.
    const decoded = new Map<string, { mask: Mask; quality: number }>();
    for (const job of jobs) {
      const key = JSON.stringify([job.prompt.box, job.prompt.points, job.refines ? 'refines' : '']);
      let got = decoded.get(key);
      if (!got) {
        const t = performance.now();
        const d = await this.decodeMask(embedding, image, job, options.refine);
        timings.decode_masks += performance.now() - t;
        timings.model_sessions += d.sessionMs;
        got = { mask: d.mask, quality: d.quality };
        decoded.set(key, got);
      }
      const { mask, quality } = got;
      const q = Math.min(1, Math.max(0, quality));
      const d = job.detection;
      let score: number, formula: string;
      if (d) {
        const evidence = { detector: d.score, rival: d.rival, evidence: d.evidence, quality: q };
        score = objectScore(evidence);
        formula = objectFormula(evidence, score);
      } else if (job.userPrompt) {
        score = q;
        formula = `${roundFactor(q)} (mask quality) = ${roundScore(score)}`;
      } else {
        score = Math.sqrt(job.detectorScore) * q;
        formula = `√${roundFactor(job.detectorScore)} (detector) × ${roundFactor(q)} (mask quality) = ${roundScore(score)}`;
      }
      candidates.push({
        label: job.label,
        conceptIndex: job.conceptIndex,
        ...(job.conceptText ? { conceptText: job.conceptText } : {}),
        mask,
        score,
        why: {
          ...job.why,
          source: job.source,
          detector_score: roundFactor(job.detectorScore),
          ...(d ? { passes: passesOf(d), rival: { class: d.rivalClass, score: roundFactor(d.rival) } } : {}),
          mask_quality: roundFactor(q),
          formula,
        },
      });
    }
    return { candidates, timings };
  }

  /**
   * Video: each track's mask on this frame from one decoder run: the box where the object is
   * expected plus its previous low-res mask (moved by the object's motion) as the decoder's mask
   * input, SAM's own way to say "this object again". `fine` is decoded as `standard` here: its
   * extra passes re-sample points from the mask, which on a moving object mostly adds cost.
   */
  async propagate(req: EnginePropagateRequest): Promise<{ masks: PropagatedMask[]; timings: Record<string, number> }> {
    const { embedding } = req;
    if (!isLiteEmbedding(embedding)) {
      throw new PromptsegError('internal', `The lite engine was given a ${embedding.engine} embedding.`, 'This is a bug in promptseg; please report it.');
    }
    const emb = embedding.sam;
    const timings = { decode_masks: 0, model_sessions: 0 };
    const masks: PropagatedMask[] = [];
    for (const t of req.tracks) {
      const start = performance.now();
      const [x, y, w, h] = t.box;
      const previous = t.state instanceof Float32Array ? shiftLowRes(t.state, emb, t.motion[0], t.motion[1]) : undefined;
      const out = await this.models.sam.decode(emb, { box: [x, y, x + w, y + h], ...(previous ? { maskInput: previous } : {}) });
      const mask = req.refine === 'fast' ? lowResToMask(out.lowRes, emb) : logitsToMask(out.logits, out.width, out.height);
      masks.push({ mask, quality: Math.min(1, Math.max(0, out.iou)), state: out.lowRes });
      timings.decode_masks += performance.now() - start;
      timings.model_sessions += out.sessionMs;
    }
    return { masks, timings };
  }

  /**
   * What a part prompt needs to know about the people in this image: poses always, face boxes
   * for face / head / hair, hand boxes for hands. Each model runs at most once per image (memo
   * in the embedding); `ms` is the session time spent by this call.
   */
  /** The image's people and their skeletons (MoveNet), run at most once per image. */
  private async poses(memo: ImageMemo, image: RgbImage): Promise<MemoGot<PersonPose[]>> {
    const models = await this.models.people();
    return memo.once(MEMO.poses, async () => {
      const r = await detectPoses(models.pose, image);
      return { value: r.people, ms: r.ms };
    });
  }

  private async people(memo: ImageMemo, image: RgbImage, part: PersonPart): Promise<{ analysis: PeopleAnalysis; ms: number }> {
    const models = await this.models.people();
    let ms = 0;
    const once = async <T>(key: string, run: () => Promise<{ value: T; ms: number }>): Promise<T> => {
      const got = await memo.once(key, run);
      ms += got.ms;
      return got.value;
    };
    const posesGot = await this.poses(memo, image);
    ms += posesGot.ms;
    const people = posesGot.value;
    const wantsFace = part === 'face' || part === 'head' || part === 'hair';
    const faces = wantsFace && people.length ? await once(MEMO.faces, async () => {
      const r = await detectFaces(models.face, image);
      return { value: r.faces, ms: r.ms };
    }) : [];
    const hands = part === 'hand' && people.length ? await once(MEMO.hands, async () => {
      const r = await detectHands(models.hands, image);
      return { value: r.hands, ms: r.ms };
    }) : [];
    return { analysis: { people, faces, hands }, ms };
  }

  /**
   * The object prompt behind the mask a user selected for click refinement (label + the mask's
   * bounding box, x0, y0, x1, y1). The mask's box is not the box it was decoded from: the
   * detection box is looser (astronaut.png: 8, 9, 369, 512 vs 1, 2, 360, 512), and from the
   * tighter box the centre point no longer keeps the flag out (8.2k flag pixels vs 425). So when
   * this image's detections are at hand (the prompt that found the object ran on the cached
   * embedding), the detection of that class whose box overlaps most (IoU >= 0.6) gives the box;
   * the detector is never run for this. Otherwise the selected box is used as it is.
   */
  private async selectedObjectPrompt(embedding: LiteEmbedding, image: RgbImage, label: string, box: Box): Promise<ObjectPrompt> {
    let best: Box = box, bestIoU = SELECTED_DETECTION_IOU;
    if (embedding.memo.has(fusedKey(label))) {
      for (const d of (await embedding.memo.once(fusedKey(label), () => Promise.resolve({ value: [] as FusedDetection[], ms: 0 }))).value) {
        const iou = d.className === label ? boxIoU(d.box, box) : 0;
        if (iou >= bestIoU) {
          bestIoU = iou;
          best = d.box;
        }
      }
    }
    const poses = label === 'person' && embedding.memo.has(MEMO.poses) ? (await this.poses(embedding.memo, image)).value : [];
    return objectPrompt(label, best, poses);
  }

  /** One prompt -> a binary mask at the image size, per refinement level. */
  private async decodeMask(embedding: LiteEmbedding, image: RgbImage, job: PromptJob, refine: RefineLevel): Promise<{ mask: Mask; quality: number; sessionMs: number }> {
    const sam = this.models.sam, emb = embedding.sam;
    const spec = job.refines ?? job;
    let prompt = spec.prompt;
    let first = await sam.decode(emb, prompt);
    let sessionMs = first.sessionMs;
    if (spec.fallback && prompt.box && !spansBox(first, prompt.box)) {
      prompt = spec.fallback;
      first = await sam.decode(emb, prompt);
      sessionMs += first.sessionMs;
    }
    if (job.refines) {
      // The object's own mask was `first`; now the clicks, from that mask (SAM's interactive use).
      prompt = withClicks(prompt, job.prompt.points ?? []);
      first = await sam.decode(emb, { ...prompt, maskInput: first.lowRes });
      sessionMs += first.sessionMs;
    }
    if (refine === 'fast') return { mask: lowResToMask(first.lowRes, emb), quality: first.iou, sessionMs };
    if (refine === 'standard') return { mask: logitsToMask(first.logits, first.width, first.height), quality: first.iou, sessionMs };
    // fine: feed the low-res mask back with points sampled from it (interior positives,
    // negatives on background that leaked in); keep a pass unless the decoder rates it clearly worse.
    const grid = (await embedding.memo.once(MEMO.cells, async () => ({ value: cellColours(image, emb), ms: 0 }))).value;
    let best: SamMaskOutput = first;
    for (let i = 0; i < REFINE.fineIterations; i++) {
      const extra = samplePoints(best.lowRes, emb, grid, REFINE.finePositivePoints, REFINE.fineNegativePoints);
      if (!extra.length) break;
      const next = await sam.decode(emb, { box: prompt.box, points: [...(prompt.points ?? []), ...extra], maskInput: best.lowRes });
      sessionMs += next.sessionMs;
      if (next.iou < best.iou - REFINE.maxQualityDrop) break;
      best = next;
    }
    return { mask: logitsToMask(best.logits, best.width, best.height), quality: best.iou, sessionMs };
  }
}

type Box = Readonly<BoxXYXY>;

/** Per-pass detector scores for why.passes (snake_case: a wire format). */
function passesOf(d: FusedDetection): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pass, v] of Object.entries(d.evidence)) if (v !== undefined) out[pass.replace('-', '_')] = roundFactor(v);
  return out;
}

/** A SAM prompt, and what to decode instead when its mask does not span its box. */
export interface ObjectPrompt {
  prompt: SamPrompt;
  fallback?: SamPrompt;
}

/**
 * The SAM prompt for an object of class `className` in `box` (x0, y0, x1, y1, original pixels):
 * the one place that decides it, for detections and for the click refinement of one, so a
 * refinement starts from the prompt that made the mask the user selected.
 *
 * A box alone lets SAM take in whatever the box holds that looks like part of the object: for a
 * person, the flag beside the astronaut of astronaut.png (11.8k flag pixels). A positive point at
 * the box centre — on the torso of an upright or sitting person — anchors the mask on the person
 * (425 flag pixels, nothing of her lost), and switches the decoder from its best-of-3 multimask
 * output to its single-mask one. The centre of other objects is less reliably on them (a chair,
 * a bicycle, a donut), so they keep the box. If the centre misses the person (mask not spanning
 * the box), the box alone is used.
 */
export function objectPrompt(className: string, box: Box, poses: readonly PersonPose[] = []): ObjectPrompt {
  const b: [number, number, number, number] = [box[0], box[1], box[2], box[3]];
  if (className !== 'person') return { prompt: { box: b } };
  const centre = { x: (b[0] + b[2]) / 2, y: (b[1] + b[3]) / 2, positive: true };
  return { prompt: { box: b, points: [centre, ...limbPoints(b, poses)] }, fallback: { box: b } };
}

/** Limb keypoints that become positive points: outstretched arms and legs are what box + centre lose. */
const LIMBS: readonly KeypointName[] = ['left_wrist', 'right_wrist', 'left_elbow', 'right_elbow', 'left_ankle', 'right_ankle', 'left_knee', 'right_knee'];

/**
 * The visible limb keypoints (score >= LIMB.minScore) of the skeleton that belongs to this person
 * box, as positive points. The skeleton is the one with most of its confident keypoints inside
 * the box (at least LIMB.minInside of them; MoveNet's own box is often tighter or looser than
 * CenterNet's); points outside the box are not used, so a keypoint misplaced on the background
 * beside a person cannot pull that background in (the flag of astronaut.png stays out).
 */
export function limbPoints(box: Box, poses: readonly PersonPose[]): SamPoint[] {
  const inside = (k: Keypoint) => k.x >= box[0] && k.x <= box[2] && k.y >= box[1] && k.y <= box[3];
  let best: PersonPose | undefined, bestShare: number = LIMB.minInside;
  for (const p of poses) {
    const sure = Object.values(p.keypoints).filter((k) => k.score >= LIMB.minScore);
    if (sure.length < 4) continue;
    const share = sure.filter(inside).length / sure.length;
    if (share > bestShare) {
      bestShare = share;
      best = p;
    }
  }
  if (!best) return [];
  return LIMBS.map((n) => best.keypoints[n]).filter((k) => k.score >= LIMB.minScore && inside(k)).map((k) => ({ x: k.x, y: k.y, positive: true }));
}

const LIMB = {
  /** A keypoint this sure is on the limb (MoveNet's scores: ~0.5+ on visible joints). */
  minScore: 0.35,
  /** Share of a skeleton's confident keypoints that must fall in the person's box for it to be theirs. */
  minInside: 0.7,
} as const;

/**
 * An object's prompt with the user's clicks added. A negative click near one of the prompt's own
 * positive points says that spot is not the object: the user wins, that point is dropped.
 */
export function withClicks(prompt: SamPrompt, clicks: readonly SamPoint[]): SamPrompt {
  const [x0, y0, x1, y1] = prompt.box ?? [0, 0, 0, 0];
  const near = CLICK_OVERRIDE_RADIUS * Math.min(x1 - x0, y1 - y0);
  const own = (prompt.points ?? []).filter((p) => !p.positive || !clicks.some((c) => !c.positive && Math.hypot(c.x - p.x, c.y - p.y) < near));
  return { ...prompt, points: [...own, ...clicks] };
}

/** A negative click closer than this share of the box's short side overrides a prompt point. */
const CLICK_OVERRIDE_RADIUS = 0.1;
/** The selected mask's box and the detection box it came from overlap at least this much (as spansBox). */
const SELECTED_DETECTION_IOU = SPANS_BOX_IOU;

function toStatus(c: ParsedConcept, res: LiteResolution): ConceptStatus {
  if (res.status === 'ok') return { text: c.text, status: 'ok', label: res.label };
  const base = res.message ?? `"${c.text}" is not in the lite engine's vocabulary.`;
  const message = /sam3/i.test(base) ? base : `${base} ${OPEN_VOCAB_NOTE}`;
  return { text: c.text, status: 'unknown', message, suggestions: res.suggestions };
}
