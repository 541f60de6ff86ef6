import { describe, expect, it } from 'vitest';
import { objectPrompt, withClicks } from './engine.js';

describe('objectPrompt / withClicks (the SAM prompt of a detection, and of its click refinement)', () => {
  it('a person gets a centre point with the box, the box alone as fallback; other classes the box alone', () => {
    expect(objectPrompt('person', [10, 20, 110, 220])).toEqual({
      prompt: { box: [10, 20, 110, 220], points: [{ x: 60, y: 120, positive: true }] },
      fallback: { box: [10, 20, 110, 220] },
    });
    expect(objectPrompt('chair', [10, 20, 110, 220])).toEqual({ prompt: { box: [10, 20, 110, 220] } });
  });

  it('clicks come after the object\'s own points; a negative click on the centre point drops it', () => {
    const { prompt } = objectPrompt('person', [0, 0, 100, 200]);
    const pos = { x: 50, y: 150, positive: true };
    expect(withClicks(prompt, [pos]).points).toEqual([{ x: 50, y: 100, positive: true }, pos]);
    const onCentre = { x: 52, y: 104, positive: false };
    expect(withClicks(prompt, [onCentre]).points).toEqual([onCentre]);
    const far = { x: 50, y: 20, positive: false };
    expect(withClicks(prompt, [far]).points).toHaveLength(2);
    expect(withClicks({ box: [0, 0, 10, 10] }, [pos])).toEqual({ box: [0, 0, 10, 10], points: [pos] });
  });
});
