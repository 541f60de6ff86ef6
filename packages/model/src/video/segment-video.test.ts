/**
 * segmentVideo against clips synthesised from horse.png (testing.ts), whose every frame has an
 * exact ground-truth mask and id. Clips are tiny (320x240, at most 17 frames): the lite encoder
 * costs about a second a frame on a shared 2-core machine.
 */
import { copyFile, mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRle, PromptsegError, type Mask, type VideoResult } from '@promptseg/shared';
import { segmentVideo, type VideoFrameOutput } from './segment-video.js';
import { openSource } from './source.js';
import { horseSprite, iou, synthesiseClip, type ClipTruth, type Sprite } from './testing.js';

let dir: string;
let left: Sprite, right: Sprite, small: Sprite;
const W = 320, H = 240;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptseg-video-'));
  left = await horseSprite(110);
  right = await horseSprite(110, true);
  small = await horseSprite(90);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** For each ground-truth id, the track ids its frames were given (by best mask IoU). */
function idsPerObject(result: VideoResult, truth: ClipTruth): Map<number, Map<number, number>> {
  const out = new Map<number, Map<number, number>>();
  for (const frame of result.frames) {
    for (const [gt, mask] of truth.masks[frame.index]) {
      let best = { id: 0, v: 0 };
      for (const inst of frame.instances) {
        const v = iou(decodeRle(inst.rle), mask);
        if (v > best.v) best = { id: inst.track_id, v };
      }
      if (best.v < 0.3) continue;
      const m = out.get(gt) ?? new Map<number, number>();
      m.set(best.id, (m.get(best.id) ?? 0) + 1);
      out.set(gt, m);
    }
  }
  return out;
}

function maskOf(result: VideoResult, frame: number, track: number): Mask | undefined {
  const inst = result.frames[frame].instances.find((i) => i.track_id === track);
  return inst ? decodeRle(inst.rle) : undefined;
}

/** Boxes of two truth masks overlap (the objects touch or cross on this frame). */
function touching(a: Mask, b: Mask): boolean {
  const box = (m: Mask) => {
    let x0 = m.width, y0 = m.height, x1 = -1, y1 = -1;
    for (let i = 0; i < m.data.length; i++) if (m.data[i]) { const x = i % m.width, y = (i / m.width) | 0; x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    return [x0, y0, x1, y1];
  };
  const [a0, a1, a2, a3] = box(a), [b0, b1, b2, b3] = box(b);
  return a0 <= b2 && b0 <= a2 && a1 <= b3 && b1 <= a3;
}

describe('two horses crossing, one in front of the other (MP4, H.264)', () => {
  let truth: ClipTruth;
  let result: VideoResult;
  const outputs: VideoFrameOutput[] = [];
  let overlapping = false, maxLive = 0;

  beforeAll(async () => {
    truth = await synthesiseClip(dir, 'cross', {
      width: W, height: H, frames: 14, fps: 10, format: 'mp4',
      objects: [
        { id: 1, sprite: left, at: (f) => [5 + 15 * f, 60] },
        { id: 2, sprite: right, z: 1, at: (f) => [205 - 15 * f, 90] },
      ],
    });
    let busy = false;
    ({ result } = await segmentVideo(truth.path, 'horse', {
      collectFrames: true,
      checkpointEvery: 1,
      onFrame: async (out) => {
        // frames are handed over one at a time, each awaited before the next is decoded
        if (busy) overlapping = true;
        busy = true;
        outputs.push({ ...out, image: { ...out.image, data: new Uint8Array(0) } });
        maxLive = Math.max(maxLive, out.checkpoint?.tracks.length ?? 0);
        await new Promise((r) => setTimeout(r, 5));
        busy = false;
      },
    }));
  }, 240_000);

  it('finds both horses as two tracks, with no id switch through the crossing', () => {
    expect(result.tracks.map((t) => t.label)).toEqual(['horse', 'horse']);
    const ids = idsPerObject(result, truth);
    expect([...ids.keys()].sort()).toEqual([1, 2]);
    // every frame of each horse carries one and the same track id, and the two ids differ
    const one = [...ids.get(1)!.keys()], two = [...ids.get(2)!.keys()];
    expect(one).toHaveLength(1);
    expect(two).toHaveLength(1);
    expect(one[0]).not.toBe(two[0]);
    // birth after 2 consecutive detections: both are born on frame 1 and followed to the end
    for (const t of result.tracks) expect([t.first_frame, t.last_frame]).toEqual([1, 13]);
  });

  it('masks match the ground truth frame by frame (IoU >= 0.8 apart, >= 0.4 while crossing)', () => {
    const ids = idsPerObject(result, truth);
    const trackOf = (gt: number) => [...ids.get(gt)!.keys()][0];
    let apart = 0;
    for (let f = 1; f < 14; f++) {
      const a = truth.masks[f].get(1)!, b = truth.masks[f].get(2)!;
      const cross = touching(a, b);
      if (!cross) apart++;
      for (const [gt, m] of [[1, a], [2, b]] as const) {
        const got = maskOf(result, f, trackOf(gt));
        expect(got, `frame ${f}, horse ${gt}`).toBeDefined();
        expect(iou(got!, m), `frame ${f}, horse ${gt}`).toBeGreaterThanOrEqual(cross ? 0.4 : 0.8);
      }
    }
    expect(apart).toBeGreaterThanOrEqual(6);
  });

  it('gives each frame its presentation time and the clip facts', () => {
    expect(result.frames.map((f) => f.index)).toEqual([...Array(14).keys()]);
    result.frames.forEach((f, i) => expect(f.time_s).toBeCloseTo(i / 10, 6));
    expect(result.video).toMatchObject({ width: W, height: H, fps: 10, frames: 14, codec: 'h264' });
    expect(result.concepts).toEqual([{ text: 'horse', status: 'ok', label: 'horse' }]);
  });

  it('streams: frames come one at a time, in order, awaited; the state kept between them does not grow', () => {
    expect(overlapping).toBe(false);
    expect(outputs.map((o) => o.frame.index)).toEqual([...Array(14).keys()]);
    expect(outputs.map((o) => o.progress.frames_done)).toEqual([...Array(14).keys()].map((i) => i + 1));
    expect(outputs.every((o) => o.progress.frames_total === 14)).toBe(true);
    // what is carried from frame to frame (a checkpoint) holds the live tracks, never past frames
    expect(maxLive).toBeLessThanOrEqual(3);
    const last = outputs.at(-1)!.checkpoint!;
    expect(JSON.stringify(last)).not.toContain('"frames"');
    expect(outputs.filter((o) => o.keyframe).length).toBeLessThan(14);
  });
});

describe('a horse that is hidden briefly, then gone for long', () => {
  it('keeps its id after a short absence and gets a new one after a long absence', async () => {
    // visible 0-3, hidden 4-5 (short), visible 6-8, gone 9-13 (longer than maxLost), back 14-16
    const gone = (f: number) => (f >= 4 && f < 6) || (f >= 9 && f < 14);
    const truth = await synthesiseClip(dir, 'reid', {
      width: W, height: H, frames: 17, fps: 10, format: 'mp4',
      objects: [{ id: 1, sprite: left, at: (f) => (gone(f) ? null : [5 + 9 * f, 70]) }],
    });
    const frames: VideoFrameOutput['frame'][] = [];
    const { result } = await segmentVideo(truth.path, 'horse', { tracker: { maxLost: 2 }, collectFrames: false, onFrame: (o) => void frames.push(o.frame) });
    // streaming callers get the tracks without the frames in the document
    expect(result.frames).toEqual([]);
    expect(result.video.frames).toBe(17);
    const idAt = (f: number) => frames[f].instances.map((i) => i.track_id);
    expect(result.tracks).toHaveLength(2);
    const [first, second] = result.tracks;
    for (const f of [1, 2, 3, 6, 7, 8]) expect(idAt(f), `frame ${f}`).toEqual([first.track_id]);
    for (const f of [15, 16]) expect(idAt(f), `frame ${f}`).toEqual([second.track_id]);
    expect(second.track_id).not.toBe(first.track_id);
    // nothing is reported where the horse is not (one frame of grace where a mask may linger)
    expect(frames.filter((fr) => gone(fr.index) && fr.instances.length > 0).length).toBeLessThanOrEqual(1);
    expect(first.first_frame).toBe(1);
    expect(second.first_frame).toBeGreaterThanOrEqual(14);
    for (const f of [1, 6, 15]) expect(iou(decodeRle(frames[f].instances[0].rle), truth.masks[f].get(1)!)).toBeGreaterThan(0.8);
  }, 240_000);
});

describe('inputs', () => {
  const objects = () => [{ id: 1, sprite: left, at: (f: number): [number, number] => [20 + 12 * f, 60] }];
  const dark = (img: { width: number; height: number; data: Uint8Array }): Mask => {
    const data = new Uint8Array(img.width * img.height);
    for (let i = 0; i < data.length; i++) data[i] = img.data[i * 3] + img.data[i * 3 + 1] + img.data[i * 3 + 2] < 3 * 100 ? 1 : 0;
    return { width: img.width, height: img.height, data };
  };

  for (const format of ['mp4', 'webm', 'mov', 'gif', 'frames'] as const) {
    it(`${format}: decoded frames are the clip's pictures at their times, and the horse is found`, async () => {
      const truth = await synthesiseClip(dir, `kind-${format}`, { width: W, height: H, frames: 3, fps: 10, format, objects: objects() });
      // a folder of frames has no rate of its own: the caller says it (default 25)
      const frameRate = format === 'frames' ? 10 : undefined;
      const src = await openSource(truth.path, { frameRate });
      expect(src.info).toMatchObject({ width: W, height: H, fps: 10 });
      let n = 0;
      for await (const f of src.frames(0)) {
        expect(f.time).toBeCloseTo(n / 10, 3);
        expect(iou(dark(f.image), truth.masks[n].get(1)!)).toBeGreaterThan(0.9);
        n++;
      }
      expect(n).toBe(3);
      const { result } = await segmentVideo(truth.path, 'horse', { max_frames: 1, frameRate, tracker: { minHits: 1 } });
      expect(result.frames).toHaveLength(1);
      expect(result.frames[0].instances).toHaveLength(1);
      expect(iou(decodeRle(result.frames[0].instances[0].rle), truth.masks[0].get(1)!)).toBeGreaterThan(0.75);
    }, 120_000);
  }

  it('rotation metadata is honoured: a clip stored turned comes out upright', async () => {
    const truth = await synthesiseClip(dir, 'rotated', { width: W, height: H, frames: 2, fps: 10, format: 'mp4', rotate: 90, objects: objects() });
    const src = await openSource(truth.path);
    expect(src.info).toMatchObject({ width: W, height: H, rotation: 90 });
    let n = 0;
    for await (const f of src.frames(0)) {
      expect([f.image.width, f.image.height]).toEqual([W, H]);
      expect(iou(dark(f.image), truth.masks[n++].get(1)!)).toBeGreaterThan(0.9);
    }
    expect(n).toBe(2);
  });

  it('variable frame rate: frame times come from the timestamps; fps / start / end sample by time', async () => {
    const times = [0, 0.08, 0.16, 0.48, 0.52, 0.56, 1.0, 1.04];
    const truth = await synthesiseClip(dir, 'vfr', { width: W, height: H, frames: 8, fps: 10, format: 'mp4', times, objects: objects() });
    // a prompt lite has no detector for runs no model: the document still lists every frame
    const all = (await segmentVideo(truth.path, 'xylophone')).result;
    expect(all.concepts[0].status).not.toBe('ok');
    expect(all.frames.map((f) => f.time_s)).toEqual(times);
    const sampled = (await segmentVideo(truth.path, 'xylophone', { fps: 5 })).result;
    // the first frame at or after the next target (0, 0.2, 0.4, ...) after the last sampled
    // frame: a gap skips its targets rather than bunching frames up after it
    expect(sampled.frames.map((f) => f.time_s)).toEqual([0, 0.48, 1.0]);
    expect(sampled.video.fps).toBe(5);
    const cut = (await segmentVideo(truth.path, 'xylophone', { start: 0.1, end: 1.0 })).result;
    expect(cut.frames.map((f) => [f.index, f.time_s])).toEqual([[0, 0.16], [1, 0.48], [2, 0.52], [3, 0.56]]);
    const few = (await segmentVideo(truth.path, 'xylophone', { max_frames: 3 })).result;
    expect(few.frames.map((f) => f.time_s)).toEqual([0, 0.08, 0.16]);
  });
});

describe('refused inputs', () => {
  const refused = async (p: Promise<unknown>, code: string) => {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(PromptsegError);
    const err = e as PromptsegError;
    expect(err.code).toBe(code);
    expect(err.hint.length).toBeGreaterThan(10);
    return err;
  };
  let clip: ClipTruth;
  beforeAll(async () => {
    clip = await synthesiseClip(dir, 'refuse', { width: 240, height: 160, frames: 12, fps: 10, format: 'mp4', objects: [{ id: 1, sprite: small, at: (f) => [10 + 8 * f, 40] }] });
  });

  it('a truncated MP4 (cut off in transit) is corrupt_video, before any frame', async () => {
    const cut = join(dir, 'cut.mp4');
    await copyFile(clip.path, cut);
    await truncate(cut, Math.floor((await stat(cut)).size * 0.6));
    let frames = 0;
    const err = await refused(segmentVideo(cut, 'horse', { onFrame: () => void frames++ }), 'corrupt_video');
    expect(err.message).toContain('cut.mp4');
    expect(frames).toBe(0);
  });

  it('a truncated WebM and a file of noise are corrupt_video', async () => {
    const webm = await synthesiseClip(dir, 'refuse-webm', { width: 160, height: 120, frames: 6, fps: 10, format: 'webm', objects: [{ id: 1, sprite: small, at: () => [10, 10] }] });
    const cut = join(dir, 'cut.webm');
    await copyFile(webm.path, cut);
    await truncate(cut, Math.floor((await stat(cut)).size * 0.6));
    await refused(segmentVideo(cut, 'horse'), 'corrupt_video');
    const noise = join(dir, 'noise.mp4');
    await writeFile(noise, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await refused(segmentVideo(noise, 'horse'), 'corrupt_video');
    await writeFile(join(dir, 'empty.mov'), '');
    await refused(segmentVideo(join(dir, 'empty.mov'), 'horse'), 'corrupt_video');
  });

  it('a clip longer than the limit is refused before any work, with what to do', async () => {
    let frames = 0;
    const err = await refused(segmentVideo(clip.path, 'horse', { limits: { maxFrames: 5 }, onFrame: () => void frames++ }), 'video_too_long');
    expect(frames).toBe(0);
    expect(err.details).toMatchObject({ frames: 12 });
    expect(err.hint).toMatch(/--start|--max-frames/);
    // the same limit from the environment, in seconds
    const before = process.env.PROMPTSEG_VIDEO_MAX_SECONDS;
    process.env.PROMPTSEG_VIDEO_MAX_SECONDS = '0.5';
    try {
      await refused(segmentVideo(clip.path, 'horse'), 'video_too_long');
      // a part within the limit is fine (the prompt runs no model here)
      const { result } = await segmentVideo(clip.path, 'xylophone', { start: 0.2, end: 0.6 });
      expect(result.frames.map((f) => f.time_s)).toEqual([0.2, 0.3, 0.4, 0.5]);
    } finally {
      if (before === undefined) delete process.env.PROMPTSEG_VIDEO_MAX_SECONDS;
      else process.env.PROMPTSEG_VIDEO_MAX_SECONDS = before;
    }
  });

  it('a folder without numbered frames and a missing file are typed errors; bad sampling options too', async () => {
    await refused(segmentVideo(join(dir, 'nope.mp4'), 'horse'), 'file_not_found');
    await refused(segmentVideo(dir, 'horse'), 'unsupported_image');
    await refused(segmentVideo(clip.path, 'horse', { fps: -1 }), 'invalid_option');
    await refused(segmentVideo(clip.path, 'horse', { start: 2, end: 1 }), 'invalid_option');
  });
});
