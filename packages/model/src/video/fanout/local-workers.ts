/**
 * segmentVideoParallel: one clip over several local worker processes — the fan-out plan
 * (plan.ts) run on this machine: each segment is segmented by its own process (worker.ts, its own
 * model sessions, PROMPTSEG_THREADS = cores / workers so they do not fight over the cores), then
 * the documents are stitched (stitch.ts). Limits are checked here, before any process starts.
 * Processes rather than worker threads: each holds its own ONNX sessions and ~1 GB of model
 * memory, and one that crashes takes no other with it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PromptsegError, type VideoProgress, type VideoResult } from '@promptseg/shared';
import { segmentVideo, type SegmentVideoOptions, type VideoOutcome } from '../segment-video.js';
import { planClip } from './clip-plan.js';
import { DEFAULT_OVERLAP_FRAMES, segmentSampling, type VideoSegment } from './plan.js';
import { stitchSegments } from './stitch.js';
import type { WorkerRequest } from './worker.js';

export interface ParallelVideoOptions extends Omit<SegmentVideoOptions, 'onFrame' | 'resume' | 'checkpointEvery' | 'collectFrames'> {
  /** Worker processes (segments), 1–16 (default 2). */
  workers?: number;
  /** Frames each later segment decodes before its own, to match tracks (default 4). */
  overlapFrames?: number;
  /** Frames done over all segments (lead-in frames not counted). */
  onProgress?: (p: VideoProgress) => void;
}

export const MAX_LOCAL_WORKERS = 16;

/** The tsx loader, so a forked process runs this TypeScript as the parent does. */
function tsxLoader(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist/loader.mjs')).href;
}

/** Resolved when a clip is fanned out, not at import (bundles for Lambda import this module too). */
const workerPath = () => join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');

function runSegment(source: string, prompt: string, options: SegmentVideoOptions, threads: number, onFrames: (n: number) => void, children: Set<ChildProcess>): Promise<VideoResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath(), [], { execArgv: ['--import', tsxLoader()], env: { ...process.env, PROMPTSEG_THREADS: String(threads) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    children.add(child);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      children.delete(child);
      fn();
    };
    child.on('message', (m: { type: string; frames_done?: number; result?: VideoResult; error?: { code: string; message: string; hint: string; details?: Record<string, unknown> } }) => {
      if (m.type === 'progress') onFrames(m.frames_done ?? 0);
      else if (m.type === 'done') finish(() => resolve(m.result as VideoResult));
      else if (m.type === 'error' && m.error) finish(() => reject(new PromptsegError(m.error!.code as PromptsegError['code'], m.error!.message, m.error!.hint, m.error!.details)));
    });
    child.on('error', (e) => finish(() => reject(new PromptsegError('internal', `A video worker process could not start: ${e.message}.`, 'Run with workers: 1, and report this.'))));
    child.on('exit', (code, signal) => finish(() => reject(new PromptsegError('internal', `A video worker process ended (${signal ?? `exit ${code}`}) before its segment was done.`, 'Rerun; if it repeats (out of memory?), use fewer workers.'))));
    const req: WorkerRequest = { source, prompt, options };
    child.send(req);
  });
}

export async function segmentVideoParallel(source: string, prompt: string, options: ParallelVideoOptions = {}): Promise<VideoOutcome> {
  const { workers = 2, overlapFrames = DEFAULT_OVERLAP_FRAMES, onProgress, signal, ...rest } = options;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_LOCAL_WORKERS) {
    throw new PromptsegError('invalid_option', `workers must be a whole number from 1 to ${MAX_LOCAL_WORKERS} (got ${workers}).`, 'Use about one worker per 1–2 CPU cores.');
  }
  if (!Number.isInteger(overlapFrames) || overlapFrames < 1 || overlapFrames > 100) {
    throw new PromptsegError('invalid_option', `overlapFrames must be a whole number from 1 to 100 (got ${overlapFrames}).`, 'The default (4) is enough to match tracks across segment boundaries.');
  }
  const start0 = performance.now();
  // Refuse what cannot run before any process starts (the same checks segmentVideo makes).
  const sampling = { fps: rest.fps, start: rest.start, end: rest.end, max_frames: rest.max_frames };
  const { frames: total, rate, segments: plan } = await planClip(source, sampling, { segments: workers, overlap: overlapFrames, limits: rest.limits, frameRate: rest.frameRate, path: rest.path, signal });
  if (plan.length === 1) {
    return segmentVideo(source, prompt, { ...rest, signal, onFrame: onProgress ? (o) => onProgress(o.progress) : undefined });
  }
  const threads = Math.max(1, Math.floor(availableParallelism() / plan.length));
  // each segment gets its own sampling (segmentSampling); the image options are the same for all
  const { start: _s, end: _e, max_frames: _m, fps: _f, ...image } = rest;
  const children = new Set<ChildProcess>();
  const owned = plan.map(() => 0);
  const kill = () => {
    for (const c of children) c.kill('SIGKILL');
  };
  signal?.addEventListener('abort', kill, { once: true });
  try {
    const results = await Promise.all(
      plan.map((seg: VideoSegment) => {
        const segOptions: SegmentVideoOptions = { ...image, ...segmentSampling(seg, seg.index === plan.length - 1, rest) };
        return runSegment(source, prompt, segOptions, threads, (n) => {
          owned[seg.index] = Math.max(0, n - seg.leadIn);
          onProgress?.({ frames_done: owned.reduce((a, b) => a + b, 0), frames_total: total });
        }, children);
      }),
    );
    if (signal?.aborted) throw signal.reason ?? new PromptsegError('job_cancelled', 'The video run was cancelled.', 'Start it again.');
    const result = stitchSegments(plan.map((segment, i) => ({ segment, result: results[i] })), rate);
    result.video = { ...result.video, ...(rest.path !== undefined ? { path: rest.path } : {}) };
    result.timings_ms = { ...result.timings_ms, total: Math.round((performance.now() - start0) * 10) / 10 };
    return { result };
  } catch (e) {
    kill();
    if (signal?.aborted) throw signal.reason ?? e;
    throw e;
  } finally {
    signal?.removeEventListener('abort', kill);
  }
}
