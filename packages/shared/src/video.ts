/**
 * The video result document: what `segmentVideo()`, the CLI's `--json` on a clip, one inference
 * segment of a fanned-out video job and `GET /v1/jobs/{id}` for a video job all return. It mirrors
 * the image document (result.ts): snake_case, add fields, never rename or remove them.
 *
 * Frame indices are indices of the *sampled* frames (after `fps`, `start`, `end`, `max_frames`),
 * counted from the clip's first sampled frame; `time_s` is the frame's presentation time in the
 * source (from its timestamp, so variable frame rates are honest), which is what a player seeks to.
 */
import type { BoxXYWH } from './geometry.js';
import type { Rle } from './rle.js';
import type { ConceptStatus, EngineId } from './result.js';

/** Options a video run takes on top of the image options (threshold, refine, top-K, engine). */
export interface VideoSampling {
  /** Frames per second to sample; default: the source's own rate. */
  fps?: number;
  /** Start time in seconds (inclusive); default 0. */
  start?: number;
  /** End time in seconds (exclusive); default: the end of the clip. */
  end?: number;
  /** At most this many sampled frames; a clip that would sample more is cut there. */
  max_frames?: number;
}

export interface VideoInfo {
  width: number;
  height: number;
  /** The sampling rate of `frames` (the requested fps, or the source's average rate). */
  fps: number;
  /** Number of sampled frames in this document. */
  frames: number;
  /** Source facts, for players and for billing (duration processed = frames / fps). */
  duration_s?: number;
  source_fps?: number;
  /** Rotation applied from the container's metadata (degrees clockwise), if any. */
  rotation?: number;
  codec?: string;
  path?: string;
}

/** One tracked object over the clip. */
export interface VideoTrack {
  track_id: number;
  label: string;
  concept: string;
  /** The track's score: mean of its per-frame instance scores (0..1). */
  score: number;
  first_frame: number;
  last_frame: number;
}

/** One object in one frame; `track_id` links it to `tracks`. */
export interface VideoInstance {
  track_id: number;
  score: number;
  box: BoxXYWH;
  area: number;
  rle: Rle;
}

export interface VideoFrame {
  index: number;
  time_s: number;
  instances: VideoInstance[];
}

export interface VideoResult {
  video: VideoInfo;
  prompt: string;
  engine: EngineId;
  engine_reason?: string;
  concepts: ConceptStatus[];
  tracks: VideoTrack[];
  frames: VideoFrame[];
  timings_ms: Record<string, number>;
}

/** Progress of a running video job, as `GET /v1/jobs/{id}` shows it. */
export interface VideoProgress {
  frames_done: number;
  frames_total: number;
}

/**
 * Output formats of a clip (`--format` for a video input). `mask` is a PNG sequence per track,
 * `cutout` a VP9 WebM with alpha (every track's pixels, transparent elsewhere), `overlay` an
 * H.264 MP4 with masks tinted per track id; `youtube_vis` and `mot` are the benchmark formats.
 */
export const VIDEO_OUTPUT_FORMATS = ['json', 'overlay', 'mask', 'cutout', 'youtube_vis', 'mot'] as const;
export type VideoOutputFormat = (typeof VIDEO_OUTPUT_FORMATS)[number];

/** File (or, for `mask`, folder) name of a video output, beside the clip's JSON document. */
export function videoOutputName(format: VideoOutputFormat, base: string): string {
  const suffix: Record<VideoOutputFormat, string> = { json: '.json', overlay: '.overlay.mp4', mask: '.masks', cutout: '.cutout.webm', youtube_vis: '.youtube_vis.json', mot: '.mot.txt' };
  return base + suffix[format];
}
