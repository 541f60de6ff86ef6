import { describe, expect, it } from 'vitest';
import { clipType, frameAtTime, seekTime, tintAlpha, trackRows } from './timeline.js';

const frames = [0, 0.1, 0.2, 0.3, 0.45].map((time_s, index) => ({ index, time_s, instances: [] }));

describe('video timeline', () => {
  it('shows the last frame at or before the player time (variable rates included), the first before it', () => {
    expect(frameAtTime(frames, -1)).toBe(0);
    expect(frameAtTime(frames, 0)).toBe(0);
    expect(frameAtTime(frames, 0.0999)).toBe(1); // a seek a hair early still lands on the frame
    expect(frameAtTime(frames, 0.15)).toBe(1);
    expect(frameAtTime(frames, 0.44)).toBe(3);
    expect(frameAtTime(frames, 9)).toBe(4);
    expect(frameAtTime([], 1)).toBe(-1);
  });

  it('seeks every frame back to itself', () => {
    for (let i = 0; i < frames.length; i++) expect(frameAtTime(frames, seekTime(frames, i, 10))).toBe(i);
  });

  it('lists tracks in id order with their first and last time', () => {
    const rows = trackRows({ frames, tracks: [
      { track_id: 2, label: 'dog', concept: 'dog', score: 0.8, first_frame: 2, last_frame: 4 },
      { track_id: 1, label: 'person', concept: 'person', score: 0.9, first_frame: 0, last_frame: 1 },
    ] });
    expect(rows.map((r) => [r.track.track_id, r.from_s, r.to_s])).toEqual([[1, 0, 0.1], [2, 0.2, 0.45]]);
  });

  it('takes MP4, WebM and MOV clips, by type or by extension', () => {
    expect(clipType('a.mp4', 'video/mp4')).toBe('video/mp4');
    expect(clipType('a.MOV', '')).toBe('video/quicktime');
    expect(clipType('a.webm', 'application/octet-stream')).toBe('video/webm');
    expect(clipType('a.png', 'image/png')).toBeUndefined();
    expect(clipType('a.avi', 'video/x-msvideo')).toBeUndefined();
  });

  it('makes a highlighted track stand out', () => {
    expect(tintAlpha(3, undefined)).toBe(tintAlpha(4, undefined));
    expect(tintAlpha(3, 3)).toBeGreaterThan(tintAlpha(4, 3) * 4);
  });
});
