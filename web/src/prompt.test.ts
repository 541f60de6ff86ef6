import { describe, expect, it } from 'vitest';
import { promptParts, replacePart, withoutPart } from './prompt.js';

describe('prompt chips', () => {
  it('splits at commas, semicolons, new lines and CJK commas', () => {
    expect(promptParts(' person, dog ;blue shirt\n猫，杯子 ,, ')).toEqual(['person', 'dog', 'blue shirt', '猫', '杯子']);
  });
  it('removes and replaces parts', () => {
    expect(withoutPart('person, dog, cup', 1)).toBe('person, cup');
    expect(replacePart('person, doggo', 'doggo', 'dog')).toBe('person, dog');
    expect(replacePart('person', 'zzz', 'dog')).toBe('person, dog');
  });
});
