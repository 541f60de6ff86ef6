/**
 * What an English noun means to the lite engine, read from WordNet: a lite target it is a kind
 * of ("terrier" → dog), the targets it covers ("feline" → cat), or nothing, with the group it
 * belongs to ("squirrel" → a rodent, among the animals).
 *
 * The sense rule (README, "Words by meaning"): WordNet lists a noun's senses most frequent
 * first. Only senses that name a physical thing count (physical_entity.n.01 among the
 * ancestors; "cardinal" the number and "bass" the pitch do not), and named individuals (instance
 * senses: "Crane" the writer) only when the noun has no other. Then:
 *  1. the first sense that is not a person decides ("cardinal" → the bird, though the clergyman
 *     comes first; "boxer" → the dog; "tumbler" → a glass, COCO's cup); when that sense is a
 *     plant, animal or food, a later sense of those kinds among the first THING_SENSES non-person
 *     senses may stand in for it ("broccoli": the plant, then the vegetable; "chicken": the meat,
 *     then the bird). Other later senses never do: "can" and "pot" are slang for a toilet, and
 *     "siamese" and "crane" are first a pipe fitting and a machine;
 *  2. otherwise the noun is a person when all its physical senses are people ("cowboy"), or when
 *     its most frequent sense is a person by WordNet's sense-tagged counts and its thing senses
 *     are neither counted there nor animals ("pilot", "king"; not "ruler", "tiger", "whale");
 *  3. otherwise it is unknown, described by its first physical non-person sense ("tiger": a big
 *     cat, among the animals).
 * People get this lower rank because a detector finds people in most photos, so a wrong
 * "person" shows up as a wrong mask, while most nouns with a person sense among others ("ruler",
 * "tiger", "bass") are typed at a picture for the thing.
 */
import { COCO_CLASSES, PERSON_PARTS, type CocoClass, type PersonPart } from '@promptseg/shared';
import { GROUP_SYNSETS, TARGET_SYNSETS, type GroupSynset } from './synsets.js';
import type { Synset, WordNet } from './wordnet.js';

export type TargetName = CocoClass | PersonPart;

/** How many non-person senses rule 1 looks at (see the table in meaning.test.ts). */
export const THING_SENSES = 3;

const PHYSICAL_ENTITY = '00001930';
const LIVING_OR_FOOD: ReadonlySet<string> = new Set(['plant', 'animal', 'food']);
/** Suggestions and covered classes come in this order: COCO's, then the person parts. */
const TARGET_ORDER: readonly TargetName[] = [...COCO_CLASSES, ...PERSON_PARTS];
const byTargetOrder = (a: TargetName, b: TargetName) => TARGET_ORDER.indexOf(a) - TARGET_ORDER.indexOf(b);

export interface Meaning {
  /** The WordNet lemma that matched, with spaces ("german shepherd"). */
  lemma: string;
  /** The sense chosen and its number among the noun's senses (1 = most frequent). */
  sense: Synset;
  senseNumber: number;
  /**
   * - `target`: the sense is a kind of `targets[0]` (its nearest target ancestor);
   * - `covers`: the sense is a more general word with these targets below it ("feline");
   * - `none`: no target above or below; `targets` are those of its group (may be empty).
   */
  kind: 'target' | 'covers' | 'none';
  targets: TargetName[];
  /** What the sense is a kind of: its first hypernym's first word ("rodent"). */
  isA?: string;
  /** For `none`: the group it belongs to ("animals"), when one of GROUP_SYNSETS is above it. */
  group?: string;
}

interface Ancestor {
  offset: string;
  depth: number;
}

/** Derived tables, built once on the first WordNet lookup. */
interface Tables {
  targetOf: Map<string, TargetName>;
  groups: Map<string, GroupSynset>;
  /** Synset → the targets at or below it, in TARGET_SYNSETS order (COCO order, then parts). */
  below: Map<string, TargetName[]>;
}

export class MeaningReader {
  private tables?: Tables;
  private readonly ancestorCache = new Map<string, Ancestor[]>();

  constructor(readonly wn: WordNet) {}

  /** The meaning of a noun phrase as written, or undefined when WordNet does not know it. */
  meaningOf(lemma: string): Meaning | undefined {
    const entry = this.wn.entry(lemma);
    if (!entry?.offsets.length) return undefined;
    const senses = entry.offsets.map((o, i) => ({ synset: this.wn.synset(o), n: i + 1 }));
    const physical = senses.filter((s) => this.isPhysical(s.synset));
    const common = physical.filter((s) => !s.synset.instance);
    const pool = common.length ? common : physical;
    const word = lemma.trim().toLowerCase().replace(/[\s_]+/g, ' ');
    const isPerson = (m: Meaning) => m.kind !== 'none' && m.targets.length === 1 && m.targets[0] === 'person';

    // Rule 1: the first non-person sense decides; when it is a plant, an animal or a food, a
    // later one of those three kinds among the first THING_SENSES may stand in for it (WordNet
    // files the banana tree, the banana and the chicken as food apart from the plant or animal;
    // a photo shows one thing).
    const things = pool.filter((s) => s.synset.lexfile !== 'person').slice(0, THING_SENSES);
    const thingMeanings = things.map((s) => this.senseMeaning(word, s.synset, s.n));
    const maps = (m: Meaning) => m.kind !== 'none' && !isPerson(m);
    if (thingMeanings.length && maps(thingMeanings[0])) return thingMeanings[0];
    if (things.length && LIVING_OR_FOOD.has(things[0].synset.lexfile)) {
      const stand = thingMeanings.find((m, i) => i > 0 && LIVING_OR_FOOD.has(things[i].synset.lexfile) && maps(m));
      if (stand) return stand;
    }

    // Rule 2: a person, when all its physical senses are people ("cowboy", "ballerina"), or when
    // its most frequent sense (by WordNet's counts) is a person and its thing senses are neither
    // counted in the tagged corpus ("ruler": the measuring stick is) nor animals ("tiger", "whale").
    const first = pool[0];
    if (first && first.synset.lexfile === 'person') {
      const m = this.senseMeaning(word, first.synset, first.n);
      const onlyPeople = things.length === 0;
      const frequent = first.n === 1 && entry.tagged >= 1;
      const rivals = things.some((s) => s.n <= entry.tagged || s.synset.lexfile === 'animal');
      if (isPerson(m) && (onlyPeople || (frequent && !rivals))) return m;
    }

    // Rule 3: unknown, described by its first physical non-person sense.
    if (things.length) return { ...thingMeanings[0], kind: 'none', ...this.groupOf(things[0].synset) };
    const describe = pool[0] ?? senses[0];
    return { ...this.senseMeaning(word, describe.synset, describe.n), kind: 'none', ...this.groupOf(describe.synset) };
  }

  /** Hypernym ancestors of a synset, nearest first (the synset itself at depth 0). */
  ancestors(offset: string): Ancestor[] {
    const hit = this.ancestorCache.get(offset);
    if (hit) return hit;
    const out: Ancestor[] = [];
    const seen = new Set<string>([offset]);
    let level = [offset];
    for (let depth = 0; level.length; depth++) {
      const next: string[] = [];
      for (const o of level) {
        out.push({ offset: o, depth });
        for (const h of this.wn.synset(o).hypernyms) {
          if (!seen.has(h)) {
            seen.add(h);
            next.push(h);
          }
        }
      }
      level = next;
    }
    this.ancestorCache.set(offset, out);
    return out;
  }

  /** Lite targets at or below a synset (a WordNet category's classes). */
  targetsBelow(offset: string): TargetName[] {
    return this.getTables().below.get(offset) ?? [];
  }

  private isPhysical(s: Synset): boolean {
    const t = this.getTables();
    return this.ancestors(s.offset).some((a) => a.offset === PHYSICAL_ENTITY || t.targetOf.has(a.offset));
  }

  private senseMeaning(lemma: string, sense: Synset, senseNumber: number): Meaning {
    const t = this.getTables();
    const hyper = sense.hypernyms[0];
    const base = { lemma, sense, senseNumber, ...(hyper ? { isA: this.wn.synset(hyper).words[0].replace(/_/g, ' ') } : {}) };
    const ancestors = this.ancestors(sense.offset);
    const hit = ancestors.find((a) => t.targetOf.has(a.offset));
    if (hit) return { ...base, kind: 'target', targets: [t.targetOf.get(hit.offset)!] };
    const below = t.below.get(sense.offset);
    if (below?.length) return { ...base, kind: 'covers', targets: below };
    return { ...base, kind: 'none', ...this.groupOf(sense) };
  }

  /**
   * The nearest group above a sense (GROUP_SYNSETS) and its targets: all targets below any
   * synset of that group's name.
   */
  private groupOf(sense: Synset): { targets: TargetName[]; group?: string } {
    const t = this.getTables();
    const ancestors = this.ancestors(sense.offset);
    const hit = ancestors.find((a) => t.groups.has(a.offset));
    if (!hit) return { targets: [] };
    const name = t.groups.get(hit.offset)!.name;
    const targets = new Set<TargetName>();
    for (const g of GROUP_SYNSETS) if (g.name === name) for (const x of t.below.get(g.offset) ?? []) targets.add(x);
    return { targets: [...targets].sort(byTargetOrder), group: name };
  }

  private getTables(): Tables {
    if (this.tables) return this.tables;
    const targetOf = new Map<string, TargetName>(TARGET_SYNSETS.map((s) => [s.offset, s.target]));
    const groups = new Map<string, GroupSynset>(GROUP_SYNSETS.map((g) => [g.offset, g]));
    this.tables = { targetOf, groups, below: new Map() };
    const below = this.tables.below;
    for (const { offset, target } of TARGET_SYNSETS) {
      for (const a of this.ancestors(offset)) {
        const list = below.get(a.offset) ?? [];
        if (!list.includes(target)) list.push(target);
        below.set(a.offset, list);
      }
    }
    for (const list of below.values()) list.sort(byTargetOrder);
    return this.tables;
  }
}
