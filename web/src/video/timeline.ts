/**
 * The video view's pure parts: which document frame a player time shows, the clip types the page
 * sends, track spans in seconds, and how a frame's masks are tinted (a highlighted track stands
 * out, the others fade). No DOM here, so it is tested in Node.
 */
import type { VideoFrame, VideoResult, VideoTrack } from '@promptseg/shared';

/** The page's clip types (the API's VIDEO_UPLOAD_CONTENT_TYPES) by file extension when the browser gives none. */
const CLIP_TYPES: Record<string, string> = { mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime' };

/** The content type to upload a clip with, or undefined when the page does not send this file as a clip. */
export function clipType(name: string, type: string): string | undefined {
  if (Object.values(CLIP_TYPES).includes(type)) return type;
  if (type && type !== 'application/octet-stream') return undefined;
  return CLIP_TYPES[name.toLowerCase().split('.').pop() ?? ''];
}

/**
 * Index of the document frame shown at player time `t`: the last frame whose time is at or
 * before t (a frame stays on screen until the next one starts), the first frame before it.
 */
export function frameAtTime(frames: readonly Pick<VideoFrame, 'time_s'>[], t: number): number {
  if (!frames.length) return -1;
  let lo = 0, hi = frames.length - 1;
  // half a millisecond of slack: players report seeks a hair before the time asked for
  const at = t + 5e-4;
  if (at < frames[0].time_s) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (frames[mid].time_s <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where to seek the player to show frame i: a little after its time, so rounding lands on it. */
export function seekTime(frames: readonly Pick<VideoFrame, 'time_s'>[], i: number, fps: number): number {
  const f = frames[Math.max(0, Math.min(frames.length - 1, i))];
  return f ? f.time_s + Math.min(0.25 / fps, 0.01) : 0;
}

export interface TrackRow {
  track: VideoTrack;
  from_s: number;
  to_s: number;
}

/** Tracks with their first and last time (seconds), in id order. */
export function trackRows(doc: Pick<VideoResult, 'tracks' | 'frames'>): TrackRow[] {
  return [...doc.tracks]
    .sort((a, b) => a.track_id - b.track_id)
    .map((track) => ({ track, from_s: doc.frames[track.first_frame]?.time_s ?? 0, to_s: doc.frames[track.last_frame]?.time_s ?? 0 }));
}

/** Opacity of a track's tint: the highlighted one strong, the others faint; all equal without a highlight. */
export function tintAlpha(trackId: number, highlighted: number | undefined): number {
  if (highlighted === undefined) return 0.45;
  return trackId === highlighted ? 0.7 : 0.12;
}

/** "1.25 s" style times, to the hundredth. */
export const seconds = (s: number): string => `${(Math.round(s * 100) / 100).toFixed(2)} s`;
