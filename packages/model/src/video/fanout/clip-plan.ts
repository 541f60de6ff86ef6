/**
 * planClip: everything about a clip that must be known before fanning it out, from its
 * container alone (ffprobe, no frame decoded): the sampled frames it will give, their rate, the
 * span processed (what a video job is billed for) and the segments. The limits are checked here,
 * so a clip that cannot run is refused before any segment starts. Local workers and the
 * inference function's coordinator both plan with it.
 */
import type { VideoSampling } from '@promptseg/shared';
import { checkLimits, defaultLimits, openSource, Sampler, type SourceInfo, type VideoLimits } from '../source.js';
import { DEFAULT_OVERLAP_FRAMES, planSegments, type VideoSegment } from './plan.js';

export interface ClipPlan {
  info: SourceInfo;
  /** Sampled frames of the whole clip. */
  frames: number;
  /** Sampled frames per second. */
  rate: number;
  /** Seconds of video processed: frames / rate, at most the sampled range. */
  spanS: number;
  segments: VideoSegment[];
}

export async function planClip(source: string, sampling: VideoSampling, opts: { segments: number | ((frames: number) => number); overlap?: number; limits?: VideoLimits; frameRate?: number; path?: string; signal?: AbortSignal }): Promise<ClipPlan> {
  const src = await openSource(source, { frameRate: opts.frameRate, signal: opts.signal });
  const sampler = new Sampler(sampling);
  const frames = checkLimits(opts.path ?? source, src.info, sampler, { ...defaultLimits(), ...opts.limits });
  const rate = sampling.fps ?? src.info.fps;
  const spanS = Math.min(Math.max(0, Math.min(sampler.end, src.info.durationS) - sampler.start), frames / rate);
  const wanted = typeof opts.segments === 'function' ? opts.segments(frames) : opts.segments;
  const segments = planSegments({ start: sampler.start, end: sampler.end, rate, frames, segments: wanted, overlap: opts.overlap ?? DEFAULT_OVERLAP_FRAMES });
  return { info: src.info, frames, rate, spanS, segments };
}
