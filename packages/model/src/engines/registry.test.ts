import { describe, expect, it } from 'vitest';
import type { Engine } from './engine.js';
import { getEngine, registerEngine, resolveEngine } from './registry.js';

/** A stand-in engine: the registry only needs its identity. */
function standIn(id: 'lite' | 'sam3'): Engine {
  return {
    id,
    capabilities: { openVocabulary: id === 'sam3', boxPrompts: true, pointPrompts: true },
    planConcepts: () => [],
    encodeImage: async () => ({ engine: id, bytes: 0 }),
    segment: async () => ({ candidates: [], timings: {} }),
  };
}

describe('engine registry', () => {
  it('creates each engine once per process and retries a failed start', async () => {
    let created = 0, fail = true;
    registerEngine({ id: 'lite', autoPreference: 100, available: async () => ({ ok: true, reason: 'shipped' }), create: async () => {
      created++;
      if (fail) { fail = false; throw new Error('disk hiccup'); }
      return standIn('lite');
    } });
    await expect(getEngine('lite')).rejects.toThrow('disk hiccup');
    const a = await getEngine('lite');
    const b = await getEngine('lite');
    expect(a).toBe(b);
    expect(created).toBe(2);
  });

  it('auto takes the preferred available engine and says why', async () => {
    registerEngine({ id: 'sam3', autoPreference: 10, available: async () => ({ ok: false, reason: 'model files not installed' }), create: async () => standIn('sam3') });
    const auto = await resolveEngine('auto');
    expect(auto.engine.id).toBe('lite');
    expect(auto.reason).toBe('auto: sam3 model files not installed; using lite');
    await expect(resolveEngine('sam3')).rejects.toMatchObject({ code: 'engine_unavailable', message: expect.stringMatching(/not installed/) });

    registerEngine({ id: 'sam3', autoPreference: 10, available: async () => ({ ok: true, reason: 'installed' }), create: async () => standIn('sam3') });
    expect((await resolveEngine('auto')).engine.id).toBe('sam3');
    expect((await resolveEngine('lite')).reason).toBe('lite: requested');
  });
});
