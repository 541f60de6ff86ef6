/**
 * The fan-out on this machine: the same clip through one process and through 3 worker processes
 * gives the same tracks (ids renumbered consistently), frame by frame. The clip is synthesised
 * from horse.png (../testing.ts): two horses on known paths, one leaving for good half-way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRle, type VideoResult } from '@promptseg/shared';
import { segmentVideo } from '../segment-video.js';
import { horseSprite, iou, synthesiseClip, type ClipTruth } from '../testing.js';
import { segmentVideoParallel } from './local-workers.js';

let dir: string;
let truth: ClipTruth;
let single: VideoResult, fanned: VideoResult;
const progress: number[] = [];
const FRAMES = 24;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promptseg-fanout-'));
  const a = await horseSprite(100), b = await horseSprite(90, true);
  truth = await synthesiseClip(dir, 'fan', {
    width: 320, height: 240, frames: FRAMES, fps: 10, format: 'mp4',
    objects: [
      { id: 1, sprite: a, at: (f) => [5 + 6 * f, 20] },
      { id: 2, sprite: b, at: (f) => (f < 14 ? [210 - 4 * f, 140] : null) },
    ],
  });
  ({ result: single } = await segmentVideo(truth.path, 'horse'));
  ({ result: fanned } = await segmentVideoParallel(truth.path, 'horse', { workers: 3, onProgress: (p) => progress.push(p.frames_done) }));
}, 400_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Track id of `result` that best covers ground-truth object `gt` on frame f. */
function idOf(result: VideoResult, f: number, gt: number): number | undefined {
  const m = truth.masks[f].get(gt);
  if (!m) return undefined;
  let best: { id?: number; v: number } = { v: 0.3 };
  for (const inst of result.frames[f].instances) {
    const v = iou(decodeRle(inst.rle), m);
    if (v > best.v) best = { id: inst.track_id, v };
  }
  return best.id;
}

describe('segmentVideoParallel over 3 local worker processes', () => {
  it('has every frame once, with the times one process gives', () => {
    expect(fanned.frames.map((f) => f.index)).toEqual([...Array(FRAMES).keys()]);
    fanned.frames.forEach((f, i) => expect(f.time_s).toBeCloseTo(single.frames[i].time_s, 6));
    expect(fanned.video).toMatchObject({ frames: FRAMES, fps: 10, width: 320, height: 240 });
  });

  it('gives the same tracks as one process: one id per horse through both boundaries, same spans', () => {
    expect(fanned.tracks.map((t) => t.label)).toEqual(single.tracks.map((t) => t.label));
    for (const gt of [1, 2]) {
      const ids = new Set<number>();
      for (let f = 2; f < FRAMES; f++) {
        const id = idOf(fanned, f, gt);
        if (id !== undefined) ids.add(id);
      }
      expect(ids.size, `horse ${gt}`).toBe(1);
    }
    // Track i of one run is track map(i) of the other; spans agree within a frame (birth timing).
    const pairs = single.tracks.map((t) => {
      const f = Math.round((t.first_frame + t.last_frame) / 2);
      const inst = single.frames[f].instances.find((i) => i.track_id === t.track_id)!;
      const other = fanned.frames[f].instances.map((i) => ({ i, v: iou(decodeRle(i.rle), decodeRle(inst.rle)) })).sort((x, y) => y.v - x.v)[0];
      return { t, u: fanned.tracks.find((x) => x.track_id === other.i.track_id)! };
    });
    expect(new Set(pairs.map((p) => p.u.track_id)).size).toBe(single.tracks.length);
    for (const { t, u } of pairs) {
      expect(Math.abs(u.first_frame - t.first_frame)).toBeLessThanOrEqual(1);
      expect(Math.abs(u.last_frame - t.last_frame)).toBeLessThanOrEqual(1);
    }
  });

  it('masks agree with one process frame by frame (IoU >= 0.85 where both have the object)', () => {
    let compared = 0;
    for (let f = 2; f < FRAMES; f++) {
      for (const gt of [1, 2]) {
        const a = idOf(single, f, gt), b = idOf(fanned, f, gt);
        if (a === undefined || b === undefined) continue;
        const ma = decodeRle(single.frames[f].instances.find((i) => i.track_id === a)!.rle);
        const mb = decodeRle(fanned.frames[f].instances.find((i) => i.track_id === b)!.rle);
        expect(iou(ma, mb), `frame ${f}, horse ${gt}`).toBeGreaterThanOrEqual(0.85);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(30);
  });

  it('reports progress over owned frames up to the clip\'s total', () => {
    expect(progress.length).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBe(FRAMES);
  });

  it('refuses a clip over the limit and bad worker counts before any process starts', async () => {
    await expect(segmentVideoParallel(truth.path, 'horse', { workers: 3, limits: { maxSeconds: 1 } })).rejects.toMatchObject({ code: 'video_too_long' });
    await expect(segmentVideoParallel(truth.path, 'horse', { workers: 0 })).rejects.toMatchObject({ code: 'invalid_option' });
  });
});
