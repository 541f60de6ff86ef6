/**
 * Multi-object tracking by mask propagation + detection, the per-frame step of segmentVideo.
 * The tracker is given two functions (propagate live tracks on this frame, detect on this
 * frame) and decides everything else; it holds no pixels beyond each track's last mask, so its
 * memory does not grow with the clip.
 *
 * Per frame:
 *  1. every live track (tentative or active) is propagated: the engine decodes its mask on this
 *     frame from its previous mask, at its last box moved by its velocity;
 *  2. a propagation is doubtful when the mask is (nearly) empty, the engine's quality is low,
 *     its area drifts from the area of the track's last detection (a mask that spreads onto
 *     the background once its object has gone), or it lands on another track's object (two
 *     tracks on one object: the one whose mask moved least like itself loses it);
 *     CONTACT: two tracks whose predicted boxes overlap (objects crossing, one in front of the
 *     other) coast: their boxes move on with the velocity they had before the contact, their
 *     masks are clipped to those boxes, and association uses those predicted boxes — pixels
 *     cannot tell two touching objects of one kind apart, their motion can;
 *  3. KEYFRAME RULE — detection runs when: `keyframeInterval` frames have passed since the last
 *     detection, or no track is live (nothing to follow: only detection can see a new object),
 *     or any track is tentative (birth needs consecutive detections), or any propagation was
 *     doubtful, or a track is lost and may come back (re-identification);
 *  4. on a keyframe, live tracks are matched to detections by mask IoU (optimal assignment),
 *     then the detections left over to recently lost tracks of the same label by the IoU of
 *     their box with the box the lost track's motion predicts (re-identification), and what
 *     is still left starts a tentative track;
 *  5. BIRTH: a tentative track becomes a track (gets its id, appears in the output) when it was
 *     detected on `minHits` consecutive frames; a tentative track that misses once is dropped;
 *     DEATH: an active track that is neither propagated nor detected is lost (not output); a
 *     lost track is re-identified if found within `maxLost` frames, otherwise it ends and an
 *     object found later gets a new id.
 */
import { maskArea, maskBox, maskIoU, type BoxXYWH, type Mask } from '@promptseg/shared';
import { assign } from './assign.js';

export interface TrackerParams {
  /** Detect at least every this many frames (1 = every frame). */
  keyframeInterval: number;
  /** Birth: consecutive detected frames before a track gets its id. */
  minHits: number;
  /** Death: frames a lost track is kept for re-identification. */
  maxLost: number;
  /** Detection <-> live track: least mask IoU to be the same object. */
  matchIoU: number;
  /** Detection <-> lost track: least IoU of the detection's box with the predicted box. */
  reidIoU: number;
  /** A propagated mask below this engine quality is doubtful. */
  minQuality: number;
  /** A propagated mask whose area differs by more than this factor from the area at the track's last detection is doubtful. */
  maxAreaChange: number;
  /** An active track not detected on this many keyframes in a row is lost (stops a mask drifting onto background). */
  maxUndetected: number;
}

export const DEFAULT_TRACKER: TrackerParams = {
  keyframeInterval: 5,
  minHits: 2,
  maxLost: 30,
  matchIoU: 0.3,
  reidIoU: 0.1,
  minQuality: 0.5,
  maxAreaChange: 1.5,
  maxUndetected: 4,
};

/** A detection on one frame (a final instance of the image pipeline). */
export interface Detection {
  label: string;
  concept: string;
  conceptIndex: number;
  score: number;
  mask: Mask;
}

export interface Propagation {
  mask: Mask;
  quality: number;
  state: unknown;
}

export interface TrackInput {
  box: BoxXYWH;
  motion: [number, number];
  state?: unknown;
}

export interface TrackerStep {
  propagate(tracks: TrackInput[]): Promise<Propagation[]>;
  detect(): Promise<Detection[]>;
}

export interface Track {
  /** 0 while tentative. */
  id: number;
  status: 'tentative' | 'active' | 'lost';
  label: string;
  concept: string;
  conceptIndex: number;
  mask: Mask;
  box: BoxXYWH;
  area: number;
  /** Box-centre motion per frame (pixels). */
  velocity: [number, number];
  state?: unknown;
  /** Consecutive detected frames (birth). */
  hits: number;
  /** Frames since last seen (lost tracks). */
  lost: number;
  /** Keyframes in a row without a matching detection. */
  undetected: number;
  /** Last detection score. */
  detScore: number;
  /** Area of the mask at the track's last detection (reference for drifting propagations). */
  refArea?: number;
  /** In contact with another track on the last frame (coasting on its velocity). */
  contact?: boolean;
}

/** What the tracker saw of one track on one frame. */
export interface Observation {
  track: Track;
  mask: Mask;
  score: number;
  /** 'detected' on a keyframe match, 'propagated' otherwise. */
  via: 'detected' | 'propagated' | 'reidentified';
}

export interface StepResult {
  keyframe: boolean;
  /** Active tracks seen on this frame (each with id > 0). */
  seen: Observation[];
  born: Track[];
  ended: Track[];
}

const MIN_AREA = 16;

const centre = (b: BoxXYWH): [number, number] => [b[0] + b[2] / 2, b[1] + b[3] / 2];

function boxIoU(a: BoxXYWH, b: BoxXYWH): number {
  const x0 = Math.max(a[0], b[0]), y0 = Math.max(a[1], b[1]);
  const x1 = Math.min(a[0] + a[2], b[0] + b[2]), y1 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/** IoU of `a` with `b` moved by (dx, dy), without building the moved mask. */
export function shiftedIoU(a: Mask, b: Mask, dx: number, dy: number): number {
  const { width: w, height: h } = a;
  const sx = Math.round(dx), sy = Math.round(dy);
  let inter = 0, na = 0, nb = 0;
  for (let y = 0; y < h; y++) {
    const by = y - sy;
    for (let x = 0; x < w; x++) {
      const av = a.data[y * w + x];
      na += av;
      const bx = x - sx;
      if (av && by >= 0 && by < h && bx >= 0 && bx < w) inter += b.data[by * w + bx];
    }
  }
  for (let i = 0; i < b.data.length; i++) nb += b.data[i];
  const union = na + nb - inter;
  return union > 0 ? inter / union : 0;
}

/** Share of `a`'s pixels that are also in `b`. */
function covered(a: Mask, b: Mask): number {
  let inter = 0, n = 0;
  for (let i = 0; i < a.data.length; i++) {
    if (!a.data[i]) continue;
    n++;
    inter += b.data[i];
  }
  return n ? inter / n : 0;
}

/** Share of the smaller box covered by the overlap of two boxes. */
function boxOverlap(a: BoxXYWH, b: BoxXYWH): number {
  const x0 = Math.max(a[0], b[0]), y0 = Math.max(a[1], b[1]);
  const x1 = Math.min(a[0] + a[2], b[0] + b[2]), y1 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const small = Math.min(a[2] * a[3], b[2] * b[3]);
  return small > 0 ? inter / small : 0;
}

/** `mask` with everything outside `box` cleared (a fresh mask). */
function clipToBox(mask: Mask, box: BoxXYWH): Mask {
  const { width: w, height: h } = mask;
  const out = new Uint8Array(w * h);
  const x0 = Math.max(0, Math.floor(box[0])), y0 = Math.max(0, Math.floor(box[1]));
  const x1 = Math.min(w, Math.ceil(box[0] + box[2])), y1 = Math.min(h, Math.ceil(box[1] + box[3]));
  for (let y = y0; y < y1; y++) out.set(mask.data.subarray(y * w + x0, y * w + x1), y * w + x0);
  return { width: w, height: h, data: out };
}

/** The box where a track is expected `frames` frames after it was last seen, grown a little for its motion. */
function expectedBox(t: Track, frames: number, W: number, H: number): BoxXYWH {
  const [vx, vy] = t.velocity;
  const grow = 0.1;
  const [x, y, w, h] = t.box;
  const nx = x + vx * frames - w * grow / 2, ny = y + vy * frames - h * grow / 2;
  const x0 = Math.max(0, nx), y0 = Math.max(0, ny);
  const x1 = Math.min(W, nx + w * (1 + grow)), y1 = Math.min(H, ny + h * (1 + grow));
  return [x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)];
}

export class Tracker {
  tracks: Track[] = [];
  nextId = 1;
  /** Frames since the last detection (Infinity before the first: frame 0 is a keyframe). */
  sinceKey = Infinity;

  constructor(readonly params: TrackerParams, readonly width: number, readonly height: number) {}

  /** A coasting track (in contact) keeps its velocity; its box moves on by it. */
  private coast(t: Track, mask: Mask, predicted: BoxXYWH): void {
    t.mask = mask;
    t.box = predicted;
    t.area = maskArea(mask);
  }

  private update(t: Track, mask: Mask, frames: number): void {
    const box = maskBox(mask);
    const [cx, cy] = centre(box), [px, py] = centre(t.box);
    const v: [number, number] = [(cx - px) / Math.max(1, frames), (cy - py) / Math.max(1, frames)];
    // smoothed, so one noisy mask does not throw the prediction off
    t.velocity = t.hits + (t.id ? 1 : 0) > 1 ? [0.5 * t.velocity[0] + 0.5 * v[0], 0.5 * t.velocity[1] + 0.5 * v[1]] : v;
    t.mask = mask;
    t.box = box;
    t.area = maskArea(mask);
  }

  async step(step: TrackerStep): Promise<StepResult> {
    const P = this.params;
    const live = this.tracks.filter((t) => t.status !== 'lost');
    // Contact: active tracks whose next boxes (moved by their velocity) overlap.
    const predicted = live.map((t): BoxXYWH => [t.box[0] + t.velocity[0], t.box[1] + t.velocity[1], t.box[2], t.box[3]]);
    const contact = live.map((t, i) => t.status === 'active' && live.some((u, j) => j !== i && u.status === 'active' && u.label === t.label && boxOverlap(predicted[i], predicted[j]) > 0.02));
    const props0 = live.length
      ? await step.propagate(live.map((t) => ({ box: expectedBox(t, 1, this.width, this.height), motion: t.velocity, ...(t.state !== undefined ? { state: t.state } : {}) })))
      : [];
    // In contact, a mask stays inside its own (grown) predicted box: the other object's pixels are not its.
    const props = props0.map((p, i) => (contact[i] ? { ...p, mask: clipToBox(p.mask, expectedBox(live[i], 1, this.width, this.height)) } : p));
    // 2. which propagations are believable
    const ok = props.map((p, i) => {
      const t = live[i];
      const area = maskArea(p.mask);
      if (area < MIN_AREA || p.quality < P.minQuality) return false;
      // an object partly hidden behind the other one shrinks: not a drift
      if (contact[i]) return true;
      const ratio = area / Math.max(1, t.refArea ?? t.area);
      return ratio <= P.maxAreaChange && ratio >= 1 / P.maxAreaChange;
    });
    // Two tracks on one object: keep it for the track whose new mask is most like its own last
    // mask moved by its motion (the occluded object's track jumps onto the occluder).
    const likeSelf = props.map((p, i) => (ok[i] ? shiftedIoU(p.mask, live[i].mask, live[i].velocity[0], live[i].velocity[1]) : 0));
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        if (!ok[i] || !ok[j] || (contact[i] && contact[j])) continue;
        if (maskIoU(props[i].mask, props[j].mask) > 0.5 || covered(props[i].mask, props[j].mask) > 0.8 || covered(props[j].mask, props[i].mask) > 0.8) {
          if (likeSelf[i] >= likeSelf[j]) ok[j] = false;
          else ok[i] = false;
        }
      }
    }
    const lost = this.tracks.filter((t) => t.status === 'lost');
    const keyframe = this.sinceKey + 1 >= P.keyframeInterval || live.length === 0 || live.some((t) => t.status === 'tentative') || ok.some((v) => !v) || lost.length > 0;

    const seen: Observation[] = [];
    const born: Track[] = [];
    const ended: Track[] = [];
    const matchedLive = new Set<number>();

    if (keyframe) {
      this.sinceKey = 0;
      const dets = await step.detect();
      // 4a. live tracks <-> detections by mask IoU (same label only)
      const detBoxes = dets.map((d) => maskBox(d.mask));
      const sim = live.map((t, i) => dets.map((d, j) => (d.label !== t.label ? 0 : contact[i] ? boxIoU(predicted[i], detBoxes[j]) : maskIoU(ok[i] ? props[i].mask : t.mask, d.mask))));
      const used = new Set<number>();
      for (const [i, j] of assign(sim, P.matchIoU)) {
        const t = live[i], d = dets[j];
        matchedLive.add(i);
        used.add(j);
        // keep the propagation's low-res state when it agrees with the detection; otherwise the
        // next frame starts again from the detection's box alone
        t.state = ok[i] && maskIoU(props[i].mask, d.mask) >= 0.5 ? props[i].state : undefined;
        let mask = d.mask;
        if (contact[i] && boxIoU(predicted[i], detBoxes[j]) < 0.7) {
          // a detection of the two objects at once: only its part in this track's box is this track
          mask = clipToBox(d.mask, expectedBox(t, 1, this.width, this.height));
          this.coast(t, mask, predicted[i]);
        } else if (contact[i]) {
          this.coast(t, d.mask, detBoxes[j]);
          t.refArea = t.area;
        } else {
          this.update(t, d.mask, 1);
          t.refArea = t.area;
        }
        t.contact = contact[i];
        t.hits++;
        t.undetected = 0;
        t.detScore = d.score;
        t.concept = d.concept;
        if (t.status === 'tentative' && t.hits >= P.minHits) {
          t.status = 'active';
          t.id = this.nextId++;
          born.push(t);
        }
        if (t.status === 'active') seen.push({ track: t, mask, score: d.score, via: 'detected' });
      }
      // 4b. left-over detections <-> lost tracks, by the box their motion predicts
      const rest = dets.map((_, j) => j).filter((j) => !used.has(j));
      const simLost = lost.map((t) => rest.map((j) => (dets[j].label === t.label ? boxIoU(expectedBox(t, t.lost + 1, this.width, this.height), maskBox(dets[j].mask)) : 0)));
      const reused = new Set<number>();
      for (const [i, k] of assign(simLost, P.reidIoU)) {
        const t = lost[i], d = dets[rest[k]];
        reused.add(rest[k]);
        this.update(t, d.mask, t.lost + 1);
        t.refArea = t.area;
        t.status = 'active';
        t.state = undefined;
        t.lost = 0;
        t.undetected = 0;
        t.hits++;
        t.detScore = d.score;
        seen.push({ track: t, mask: d.mask, score: d.score, via: 'reidentified' });
      }
      // 4c. what is left starts a tentative track, unless it is an object a track already covers
      for (const j of rest) {
        if (reused.has(j)) continue;
        const d = dets[j];
        // (or two of them at once, while they touch)
        const masks = live.map((t, i) => (ok[i] ? props[i].mask : t.mask));
        const taken = masks.some((m) => maskIoU(m, d.mask) > 0.5) || masks.reduce((a, m) => a + covered(d.mask, m), 0) > 0.6;
        if (taken) continue;
        const box = maskBox(d.mask);
        const area = maskArea(d.mask);
        this.tracks.push({ id: 0, status: 'tentative', label: d.label, concept: d.concept, conceptIndex: d.conceptIndex, mask: d.mask, box, area, refArea: area, velocity: [0, 0], hits: 1, lost: 0, undetected: 0, detScore: d.score });
        if (P.minHits <= 1) {
          const t = this.tracks[this.tracks.length - 1];
          t.status = 'active';
          t.id = this.nextId++;
          born.push(t);
          seen.push({ track: t, mask: d.mask, score: d.score, via: 'detected' });
        }
      }
    } else {
      this.sinceKey++;
    }

    // Live tracks without a detection this frame: carried by their propagation, or lost.
    for (let i = 0; i < live.length; i++) {
      if (matchedLive.has(i)) continue;
      const t = live[i];
      if (t.status === 'tentative') {
        t.status = 'lost';
        t.lost = Infinity; // never re-identified: it was never an object
        continue;
      }
      if (keyframe) t.undetected++;
      // An unmatched track whose mask is mostly on a detected object of another track has
      // jumped onto it (occlusion).
      const onOther = ok[i] && !contact[i] && seen.some((o) => o.track !== t && covered(props[i].mask, o.mask) > 0.5);
      if (contact[i] && !ok[i] && t.undetected < P.maxUndetected) {
        // wholly hidden behind the other object: it coasts, unseen, until it comes out
        this.coast(t, t.mask, predicted[i]);
        t.contact = true;
        continue;
      }
      if (ok[i] && !onOther && t.undetected < P.maxUndetected) {
        const prevHits = t.hits;
        if (contact[i]) this.coast(t, props[i].mask, predicted[i]);
        else this.update(t, props[i].mask, 1);
        t.contact = contact[i];
        t.hits = prevHits;
        t.state = props[i].state;
        const score = Math.min(t.detScore, props[i].quality);
        seen.push({ track: t, mask: props[i].mask, score, via: 'propagated' });
      } else {
        t.status = 'lost';
        t.lost = 0;
        t.hits = 0;
        t.state = undefined;
      }
    }
    // Lost tracks age; past maxLost they end (a later find is a new object).
    for (const t of this.tracks) {
      if (t.status !== 'lost') continue;
      t.lost++;
      if (t.lost > P.maxLost) ended.push(t);
    }
    const gone = new Set(ended);
    this.tracks = this.tracks.filter((t) => !gone.has(t) && !(t.status === 'lost' && t.id === 0));
    seen.sort((a, b) => a.track.id - b.track.id);
    return { keyframe, seen, born, ended: ended.filter((t) => t.id > 0) };
  }
}
