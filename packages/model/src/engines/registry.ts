/**
 * The engine registry: the core sees the Engine interface, the registry picks the
 * implementation. Each engine is created once per process (its model sessions are expensive)
 * and shared by every call. `auto` takes the first registered engine, in preference order, that
 * reports itself available; other engines add themselves with registerEngine().
 */
import { PromptsegError, type EngineChoice, type EngineId } from '@promptseg/shared';
import type { Engine } from './engine.js';
import { LiteEngine } from './lite/engine.js';
import { sam3Registration } from './sam3/registration.js';

export interface EngineRegistration {
  id: EngineId;
  /** Creates the engine (loads its sessions); called at most once per process unless it fails. */
  create: () => Promise<Engine>;
  /** Cheap check without loading models: can this engine run here, and if not, why. */
  available: () => Promise<{ ok: boolean; reason: string }>;
  /** Lower = preferred by `auto`. */
  autoPreference: number;
}

export interface ResolvedEngine {
  engine: Engine;
  /** Why this engine runs, for the result's `engine_reason`. */
  reason: string;
}

const registrations = new Map<EngineId, EngineRegistration>();
const instances = new Map<EngineId, Promise<Engine>>();

export function registerEngine(reg: EngineRegistration): void {
  registrations.set(reg.id, reg);
  instances.delete(reg.id);
}

registerEngine({
  id: 'lite',
  create: () => LiteEngine.create(),
  available: async () => ({ ok: true, reason: 'lite models ship in npm packages' }),
  autoPreference: 100,
});

// sam3 first for `auto` when its model files are installed (see sam3/registration.ts).
registerEngine(sam3Registration);

export function registeredEngines(): EngineId[] {
  return [...registrations.keys()];
}

/** Every registered engine's cheap availability check (no models loaded), in registration order. */
export async function engineAvailability(): Promise<{ id: EngineId; ok: boolean; reason: string }[]> {
  return Promise.all(
    [...registrations.values()].map(async (reg) => {
      try {
        return { id: reg.id, ...(await reg.available()) };
      } catch (e) {
        return { id: reg.id, ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
}

/** The engine's single instance, created on first use. */
export function getEngine(id: EngineId): Promise<Engine> {
  const reg = registrations.get(id);
  if (!reg) {
    return Promise.reject(new PromptsegError('unknown_engine', `The engine "${id}" is not available in this build.`, `Use one of: ${registeredEngines().join(', ')}, or auto.`));
  }
  let p = instances.get(id);
  if (!p) {
    p = reg.create();
    instances.set(id, p);
    p.catch(() => instances.delete(id)); // a failed start is retried on the next call
  }
  return p;
}

export async function resolveEngine(choice: EngineChoice): Promise<ResolvedEngine> {
  if (choice !== 'auto') {
    const reg = registrations.get(choice);
    if (!reg) throw new PromptsegError('unknown_engine', `The engine "${choice}" is not available in this build.`, `Use one of: ${registeredEngines().join(', ')}, or auto.`);
    const avail = await reg.available();
    if (!avail.ok) throw new PromptsegError('engine_unavailable', `The ${choice} engine cannot run here: ${avail.reason}.`, choice === 'sam3' ? 'Install its model files (see README, "Open vocabulary with SAM 3") or use --engine lite.' : 'Reinstall with `npm ci`.');
    return { engine: await getEngine(choice), reason: `${choice}: requested` };
  }
  const notes: string[] = [];
  for (const reg of [...registrations.values()].sort((a, b) => a.autoPreference - b.autoPreference)) {
    const avail = await reg.available();
    if (!avail.ok) {
      notes.push(`${reg.id} ${avail.reason}`);
      continue;
    }
    const reason = notes.length ? `auto: ${notes.join('; ')}; using ${reg.id}` : `auto: ${reg.id} (${avail.reason})`;
    return { engine: await getEngine(reg.id), reason };
  }
  throw new PromptsegError('engine_unavailable', `No engine can run here (${notes.join('; ')}).`, 'Reinstall with `npm ci`.');
}
