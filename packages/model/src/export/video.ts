/**
 * Video exporters: pure functions from the clip's result document (VideoResult) or from one
 * frame of it to bytes. The CLI and the inference function write them; the per-frame images
 * are fed to an ffmpeg encoder (video/ffmpeg.ts startEncoder) one at a time, so nothing here
 * holds more than one frame's pixels.
 *
 * - youtubeVisResults(): the YouTube-VIS results format (the standard of video instance
 *   segmentation benchmarks): one entry per track, with a COCO RLE (or null) per frame;
 * - motChallengeText(): MOT Challenge tracking text, one line per track per frame;
 * - overlayFramePng(): a frame with each track's mask tinted in the track's colour and a tag
 *   "#id label" (frames of the overlay MP4);
 * - cutoutFramePng(): the frame's pixels inside any track's mask, transparent elsewhere (frames
 *   of the VP9 WebM with alpha);
 * - trackMaskPng(): one track's mask as an 8-bit PNG (the per-track PNG sequences).
 */
import type { Mask, VideoFrame, VideoResult } from '@promptseg/shared';
import { encodePngWithSvg } from '../io/decode.js';
import type { RgbImage } from '../io/image.js';
import { cutoutPng, maskPng, unionMask } from './cutout.js';
import { colorOf, labelsSvg, tintedPixels } from './overlay.js';
import { slugify } from './names.js';

/** A track's colour: fixed by its id, so it is the same on every frame and in every file. */
export const trackColor = (trackId: number): [number, number, number] => colorOf(trackId - 1);

/**
 * Category ids of the YouTube-VIS file: 1 + the label's position among the prompt's concepts
 * (the result's `concepts`, in prompt order), so "person, dog" gives person = 1, dog = 2.
 */
export function videoCategories(result: Pick<VideoResult, 'concepts' | 'tracks'>): { id: number; name: string }[] {
  const names: string[] = [];
  for (const c of result.concepts) if (c.label && !names.includes(c.label)) names.push(c.label);
  for (const t of result.tracks) if (!names.includes(t.label)) names.push(t.label);
  return names.map((name, i) => ({ id: i + 1, name }));
}

export interface YoutubeVisResult {
  video_id: number;
  category_id: number;
  score: number;
  /** One per frame of the clip: the track's COCO RLE on that frame, or null where it is not seen. */
  segmentations: ({ size: [number, number]; counts: string } | null)[];
}

/** YouTube-VIS results (a JSON array), as the benchmark's evaluation takes it. */
export function youtubeVisResults(result: VideoResult, videoId = 1): YoutubeVisResult[] {
  const cats = new Map(videoCategories(result).map((c) => [c.name, c.id]));
  const byTrack = new Map<number, YoutubeVisResult>();
  for (const t of result.tracks) {
    byTrack.set(t.track_id, { video_id: videoId, category_id: cats.get(t.label)!, score: t.score, segmentations: new Array(result.frames.length).fill(null) });
  }
  result.frames.forEach((f, i) => {
    for (const inst of f.instances) {
      const entry = byTrack.get(inst.track_id);
      if (entry) entry.segmentations[i] = inst.rle;
    }
  });
  return [...byTrack.values()];
}

/**
 * MOT Challenge text: `frame,id,bb_left,bb_top,bb_width,bb_height,conf,-1,-1,-1` per track and
 * frame, frames counted from 1 (the MOT convention), boxes in pixels of the upright frame.
 */
export function motChallengeText(frames: readonly VideoFrame[]): string {
  const lines: string[] = [];
  for (const f of frames) {
    for (const inst of f.instances) {
      const [x, y, w, h] = inst.box;
      lines.push(`${f.index + 1},${inst.track_id},${x},${y},${w},${h},${inst.score},-1,-1,-1`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** What the frame exporters need of one frame (segmentVideo's onFrame output satisfies it). */
export interface ExportableFrame {
  frame: VideoFrame;
  image: RgbImage;
  /** Aligned with frame.instances. */
  masks: readonly Mask[];
  /** Aligned with frame.instances. */
  labels: readonly string[];
}

/** One frame of the overlay video: masks tinted per track id, outlines, and a "#id label" tag per track. */
export async function overlayFramePng(out: ExportableFrame): Promise<Uint8Array> {
  const { frame, image, masks, labels } = out;
  const colors = frame.instances.map((i) => trackColor(i.track_id));
  const px = tintedPixels(image, frame.instances, masks, colors);
  const tagged = frame.instances.map((inst, k) => ({ label: labels[k] ?? '', score: inst.score, box: inst.box }));
  const styles = frame.instances.map((inst, k) => ({ text: `#${inst.track_id} ${labels[k] ?? ''}`.trim(), color: colors[k] }));
  return encodePngWithSvg({ width: image.width, height: image.height, channels: 3, data: px }, labelsSvg(tagged, image.width, image.height, styles));
}

/** One frame of the cut-out video: the pixels of every track, transparent elsewhere (RGBA PNG). */
export function cutoutFramePng(out: Pick<ExportableFrame, 'image' | 'masks'>): Promise<Uint8Array> {
  const { image, masks } = out;
  return cutoutPng({ ...image, format: 'raw', hash: '' }, unionMask(masks, image.width, image.height));
}

/** One track's mask on one frame (255 inside, 0 outside; an empty mask where it is not seen). */
export const trackMaskPng = (mask: Mask): Promise<Uint8Array> => maskPng(mask);

/** Folder of a track's PNG sequence inside `${base}.masks/`: `<id>-<label>` (label slugified). */
export const trackFolderName = (trackId: number, label: string): string => `${trackId}-${slugify(label)}`;

/** File of frame `index` in a track's PNG sequence (six digits, so editors sort and import it as a sequence). */
export const trackFrameName = (index: number): string => `${String(index).padStart(6, '0')}.png`;
