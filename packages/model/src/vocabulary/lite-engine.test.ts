/**
 * Words by meaning through the real lite engine: planConcepts (what the page and the CLI show
 * per concept) and segment() from @promptseg/model on the sample photos.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePrompt } from '@promptseg/shared';
import { segment, warmup } from '../index.js';
import { LiteEngine } from '../engines/lite/engine.js';

const SAMPLES = fileURLToPath(new URL('../../../../web/public/samples/', import.meta.url));

describe('lite engine: words by meaning', () => {
  beforeAll(async () => {
    expect((await warmup('lite')).engine).toBe('lite');
  });

  it('planConcepts maps hyponyms and explains unknown words by meaning, with one sam3 note', async () => {
    const engine = await LiteEngine.create();
    const statuses = engine.planConcepts(parsePrompt('dalmatian, squirrel, rocket, girafe, 松鼠').concepts);
    expect(statuses[0]).toEqual({ text: 'dalmatian', status: 'ok', label: 'dog' });
    expect(statuses[1]).toMatchObject({ text: 'squirrel', status: 'unknown', suggestions: ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'] });
    expect(statuses[1].message).toBe('"squirrel" is a rodent; the lite engine knows these animals: bird, cat, dog, horse, sheep, cow, elephant, bear, zebra, giraffe. Use --engine sam3 for "squirrel" (open vocabulary).');
    expect(statuses[2].message).toMatch(/^"rocket" is a vehicle; the lite engine knows these vehicles: bicycle, car, motorcycle, airplane/);
    expect(statuses[2].suggestions).not.toContain('racket');
    expect(statuses[3].suggestions?.[0]).toBe('giraffe'); // a typo keeps its spelling suggestion
    expect(statuses[4].suggestions).toEqual([]);
    // one note on sam3 per message: the engine adds its own only when the message has none
    for (const s of statuses.slice(1)) expect(s.message?.match(/sam3 engine|engine sam3/g)?.length, s.text).toBe(1);
  });

  it('"tabby" finds the cat of chelsea.png, and says how the word was read', async () => {
    const { result } = await segment(await readFile(SAMPLES + 'chelsea.png'), 'tabby');
    expect(result.concepts).toEqual([{ text: 'tabby', status: 'ok', label: 'cat' }]);
    expect(result.instances.length).toBeGreaterThan(0);
    expect(result.instances[0]).toMatchObject({ label: 'cat', concept: 'tabby' });
    expect(result.instances[0].score).toBeGreaterThanOrEqual(0.5);
    expect(result.instances[0].why?.via).toBe('tabby → cat');
  });

  it('a word only WordNet knows ("manx") is looked for as its class', async () => {
    const { result } = await segment(await readFile(SAMPLES + 'chelsea.png'), 'manx');
    expect(result.concepts).toEqual([{ text: 'manx', status: 'ok', label: 'cat' }]);
    expect(result.instances[0]).toMatchObject({ label: 'cat', concept: 'manx' });
    expect(result.instances[0].why?.via).toBe('manx → cat');
  });

  it('"squirrel, rocket" on rocket.jpg: no instances, both unknown with meaning-based messages', async () => {
    const { result, masks } = await segment(await readFile(SAMPLES + 'rocket.jpg'), 'squirrel, rocket');
    expect(result.instances).toEqual([]);
    expect(masks).toEqual([]);
    expect(result.concepts.map((c) => c.status)).toEqual(['unknown', 'unknown']);
    expect(result.concepts[0].message).toMatch(/^"squirrel" is a rodent; the lite engine knows these animals: /);
    expect(result.concepts[1].message).toMatch(/^"rocket" is a vehicle; the lite engine knows these vehicles: /);
    expect(result.concepts[1].suggestions).toEqual(expect.arrayContaining(['airplane', 'car', 'boat']));
  });
});
