/**
 * renderVideoFiles: the pixel outputs of a clip (overlay MP4, cut-out WebM with alpha) drawn
 * from a finished result document by decoding the clip once more. A fanned-out video job needs
 * this: its segments ran in separate invocations and their track ids are only final after
 * stitching, so the overlay (colours and "#id" tags by track id) can be drawn only afterwards.
 * Decoding again costs a fraction of segmenting (no model runs); one frame's pixels at a time.
 *
 * Frames are matched to the document by presentation time (within half a sampled frame), so a
 * sampled frame the document lacks is drawn with no masks rather than shifting the rest.
 */
import { decodeRle, type Mask, type VideoResult, type VideoSampling } from '@promptseg/shared';
import { cutoutFramePng, overlayFramePng } from '../export/video.js';
import { startEncoder, type Encoder } from './ffmpeg.js';
import { openSource, Sampler } from './source.js';

export type RenderedFormat = 'overlay' | 'cutout';

export interface RenderOptions {
  /** The sampling the document was made with (fps, start, end, max_frames). */
  sampling: VideoSampling;
  /** Frame rate of a folder of numbered frames. */
  frameRate?: number;
  signal?: AbortSignal;
}

/** Writes each requested format to `paths[format]`; returns the frames drawn. */
export async function renderVideoFiles(source: string, result: VideoResult, paths: Partial<Record<RenderedFormat, string>>, opts: RenderOptions): Promise<number> {
  const formats = (Object.keys(paths) as RenderedFormat[]).filter((f) => paths[f]);
  if (!formats.length) return 0;
  const src = await openSource(source, { frameRate: opts.frameRate, signal: opts.signal });
  const sampler = new Sampler(opts.sampling);
  const fps = result.video.fps;
  const half = 0.5 / fps;
  const labels = new Map(result.tracks.map((t) => [t.track_id, t.label]));
  const encoders = new Map<RenderedFormat, Encoder>(formats.map((f) => [f, startEncoder(paths[f]!, fps, f === 'overlay' ? 'mp4' : 'webm-alpha')]));
  let k = 0;
  let drawn = 0;
  try {
    for await (const f of src.frames(sampler.resumeTime, opts.signal)) {
      const verdict = sampler.offer(f.time);
      if (verdict === 'stop') break;
      if (verdict === 'skip') continue;
      // the document's frames are in time order: advance to this frame's time
      while (k < result.frames.length && result.frames[k].time_s < f.time - half) k++;
      const doc = k < result.frames.length && Math.abs(result.frames[k].time_s - f.time) < half ? result.frames[k] : undefined;
      const frame = doc ?? { index: drawn, time_s: f.time, instances: [] };
      const masks: Mask[] = frame.instances.map((i) => decodeRle(i.rle));
      const out = { frame, image: f.image, masks, labels: frame.instances.map((i) => labels.get(i.track_id) ?? '') };
      for (const [format, enc] of encoders) await enc.write(format === 'overlay' ? await overlayFramePng(out) : await cutoutFramePng(out));
      drawn++;
    }
    for (const enc of encoders.values()) await enc.close();
    return drawn;
  } catch (e) {
    for (const enc of encoders.values()) enc.kill();
    throw e;
  }
}
