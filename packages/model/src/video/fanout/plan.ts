/**
 * How a clip is split for fan-out: S segments by time, each owning a run of the clip's sampled
 * frames, and each (but the first) starting `overlap` frames early so that its tracker already
 * follows the objects when its own frames begin and the stitcher can match its tracks to the
 * previous segment's on frames both have seen. The same plan serves local worker processes and
 * (later) one inference function per segment on Lambda.
 *
 * Boundaries are frame counts turned into times (start + k / rate): with `fps` sampling those are
 * exactly the sampler's target times, so a segment decoded alone samples the same frames as the
 * whole clip would (source.ts); without `fps` the rate is the source's average and a boundary
 * falls between two frames, which is all ownership needs.
 */
export interface VideoSegment {
  index: number;
  /** Where this segment's run starts (seconds): `owns` minus the overlap, not before the clip's start. */
  start: number;
  /** First time this segment owns: its frames from here on go into the clip's document. */
  owns: number;
  /** Exclusive end (seconds); the last segment runs to the clip's own end (Infinity: to the end of the source). */
  end: number;
  /** Frames this segment owns (planned). */
  frames: number;
  /** Frames decoded before `owns` (0 for the first segment). */
  leadIn: number;
}

export interface PlanInput {
  /** Clip start (seconds) and end (exclusive; Infinity for the source's end). */
  start: number;
  end: number;
  /** Sampled frames per second (the `fps` option, else the source's rate). */
  rate: number;
  /** Frames the clip will sample (Sampler.expectedFrames). */
  frames: number;
  /** Segments wanted (workers). */
  segments: number;
  /** Frames each segment after the first decodes before its own (default 4). */
  overlap?: number;
}

export const DEFAULT_OVERLAP_FRAMES = 4;

export function planSegments(p: PlanInput): VideoSegment[] {
  const overlap = Math.max(1, Math.round(p.overlap ?? DEFAULT_OVERLAP_FRAMES));
  // Each segment must own more frames than it spends catching up, or splitting only adds work.
  const n = Math.max(1, Math.min(Math.floor(p.segments), Math.floor(p.frames / (2 * overlap))));
  const at = (k: number) => p.start + k / p.rate;
  const out: VideoSegment[] = [];
  for (let i = 0; i < n; i++) {
    const first = Math.round((i * p.frames) / n);
    const next = Math.round(((i + 1) * p.frames) / n);
    const leadIn = i === 0 ? 0 : Math.min(overlap, first);
    out.push({
      index: i,
      start: at(first - leadIn),
      owns: at(first),
      end: i === n - 1 ? p.end : at(next),
      frames: next - first,
      leadIn,
    });
  }
  return out;
}

/**
 * The sampling one segment runs with: its own time range, and on the last segment the clip's
 * `max_frames` cut (counted from the segment's first decoded frame). Local workers and the
 * inference function's segments both use it, so both decode exactly the planned frames.
 */
export function segmentSampling(seg: VideoSegment, last: boolean, clip: { fps?: number; max_frames?: number }): { fps?: number; start: number; end?: number; max_frames?: number } {
  return {
    ...(clip.fps !== undefined ? { fps: clip.fps } : {}),
    start: seg.start,
    ...(Number.isFinite(seg.end) ? { end: seg.end } : {}),
    ...(clip.max_frames !== undefined && last ? { max_frames: seg.frames + seg.leadIn } : {}),
  };
}

/** How many segments a clip of `frames` sampled frames gets: one per `perSegment` frames, at most `max`. */
export function segmentCount(frames: number, perSegment: number, max: number): number {
  return Math.max(1, Math.min(Math.floor(max), Math.ceil(frames / Math.max(1, perSegment))));
}
