/**
 * Parts of people as SAM prompts. MoveNet gives each person's skeleton, BlazeFace the face
 * boxes and handtrack the hand boxes; here they become a box and positive/negative points per
 * part, in pixels of the original image. Geometry is expressed in body proportions (shoulder
 * width, face height) so it scales with the person, not the image.
 */
import type { PersonPart } from '@promptseg/shared';
import type { FaceBox } from './face.js';
import { clampBox, type BoxXYXY } from './geometry.js';
import type { HandBox } from './hands.js';
import type { Keypoint, KeypointName, PersonPose } from './pose.js';
import type { SamPoint } from './sam.js';
import { POSE } from './config.js';

export interface PeopleAnalysis {
  people: PersonPose[];
  faces: FaceBox[];
  hands: HandBox[];
}

export interface PartPrompt {
  part: PersonPart;
  /** Which person (index into analysis.people), -1 when found without a skeleton (a lone face / hand box). */
  person: number;
  /** "left" / "right" for arms, legs, hands, shoes (the person's own side). */
  side?: 'left' | 'right';
  box: BoxXYXY;
  points: SamPoint[];
  /** Evidence for the part, 0..1 (keypoint or detector scores). */
  score: number;
  /** Which models found it. */
  source: string;
}

type Pt = { x: number; y: number };

const mid = (a: Pt, b: Pt): Pt => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const lerp = (a: Pt, b: Pt, t: number): Pt => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
const dist = (a: Pt, b: Pt): number => Math.hypot(a.x - b.x, a.y - b.y);
const pos = (p: Pt): SamPoint => ({ x: p.x, y: p.y, positive: true });
const neg = (p: Pt): SamPoint => ({ x: p.x, y: p.y, positive: false });

function boxAround(points: Pt[], pad: number, w: number, h: number): BoxXYXY {
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  return clampBox([Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad], w, h);
}

function centreBox(c: Pt, halfW: number, halfH: number, w: number, h: number): BoxXYXY {
  return clampBox([c.x - halfW, c.y - halfH, c.x + halfW, c.y + halfH], w, h);
}

class Skeleton {
  constructor(readonly pose: PersonPose) {}
  has(...names: KeypointName[]): boolean {
    return names.every((n) => this.pose.keypoints[n].score >= POSE.minKeypointScore);
  }
  kp(name: KeypointName): Keypoint {
    return this.pose.keypoints[name];
  }
  score(...names: KeypointName[]): number {
    return names.reduce((s, n) => s + this.kp(n).score, 0) / names.length;
  }
  /** A body-size unit: shoulder width, else eye distance x 4, else a fifth of the box height. */
  unit(): number {
    if (this.has('left_shoulder', 'right_shoulder')) return Math.max(8, dist(this.kp('left_shoulder'), this.kp('right_shoulder')));
    if (this.has('left_eye', 'right_eye')) return Math.max(8, 4 * dist(this.kp('left_eye'), this.kp('right_eye')));
    return Math.max(8, (this.pose.box[3] - this.pose.box[1]) / 5);
  }
}

/** The face box belonging to a skeleton: the face detection containing its nose (or nearest eyes). */
function faceFor(sk: Skeleton, faces: FaceBox[]): FaceBox | undefined {
  if (!sk.has('nose')) return undefined;
  const n = sk.kp('nose');
  let best: FaceBox | undefined, bestD = Infinity;
  for (const f of faces) {
    const c = { x: (f.box[0] + f.box[2]) / 2, y: (f.box[1] + f.box[3]) / 2 };
    const size = f.box[2] - f.box[0];
    const d = dist(c, n);
    if (d < size && d < bestD) { best = f; bestD = d; }
  }
  return best;
}

/** Face box from the face detector, else from the eyes/ears/nose keypoints. */
function faceBox(sk: Skeleton, face: FaceBox | undefined, w: number, h: number): { box: BoxXYXY; score: number; source: string } | undefined {
  if (face) return { box: face.box, score: face.score, source: 'blazeface' };
  if (!sk.has('nose', 'left_eye', 'right_eye')) return undefined;
  const eyes = dist(sk.kp('left_eye'), sk.kp('right_eye'));
  const c = lerp(mid(sk.kp('left_eye'), sk.kp('right_eye')), sk.kp('nose'), 0.6);
  return { box: centreBox(c, eyes * 1.3, eyes * 1.5, w, h), score: sk.score('nose', 'left_eye', 'right_eye'), source: 'movenet' };
}

function headParts(sk: Skeleton, idx: number, faces: FaceBox[], w: number, h: number): PartPrompt[] {
  const f = faceBox(sk, faceFor(sk, faces), w, h);
  if (!f) return [];
  const [x0, y0, x1, y1] = f.box;
  const fw = x1 - x0, fh = y1 - y0;
  const c = { x: (x0 + x1) / 2, y: (y0 + y1) / 2 };
  const nose = sk.has('nose') ? sk.kp('nose') : c;
  const chest = sk.has('left_shoulder', 'right_shoulder') ? lerp(mid(sk.kp('left_shoulder'), sk.kp('right_shoulder')), c, -0.3) : undefined;
  const source = f.source === 'blazeface' ? 'movenet+blazeface' : 'movenet';
  const out: PartPrompt[] = [];
  // Face: the detector's box (eyebrows to chin) and the nose; the hair line above is excluded.
  out.push({ part: 'face', person: idx, box: f.box, points: [pos(nose), neg({ x: c.x, y: y0 - 0.35 * fh })], score: f.score, source });
  // Head: face box grown up (hair) and sideways (ears), down to the chin; nose + forehead in, chest out.
  const headBox = clampBox([x0 - 0.35 * fw, y0 - 0.75 * fh, x1 + 0.35 * fw, y1 + 0.1 * fh], w, h);
  const headPts = [pos(nose), pos({ x: c.x, y: y0 - 0.2 * fh })];
  if (chest && chest.y < h) headPts.push(neg(chest));
  out.push({ part: 'head', person: idx, box: headBox, points: headPts, score: f.score, source });
  // Hair: above the forehead and beside the temples; face skin (nose, cheeks) out.
  const hairPts = [pos({ x: c.x, y: y0 - 0.3 * fh }), pos({ x: x0 - 0.05 * fw, y: y0 + 0.1 * fh }), pos({ x: x1 + 0.05 * fw, y: y0 + 0.1 * fh }), neg(nose), neg({ x: c.x, y: y0 + 0.3 * fh })];
  out.push({ part: 'hair', person: idx, box: headBox, points: hairPts.filter((p) => p.y >= 0 && p.x >= 0 && p.x < w), score: f.score * 0.9, source });
  return out;
}

function limbParts(sk: Skeleton, idx: number, w: number, h: number): PartPrompt[] {
  const out: PartPrompt[] = [];
  const u = sk.unit();
  for (const side of ['left', 'right'] as const) {
    const sh = `${side}_shoulder` as const, el = `${side}_elbow` as const, wr = `${side}_wrist` as const;
    if (sk.has(sh, el, wr)) {
      const a = sk.kp(sh), b = sk.kp(el), c = sk.kp(wr);
      out.push({ part: 'arm', person: idx, side, box: boxAround([a, b, c], 0.25 * u, w, h), points: [pos(lerp(a, b, 0.5)), pos(b), pos(lerp(b, c, 0.5))], score: sk.score(sh, el, wr), source: 'movenet' });
    } else if (sk.has(sh, el)) {
      const a = sk.kp(sh), b = sk.kp(el);
      out.push({ part: 'arm', person: idx, side, box: boxAround([a, b], 0.25 * u, w, h), points: [pos(lerp(a, b, 0.5)), pos(b)], score: sk.score(sh, el) * 0.8, source: 'movenet' });
    }
    const hp = `${side}_hip` as const, kn = `${side}_knee` as const, an = `${side}_ankle` as const;
    if (sk.has(hp, kn)) {
      const a = sk.kp(hp), b = sk.kp(kn);
      const pts = [a, b];
      const prompts = [pos(lerp(a, b, 0.5)), pos(b)];
      let score = sk.score(hp, kn);
      if (sk.has(an)) {
        pts.push(sk.kp(an));
        prompts.push(pos(lerp(b, sk.kp(an), 0.5)));
        score = sk.score(hp, kn, an);
      }
      out.push({ part: 'leg', person: idx, side, box: boxAround(pts, 0.25 * u, w, h), points: prompts, score, source: 'movenet' });
    }
    if (sk.has(kn, an)) {
      // Shoe: just below the ankle, along the shin direction, about a third of the shin long.
      const k = sk.kp(kn), a = sk.kp(an);
      const shin = dist(k, a);
      const c = lerp(k, a, 1.12);
      out.push({ part: 'shoes', person: idx, side, box: centreBox(c, 0.3 * shin, 0.2 * shin, w, h), points: [pos(c), neg(lerp(k, a, 0.6))], score: sk.score(kn, an), source: 'movenet' });
    }
  }
  return out;
}

function torsoParts(sk: Skeleton, idx: number, w: number, h: number): PartPrompt[] {
  const out: PartPrompt[] = [];
  if (!sk.has('left_shoulder', 'right_shoulder')) return out;
  const ls = sk.kp('left_shoulder'), rs = sk.kp('right_shoulder');
  const u = sk.unit();
  const shoulders = mid(ls, rs);
  const hipsKnown = sk.has('left_hip', 'right_hip');
  // Without hips (portraits cut at the chest) the torso is assumed 1.3 shoulder widths long.
  const hips = hipsKnown ? mid(sk.kp('left_hip'), sk.kp('right_hip')) : { x: shoulders.x, y: shoulders.y + 1.3 * u };
  const torsoC = mid(shoulders, hips);
  const xs = [ls.x, rs.x];
  for (const k of ['left_elbow', 'right_elbow'] as const) if (sk.has(k)) xs.push(sk.kp(k).x);
  const upperBox = clampBox([Math.min(...xs) - 0.15 * u, shoulders.y - 0.25 * u, Math.max(...xs) + 0.15 * u, hips.y + 0.15 * u], w, h);
  const upperPts: SamPoint[] = [pos(lerp(shoulders, hips, 0.3)), pos(torsoC)];
  if (sk.has('nose')) upperPts.push(neg(sk.kp('nose')));
  for (const k of ['left_wrist', 'right_wrist'] as const) if (sk.has(k) && sk.kp(k).y < h) upperPts.push(neg(sk.kp(k)));
  out.push({ part: 'upper_body', person: idx, box: upperBox, points: upperPts.filter((p) => p.y < h), score: hipsKnown ? sk.score('left_shoulder', 'right_shoulder', 'left_hip', 'right_hip') : sk.score('left_shoulder', 'right_shoulder') * 0.9, source: 'movenet' });
  if (hipsKnown && sk.has('left_knee', 'right_knee')) {
    const lh = sk.kp('left_hip'), rh = sk.kp('right_hip'), lk = sk.kp('left_knee'), rk = sk.kp('right_knee');
    const pts: Pt[] = [lh, rh, lk, rk];
    const prompts = [pos(lerp(lh, lk, 0.4)), pos(lerp(rh, rk, 0.4)), pos(mid(lh, rh))];
    let names: KeypointName[] = ['left_hip', 'right_hip', 'left_knee', 'right_knee'];
    if (sk.has('left_ankle', 'right_ankle')) {
      pts.push(sk.kp('left_ankle'), sk.kp('right_ankle'));
      names = [...names, 'left_ankle', 'right_ankle'];
    }
    out.push({ part: 'lower_body', person: idx, box: boxAround(pts, 0.2 * u, w, h), points: prompts, score: sk.score(...names), source: 'movenet' });
  }
  return out;
}

/** Hand boxes near a wrist belong to that person; a wrist without a box gets one extrapolated from the forearm. */
function handParts(sk: Skeleton, idx: number, hands: HandBox[], w: number, h: number): PartPrompt[] {
  const out: PartPrompt[] = [];
  for (const side of ['left', 'right'] as const) {
    const el = `${side}_elbow` as const, wr = `${side}_wrist` as const;
    if (!sk.has(wr)) continue;
    const wrist = sk.kp(wr);
    const forearm = sk.has(el) ? dist(sk.kp(el), wrist) : sk.unit() * 0.6;
    const box = hands.find((b) => {
      const c = { x: (b.box[0] + b.box[2]) / 2, y: (b.box[1] + b.box[3]) / 2 };
      return dist(c, wrist) < 0.8 * forearm;
    });
    if (box) {
      const c = { x: (box.box[0] + box.box[2]) / 2, y: (box.box[1] + box.box[3]) / 2 };
      out.push({ part: 'hand', person: idx, side, box: box.box, points: [pos(c)], score: Math.min(box.score, sk.kp(wr).score + 0.3), source: 'movenet+handtrack' });
    } else if (sk.has(el)) {
      const c = lerp(sk.kp(el), wrist, 1.3);
      if (c.x < 0 || c.y < 0 || c.x >= w || c.y >= h) continue;
      out.push({ part: 'hand', person: idx, side, box: centreBox(c, 0.45 * forearm, 0.45 * forearm, w, h), points: [pos(c), neg(lerp(sk.kp(el), wrist, 0.6))], score: sk.score(el, wr) * 0.8, source: 'movenet' });
    }
  }
  return out;
}

/** All prompts for one requested part, every person in the image. */
export function partPrompts(part: PersonPart, analysis: PeopleAnalysis, width: number, height: number): PartPrompt[] {
  const out: PartPrompt[] = [];
  analysis.people.forEach((pose, idx) => {
    const sk = new Skeleton(pose);
    const all = part === 'face' || part === 'head' || part === 'hair' ? headParts(sk, idx, analysis.faces, width, height)
      : part === 'hand' ? handParts(sk, idx, analysis.hands, width, height)
      : part === 'upper_body' || part === 'lower_body' ? torsoParts(sk, idx, width, height)
      : limbParts(sk, idx, width, height);
    out.push(...all.filter((p) => p.part === part && p.box[2] - p.box[0] >= 2 && p.box[3] - p.box[1] >= 2));
  });
  // Faces and hands the skeletons missed (a close-up face, a hand at the edge) still count.
  if (part === 'face') {
    const used = new Set(out.map((p) => p.box.join(',')));
    for (const f of analysis.faces) if (!used.has(f.box.join(','))) out.push({ part, person: -1, box: f.box, points: [pos({ x: (f.box[0] + f.box[2]) / 2, y: (f.box[1] + f.box[3]) / 2 })], score: f.score, source: 'blazeface' });
  }
  if (part === 'hand') {
    const used = out.map((p) => p.box);
    for (const hb of analysis.hands) if (!used.some((b) => b === hb.box)) out.push({ part, person: -1, box: hb.box, points: [pos({ x: (hb.box[0] + hb.box[2]) / 2, y: (hb.box[1] + hb.box[3]) / 2 })], score: hb.score * 0.9, source: 'handtrack' });
  }
  return out;
}
