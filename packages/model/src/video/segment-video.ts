/**
 * segmentVideo(source, prompt, options): the video entry point of promptseg. Frames are decoded,
 * embedded, tracked and handed to the caller one at a time (options.onFrame), so memory does
 * not grow with the clip's length; the result document (VideoResult) collects the frames
 * unless `collectFrames: false` (then only the tracks and the counts: long clips, streaming
 * callers). A run can be resumed from a checkpoint the previous run handed out with a frame.
 *
 *   segmentVideo(source: string, prompt: string, options?: SegmentVideoOptions): Promise<VideoOutcome>
 */
import {
  decodeRle,
  encodeRle,
  maskArea,
  maskBox,
  parsePrompt,
  PromptsegError,
  roundScore,
  type BoxXYWH,
  type EngineId,
  type Mask,
  type SegmentOptionsInput,
  type VideoFrame,
  type VideoProgress,
  type VideoResult,
  type VideoSampling,
  type VideoTrack,
} from '@promptseg/shared';
import type { Engine } from '../engines/engine.js';
import { resolveEngine } from '../engines/registry.js';
import type { RgbImage } from '../io/image.js';
import { findInstances, planPrompt, validateOptions } from '../pipeline/segment.js';
import { checkLimits, defaultLimits, openSource, Sampler, type SamplerCursor, type VideoLimits } from './source.js';
import { DEFAULT_TRACKER, Tracker, type Detection, type Track, type TrackerParams } from './tracker.js';

export interface VideoFrameOutput {
  /** The frame as it goes into the document. */
  frame: VideoFrame;
  /** The frame's pixels (upright RGB), e.g. for an overlay video. */
  image: RgbImage;
  /** Full-resolution masks aligned with frame.instances. */
  masks: Mask[];
  /** Labels of the frame's instances' tracks, aligned with frame.instances. */
  labels: string[];
  keyframe: boolean;
  progress: VideoProgress;
  /** Present every `checkpointEvery` frames: pass it as `resume` to continue after this frame. */
  checkpoint?: VideoCheckpoint;
}

export interface SegmentVideoOptions extends VideoSampling, SegmentOptionsInput {
  /** Called for each sampled frame, in order, and awaited (back-pressure for writers). */
  onFrame?: (out: VideoFrameOutput) => void | Promise<void>;
  signal?: AbortSignal;
  /** Keep every frame in the returned document (default true). */
  collectFrames?: boolean;
  /** Frame rate of a folder of numbered frames (default 25). */
  frameRate?: number;
  /** Limits checked before any work (defaults: PROMPTSEG_VIDEO_MAX_SECONDS / _FRAMES, else 600 s, 18000 frames). */
  limits?: VideoLimits;
  /** Tracking parameters (birth, death, re-identification, keyframe interval). */
  tracker?: Partial<TrackerParams>;
  /** Hand out a checkpoint with every this-many-th frame (0 = never, the default). */
  checkpointEvery?: number;
  /** Continue a run from a checkpoint (same source, prompt and options). */
  resume?: VideoCheckpoint;
  /** Reported as video.path. */
  path?: string;
}

export interface VideoOutcome {
  result: VideoResult;
}

/** Everything needed to continue a run after a frame: JSON-serialisable. */
export interface VideoCheckpoint {
  version: 1;
  cursor: SamplerCursor;
  nextId: number;
  sinceKey: number;
  tracks: SavedTrack[];
  summaries: VideoTrack[];
  scoreSums: Record<number, [number, number]>;
  timings: Record<string, number>;
}

interface SavedTrack extends Omit<Track, 'mask' | 'state'> {
  rle: ReturnType<typeof encodeRle>;
  state?: { f32: string } | { json: unknown };
}

function saveState(s: unknown): SavedTrack['state'] {
  if (s === undefined) return undefined;
  if (s instanceof Float32Array) return { f32: Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('base64') };
  return { json: s };
}

function loadState(s: SavedTrack['state']): unknown {
  if (!s) return undefined;
  if ('f32' in s) {
    const b = Buffer.from(s.f32, 'base64');
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  return s.json;
}

const ms = (v: number) => Math.round(v * 10) / 10;

/** Detections of the image pipeline as the tracker wants them. */
async function detectFrame(engine: Engine, image: RgbImage, embedding: Parameters<typeof findInstances>[2], plan: ReturnType<typeof planPrompt>, opts: ReturnType<typeof validateOptions>, timings: Record<string, number>): Promise<Detection[]> {
  const found = await findInstances(engine, image, embedding, plan, opts, timings);
  return found.map((f) => ({ label: f.label, concept: f.concept, conceptIndex: f.conceptIndex, score: f.score, mask: f.mask }));
}

export async function segmentVideo(source: string, prompt: string, options: SegmentVideoOptions = {}): Promise<VideoOutcome> {
  const t0 = performance.now();
  const { fps, start, end, max_frames, onFrame, signal, collectFrames = true, frameRate, limits, tracker: trackerParams, checkpointEvery = 0, resume, path, ...imageOptions } = options;
  for (const [name, v, min] of [['fps', fps, 0], ['start', start, -1e-9], ['end', end, 0], ['max_frames', max_frames, 0]] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v <= min)) throw new PromptsegError('invalid_option', `${name} must be a ${name === 'start' ? 'non-negative' : 'positive'} number (got ${v}).`, 'See README, "Video" for the sampling options.');
  }
  if (start !== undefined && end !== undefined && end <= start) throw new PromptsegError('invalid_option', `end (${end}) must be after start (${start}).`, 'Give a time range with end > start, in seconds.');
  const opts = validateOptions(imageOptions);
  if (typeof prompt !== 'string' || !prompt.trim()) throw new PromptsegError('invalid_prompt', 'The prompt is empty.', 'Say what to cut out, e.g. "person, dog".');
  const parsed = parsePrompt(prompt);
  const sampling: VideoSampling = { ...(fps !== undefined ? { fps } : {}), ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}), ...(max_frames !== undefined ? { max_frames } : {}) };

  // Everything that can refuse the clip runs before any decoding or model work.
  const src = await openSource(source, { frameRate, signal });
  const sampler = new Sampler(sampling, resume?.cursor);
  const total = checkLimits(path ?? source, src.info, sampler, { ...defaultLimits(), ...limits });
  const { engine, reason } = await resolveEngine(opts.engine);
  const plan = planPrompt(engine, parsed, opts);
  const params: TrackerParams = { ...DEFAULT_TRACKER, ...trackerParams };
  // Engines that cannot propagate a mask detect on every frame.
  if (!engine.propagate) params.keyframeInterval = 1;
  const { width: W, height: H } = src.info;
  const tracker = new Tracker(params, W, H);
  const summaries = new Map<number, VideoTrack>();
  const scoreSums = new Map<number, [number, number]>();
  const timings: Record<string, number> = { decode_video: 0, encode: 0, detect: 0, decode_masks: 0, postprocess: 0, track: 0, model_sessions: 0 };
  if (resume) {
    if (resume.version !== 1) throw new PromptsegError('invalid_option', 'The resume checkpoint is from another version of promptseg.', 'Start the clip again without resuming.');
    tracker.nextId = resume.nextId;
    tracker.sinceKey = resume.sinceKey ?? Infinity;
    tracker.tracks = resume.tracks.map(({ rle, state, ...t }) => ({ ...t, lost: t.lost ?? Infinity, mask: { width: W, height: H, data: decodeRle(rle).data }, state: loadState(state) }));
    for (const s of resume.summaries) summaries.set(s.track_id, { ...s });
    for (const [k, v] of Object.entries(resume.scoreSums)) scoreSums.set(Number(k), [v[0], v[1]]);
    for (const [k, v] of Object.entries(resume.timings)) timings[k] = v;
  }
  const frames: VideoFrame[] = [];
  let done = resume?.cursor.index ?? 0;
  const runnable = plan.runnable;

  const checkpoint = (): VideoCheckpoint => ({
    version: 1,
    cursor: sampler.state,
    nextId: tracker.nextId,
    sinceKey: Number.isFinite(tracker.sinceKey) ? tracker.sinceKey : 1e9,
    tracks: tracker.tracks.map(({ mask, state, ...t }) => ({ ...t, lost: Number.isFinite(t.lost) ? t.lost : 1e9, rle: encodeRle(mask), state: saveState(state) })),
    summaries: [...summaries.values()],
    scoreSums: Object.fromEntries(scoreSums),
    timings: { ...timings },
  });

  let tDecode = performance.now();
  for await (const f of src.frames(sampler.resumeTime, signal)) {
    const verdict = sampler.offer(f.time);
    if (verdict === 'stop') break;
    if (verdict === 'skip') continue;
    timings.decode_video += performance.now() - tDecode;
    if (signal?.aborted) throw signal.reason ?? new PromptsegError('job_cancelled', 'The video run was cancelled.', 'Start it again to resume.');
    const index = sampler.state.index - 1;
    const image = f.image;
    let seen: Awaited<ReturnType<Tracker['step']>>['seen'] = [];
    let keyframe = false;
    if (runnable) {
      // The encoder alone; the detector runs only if the tracker asks (a keyframe).
      const emb = await engine.encodeImage(image, { concepts: [] });
      timings.encode += emb.timings?.encode ?? 0;
      timings.model_sessions += emb.timings?.model_sessions ?? 0;
      const tt = performance.now();
      const before = { ...timings };
      const step = await tracker.step({
        propagate: async (tracks) => {
          if (!engine.propagate) return tracks.map(() => ({ mask: { width: W, height: H, data: new Uint8Array(W * H) }, quality: 0, state: undefined }));
          const r = await engine.propagate({ image, embedding: emb, tracks: tracks.map((t) => ({ box: t.box, motion: t.motion, ...(t.state !== undefined ? { state: t.state } : {}) })), refine: opts.refine });
          for (const [k, v] of Object.entries(r.timings)) timings[k] = (timings[k] ?? 0) + v;
          return r.masks;
        },
        detect: () => detectFrame(engine, image, emb, plan, opts, timings),
      });
      const inner = Object.keys(timings).filter((k) => k !== 'model_sessions').reduce((a, k) => a + (timings[k] - (before[k] ?? 0)), 0);
      timings.track += performance.now() - tt - inner;
      seen = step.seen;
      keyframe = step.keyframe;
    }
    const instances = seen.map((o) => {
      const box: BoxXYWH = maskBox(o.mask);
      return { track_id: o.track.id, score: roundScore(o.score), box, area: maskArea(o.mask), rle: encodeRle(o.mask) };
    });
    for (const o of seen) {
      const id = o.track.id;
      const s = summaries.get(id) ?? { track_id: id, label: o.track.label, concept: o.track.concept, score: 0, first_frame: index, last_frame: index };
      const sum = scoreSums.get(id) ?? [0, 0];
      sum[0] += o.score;
      sum[1]++;
      scoreSums.set(id, sum);
      s.last_frame = index;
      s.score = roundScore(sum[0] / sum[1]);
      summaries.set(id, s);
    }
    const frame: VideoFrame = { index, time_s: Math.round(f.time * 1e6) / 1e6, instances };
    if (collectFrames) frames.push(frame);
    done = index + 1;
    if (onFrame) {
      const cp = checkpointEvery > 0 && done % checkpointEvery === 0 ? checkpoint() : undefined;
      await onFrame({ frame, image, masks: seen.map((o) => o.mask), labels: seen.map((o) => o.track.label), keyframe, progress: { frames_done: done, frames_total: Math.max(total, done) }, ...(cp ? { checkpoint: cp } : {}) });
    }
    tDecode = performance.now();
  }
  timings.total = (resume?.timings.total ?? 0) + performance.now() - t0;

  const timings_ms: Record<string, number> = {};
  for (const [k, v] of Object.entries(timings)) timings_ms[k] = ms(v);
  const rate = fps ?? src.info.fps;
  const result: VideoResult = {
    video: {
      width: W,
      height: H,
      fps: Math.round(rate * 1000) / 1000,
      frames: done,
      duration_s: Math.round((done / rate) * 1000) / 1000,
      source_fps: Math.round(src.info.fps * 1000) / 1000,
      ...(src.info.rotation ? { rotation: src.info.rotation } : {}),
      codec: src.info.codec,
      ...(path !== undefined ? { path } : {}),
    },
    prompt,
    engine: engine.id as EngineId,
    engine_reason: reason,
    concepts: plan.statuses,
    tracks: [...summaries.values()].sort((a, b) => a.track_id - b.track_id),
    frames,
    timings_ms,
  };
  return { result };
}
