/**
 * The one interface every engine implements. Engines are stateless between calls: the image
 * embedding is returned to the caller (the pipeline caches it by image hash) and passed back in,
 * so one engine instance serves concurrent requests. Model sessions are owned by the engine
 * instance and created once per process (see engines/registry.ts).
 */
import type { BoxXYWH, ConceptStatus, EngineId, Explanation, Mask, ParsedConcept, RefineLevel, SegmentOptions } from '@promptseg/shared';
import type { RgbImage } from '../io/image.js';

export interface EngineCapabilities {
  openVocabulary: boolean;
  boxPrompts: boolean;
  pointPrompts: boolean;
}

/** Opaque, immutable per-image state (SAM's `set_image`). `bytes` is its memory cost for the LRU. */
export interface Embedding {
  readonly engine: EngineId;
  readonly bytes: number;
  /** Optional: milliseconds of the per-image stages that produced it (e.g. encode, detect). */
  readonly timings?: Readonly<Record<string, number>>;
}

/** One object found for one concept, before thresholding / de-duplication / top-K. */
export interface Candidate {
  /** What was found ("person", "upper body garment", "cat"). */
  label: string;
  /** Index into the concepts passed to segment(); -1 for a candidate from options.boxes / options.points. */
  conceptIndex: number;
  /** Optional: the concept text to report when conceptIndex is -1 (e.g. "box 1", "click"). */
  conceptText?: string;
  /** Full-resolution binary mask of the upright image. */
  mask: Mask;
  /** Optional: the engine's own box for it (pixels, xywh), e.g. SAM 3's pred_boxes; instance boxes come from the mask. */
  box?: BoxXYWH;
  /** Final score in 0..1, formed as documented in the engine's README section. */
  score: number;
  why: Explanation;
}

export interface EncodeHint {
  concepts: ParsedConcept[];
}

export interface EngineSegmentRequest {
  image: RgbImage;
  embedding: Embedding;
  concepts: ParsedConcept[];
  options: SegmentOptions;
}

export interface EngineSegmentResponse {
  candidates: Candidate[];
  /** Model session times and engine-side stages, milliseconds. */
  timings: Record<string, number>;
}

/**
 * Video: one tracked object carried from the previous frame into this one. The engine decodes
 * its mask on this frame's embedding from where the object is expected (its last box moved by
 * its last motion) and from its own previous mask (`state`, opaque to the caller).
 */
export interface TrackPrompt {
  /** Expected box in this frame (pixels, xywh). */
  box: BoxXYWH;
  /** How far (pixels) the object is expected to have moved since `state` was made. */
  motion: [dx: number, dy: number];
  /** What this engine's propagate() returned for the object last time; absent for a new object. */
  state?: unknown;
}

export interface PropagatedMask {
  /** Full-resolution binary mask of the frame. */
  mask: Mask;
  /** The engine's own confidence in the mask (lite: the decoder's predicted IoU), 0..1. */
  quality: number;
  /** Carried to the next frame's TrackPrompt.state. */
  state: unknown;
}

export interface EnginePropagateRequest {
  image: RgbImage;
  embedding: Embedding;
  tracks: TrackPrompt[];
  refine: RefineLevel;
}

export interface Engine {
  readonly id: EngineId;
  readonly capabilities: EngineCapabilities;
  /** Per concept: does this engine understand it? Pure, no pixels (unknown ones get suggestions). */
  planConcepts(concepts: ParsedConcept[]): ConceptStatus[];
  /**
   * The expensive per-image step (image encoder); the pipeline caches the result by image hash.
   * `hint` (optional) names the concepts of the prompt that triggered it, so an engine may start
   * prompt-dependent per-image work alongside the encoder; the embedding must not depend on it.
   */
  encodeImage(image: RgbImage, hint?: EncodeHint): Promise<Embedding>;
  segment(request: EngineSegmentRequest): Promise<EngineSegmentResponse>;
  /**
   * Optional (video): each tracked object's mask on a new frame, from its previous mask. Engines
   * without it (sam3: per-frame detection) are tracked by detecting on every frame.
   */
  propagate?(request: EnginePropagateRequest): Promise<{ masks: PropagatedMask[]; timings: Record<string, number> }>;
  /** Optional: create every session and run each once (cold start); the pipeline's warmup() falls back to a generic run. */
  warmup?(): Promise<void>;
}
