/**
 * The result document: the same JSON from `segment()`, the CLI's `--json`, the inference function
 * and `GET /v1/jobs/{id}`. Field names are snake_case because this is a wire format. Keep it
 * stable: add fields, never rename or remove them.
 */
import type { BoxXYWH } from './geometry.js';
import type { MaskPolygons } from './polygons.js';
import type { Rle } from './rle.js';

export type EngineId = 'lite' | 'sam3';

/** Instance scores are reported with 3 decimals; explanation formulas end with the same number. */
export const roundScore = (v: number): number => Math.round(v * 1000) / 1000;
/** Factors inside an explanation: two decimals are what a reader can use. */
export const roundFactor = (v: number): number => Math.round(v * 100) / 100;

export type ConceptStatusCode = 'ok' | 'unknown';

export interface ConceptStatus {
  /** The concept as the user wrote it (after splitting the prompt). */
  text: string;
  status: ConceptStatusCode;
  /** What the engine looked for (e.g. "person" for "woman", "upper body garment" for "shirt"). */
  label?: string;
  /** For `unknown`: why, with the closest known concepts and what to do. */
  message?: string;
  /** Closest known concepts, best first (for `unknown`). */
  suggestions?: string[];
}

/** How an instance's score was formed; all parts in 0..1. */
export interface Explanation {
  /** The concept text and the word in it that matched the vocabulary. */
  concept: string;
  matched: string;
  /** The synonym, category or translation used to reach the detector class (if any). */
  via?: string;
  /** Which model found the object and its class name there. */
  source: string;
  detector_score: number;
  /** lite: the detector's score in each pass that saw the object (`full`, `zoom_out`, `tile`). */
  passes?: Record<string, number>;
  /** lite: the best other class the detector saw at the object's centre, and its score. */
  rival?: { class: string; score: number };
  mask_quality: number;
  /** Share of the mask's pixels matching the requested colour(s), if a colour was asked for. */
  color_match?: number;
  /** 1-based rank by the requested position/size, if one was asked for. */
  rank?: number;
  attribute_score?: number;
  /** The formula with the numbers filled in. */
  formula: string;
}

export interface Instance {
  id: number;
  label: string;
  concept: string;
  score: number;
  box: BoxXYWH;
  area: number;
  rle: Rle;
  /** Only on request (`--polygons`, `"polygons": true`): the mask's outline, outer rings and holes (polygons.ts). */
  polygons?: MaskPolygons;
  why?: Explanation;
}

export interface SegmentResult {
  image: { path?: string; width: number; height: number };
  prompt: string;
  engine: EngineId;
  /** Why this engine ran (e.g. "auto: sam3 model files not installed, using lite"). */
  engine_reason?: string;
  concepts: ConceptStatus[];
  instances: Instance[];
  timings_ms: Record<string, number>;
  /** Whether the image embedding came from the cache ("hit": the encoder did not run). */
  cache?: { embedding: 'hit' | 'miss' | 'skipped' };
}
