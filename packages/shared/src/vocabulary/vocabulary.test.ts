/**
 * The vocabulary data: complete (every lite concept has English and Chinese names), consistent
 * (translations point at vocabulary words, no word means two things) and reachable (every word in
 * the tables parses back to its own entry).
 */
import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../prompt/parse.js';
import { CATEGORY_WORDS } from './categories.js';
import { COCO_CLASSES, PERSON_PARTS } from './coco.js';
import { COLOR_WORDS, POSITION_WORDS, SIZE_WORDS } from './attributes.js';
import { lexicon, senseOf } from './lexicon.js';
import { OBJECT_WORDS } from './objects.js';
import { PART_WORDS } from './parts.js';
import { resolveLiteConcept } from './resolve.js';
import { TRADITIONAL_TO_SIMPLIFIED } from './traditional.js';
import { pluralize, singularize } from './inflect.js';

const ENTRIES = [
  ...OBJECT_WORDS.map((o) => ({ name: o.class, en: o.en, zh: o.zh })),
  ...CATEGORY_WORDS.map((c) => ({ name: `category ${c.en[0]}`, en: c.en, zh: c.zh })),
  ...PART_WORDS.map((p) => ({ name: `part ${p.part}`, en: p.en, zh: p.zh })),
];

describe('COCO classes', () => {
  it('lists the 80 classes in detector index order', () => {
    expect(COCO_CLASSES).toHaveLength(80);
    expect(new Set(COCO_CLASSES).size).toBe(80);
    expect([COCO_CLASSES[0], COCO_CLASSES[2], COCO_CLASSES[15], COCO_CLASSES[16], COCO_CLASSES[41], COCO_CLASSES[62], COCO_CLASSES[79]]).toEqual([
      'person', 'car', 'cat', 'dog', 'cup', 'tv', 'toothbrush',
    ]);
  });
});

describe('every lite concept has names in both languages', () => {
  it('every COCO class has one vocabulary entry whose first English word is the class name, and a Chinese name', () => {
    for (const cls of COCO_CLASSES) {
      const entries = OBJECT_WORDS.filter((o) => o.class === cls);
      expect(entries, cls).toHaveLength(1);
      expect(entries[0].en[0]).toBe(cls);
      expect(Object.keys(entries[0].zh).length, `${cls} has no Chinese name`).toBeGreaterThan(0);
    }
    expect(OBJECT_WORDS).toHaveLength(80);
  });

  it('every person part has English and Chinese names', () => {
    for (const part of PERSON_PARTS) {
      const entry = PART_WORDS.find((p) => p.part === part);
      expect(entry, part).toBeDefined();
      expect(entry?.en.length).toBeGreaterThan(0);
      expect(Object.keys(entry?.zh ?? {}).length, `${part} has no Chinese name`).toBeGreaterThan(0);
    }
  });

  it('every category word, colour, position and size has a Chinese word', () => {
    for (const c of CATEGORY_WORDS) expect(Object.keys(c.zh).length, c.en[0]).toBeGreaterThan(0);
    for (const c of COLOR_WORDS) expect(c.zh.length, c.name).toBeGreaterThan(0);
    for (const p of POSITION_WORDS) expect(p.zh.length, p.side).toBeGreaterThan(0);
    for (const s of SIZE_WORDS) expect(s.zh.length, s.size).toBeGreaterThan(0);
  });
});

describe('vocabulary consistency', () => {
  it('each Chinese word translates to an English word of its own entry', () => {
    for (const e of ENTRIES) {
      for (const [zh, en] of Object.entries(e.zh)) expect(e.en, `${e.name}: ${zh} → ${en}`).toContain(en);
    }
  });

  it('no English word and no Chinese noun belongs to two entries', () => {
    const seenEn = new Map<string, string>();
    const seenZh = new Map<string, string>();
    for (const e of ENTRIES) {
      for (const w of e.en) {
        expect(seenEn.get(w), `"${w}" is in ${seenEn.get(w)} and ${e.name}`).toBeUndefined();
        seenEn.set(w, e.name);
      }
      for (const w of Object.keys(e.zh)) {
        expect(seenZh.get(w), `"${w}" is in ${seenZh.get(w)} and ${e.name}`).toBeUndefined();
        seenZh.set(w, e.name);
      }
    }
  });

  it('no vocabulary word is written with a traditional character (conversion happens first)', () => {
    const traditional = new Set(TRADITIONAL_TO_SIMPLIFIED.keys());
    for (const key of lexicon().zh.keys()) {
      expect([...key].filter((ch) => traditional.has(ch)), key).toEqual([]);
    }
  });

  it('every English word, singular and plural, parses to its own entry', () => {
    for (const e of ENTRIES) {
      for (const w of e.en) {
        for (const form of [w, pluralize(w)]) {
          const [c] = parsePrompt(form).concepts;
          const r = resolveLiteConcept(c);
          expect(r.status, `${form} (${e.name})`).toBe('ok');
          const { target, label } = senseOf(w) ?? {};
          expect({ target: r.target, label: r.label }, `${form} (${e.name})`).toEqual({ target, label });
        }
      }
    }
  });

  it('every Chinese word parses to its own entry', () => {
    for (const e of ENTRIES) {
      for (const [zh, en] of Object.entries(e.zh)) {
        const [c] = parsePrompt(zh).concepts;
        expect(c.head, `${zh} (${e.name})`).toBe(en);
        expect(resolveLiteConcept(c).status).toBe('ok');
      }
    }
  });
});

describe('inflection', () => {
  it.each([
    ['dog', 'dogs'], ['person', 'people'], ['woman', 'women'], ['policeman', 'policemen'], ['knife', 'knives'],
    ['mouse', 'mice'], ['sheep', 'sheep'], ['bus', 'buses'], ['box', 'boxes'], ['puppy', 'puppies'], ['toy', 'toys'],
    ['hot dog', 'hot dogs'], ['wine glass', 'wine glasses'], ['scissors', 'scissors'], ['hoodie', 'hoodies'], ['child', 'children'],
  ])('%s ↔ %s', (one, many) => {
    expect(pluralize(one)).toBe(many);
    expect(singularize(many)).toBe(one);
  });

  it('leaves singular words alone when singularizing', () => {
    for (const w of ['glass', 'grass', 'bus', 'cactus', 'hair', 'news']) expect(singularize(w)).toBe(w);
    expect(singularize('squirrels')).toBe('squirrel');
    expect(singularize('rockets')).toBe('rocket');
  });
});
