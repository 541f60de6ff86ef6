import { describe, expect, it } from 'vitest';
import { parseBox, settingsFromFlags } from './segment.js';

describe('--box', () => {
  it('reads x,y,w,h in pixels, ":neg" for an exclusion box', () => {
    expect(parseBox('40,60,120,90')).toEqual({ box: [40, 60, 120, 90], negative: false });
    expect(parseBox(' 1.5, 2, 3, 4 :neg')).toEqual({ box: [1.5, 2, 3, 4], negative: true });
    expect(parseBox('1,2,3,4:positive')).toEqual({ box: [1, 2, 3, 4], negative: false });
  });

  it('refuses anything else, naming the flag and the format', () => {
    for (const bad of ['1,2,3', '1,2,0,4', 'a,b,c,d', '1,2,3,4:maybe', '']) {
      expect(() => parseBox(bad)).toThrow(expect.objectContaining({ code: 'invalid_option', message: expect.stringMatching(/^--box: /), hint: expect.stringContaining('x,y,w,h') }));
    }
  });

  it('repeated --box flags become the options.boxes of the call', () => {
    const s = settingsFromFlags({ prompt: 'car', out: 'o', box: ['1,2,3,4', '5,6,7,8:neg'] }, {}, '/tmp');
    expect(s.options.boxes).toEqual([{ box: [1, 2, 3, 4], negative: false }, { box: [5, 6, 7, 8], negative: true }]);
    expect(settingsFromFlags({ prompt: 'car', out: 'o' }, {}, '/tmp').options.boxes).toBeUndefined();
  });
});
