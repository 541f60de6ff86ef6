/**
 * Joins the documents of a clip's segments (plan.ts) into one, as if one tracker had run:
 *
 * - Frames: each segment contributes the frames it owns (time ≥ its `owns`, less half a frame for
 *   rounded timestamps); the lead-in frames it decoded before are only used for matching, the
 *   previous segment's version of them (which had the history) is kept. Indices are renumbered
 *   0, 1, 2, … in time order.
 * - Ids: on the lead-in frames both segments saw, every track of the later segment is compared with
 *   every track of the earlier one (same concept only) by mean mask IoU over the frames where both
 *   appear; an optimal one-to-one assignment (assign.ts, Hungarian) at IoU ≥ 0.5 carries the earlier
 *   segment's global id over; an unmatched track gets a new id when it first appears in owned frames.
 * - Tracks: first / last frame and the mean score are recomputed from the kept frames.
 *
 * A track that is out of sight on the whole lead-in (an occlusion across a boundary) cannot be
 * matched and gets a new id; within a segment re-identification works as in segmentVideo.
 */
import { decodeRle, maskIoU, roundScore, type VideoFrame, type VideoResult, type VideoTrack } from '@promptseg/shared';
import { assign } from '../assign.js';
import type { VideoSegment } from './plan.js';

export interface SegmentRun {
  segment: VideoSegment;
  result: VideoResult;
}

export const STITCH_MIN_IOU = 0.5;

/** Similarity of the later segment's tracks (columns) to the earlier one's global ids (rows) on shared frames. */
function similarity(prev: VideoFrame[], next: VideoFrame[], prevIds: Map<number, number>, concepts: { prev: Map<number, string>; next: Map<number, string> }, halfFrame: number) {
  const rows = [...new Set(prevIds.values())];
  const cols = [...new Set(next.flatMap((f) => f.instances.map((i) => i.track_id)))];
  const sum = rows.map(() => cols.map(() => 0));
  const cnt = rows.map(() => cols.map(() => 0));
  const conceptOfGlobal = new Map<number, string>();
  for (const [local, g] of prevIds) conceptOfGlobal.set(g, concepts.prev.get(local) ?? '');
  for (const nf of next) {
    const pf = prev.find((f) => Math.abs(f.time_s - nf.time_s) < halfFrame);
    if (!pf) continue;
    for (const pi of pf.instances) {
      const g = prevIds.get(pi.track_id);
      if (g === undefined) continue;
      const r = rows.indexOf(g);
      const pm = decodeRle(pi.rle);
      for (const ni of nf.instances) {
        const c = cols.indexOf(ni.track_id);
        if (conceptOfGlobal.get(g) !== concepts.next.get(ni.track_id)) continue;
        sum[r][c] += maskIoU(pm, decodeRle(ni.rle));
        cnt[r][c]++;
      }
    }
  }
  return { rows, cols, sim: sum.map((r, i) => r.map((s, j) => (cnt[i][j] ? s / cnt[i][j] : 0))) };
}

export function stitchSegments(runs: SegmentRun[], rate: number): VideoResult {
  if (!runs.length) throw new Error('stitchSegments: no segments');
  const half = 0.5 / rate;
  const ordered = [...runs].sort((a, b) => a.segment.index - b.segment.index);
  let nextGlobal = 1;
  const kept: VideoFrame[] = [];
  const info = new Map<number, Pick<VideoTrack, 'label' | 'concept'>>();
  let prev: { frames: VideoFrame[]; ids: Map<number, number>; concepts: Map<number, string> } | undefined;
  for (const run of ordered) {
    const own = run.segment.index === 0 ? run.result.frames : run.result.frames.filter((f) => f.time_s >= run.segment.owns - half);
    const leadIn = run.segment.index === 0 ? [] : run.result.frames.filter((f) => f.time_s < run.segment.owns - half);
    const concepts = new Map(run.result.tracks.map((t) => [t.track_id, t.concept]));
    const ids = new Map<number, number>();
    if (prev && leadIn.length) {
      const { rows, cols, sim } = similarity(prev.frames, leadIn, prev.ids, { prev: prev.concepts, next: concepts }, half);
      for (const [r, c] of assign(sim, STITCH_MIN_IOU)) ids.set(cols[c], rows[r]);
    }
    const labels = new Map(run.result.tracks.map((t) => [t.track_id, { label: t.label, concept: t.concept }]));
    for (const f of own) {
      const instances = f.instances.map((inst) => {
        let g = ids.get(inst.track_id);
        if (g === undefined) {
          g = nextGlobal++;
          ids.set(inst.track_id, g);
        }
        if (!info.has(g)) info.set(g, labels.get(inst.track_id) ?? { label: '', concept: '' });
        return { ...inst, track_id: g };
      });
      kept.push({ ...f, instances });
    }
    prev = { frames: own, ids, concepts };
  }
  kept.sort((a, b) => a.time_s - b.time_s);
  const tracks = new Map<number, VideoTrack & { sum: number; n: number }>();
  kept.forEach((f, index) => {
    f.index = index;
    for (const inst of f.instances) {
      const t = tracks.get(inst.track_id) ?? { track_id: inst.track_id, ...(info.get(inst.track_id) ?? { label: '', concept: '' }), score: 0, first_frame: index, last_frame: index, sum: 0, n: 0 };
      t.last_frame = index;
      t.sum += inst.score;
      t.n++;
      tracks.set(inst.track_id, t);
    }
  });
  const first = ordered[0].result;
  const timings: Record<string, number> = {};
  for (const r of ordered) for (const [k, v] of Object.entries(r.result.timings_ms)) timings[k] = Math.round(((timings[k] ?? 0) + v) * 10) / 10;
  return {
    ...first,
    video: { ...first.video, frames: kept.length, duration_s: Math.round((kept.length / rate) * 1000) / 1000 },
    tracks: [...tracks.values()].sort((a, b) => a.track_id - b.track_id).map(({ sum, n, ...t }) => ({ ...t, score: roundScore(sum / n) })),
    frames: kept,
    timings_ms: timings,
  };
}
