/**
 * The one module that runs ffmpeg and ffprobe. Both binaries come from registry packages
 * (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe: static GPL-3.0 builds), so `npm ci` is
 * all a user needs. Everything else in promptseg talks to video through the functions here:
 *
 * - probeVideo(): one ffprobe call (container + stream facts, rotation, a demux-only packet
 *   count that tells a truncated file before any decoding);
 * - decodeFrames(): an async iterator over RGB frames from ffmpeg's rawvideo pipe, one frame in
 *   memory at a time, each with its presentation timestamp (showinfo), so variable frame rates
 *   are honest;
 * - startEncoder(): a child ffmpeg that takes PNG frames on stdin and writes a video file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptsegError } from '@promptseg/shared';

const require = createRequire(import.meta.url);

/**
 * The binary's path, executable by this process. npm 11 does not run the installers' postinstall
 * (`chmod u+x`) unless approved, and the tarball's mode may be owner-only (ffprobe: rwxr--r--),
 * which a non-root user (a Lambda sandbox) cannot run: then a copy in the temp folder is used.
 */
function executable(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe', name: string): string {
  let path: string;
  try {
    path = (require(pkg) as { path: string }).path;
  } catch {
    throw new PromptsegError('model_missing', `The package ${pkg} (the ${name} binary for video) is not installed for this platform.`, 'Run `npm ci` in the promptseg folder (it ships ffmpeg for linux-x64, macOS and Windows).');
  }
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    const dir = join(tmpdir(), 'promptseg-bin');
    const copy = join(dir, name);
    if (!existsSync(copy)) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(path, copy);
      chmodSync(copy, 0o755);
    }
    return copy;
  }
}

let ffmpegPath: string | undefined, ffprobePath: string | undefined;
export const ffmpegBinary = () => (ffmpegPath ??= executable('@ffmpeg-installer/ffmpeg', 'ffmpeg'));
export const ffprobeBinary = () => (ffprobePath ??= executable('@ffprobe-installer/ffprobe', 'ffprobe'));

export interface ProbeInfo {
  /** Upright size (after rotation). */
  width: number;
  height: number;
  /** Clockwise degrees the stored frames are turned to be upright (0, 90, 180, 270). */
  rotation: number;
  codec: string;
  container: string;
  /** Average frame rate of the stream (frames / duration), when known. */
  fps?: number;
  durationS?: number;
  /** The stream's first timestamp; frame times are reported relative to it. */
  startS: number;
  /** Frames the container says it holds (MP4/MOV), and packets the demuxer could actually read. */
  framesDeclared?: number;
  packetsRead?: number;
}

const rate = (r: string | undefined): number | undefined => {
  if (!r) return undefined;
  const [n, d] = r.split('/').map(Number);
  const v = d ? n / d : n;
  return Number.isFinite(v) && v > 0 ? v : undefined;
};
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : undefined;
};

export function corruptVideo(path: string, detail: string): PromptsegError {
  return new PromptsegError('corrupt_video', `${path} is not a readable video (${detail}).`, 'Check that the file is complete (a cut-off download or upload cannot be read) and is MP4 (H.264), WebM, MOV or an animated GIF; re-export it if needed.');
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runTool(bin: string, args: string[], signal?: AbortSignal): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Last meaningful line of ffmpeg's stderr, for error messages. */
function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? 'no output').slice(0, 300);
}

/**
 * Container and stream facts. `-count_packets` demuxes the whole file without decoding (fast:
 * tens of ms for minutes of video) so a truncated MP4 whose index promises more frames than
 * its data holds is refused before any work.
 */
export async function probeVideo(path: string, signal?: AbortSignal): Promise<ProbeInfo> {
  const r = await runTool(ffprobeBinary(), ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_streams', '-show_format', '-of', 'json', path], signal);
  let doc: { streams?: Record<string, unknown>[]; format?: Record<string, unknown> };
  try {
    doc = JSON.parse(r.stdout || '{}');
  } catch {
    doc = {};
  }
  const s = doc.streams?.[0];
  if (r.code !== 0 || !s) throw corruptVideo(path, r.code !== 0 ? lastLine(r.stderr) : 'no video stream');
  const w = num(s.width), h = num(s.height);
  if (!w || !h) throw corruptVideo(path, 'the video stream has no frame size');
  // Rotation: the older "rotate" tag is clockwise; the display matrix of newer muxers is
  // counter-clockwise (ffprobe prints -90 for a clip shot in portrait).
  const tags = (s.tags ?? {}) as Record<string, string>;
  const side = ((s.side_data_list ?? []) as Record<string, unknown>[]).find((d) => d.rotation !== undefined);
  const cw = tags.rotate !== undefined ? Number(tags.rotate) : side ? -Number(side.rotation) : 0;
  const rotation = (((Math.round(cw / 90) * 90) % 360) + 360) % 360;
  const turned = rotation === 90 || rotation === 270;
  const duration = num(s.duration) ?? num(doc.format?.duration);
  const framesDeclared = num(s.nb_frames);
  const fps = rate(s.avg_frame_rate as string) ?? (framesDeclared && duration ? framesDeclared / duration : undefined) ?? rate(s.r_frame_rate as string);
  return {
    width: turned ? h : w,
    height: turned ? w : h,
    rotation,
    codec: String(s.codec_name ?? 'unknown'),
    container: String(doc.format?.format_name ?? 'unknown'),
    ...(fps ? { fps } : {}),
    ...(duration !== undefined ? { durationS: duration } : {}),
    startS: num(s.start_time) ?? num(doc.format?.start_time) ?? 0,
    ...(framesDeclared ? { framesDeclared } : {}),
    ...(num(s.nb_read_packets) !== undefined ? { packetsRead: num(s.nb_read_packets) } : {}),
  };
}

export interface RawFrame {
  /** width * height * 3, RGB. A fresh buffer per frame (callers may keep it). */
  data: Uint8Array;
  width: number;
  height: number;
  /** Presentation time in seconds, in the source's own timeline (not shifted). */
  pts: number;
}

export interface DecodeRequest {
  path: string;
  probe: ProbeInfo;
  /** Seek here (seconds, source timeline) before decoding; frames before it are dropped by ffmpeg. */
  seekS?: number;
  signal?: AbortSignal;
}

/** Filters that turn a stored frame upright (autorotation is off so the size is ours to know). */
function rotationFilter(rotation: number): string[] {
  if (rotation === 90) return ['transpose=clock'];
  if (rotation === 270) return ['transpose=cclock'];
  if (rotation === 180) return ['hflip', 'vflip'];
  return [];
}

/**
 * Every frame of the clip from `seekS` on, as RGB, with its timestamp. ffmpeg writes raw RGB
 * frames of a known size to stdout (one pipe, read one frame at a time: back-pressure keeps
 * memory flat) and showinfo's log lines to stderr (one per frame, in the same order), which
 * carry each frame's pts_time. `-vsync passthrough` keeps frames as they are stored (no
 * duplication or dropping to a constant rate); `-copyts` keeps their original timestamps, so
 * a segment decoded from a seek point reports the same times as a full decode.
 * Stop early by breaking out of the loop: ffmpeg is killed.
 */
export async function* decodeFrames(req: DecodeRequest): AsyncGenerator<RawFrame> {
  const { width, height, rotation } = req.probe;
  const frameBytes = width * height * 3;
  const filters = ['showinfo', ...rotationFilter(rotation)].join(',');
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'info', '-noautorotate'];
  if (req.seekS && req.seekS > 0) args.push('-ss', req.seekS.toFixed(6));
  args.push('-copyts', '-i', req.path, '-map', '0:v:0', '-an', '-sn', '-vf', filters, '-vsync', 'passthrough', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1');
  const child = spawn(ffmpegBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const abort = () => child.kill('SIGKILL');
  req.signal?.addEventListener('abort', abort, { once: true });

  const times: number[] = [];
  let stderrTail = '';
  let partial = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    partial += s;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = line.includes('Parsed_showinfo') ? /pts_time:\s*(-?[\d.]+(?:e-?\d+)?)/.exec(line) : null;
      if (m) times.push(Number(m[1]));
      else stderrTail = (stderrTail + line + '\n').slice(-4000);
    }
    wake();
  });
  const chunks: Buffer[] = [];
  let buffered = 0;
  let ended = false;
  let exit: { code: number | null; error?: Error } | undefined;
  let waiter: (() => void) | undefined;
  const wake = () => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  child.stdout.on('data', (b: Buffer) => {
    chunks.push(b);
    buffered += b.length;
    // Hold ffmpeg back while a whole frame is waiting to be taken.
    if (buffered >= frameBytes) child.stdout.pause();
    wake();
  });
  child.stdout.on('end', () => {
    ended = true;
    wake();
  });
  child.on('error', (error) => {
    exit = { code: null, error };
    wake();
  });
  child.on('close', (code) => {
    exit = { code };
    ended = true;
    wake();
  });
  const take = (): Uint8Array => {
    const out = new Uint8Array(frameBytes);
    let off = 0;
    while (off < frameBytes) {
      const c = chunks[0];
      const n = Math.min(c.length, frameBytes - off);
      out.set(c.subarray(0, n), off);
      off += n;
      if (n === c.length) chunks.shift();
      else chunks[0] = c.subarray(n);
    }
    buffered -= frameBytes;
    return out;
  };
  try {
    for (;;) {
      if (req.signal?.aborted) throw req.signal.reason ?? new Error('aborted');
      if (buffered >= frameBytes && times.length) {
        const data = take();
        if (buffered < frameBytes) child.stdout.resume();
        yield { data, width, height, pts: times.shift()! };
        continue;
      }
      // Frame bytes without their showinfo line yet: the line may still be on its way, unless
      // ffmpeg has exited (then the pipe and the log are both complete).
      if (ended && exit) {
        if (exit.error) throw exit.error;
        if (exit.code !== 0) throw corruptVideo(req.path, lastLine(stderrTail));
        if (buffered >= frameBytes) throw corruptVideo(req.path, 'frames without timestamps');
        return;
      }
      if (buffered < frameBytes) child.stdout.resume();
      await new Promise<void>((r) => (waiter = r));
    }
  } finally {
    req.signal?.removeEventListener('abort', abort);
    if (exit === undefined) child.kill('SIGKILL');
  }
}

export interface Encoder {
  /** One PNG-encoded frame (all frames the same size). Resolves when ffmpeg has taken it. */
  write(png: Uint8Array): Promise<void>;
  /** Finishes the file; rejects when ffmpeg failed. */
  close(): Promise<void>;
  /** Kills ffmpeg (the partial file is the caller's to remove). */
  kill(): void;
}

export type EncodeKind = 'mp4' | 'webm-alpha';

/**
 * A child ffmpeg that encodes PNG frames from stdin at a constant `fps` into `outPath`:
 * H.264 MP4 (yuv420p, plays everywhere; sizes are padded to even) or VP9 WebM with an alpha
 * channel (for editors: a per-track matte).
 */
export function startEncoder(outPath: string, fps: number, kind: EncodeKind): Encoder {
  const codec = kind === 'mp4'
    ? ['-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4']
    : ['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuva420p', '-b:v', '0', '-crf', '32', '-deadline', 'realtime', '-f', 'webm'];
  const child: ChildProcess = spawn(ffmpegBinary(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'image2pipe', '-framerate', String(fps), '-c:v', 'png', '-i', 'pipe:0', ...codec, outPath], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new PromptsegError('internal', `ffmpeg could not write ${outPath}: ${lastLine(stderr)}`, 'Check the disk space and the --out folder, then rerun: finished parts are kept.'))));
  });
  done.catch(() => undefined);
  return {
    write: (png) => new Promise<void>((resolve, reject) => {
      child.stdin!.write(png, (e) => (e ? reject(e) : resolve()));
    }),
    async close() {
      child.stdin!.end();
      await done;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

/** Joins finished video parts (same codec and size) into one file without re-encoding. */
export async function concatVideos(parts: readonly string[], listPath: string, outPath: string, writeList: (path: string, text: string) => Promise<void>): Promise<void> {
  await writeList(listPath, parts.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n') + '\n');
  const r = await runTool(ffmpegBinary(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', listPath, '-c', 'copy', ...(outPath.endsWith('.mp4') ? ['-movflags', '+faststart', '-f', 'mp4'] : ['-f', 'webm']), outPath]);
  if (r.code !== 0) throw new PromptsegError('internal', `ffmpeg could not join the video parts into ${outPath}: ${lastLine(r.stderr)}`, 'Rerun the same command; finished parts are kept.');
}

/** Runs ffmpeg with the given arguments (test fixtures and benchmarks synthesise clips with it). */
export async function runFfmpeg(args: string[], signal?: AbortSignal): Promise<void> {
  const r = await runTool(ffmpegBinary(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], signal);
  if (r.code !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${lastLine(r.stderr)}`);
}
