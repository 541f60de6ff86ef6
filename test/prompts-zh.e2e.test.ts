/**
 * Chinese and mixed prompts end to end with the lite engine on the sample images: each gives the
 * same instances (label, score, box, mask) as its English equivalent, and says which word matched.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Instance } from '@promptseg/shared';
import { segment, warmup } from '@promptseg/model';

const SAMPLES = fileURLToPath(new URL('../web/public/samples/', import.meta.url));
const image = (name: string) => readFile(SAMPLES + name);

/** What must not depend on the language of the prompt. */
const same = (instances: Instance[]) => instances.map((i) => ({ label: i.label, score: i.score, box: i.box, area: i.area, rle: i.rle }));

async function compare(file: string, chinese: string, english: string) {
  const bytes = await image(file);
  const zh = await segment(bytes, chinese, { engine: 'lite' });
  const en = await segment(bytes, english, { engine: 'lite' });
  expect(zh.result.concepts.map((c) => c.status)).toEqual(en.result.concepts.map((c) => c.status));
  expect(zh.result.concepts.map((c) => c.label)).toEqual(en.result.concepts.map((c) => c.label));
  expect(same(zh.result.instances)).toEqual(same(en.result.instances));
  return { zh: zh.result, en: en.result };
}

describe('Chinese prompts give the same instances as English ones (lite engine)', () => {
  beforeAll(async () => {
    await warmup('lite');
  });

  it('"人" on the astronaut = "person"', async () => {
    const { zh } = await compare('astronaut.png', '人', 'person');
    expect(zh.instances[0]).toMatchObject({ label: 'person', concept: '人' });
    expect(zh.instances[0].score).toBeGreaterThanOrEqual(0.5);
  });

  it('"杯子" on the coffee = "cup"', async () => {
    const { zh } = await compare('coffee.png', '杯子', 'cup');
    expect(zh.instances[0]).toMatchObject({ label: 'cup', concept: '杯子' });
  });

  it('"猫" and traditional "貓" on chelsea = "cat"', async () => {
    const { zh } = await compare('chelsea.png', '猫', 'cat');
    expect(zh.instances[0]).toMatchObject({ label: 'cat', concept: '猫' });
    await compare('chelsea.png', '貓', 'cat');
  });

  it('a mixed prompt "person, 脸，头发" = "person, face, hair"', async () => {
    const { zh } = await compare('astronaut.png', 'person, 脸，头发', 'person, face, hair');
    expect(zh.concepts.map((c) => c.text)).toEqual(['person', '脸', '头发']);
    expect(new Set(zh.instances.map((i) => i.label))).toEqual(new Set(['person', 'face', 'hair']));
  });

  it('a count in Chinese "一个杯子" = "one cup"', async () => {
    const { zh } = await compare('coffee.png', '一个杯子', 'one cup');
    expect(zh.instances).toHaveLength(1);
  });

  it('an untranslatable Chinese concept is reported, with no invented masks', async () => {
    const { result } = await segment(await image('chelsea.png'), '松鼠', { engine: 'lite' });
    expect(result.concepts[0]).toMatchObject({ text: '松鼠', status: 'unknown' });
    expect(result.concepts[0].message).toMatch(/not in the lite engine's Chinese vocabulary/);
    expect(result.concepts[0].suggestions).toEqual([]); // no character neighbours (松饼, 滑鼠)
    expect(result.instances).toEqual([]);
  });
});
