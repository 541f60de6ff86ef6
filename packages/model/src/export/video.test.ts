/**
 * The video exporters, read back independently (read_video_outputs.py: numpy, ffmpeg/ffprobe):
 * the document is built from a generated clip's exact ground truth, so every RLE, box and mask
 * read back must be that truth.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRle, maskArea, maskBox, videoOutputName, type Mask, type VideoFrame, type VideoResult } from '@promptseg/shared';
import { ffmpegBinary, ffprobeBinary, startEncoder } from '../video/ffmpeg.js';
import { openSource } from '../video/source.js';
import { horseSprite, synthesiseClip, VIDEO_OUTPUTS_READER, writeTruthFiles, type ClipTruth } from '../video/testing.js';
import { cutoutFramePng, motChallengeText, overlayFramePng, trackColor, trackFolderName, trackFrameName, trackMaskPng, videoCategories, youtubeVisResults } from './video.js';

const READER = VIDEO_OUTPUTS_READER;
const run = promisify(execFile);
const W = 240, H = 160, N = 6;
let dir: string;
let truth: ClipTruth;
let report: Record<string, any>;
let result: VideoResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptseg-vexport-'));
  const a = await horseSprite(80), b = await horseSprite(80, true);
  // object 2 is absent on frame 3: a gap in its track, an empty frame in its PNG sequence
  truth = await synthesiseClip(dir, 'clip', {
    width: W, height: H, frames: N, fps: 10, format: 'frames',
    objects: [{ id: 1, sprite: a, at: (f) => [5 + 12 * f, 20] }, { id: 2, sprite: b, z: 1, at: (f) => (f === 3 ? null : [150 - 10 * f, 80]) }],
  });
  // the document segmentVideo would give for a perfect run: track 7 is object 1, track 9 object 2
  const trackOf = new Map([[1, 7], [2, 9]]);
  const frames: VideoFrame[] = truth.masks.map((m, index) => ({
    index,
    time_s: index / 10,
    instances: [...m].map(([gt, mask]) => ({ track_id: trackOf.get(gt)!, score: 0.9, box: maskBox(mask), area: maskArea(mask), rle: encodeRle(mask) })),
  }));
  result = {
    video: { width: W, height: H, fps: 10, frames: N },
    prompt: 'horse, dog',
    engine: 'lite',
    concepts: [{ text: 'horse', status: 'ok', label: 'horse' }, { text: 'dog', status: 'ok', label: 'dog' }],
    tracks: [
      { track_id: 7, label: 'horse', concept: 'horse', score: 0.9, first_frame: 0, last_frame: 5 },
      { track_id: 9, label: 'horse', concept: 'horse', score: 0.9, first_frame: 0, last_frame: 5 },
    ],
    frames,
    timings_ms: {},
  };
  const out = join(dir, 'out');
  await mkdir(out, { recursive: true });
  const base = 'clip';
  await writeFile(join(out, videoOutputName('json', base)), JSON.stringify(result));
  await writeFile(join(out, videoOutputName('youtube_vis', base)), JSON.stringify(youtubeVisResults(result)));
  await writeFile(join(out, videoOutputName('mot', base)), motChallengeText(result.frames));
  const overlay = startEncoder(join(out, videoOutputName('overlay', base)), 10, 'mp4');
  const cutout = startEncoder(join(out, videoOutputName('cutout', base)), 10, 'webm-alpha');
  const src = await openSource(truth.path, { frameRate: 10 });
  let f = 0;
  for await (const { image } of src.frames(0)) {
    const frame = frames[f];
    const masks: Mask[] = [...truth.masks[f].values()];
    const labels = frame.instances.map(() => 'horse');
    await overlay.write(await overlayFramePng({ frame, image, masks, labels }));
    await cutout.write(await cutoutFramePng({ image, masks }));
    for (const t of result.tracks) {
      const k = frame.instances.findIndex((i) => i.track_id === t.track_id);
      const mask = k >= 0 ? masks[k] : { width: W, height: H, data: new Uint8Array(W * H) };
      const folder = join(out, videoOutputName('mask', base), trackFolderName(t.track_id, t.label));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, trackFrameName(f)), await trackMaskPng(mask));
    }
    f++;
  }
  await overlay.close();
  await cutout.close();
  await writeTruthFiles(join(dir, 'truth'), truth, W, H);
  const { stdout } = await run('python3', [READER, out, base, join(dir, 'truth'), ffmpegBinary(), ffprobeBinary()], { maxBuffer: 1 << 24 });
  report = JSON.parse(stdout);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('video exporters, read back', () => {
  it('YouTube-VIS results: one entry per track, an RLE per frame (null where unseen) that decodes to the truth', () => {
    const vis = report.youtube_vis;
    expect(vis.match).toEqual([1, 2]);
    expect(vis.min_iou).toBe(1);
    expect(vis.entries).toEqual([{ category_id: 1, score: 0.9, frames: 6 }, { category_id: 1, score: 0.9, frames: 5 }]);
    // categories follow the prompt's concepts: horse = 1, dog = 2
    expect(videoCategories(result)).toEqual([{ id: 1, name: 'horse' }, { id: 2, name: 'dog' }]);
    expect(youtubeVisResults(result)[1].segmentations[3]).toBeNull();
  });

  it('MOT Challenge text: 1-based frames, the track ids, each box exactly the object\'s', () => {
    expect(report.mot).toEqual({ lines: 11, frames: [1, 2, 3, 4, 5, 6], ids: [7, 9], boxes_exact: 11 });
  });

  it('overlay MP4: H.264, every frame, objects tinted in their track colour', () => {
    const o = report.overlay;
    expect(o).toMatchObject({ codec: 'h264', pix_fmt: 'yuv420p', width: W, height: H, frames: N });
    expect(o.duration).toBeCloseTo(0.6, 1);
    // object 1 is a black horse: tinted, its pixels move towards track 7's colour
    const c7 = trackColor(7), c9 = trackColor(9);
    const dist = (a: number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    expect(dist(o.object_colour['1'], c7)).toBeLessThan(dist(o.object_colour['1'], c9));
    expect(dist(o.object_colour['2'], c9)).toBeLessThan(dist(o.object_colour['2'], c7));
    expect(dist(o.object_colour['1'], [0, 0, 0])).toBeGreaterThan(40);
  });

  it('cut-out WebM: VP9 with an alpha channel that is the objects\' masks', () => {
    const c = report.cutout;
    expect(c.codec).toBe('vp9');
    expect(c.alpha_mode).toBe('1');
    expect(c.frames).toBe(N);
    expect(c.alpha_iou).toBeGreaterThan(0.9);
  });

  it('per-track PNG sequences: one folder per track, a frame file per frame, 0/255 masks equal to the truth', () => {
    expect(report.masks['7']).toMatchObject({ folder: '7-horse', first: '000000.png', last: '000005.png', count: 6, values: [0, 255], truth: 1, min_iou: 1 });
    expect(report.masks['9']).toMatchObject({ folder: '9-horse', count: 6, truth: 2, min_iou: 1 });
  });

  it('the document itself decodes to the truth', () => {
    expect(report.json.min_iou).toBe(1);
    expect(report.json.times).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  });
});
