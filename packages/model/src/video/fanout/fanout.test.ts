/**
 * The fan-out plan and the stitcher on documents built by code: square "objects" moving on known
 * paths, cut into segments exactly as plan.ts says, with each segment numbering its own tracks
 * from 1 (as a fresh tracker does) and seeing them late on its lead-in (birth takes 2 frames).
 */
import { describe, expect, it } from 'vitest';
import { encodeRle, type Mask, type VideoFrame, type VideoResult } from '@promptseg/shared';
import { planSegments, type VideoSegment } from './plan.js';
import { stitchSegments } from './stitch.js';

const W = 64, H = 48, RATE = 10;

function square(x: number, y: number, s = 10): Mask {
  const data = new Uint8Array(W * H);
  for (let j = y; j < Math.min(H, y + s); j++) for (let i = x; i < Math.min(W, x + s); i++) if (i >= 0 && j >= 0) data[j * W + i] = 1;
  return { width: W, height: H, data };
}

interface Obj { concept: string; at: (f: number) => [number, number] | null }

/** One segment's document: frames from its start to its end, local ids in order of birth, born on their 2nd visible frame. */
function segmentDoc(seg: VideoSegment, totalFrames: number, objects: Obj[]): VideoResult {
  const first = Math.round((seg.start) * RATE), last = Math.min(totalFrames, Number.isFinite(seg.end) ? Math.round(seg.end * RATE) : totalFrames);
  const local = new Map<number, number>();
  const seen = new Map<number, number>();
  const frames: VideoFrame[] = [];
  for (let f = first; f < last; f++) {
    const instances = [];
    for (const [k, o] of objects.entries()) {
      const p = o.at(f);
      if (!p) { seen.set(k, 0); continue; }
      seen.set(k, (seen.get(k) ?? 0) + 1);
      if ((seen.get(k) ?? 0) < 2 && f - first < 2 && seg.index > 0) continue; // not yet born on this segment's lead-in
      if (!local.has(k)) local.set(k, local.size + 1);
      const m = square(p[0], p[1]);
      instances.push({ track_id: local.get(k)!, score: 0.8, box: [p[0], p[1], 10, 10] as [number, number, number, number], area: 100, rle: encodeRle(m) });
    }
    frames.push({ index: f - first, time_s: f / RATE, instances });
  }
  const tracks = [...local.entries()].map(([k, id]) => ({ track_id: id, label: objects[k].concept, concept: objects[k].concept, score: 0.8, first_frame: 0, last_frame: 0 }));
  return { video: { width: W, height: H, fps: RATE, frames: frames.length, duration_s: frames.length / RATE, source_fps: RATE, codec: 'h264' }, prompt: 'a', engine: 'lite', concepts: [], tracks, frames, timings_ms: { encode: 1 } } as VideoResult;
}

describe('planSegments', () => {
  it('splits the frames evenly, each later segment starting `overlap` frames early, the last running to the end', () => {
    const p = planSegments({ start: 0, end: Infinity, rate: 10, frames: 30, segments: 3, overlap: 4 });
    expect(p.map((s) => s.frames)).toEqual([10, 10, 10]);
    expect(p.map((s) => [s.start, s.owns])).toEqual([[0, 0], [0.6, 1], [1.6, 2]]);
    expect(p.map((s) => s.end)).toEqual([1, 2, Infinity]);
    expect(p.map((s) => s.leadIn)).toEqual([0, 4, 4]);
  });

  it('never makes segments that own fewer frames than twice the overlap (splitting would only add work)', () => {
    expect(planSegments({ start: 0, end: 1, rate: 10, frames: 10, segments: 4, overlap: 4 })).toHaveLength(1);
    expect(planSegments({ start: 0, end: 2, rate: 10, frames: 20, segments: 4, overlap: 4 })).toHaveLength(2);
  });

  it('keeps a clip start and the fps targets (start + k / rate)', () => {
    const p = planSegments({ start: 2, end: 5, rate: 5, frames: 15, segments: 2, overlap: 2 });
    expect(p[1].owns).toBeCloseTo(2 + 8 / 5, 9);
    expect(p[1].start).toBeCloseTo(2 + 6 / 5, 9);
  });
});

describe('stitchSegments', () => {
  const objects: Obj[] = [
    { concept: 'horse', at: (f) => [2 + f, 5] },
    { concept: 'horse', at: (f) => [50 - f, 30] },
    // leaves before frame 12 and comes back at 25: a new id, as a long absence gives
    { concept: 'dog', at: (f) => (f < 12 || f >= 25 ? [20, 20] : null) },
  ];
  const plan = planSegments({ start: 0, end: Infinity, rate: RATE, frames: 30, segments: 3, overlap: 4 });
  const runs = plan.map((segment) => ({ segment, result: segmentDoc(segment, 30, objects) }));
  const out = stitchSegments(runs, RATE);

  it('keeps every frame once, in order, renumbered 0…N-1 with its time', () => {
    expect(out.frames.map((f) => f.index)).toEqual([...Array(30).keys()]);
    expect(out.frames.map((f) => Math.round(f.time_s * RATE))).toEqual([...Array(30).keys()]);
    expect(out.video.frames).toBe(30);
  });

  it('carries each object\'s id across both boundaries (no id switch) and keeps concepts apart', () => {
    const idsOf = (k: number) => new Set(out.frames.flatMap((f) => f.instances.filter((i) => i.box[1] === objects[k].at(f.index)?.[1] && i.box[0] === objects[k].at(f.index)?.[0]).map((i) => i.track_id)));
    expect([...idsOf(0)]).toHaveLength(1);
    expect([...idsOf(1)]).toHaveLength(1);
    expect(idsOf(0)).not.toEqual(idsOf(1));
  });

  it('recomputes tracks from the kept frames: first/last frame, label; a long absence is a new id', () => {
    const horses = out.tracks.filter((t) => t.concept === 'horse');
    expect(horses.map((t) => [t.first_frame, t.last_frame])).toEqual([[0, 29], [0, 29]]);
    const dogs = out.tracks.filter((t) => t.concept === 'dog');
    expect(dogs.map((t) => [t.first_frame, t.last_frame])).toEqual([[0, 11], [25, 29]]);
    expect(new Set(out.tracks.map((t) => t.track_id)).size).toBe(out.tracks.length);
    expect(out.timings_ms.encode).toBe(3);
  });

  it('does not carry an id to a track of another concept at the same place', () => {
    const swapped = runs.map((r, i) => (i === 1 ? { ...r, result: { ...r.result, tracks: r.result.tracks.map((t) => ({ ...t, concept: t.concept === 'horse' ? 'zebra' : t.concept })) } } : r));
    const s = stitchSegments(swapped, RATE);
    const idsAt = (f: number) => s.frames[f].instances.map((i) => i.track_id).sort();
    expect(idsAt(5)).not.toEqual(idsAt(15)); // the horses of segment 2 got new ids
  });
});
