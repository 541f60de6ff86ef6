/**
 * sam3 in the engine registry and the segment() pipeline: `auto` takes sam3 only when its files
 * are installed, the result says which engine ran and why, and one image encode serves every
 * concept (and later calls, through the pipeline's embedding cache).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRle } from '@promptseg/shared';
import { writeSam3Fixture } from '../../../test/sam3-fixture/index.js';
import { encodeImage } from '../../io/decode.js';
import { registerModelDir } from '../../models/register.js';
import { segment } from '../../pipeline/segment.js';
import { resolveEngine } from '../registry.js';
import type { Sam3Engine } from './engine.js';
import { configureSam3, sam3Registration } from './registration.js';

const root = mkdtempSync(join(tmpdir(), 'sam3-reg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function redLeftImage(): Promise<Buffer> {
  const width = 120, height = 80, data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < 60 ? [255, 0, 0] : [90, 90, 200], (y * width + x) * 3);
  return encodeImage({ width, height, channels: 3, data }, 'png');
}

describe('sam3 registration', () => {
  it('is unavailable, saying how to install it, while no files are installed', async () => {
    configureSam3({ home: join(root, 'empty-home') });
    const a = await sam3Registration.available();
    expect(a.ok).toBe(false);
    expect(a.reason).toMatch(/not installed.*promptseg models pull sam3/);
    await expect(resolveEngine('sam3')).rejects.toMatchObject({ code: 'engine_unavailable' });
  });

  it('auto picks sam3 once installed; segment() encodes the image once for all concepts and caches it', async () => {
    const home = join(root, 'home');
    writeSam3Fixture(join(root, 'files'), { layout: 'A' });
    await registerModelDir({ dir: join(root, 'files'), home });
    const notices: string[] = [];
    configureSam3({ home, onNotice: (m) => notices.push(m) });
    const { engine, reason } = await resolveEngine('auto');
    expect(engine.id).toBe('sam3');
    expect(reason).toMatch(/^auto: sam3 \(SAM 3 fp32 installed from local:/);
    expect(notices).toEqual([expect.stringMatching(/^sam3: Layout A .* on cpu$/)]);
    const sam3 = engine as Sam3Engine;

    const png = await redLeftImage();
    const first = await segment(png, 'person, dog, blue shirt', { engine: 'auto' });
    expect(first.result.engine).toBe('sam3');
    expect(first.result.engine_reason).toBe(reason);
    expect(first.result.concepts.map((c) => [c.status, c.label])).toEqual([['ok', 'person'], ['ok', 'dog'], ['ok', 'blue shirt']]);
    expect(sam3.stats).toMatchObject({ visionRuns: 1, textRuns: 3, decoderRuns: 3 });
    // "person" is what the fixture finds (odd token); dog and blue shirt (even) are absent.
    expect(first.result.instances.length).toBeGreaterThan(0);
    expect(first.result.instances.every((i) => i.concept === 'person' && i.label === 'person')).toBe(true);
    const inst = first.result.instances[0];
    expect(decodeRle(inst.rle).width).toBe(120);
    expect(inst.why?.formula).toMatch(/sigmoid\(.*\) \(query\) × sigmoid\(1\.5\) \(presence\)/);

    const again = await segment(png, 'person', { engine: 'sam3' });
    expect(again.result.engine_reason).toBe('sam3: requested');
    expect(sam3.stats).toMatchObject({ visionRuns: 1, textRuns: 3, textCacheHits: 1, decoderRuns: 4 });
  });
});
