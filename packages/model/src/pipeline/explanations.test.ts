/**
 * Every instance the lite engine returns explains itself (`why`), and the explanation adds up:
 * the score recomputed from the why fields is the instance's score, and the formula's numbers
 * are those fields with the score at its end. Detected objects: the calibrated model of
 * engines/lite/scoring.ts on detector, rival, passes and mask quality, times the attribute
 * factors; parts of people: √detector × mask quality × attribute factors.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Explanation, Instance } from '@promptseg/shared';
import { segment, warmup } from './segment.js';
import { CALIBRATION, objectScore } from '../engines/lite/scoring.js';

const SAMPLES = fileURLToPath(new URL('../../../../web/public/samples/', import.meta.url));

/** The "<number> (<what>)" factors of a formula (a calibrated "σ(…)" factor as `sigma`), and the number after its last "=". */
function readFormula(formula: string): { factors: { value: number; what: string }[]; sigma?: string; total: number } {
  const cut = formula.lastIndexOf(' = ');
  expect(cut, `formula without a result: ${formula}`).toBeGreaterThan(0);
  let sigma: string | undefined;
  const factors = formula
    .slice(0, cut)
    .split(' × ')
    .flatMap((part) => {
      if (part.startsWith('σ(')) {
        sigma = part;
        return [];
      }
      const m = /^(√?)(\d+(?:\.\d+)?) \((.+)\)$/.exec(part.trim());
      if (!m) throw new Error(`unreadable factor "${part}" in ${formula}`);
      return [{ value: m[1] ? Math.sqrt(Number(m[2])) : Number(m[2]), what: m[3] }];
    });
  return { factors, sigma, total: Number(formula.slice(cut + 3)) };
}

/** Why fields are rounded to 2 decimals; these bound what that rounding can move a product. */
const FIELD_TOLERANCE = 0.02;

function checkConsistent(inst: Instance): Explanation {
  const why = inst.why;
  if (!why) throw new Error(`instance ${inst.id} (${inst.label}) has no why`);
  expect(why.concept).toBe(inst.concept);
  expect(why.matched.length).toBeGreaterThan(0);
  expect(why.source).toMatch(/^[\w+]+: \S/); // "<model>: <class or part>"
  for (const v of [why.detector_score, why.mask_quality]) {
    expect(v).toBeGreaterThan(0);
    expect(v).toBeLessThanOrEqual(1);
  }
  const f = readFormula(why.formula);
  expect(f.total).toBeCloseTo(inst.score, 2);
  let base: number;
  if (why.passes) {
    // A detected object: the calibrated score from the why fields; the formula shows them.
    expect(f.sigma, `no calibrated factor in ${why.formula}`).toBeDefined();
    expect(why.rival).toBeDefined();
    const passes = why.passes as Record<string, number>;
    expect(Math.max(...Object.values(passes))).toBeCloseTo(why.detector_score, 2);
    base = objectScore({ detector: why.detector_score, rival: why.rival!.score, evidence: Object.fromEntries(Object.entries(passes).map(([k, v]) => [k.replace('_', '-'), v])), quality: why.mask_quality });
    expect(f.sigma).toContain(`logit ${why.detector_score} (detector)`);
    expect(f.sigma).toContain(`${CALIBRATION.b0} + `);
  } else {
    expect(f.factors[0]).toEqual({ value: Math.sqrt(why.detector_score), what: 'detector' });
    expect(f.factors[1]).toEqual({ value: why.mask_quality, what: 'mask quality' });
    base = Math.sqrt(why.detector_score) * why.mask_quality;
  }
  const recomputed = base * (why.attribute_score ?? 1);
  expect(Math.abs(recomputed - inst.score), `${inst.label}: ${why.formula} vs score ${inst.score}`).toBeLessThanOrEqual(FIELD_TOLERANCE);
  // the attribute factors multiply to attribute_score
  const attrs = f.factors.slice(why.passes ? 0 : 2);
  if (why.attribute_score === undefined) expect(attrs).toEqual([]);
  else expect(Math.abs(attrs.reduce((p, x) => p * x.value, 1) - why.attribute_score)).toBeLessThanOrEqual(FIELD_TOLERANCE);
  return why;
}

async function run(file: string, prompt: string) {
  const { result } = await segment(await readFile(SAMPLES + file), prompt, { engine: 'lite', threshold: 0.1 });
  expect(result.instances.length, `"${prompt}" on ${file} found nothing`).toBeGreaterThan(0);
  return result.instances.map((i) => ({ inst: i, why: checkConsistent(i) }));
}

describe('explanations (why) of lite instances', () => {
  beforeAll(async () => {
    await warmup('lite');
  });

  it('a plain English concept: matched word, detector class and confidence, no attributes', async () => {
    for (const { inst, why } of await run('astronaut.png', 'person')) {
      expect(why).toMatchObject({ concept: 'person', matched: 'person', source: 'centernet: person' });
      expect(why.via).toBeUndefined();
      expect(why.color_match).toBeUndefined();
      expect(why.rank).toBeUndefined();
      expect(inst.score).toBeGreaterThan(0);
    }
  });

  it('a Chinese word says the translation it went through; a synonym says the synonym', async () => {
    const [cat] = await run('chelsea.png', '猫');
    expect(cat.why).toMatchObject({ concept: '猫', matched: '猫', via: '猫 → cat', source: 'centernet: cat' });
    const [kitty] = await run('chelsea.png', 'kitty');
    expect(kitty.why.concept).toBe('kitty');
    expect(kitty.why.via).toMatch(/kitty.*cat/);
  });

  it('a colour adds its match share and factor; positions and sizes add their rank and factor', async () => {
    const [brown] = await run('coffee.png', '棕色的杯子');
    expect(brown.why.via).toBe('杯子 → cup');
    expect(brown.why.color_match).toBeGreaterThan(0);
    expect(brown.why.color_match).toBeLessThanOrEqual(1);
    expect(brown.why.formula).toMatch(/\(colour brown\)/);
    const [left] = await run('coffee.png', 'cup on the left');
    expect(left.why.rank).toBe(1);
    expect(left.why.formula).toMatch(/\(position\)/);
    const [biggest] = await run('coffee.png', '最大的杯子');
    expect(biggest.why.rank).toBe(1);
    expect(biggest.why.formula).toMatch(/\(size\)/);
  });

  it('every instance of a many-concept prompt carries a consistent why (parts of people included)', async () => {
    const all = await run('astronaut.png', 'person, 脸, hair, shirt, rocket');
    expect(all.map((x) => x.inst.label)).toEqual(expect.arrayContaining(['person', 'face']));
    expect(all.find((x) => x.inst.label === 'face')?.why.via).toBe('脸 → face');
  });
});
