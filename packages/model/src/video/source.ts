/**
 * Where a clip's frames come from, and which of them are sampled. A source is a video file
 * (anything the bundled ffmpeg reads: MP4/H.264, WebM, MOV, animated GIF, …) or a folder of
 * numbered image frames. Frames are yielded one at a time with their time; the sampler decides
 * by timestamp which become the clip's frames 0, 1, 2, … (so variable frame rates are honest
 * and a time segment [start, end) selects the same frames whether it is decoded alone or as
 * part of the whole clip).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { PromptsegError, type VideoSampling } from '@promptseg/shared';
import { decodeImage } from '../io/decode.js';
import type { RgbImage } from '../io/image.js';
import { corruptVideo, decodeFrames, probeVideo } from './ffmpeg.js';

/** Frame rate assumed for a folder of numbered frames unless the caller gives one. */
export const DEFAULT_FOLDER_FPS = 25;
const FRAME_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.bmp']);

export interface SourceInfo {
  kind: 'file' | 'frames';
  width: number;
  height: number;
  /** The source's own average rate. */
  fps: number;
  durationS: number;
  rotation: number;
  codec: string;
}

export interface SourceFrame {
  image: RgbImage;
  /** Seconds from the source's first frame. */
  time: number;
}

export interface VideoSource {
  info: SourceInfo;
  /** Frames from about `fromS` on (earlier ones may come too; the sampler drops them). */
  frames(fromS: number, signal?: AbortSignal): AsyncGenerator<SourceFrame>;
}

/** Limits checked before any work (PROMPTSEG_VIDEO_MAX_SECONDS / PROMPTSEG_VIDEO_MAX_FRAMES). */
export interface VideoLimits {
  /** Longest span of video processed, in seconds (default 600). */
  maxSeconds?: number;
  /** Most sampled frames (default 18000: 10 minutes at 30 fps). */
  maxFrames?: number;
}

export function defaultLimits(env: NodeJS.ProcessEnv = process.env): Required<VideoLimits> {
  const n = (v: string | undefined, d: number) => (v !== undefined && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return { maxSeconds: n(env.PROMPTSEG_VIDEO_MAX_SECONDS, 600), maxFrames: n(env.PROMPTSEG_VIDEO_MAX_FRAMES, 18000) };
}

export async function openSource(path: string, opts: { frameRate?: number; signal?: AbortSignal } = {}): Promise<VideoSource> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new PromptsegError('file_not_found', `${path} does not exist.`, 'Check the path of the clip.');
  }
  return st.isDirectory() ? openFolder(path, opts.frameRate ?? DEFAULT_FOLDER_FPS) : openFile(path, opts.signal);
}

async function openFile(path: string, signal?: AbortSignal): Promise<VideoSource> {
  const probe = await probeVideo(path, signal);
  // The index (MP4/MOV) promises more frames than the file holds: cut off in transit.
  if (probe.framesDeclared && probe.packetsRead !== undefined && probe.packetsRead < probe.framesDeclared) {
    throw corruptVideo(path, `truncated: its index lists ${probe.framesDeclared} frames but only ${probe.packetsRead} are in the file`);
  }
  const fps = probe.fps ?? DEFAULT_FOLDER_FPS;
  const durationS = probe.durationS ?? (probe.framesDeclared ? probe.framesDeclared / fps : 0);
  return {
    info: { kind: 'file', width: probe.width, height: probe.height, fps, durationS, rotation: probe.rotation, codec: probe.codec },
    async *frames(fromS, sig) {
      // Seek half a second early: the sampler drops what comes before, so no frame is lost
      // to where ffmpeg's seek lands.
      const seekS = fromS > 0.5 ? probe.startS + fromS - 0.5 : 0;
      for await (const f of decodeFrames({ path, probe, seekS, signal: sig })) {
        yield { image: { width: f.width, height: f.height, data: f.data }, time: Math.max(0, f.pts - probe.startS) };
      }
    },
  };
}

/** Frame files of a folder in the order of the last number in their names (frame_2 before frame_10). */
export async function listFrameFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => FRAME_EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.'));
  const key = (n: string) => Number(/(\d+)(?!.*\d)/.exec(n)?.[1] ?? NaN);
  const numbered = names.filter((n) => Number.isFinite(key(n)));
  return numbered.sort((a, b) => key(a) - key(b) || (a < b ? -1 : 1)).map((n) => join(dir, n));
}

async function openFolder(dir: string, fps: number): Promise<VideoSource> {
  const files = await listFrameFiles(dir);
  if (!files.length) throw new PromptsegError('unsupported_image', `${dir} holds no numbered frames (frame_0001.png, …).`, 'Give a video file, or a folder of images numbered in order (PNG, JPEG, WebP, TIFF).');
  const first = await decodeImage(await readFile(files[0]));
  return {
    info: { kind: 'frames', width: first.width, height: first.height, fps, durationS: files.length / fps, rotation: 0, codec: 'frames' },
    async *frames(fromS, signal) {
      for (let i = Math.max(0, Math.floor(fromS * fps) - 1); i < files.length; i++) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        const img = await decodeImage(await readFile(files[i]));
        if (img.width !== first.width || img.height !== first.height) {
          throw new PromptsegError('corrupt_video', `${files[i]} is ${img.width}x${img.height}; the first frame is ${first.width}x${first.height}.`, 'All frames of a clip must have the same size.');
        }
        yield { image: { width: img.width, height: img.height, data: img.data }, time: i / fps };
      }
    },
  };
}

/** Where sampling stands: enough to resume exactly after the last sampled frame. */
export interface SamplerCursor {
  /** Index the next sampled frame gets. */
  index: number;
  /** Time of the last sampled frame (-1 before the first). */
  lastTime: number;
}

const EPS = 1e-6;
/** A frame this close before a target time still counts as on it (rounded container timestamps). */
const TARGET_TOLERANCE_S = 1e-3;

/**
 * Which source frames are the clip's frames. Without `fps`, every frame in [start, end); with
 * `fps`, the first frame at or after each target time start + k / fps (frames between targets
 * are skipped; a gap in a variable-rate source skips its targets rather than repeating frames).
 */
export class Sampler {
  readonly start: number;
  readonly end: number;
  private cursor: SamplerCursor;

  constructor(readonly sampling: VideoSampling, cursor?: SamplerCursor) {
    this.start = sampling.start ?? 0;
    this.end = sampling.end ?? Infinity;
    this.cursor = cursor ? { ...cursor } : { index: 0, lastTime: -1 };
  }

  get state(): SamplerCursor {
    return { ...this.cursor };
  }

  /** Where decoding should start. */
  get resumeTime(): number {
    return Math.max(this.start, this.cursor.lastTime);
  }

  /** 'take' the frame at `time`, 'skip' it, or 'stop' (nothing later is wanted). */
  offer(time: number): 'take' | 'skip' | 'stop' {
    if (this.sampling.max_frames !== undefined && this.cursor.index >= this.sampling.max_frames) return 'stop';
    if (time >= this.end - EPS) return 'stop';
    if (time < this.start - EPS || time <= this.cursor.lastTime + EPS) return 'skip';
    const fps = this.sampling.fps;
    if (fps) {
      // the next target after the last sampled frame
      const k = this.cursor.lastTime < 0 ? 0 : Math.floor((this.cursor.lastTime + TARGET_TOLERANCE_S - this.start) * fps) + 1;
      const target = this.start + k / fps;
      if (time + TARGET_TOLERANCE_S < target) return 'skip';
    }
    this.cursor = { index: this.cursor.index + 1, lastTime: time };
    return 'take';
  }

  /** How many frames sampling will take from a source of this length (for limits and progress). */
  expectedFrames(info: Pick<SourceInfo, 'fps' | 'durationS'>): number {
    const span = Math.max(0, Math.min(this.end, info.durationS) - this.start);
    const n = Math.ceil(span * (this.sampling.fps ?? info.fps) - EPS);
    return this.sampling.max_frames !== undefined ? Math.min(n, this.sampling.max_frames) : n;
  }
}

/** Refuses a clip whose processed span or sampled frames exceed the limits, before any decoding. */
export function checkLimits(path: string, info: SourceInfo, sampler: Sampler, limits: Required<VideoLimits>): number {
  const frames = sampler.expectedFrames(info);
  const rate = sampler.sampling.fps ?? info.fps;
  const span = Math.min(Math.max(0, Math.min(sampler.end, info.durationS) - sampler.start), frames / rate);
  if (span > limits.maxSeconds + EPS || frames > limits.maxFrames) {
    throw new PromptsegError('video_too_long', `${path}: ${span.toFixed(1)} s (${frames} frames) to process; the limit is ${limits.maxSeconds} s and ${limits.maxFrames} frames.`, 'Process a part of it with --start/--end (or --max-frames), sample fewer frames with --fps, or raise PROMPTSEG_VIDEO_MAX_SECONDS / PROMPTSEG_VIDEO_MAX_FRAMES.', { seconds: span, frames, limits });
  }
  return frames;
}
