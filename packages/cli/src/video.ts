/**
 * `promptseg segment clip.mp4 -p "..."`: one clip, streamed through segmentVideo, its outputs
 * written so that a rerun after any interruption (kill -9 included) resumes.
 *
 * Frames are processed in chunks of `chunk` frames. Each chunk gets a folder under
 * `<out>/.promptseg-video/<stem>/chunk-NNNNNN/` holding its frames' part of the document
 * (frames.json) and its parts of the overlay / cut-out videos; `done.json`, written last and
 * atomically, marks the chunk finished and carries segmentVideo's checkpoint (tracker state +
 * where sampling stands). A rerun keeps every finished chunk, drops the unfinished one and
 * continues from the last checkpoint, so only the frames after it are decoded and segmented
 * again. When the clip is done the parts are joined (video parts without re-encoding) and the
 * outputs written atomically beside the image outputs; then the work folder is removed and a
 * record in `.promptseg-done/` lets a rerun skip the clip.
 */
import { mkdir, readFile, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import cliProgress from 'cli-progress';
import {
  PromptsegError,
  VIDEO_OUTPUT_FORMATS,
  videoOutputName,
  type SegmentOptionsInput,
  type VideoFrame,
  type VideoOutputFormat,
  type VideoResult,
  type VideoSampling,
} from '@promptseg/shared';
import type { Encoder, VideoCheckpoint, VideoFrameOutput } from '@promptseg/model';
import type { CliContext } from './context.js';
import type { InputImage } from './inputs.js';
import { DONE_DIR, writeFileAtomic } from './outputs.js';

/** Extensions taken as clips (an animated GIF is one too; a folder of frames with --video). */
export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'webm', 'mkv', 'avi'];
export const DEFAULT_VIDEO_FORMATS: VideoOutputFormat[] = ['json', 'overlay'];
/** Frames per resumable chunk: what a kill can cost (~1 s a frame with lite on 2 cores). */
export const DEFAULT_CHUNK_FRAMES = 50;
export const VIDEO_WORK_DIR = '.promptseg-video';

export const hasVideoExtension = (file: string): boolean => VIDEO_EXTENSIONS.includes(extname(file).slice(1).toLowerCase());

export interface VideoSettings {
  prompt: string;
  options: SegmentOptionsInput;
  sampling: VideoSampling;
  formats: VideoOutputFormat[];
  outDir: string;
  outDisplay: string;
  overwrite: boolean;
  json: boolean;
  chunk: number;
  /** Frame rate of a folder of numbered frames. */
  frameRate?: number;
}

/** `--format` for a clip: the same list / "all" / "none" logic as for images, over the video formats. */
export function parseVideoFormats(value: string | undefined): VideoOutputFormat[] {
  if (value === undefined) return [...DEFAULT_VIDEO_FORMATS];
  const parts = value.split(/[\s,]+/).map((p) => p.trim().toLowerCase().replace('-', '_')).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'none') return [];
  if (parts.length === 1 && parts[0] === 'all') return [...VIDEO_OUTPUT_FORMATS];
  const unknown = parts.filter((p) => !(VIDEO_OUTPUT_FORMATS as readonly string[]).includes(p));
  if (unknown.length || parts.length === 0) {
    throw new PromptsegError('invalid_option', `--format: unknown format for a video ${unknown.map((u) => `"${u}"`).join(', ') || '(empty)'}.`, `For a clip use a comma-separated list of ${VIDEO_OUTPUT_FORMATS.join(', ')} (or "all" / "none"), e.g. --format json,overlay,mot.`);
  }
  return VIDEO_OUTPUT_FORMATS.filter((f) => parts.includes(f));
}

interface ChunkDone {
  /** Absent for the clip's last chunk (nothing to continue). */
  checkpoint?: VideoCheckpoint;
  frames: number;
}

interface VideoDoneRecord {
  version: 1;
  key: string;
  files: string[];
  finished_at: string;
}

const chunkName = (k: number) => `chunk-${String(k).padStart(6, '0')}`;

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

async function readJson<T>(p: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(p, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** What makes a rerun "the same run": the file as it is now, and everything that shapes the outputs. */
async function runKey(input: InputImage, s: VideoSettings): Promise<string> {
  const st = await stat(input.file);
  return JSON.stringify({ v: 1, file: input.file, size: st.size, mtime: Math.round(st.mtimeMs), prompt: s.prompt, options: s.options, sampling: s.sampling, formats: s.formats, chunk: s.chunk, frameRate: s.frameRate ?? null });
}

/** Frames progress on stderr: a live bar on a terminal, a line per chunk otherwise. */
function frameProgress(ctx: CliContext, label: string) {
  const tty = ctx.stderr === process.stderr && process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done: number, total: number, chunkEnd: boolean) {
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} {bar} {value}/{total} frames | {duration_formatted} (eta {eta_formatted})`, hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(total, done);
        }
        bar.setTotal(total);
        bar.update(done);
      } else if (chunkEnd) {
        ctx.stderr.write(`${label}: ${done}/${total} frames\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** The parts of one chunk being written: its frames and its video parts. */
class ChunkParts {
  readonly frames: VideoFrame[] = [];
  private overlay?: Encoder;
  private cutout?: Encoder;

  constructor(readonly dir: string, private readonly formats: VideoOutputFormat[], private readonly fps: number, private readonly model: typeof import('@promptseg/model')) {}

  async add(out: VideoFrameOutput): Promise<void> {
    const m = this.model;
    if (this.formats.includes('overlay')) {
      this.overlay ??= m.startEncoder(join(this.dir, 'overlay.mp4'), this.fps, 'mp4');
      await this.overlay.write(await m.overlayFramePng(out));
    }
    if (this.formats.includes('cutout')) {
      this.cutout ??= m.startEncoder(join(this.dir, 'cutout.webm'), this.fps, 'webm-alpha');
      await this.cutout.write(await m.cutoutFramePng(out));
    }
    this.frames.push(out.frame);
  }

  /** Closes the parts, then marks the chunk finished (done.json last, atomically). */
  async finish(checkpoint: VideoCheckpoint | undefined): Promise<void> {
    await this.overlay?.close();
    await this.cutout?.close();
    await writeFileAtomic(join(this.dir, 'frames.json'), JSON.stringify(this.frames));
    const done: ChunkDone = { frames: this.frames.length, ...(checkpoint ? { checkpoint } : {}) };
    await writeFileAtomic(join(this.dir, 'done.json'), JSON.stringify(done));
  }

  kill(): void {
    this.overlay?.kill();
    this.cutout?.kill();
  }
}

/** Finished chunks, in order, from the first; the first unfinished one and any later are removed. */
async function keptChunks(work: string): Promise<{ k: number; done: ChunkDone }[]> {
  const kept: { k: number; done: ChunkDone }[] = [];
  for (let k = 0; ; k++) {
    const done = await readJson<ChunkDone>(join(work, chunkName(k), 'done.json'));
    if (!done) break;
    kept.push({ k, done });
    if (!done.checkpoint) break; // the clip's last chunk
  }
  for (let k = kept.length; await exists(join(work, chunkName(k))); k++) await rm(join(work, chunkName(k)), { recursive: true, force: true });
  return kept;
}

export interface VideoRunOutcome {
  status: 'ok' | 'skipped';
  files: string[];
  result?: VideoResult;
}

/** Segments one clip and writes its outputs; resumes a run of the same command that was cut off. */
export async function runVideo(ctx: CliContext, input: InputImage, s: VideoSettings): Promise<VideoRunOutcome> {
  const model = await import('@promptseg/model');
  const base = input.stem;
  const work = join(s.outDir, VIDEO_WORK_DIR, base);
  const recordPath = join(s.outDir, DONE_DIR, `${base}.video.json`);
  const key = await runKey(input, s);

  const record = await readJson<VideoDoneRecord>(recordPath);
  if (record && record.key === key && !s.overwrite && s.formats.length) {
    let all = true;
    for (const f of record.files) if (!(await exists(join(s.outDir, f)))) all = false;
    if (all) {
      ctx.stderr.write(`${input.display}: finished earlier (${record.files.length} outputs in ${s.outDisplay}); skipped — --overwrite redoes it\n`);
      if (s.json && s.formats.includes('json')) ctx.stdout.write(await readFile(join(s.outDir, videoOutputName('json', base)), 'utf8'));
      return { status: 'skipped', files: record.files };
    }
  }
  const previousKey = await readFile(join(work, 'run.key'), 'utf8').catch(() => undefined);
  if (s.overwrite || previousKey !== key) await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  if (previousKey !== key || s.overwrite) await writeFileAtomic(join(work, 'run.key'), key);

  const kept = await keptChunks(work);
  const last = kept.at(-1);
  const finishedBefore = last !== undefined && !last.done.checkpoint;
  let result = finishedBefore ? await readJson<VideoResult>(join(work, 'result.json')) : undefined;

  if (!result) {
    const resume = last?.done.checkpoint;
    if (resume) ctx.stderr.write(`${input.display}: resuming after frame ${resume.cursor.index} (${kept.length} finished chunk${kept.length === 1 ? '' : 's'} kept in ${s.outDisplay}${VIDEO_WORK_DIR}/)\n`);
    // the rate the overlay / cut-out are encoded at: the sampling rate, else the source's
    const fps = s.sampling.fps ?? ((await stat(input.file)).isDirectory() ? (s.frameRate ?? model.DEFAULT_FOLDER_FPS) : ((await model.probeVideo(input.file)).fps ?? model.DEFAULT_FOLDER_FPS));
    let k = kept.length;
    const open = async () => {
      const dir = join(work, chunkName(k));
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      return new ChunkParts(dir, s.formats, fps, model);
    };
    let parts = await open();
    const progress = frameProgress(ctx, input.display);
    const masksDir = join(s.outDir, videoOutputName('mask', base));
    try {
      const out = await model.segmentVideo(input.file, s.prompt, {
        ...s.options,
        ...s.sampling,
        ...(s.frameRate !== undefined ? { frameRate: s.frameRate } : {}),
        path: input.display,
        limits: model.defaultLimits(ctx.env),
        collectFrames: false,
        checkpointEvery: s.chunk,
        ...(resume ? { resume } : {}),
        onFrame: async (o) => {
          await parts.add(o);
          if (s.formats.includes('mask')) {
            for (let i = 0; i < o.frame.instances.length; i++) {
              const folder = join(masksDir, model.trackFolderName(o.frame.instances[i].track_id, o.labels[i]));
              await writeFileAtomic(join(folder, model.trackFrameName(o.frame.index)), await model.trackMaskPng(o.masks[i]));
            }
          }
          if (o.checkpoint) {
            await parts.finish(o.checkpoint);
            k++;
            parts = await open();
          }
          progress.update(o.progress.frames_done, o.progress.frames_total, o.checkpoint !== undefined);
        },
      });
      result = out.result;
    } catch (e) {
      parts.kill();
      throw e;
    } finally {
      progress.stop();
    }
    await parts.finish(undefined);
    // the document without its frames (they are in the chunks), for a rerun that finds every chunk done
    await writeFileAtomic(join(work, 'result.json'), JSON.stringify(result));
  }

  // Join the chunks.
  const chunks = await keptChunks(work);
  const frames: VideoFrame[] = [];
  for (const c of chunks) frames.push(...((await readJson<VideoFrame[]>(join(work, chunkName(c.k), 'frames.json'))) ?? []));
  if (frames.length !== result.video.frames || frames.some((f, i) => f.index !== i)) {
    throw new PromptsegError('internal', `The finished parts of ${input.display} hold ${frames.length} frames, not ${result.video.frames}.`, `Remove ${s.outDisplay}${VIDEO_WORK_DIR}/ and rerun.`);
  }
  const doc: VideoResult = { ...result, frames };
  const files: string[] = [];
  const put = async (format: VideoOutputFormat, bytes: string) => {
    const name = videoOutputName(format, base);
    await writeFileAtomic(join(s.outDir, name), bytes);
    files.push(name);
  };
  if (s.formats.includes('json')) await put('json', JSON.stringify(doc, null, 2) + '\n');
  if (s.formats.includes('youtube_vis')) await put('youtube_vis', JSON.stringify(model.youtubeVisResults(doc)) + '\n');
  if (s.formats.includes('mot')) await put('mot', model.motChallengeText(frames));
  for (const [format, part] of [['overlay', 'overlay.mp4'], ['cutout', 'cutout.webm']] as const) {
    if (!s.formats.includes(format) || !frames.length) continue;
    const name = videoOutputName(format, base);
    const target = join(s.outDir, name);
    const tmp = join(dirname(target), `.${name}.${process.pid}.tmp${extname(name)}`);
    await mkdir(dirname(target), { recursive: true });
    await model.concatVideos(chunks.filter((c) => c.done.frames > 0).map((c) => join(work, chunkName(c.k), part)), join(work, `${format}.concat.txt`), tmp, (p, text) => writeFileAtomic(p, text));
    await rename(tmp, target).catch(async (e) => {
      await unlink(tmp).catch(() => undefined);
      throw e;
    });
    files.push(name);
  }
  if (s.formats.includes('mask')) {
    // Each track's sequence is continuous from its first frame to its last: an empty mask
    // where it is hidden or lost, so an editor imports it as one image sequence.
    const empty = await model.trackMaskPng({ width: doc.video.width, height: doc.video.height, data: new Uint8Array(doc.video.width * doc.video.height) });
    for (const t of doc.tracks) {
      const folder = join(videoOutputName('mask', base), model.trackFolderName(t.track_id, t.label));
      for (let f = t.first_frame; f <= t.last_frame; f++) {
        const name = join(folder, model.trackFrameName(f));
        if (!(await exists(join(s.outDir, name)))) await writeFileAtomic(join(s.outDir, name), empty);
      }
      files.push(folder);
    }
  }
  await writeFileAtomic(recordPath, JSON.stringify({ version: 1, key, files, finished_at: new Date().toISOString() } satisfies VideoDoneRecord));
  await rm(work, { recursive: true, force: true });
  await rmdir(dirname(work)).catch(() => undefined); // only if no other clip's work is left in it
  const ids = doc.tracks.map((t) => `#${t.track_id} ${t.label} ${t.first_frame}-${t.last_frame}`);
  ctx.stderr.write(`${input.display}: ${doc.video.frames} frames, ${doc.tracks.length} track${doc.tracks.length === 1 ? '' : 's'}${ids.length ? ` (${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''})` : ''} -> ${s.outDisplay}${base}.*\n`);
  if (s.json) ctx.stdout.write(JSON.stringify(doc) + '\n');
  return { status: 'ok', files, result: doc };
}

/**
 * The clips among the command line's inputs: files with a video extension, animated GIFs
 * (more than one frame) and, with --video, folders of numbered frames. Undefined when there
 * are none (an image batch); an error when clips and images are mixed.
 */
export async function videoInputs(args: string[], cwd: string, folderIsClip: boolean): Promise<InputImage[] | undefined> {
  const { resolve, basename } = await import('node:path');
  const { displayPath } = await import('./inputs.js');
  const clips: InputImage[] = [];
  const others: string[] = [];
  for (const arg of args) {
    const file = resolve(cwd, arg);
    const st = await stat(file).catch(() => undefined);
    let clip = false;
    if (st?.isDirectory()) clip = folderIsClip;
    else if (st && hasVideoExtension(file)) clip = true;
    else if (st && extname(file).toLowerCase() === '.gif') {
      const { probeVideo } = await import('@promptseg/model');
      const p = await probeVideo(file).catch(() => undefined);
      clip = (p?.packetsRead ?? p?.framesDeclared ?? 1) > 1;
    } else if (!st && hasVideoExtension(file)) {
      throw new PromptsegError('file_not_found', `${arg}: no such file.`, 'Check the path of the clip (relative paths start from the current folder).');
    }
    if (clip) clips.push({ file, display: displayPath(file, cwd), stem: basename(file, extname(file)) || basename(file) });
    else others.push(arg);
  }
  if (!clips.length) return undefined;
  if (others.length) {
    throw new PromptsegError('invalid_option', `${clips[0].display} is a video but ${others[0]} is not: one command segments either images or clips.`, 'Run the clips and the images as two commands.');
  }
  const stems = new Set<string>();
  for (const c of clips) {
    let stem = c.stem;
    for (let n = 2; stems.has(stem.toLowerCase()); n++) stem = `${c.stem}-${n}`;
    stems.add(stem.toLowerCase());
    c.stem = stem;
  }
  return clips;
}
