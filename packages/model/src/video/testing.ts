/**
 * Clips synthesised for tests and benchmarks: cut-outs of the sample images moving over a
 * background on known paths, composited here (so every frame's ground-truth mask and object id
 * are exact) and encoded with the bundled ffmpeg. The sprite is horse.png of web/public/samples,
 * a black silhouette on white: its dark pixels are the object's exact outline.
 */
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mask } from '@promptseg/shared';
import { encodePng, readRawPixels, resizePixels, type RawPixels } from '../io/decode.js';
import { probeVideo, runFfmpeg } from './ffmpeg.js';

export const SAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../web/public/samples');

export interface Sprite {
  width: number;
  height: number;
  /** RGB, width * height * 3. */
  rgb: Uint8Array;
  /** 0/1 per pixel: the exact outline. */
  alpha: Uint8Array;
}

/** The horse of horse.png, `width` pixels wide, optionally mirrored (facing the other way). */
export async function horseSprite(width: number, mirror = false): Promise<Sprite> {
  const src = await readRawPixels(await readFile(join(SAMPLES_DIR, 'horse.png')));
  const height = Math.round((src.height * width) / src.width);
  const px: RawPixels = await resizePixels(src, width, height);
  const c = px.channels;
  const rgb = new Uint8Array(width * height * 3), alpha = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = mirror ? width - 1 - x : x;
      const i = (y * width + sx) * c, o = y * width + x;
      rgb[o * 3] = px.data[i];
      rgb[o * 3 + 1] = px.data[i + 1];
      rgb[o * 3 + 2] = px.data[i + 2];
      // horse.png is a black silhouette on white (no alpha channel): the object is its dark
      // pixels; an image with an alpha channel gives its outline by alpha.
      const dark = px.data[i] + px.data[i + 1] + px.data[i + 2] < 3 * 128;
      alpha[o] = c === 4 && px.data[i + 3] < 250 ? (px.data[i + 3] >= 128 ? 1 : 0) : dark ? 1 : 0;
    }
  }
  return { width, height, rgb, alpha };
}

export interface ClipObject {
  /** Ground-truth id (stable over the clip). */
  id: number;
  sprite: Sprite;
  /** Top-left corner at frame f, or null when the object is not in the picture. */
  at: (f: number) => [number, number] | null;
  /** Drawn later (on top) when higher. */
  z?: number;
}

export interface ClipSpec {
  width: number;
  height: number;
  frames: number;
  fps: number;
  objects: ClipObject[];
  format: 'mp4' | 'webm' | 'mov' | 'gif' | 'frames';
  /** MP4/MOV: stored rotation metadata (clockwise degrees); frames are stored turned back so the upright picture is the same. */
  rotate?: 0 | 90 | 180 | 270;
  /** Variable frame rate: each frame's presentation time in seconds (increasing); default f / fps. */
  times?: number[];
  /** Keep the per-frame truth masks (default true; a long benchmark clip would hold hundreds of MB). */
  keepMasks?: boolean;
}

export interface ClipTruth {
  /** File (or folder, for 'frames'). */
  path: string;
  /** Per frame, the visible mask of each object in the picture (occlusion applied), by id. */
  masks: Map<number, Mask>[];
}

/** Soft light background with a little texture, so the encoder has something to look at. */
function background(w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const t = ((x * 7 + y * 13) % 17) - 8;
      px[i] = 200 + Math.round((x / w) * 30) + t;
      px[i + 1] = 215 + Math.round((y / h) * 20) + t;
      px[i + 2] = 170 + t;
    }
  }
  return px;
}

/** Rotates an RGB frame counter-clockwise by `deg` (what a camera stores for metadata `deg` clockwise). */
function storeTurned(px: Uint8Array, w: number, h: number, deg: number): { data: Uint8Array; w: number; h: number } {
  if (!deg) return { data: px, w, h };
  const turned = deg === 90 || deg === 270;
  const ow = turned ? h : w, oh = turned ? w : h;
  const out = new Uint8Array(ow * oh * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // upright (x, y) -> stored (sx, sy) such that rotating stored by deg clockwise gives upright
      let sx: number, sy: number;
      if (deg === 90) { sx = y; sy = w - 1 - x; } else if (deg === 270) { sx = h - 1 - y; sy = x; } else { sx = w - 1 - x; sy = h - 1 - y; }
      const i = (y * w + x) * 3, o = (sy * ow + sx) * 3;
      out[o] = px[i]; out[o + 1] = px[i + 1]; out[o + 2] = px[i + 2];
    }
  }
  return { data: out, w: ow, h: oh };
}

/** Composites every frame, writes them as PNGs and encodes the clip; returns the exact truth. */
export async function synthesiseClip(dir: string, name: string, spec: ClipSpec): Promise<ClipTruth> {
  const { width: W, height: H } = spec;
  const framesDir = join(dir, `${name}-frames`);
  await mkdir(framesDir, { recursive: true });
  const bg = background(W, H);
  const masks: Map<number, Mask>[] = [];
  const order = [...spec.objects].sort((a, b) => (a.z ?? 0) - (b.z ?? 0));
  for (let f = 0; f < spec.frames; f++) {
    const px = bg.slice();
    const owner = new Int32Array(W * H).fill(-1);
    for (const o of order) {
      const pos = o.at(f);
      if (!pos) continue;
      const [ox, oy] = [Math.round(pos[0]), Math.round(pos[1])];
      const s = o.sprite;
      for (let y = 0; y < s.height; y++) {
        const Y = oy + y;
        if (Y < 0 || Y >= H) continue;
        for (let x = 0; x < s.width; x++) {
          const X = ox + x;
          if (X < 0 || X >= W || !s.alpha[y * s.width + x]) continue;
          const i = Y * W + X, j = y * s.width + x;
          px[i * 3] = s.rgb[j * 3]; px[i * 3 + 1] = s.rgb[j * 3 + 1]; px[i * 3 + 2] = s.rgb[j * 3 + 2];
          owner[i] = o.id;
        }
      }
    }
    const frameMasks = new Map<number, Mask>();
    for (const o of spec.keepMasks === false ? [] : spec.objects) {
      const data = new Uint8Array(W * H);
      let n = 0;
      for (let i = 0; i < owner.length; i++) if (owner[i] === o.id) { data[i] = 1; n++; }
      if (n) frameMasks.set(o.id, { width: W, height: H, data });
    }
    masks.push(frameMasks);
    const stored = storeTurned(px, W, H, spec.rotate ?? 0);
    await writeFile(join(framesDir, `frame_${String(f + 1).padStart(4, '0')}.png`), await encodePng(stored.data, stored.w, stored.h, 3));
  }
  if (spec.format === 'frames') return { path: framesDir, masks };
  const path = join(dir, `${name}.${spec.format}`);
  let input = ['-framerate', String(spec.fps), '-i', join(framesDir, 'frame_%04d.png')];
  if (spec.times) {
    // Variable frame rate: setpts gives frame N the time times[N] and `-vsync vfr` keeps those
    // timestamps instead of resampling to a constant rate; `-bf 0` because this x264 build
    // loses the last frames of a variable-rate stream to B-frame reordering. Times are kept
    // on the MP4 muxer's grid when they are multiples of 0.04 s.
    const expr = spec.times.map((t, f) => `${t.toFixed(6)}*eq(N\\,${f})`).join('+');
    input = ['-framerate', '25', '-i', join(framesDir, 'frame_%04d.png'), '-vf', `setpts='(${expr})/TB'`, '-vsync', 'vfr', '-bf', '0'];
  }
  const codec = {
    mp4: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p'],
    mov: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p'],
    webm: ['-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', '30', '-deadline', 'realtime', '-pix_fmt', 'yuv420p'],
    gif: ['-filter_complex', '[0:v]split[a][b];[a]palettegen[p];[b][p]paletteuse'],
  }[spec.format];
  if (!spec.rotate || (spec.format !== 'mp4' && spec.format !== 'mov')) {
    await runFfmpeg([...input, ...codec, path]);
    return { path, masks };
  }
  // Rotation metadata: this ffmpeg writes it only when stream-copying, and turns the `rotate`
  // tag into a display matrix of that many degrees *counter-clockwise* (the matrix is what
  // players and ffprobe go by), so a clockwise turn R is tag 360 - R. Checked with ffprobe
  // below, so a fixture never claims a rotation its file does not carry.
  const plain = `${path}.plain.${spec.format}`;
  await runFfmpeg([...input, ...codec, plain]);
  await runFfmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', `rotate=${(360 - spec.rotate) % 360}`, path]);
  await unlink(plain);
  const probe = await probeVideo(path);
  if (probe.rotation !== spec.rotate) throw new Error(`${path} carries a rotation of ${probe.rotation} degrees, not ${spec.rotate}`);
  return { path, masks };
}

/** IoU of two masks of one size. */
export function iou(a: Mask, b: Mask): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const p = a.data[i] ? 1 : 0, q = b.data[i] ? 1 : 0;
    inter += p & q;
    union += p | q;
  }
  return union ? inter / union : 0;
}

/**
 * The truth as the independent reader (export/read_video_outputs.py) takes it: meta.json and
 * one <id>.bin per object (frames * height * width bytes, 0/1).
 */
export async function writeTruthFiles(dir: string, truth: ClipTruth, width: number, height: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const ids = [...new Set(truth.masks.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ frames: truth.masks.length, width, height, ids }));
  for (const id of ids) {
    const all = new Uint8Array(truth.masks.length * width * height);
    truth.masks.forEach((m, f) => {
      const mk = m.get(id);
      if (mk) all.set(mk.data, f * width * height);
    });
    await writeFile(join(dir, `${id}.bin`), all);
  }
}

/** Path of the independent reader of video outputs. */
export const VIDEO_OUTPUTS_READER = join(dirname(fileURLToPath(import.meta.url)), '../export/read_video_outputs.py');
