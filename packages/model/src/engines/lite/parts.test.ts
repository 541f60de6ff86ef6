import { describe, expect, it } from 'vitest';
import { KEYPOINTS, type Keypoint, type KeypointName, type PersonPose } from './pose.js';
import { partPrompts, type PeopleAnalysis } from './parts.js';

/** A standing person facing the camera, centred at x = 200 (their left is the image's right). */
function person(dx = 0): PersonPose {
  const at: Record<KeypointName, [number, number]> = {
    nose: [200, 60], left_eye: [208, 52], right_eye: [192, 52], left_ear: [218, 56], right_ear: [182, 56],
    left_shoulder: [240, 110], right_shoulder: [160, 110], left_elbow: [250, 170], right_elbow: [150, 170],
    left_wrist: [255, 225], right_wrist: [145, 225], left_hip: [225, 230], right_hip: [175, 230],
    left_knee: [228, 320], right_knee: [172, 320], left_ankle: [230, 400], right_ankle: [170, 400],
  };
  const keypoints = {} as Record<KeypointName, Keypoint>;
  for (const k of KEYPOINTS) keypoints[k] = { x: at[k][0] + dx, y: at[k][1], score: 0.8 };
  return { score: 0.8, box: [140 + dx, 30, 260 + dx, 420], keypoints };
}

const W = 800, H = 450;

describe('person parts as SAM prompts', () => {
  const analysis: PeopleAnalysis = { people: [person(), person(400)], faces: [{ score: 0.95, box: [185, 40, 215, 80] }], hands: [{ score: 0.9, box: [240, 215, 270, 250] }] };

  it('gives each person an upper-body prompt between shoulders and hips, face excluded', () => {
    const ps = partPrompts('upper_body', analysis, W, H);
    expect(ps).toHaveLength(2);
    const p = ps[0];
    expect(p.box[1]).toBeLessThan(110);
    expect(p.box[3]).toBeGreaterThan(230);
    expect(p.points.some((q) => !q.positive && q.x === 200 && q.y === 60)).toBe(true);
    expect(p.points.filter((q) => q.positive).every((q) => q.y > 110 && q.y < 230)).toBe(true);
  });

  it('uses the face detector box for the person whose nose it contains, keypoints for the other', () => {
    const faces = partPrompts('face', analysis, W, H);
    expect(faces).toHaveLength(2);
    expect(faces[0].box).toEqual([185, 40, 215, 80]);
    expect(faces[0].source).toContain('blazeface');
    expect(faces[1].source).toBe('movenet');
    const hair = partPrompts('hair', analysis, W, H)[0];
    expect(hair.points.find((q) => q.positive)!.y).toBeLessThan(40);
  });

  it('finds both arms, legs and shoes with their sides, and hands near wrists', () => {
    expect(partPrompts('arm', analysis, W, H).map((p) => p.side)).toEqual(['left', 'right', 'left', 'right']);
    expect(partPrompts('leg', analysis, W, H)).toHaveLength(4);
    const shoes = partPrompts('shoes', analysis, W, H);
    expect(shoes).toHaveLength(4);
    expect(shoes.every((s) => s.box[1] > 380)).toBe(true);
    const hands = partPrompts('hand', analysis, W, H);
    expect(hands.find((h) => h.person === 0 && h.side === 'left')!.box).toEqual([240, 215, 270, 250]);
    expect(hands.find((h) => h.person === 0 && h.side === 'right')!.source).toBe('movenet');
  });

  it('makes no prompt from keypoints the pose model did not see', () => {
    const p = person();
    for (const k of ['left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'] as const) p.keypoints[k].score = 0.05;
    const a: PeopleAnalysis = { people: [p], faces: [], hands: [] };
    expect(partPrompts('leg', a, W, H)).toHaveLength(0);
    expect(partPrompts('lower_body', a, W, H)).toHaveLength(0);
    expect(partPrompts('upper_body', a, W, H)).toHaveLength(1); // torso assumed from the shoulders
  });
});
