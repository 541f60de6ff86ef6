/**
 * How the registry finds the sam3 engine: `available` is the cheap install check `auto` uses
 * (manifest present, every file there with its recorded size — hashes are checked at install
 * and by `promptseg models verify`), `create` loads the sessions once per process.
 *
 * Process-wide settings (device, model folder) come from configureSam3() — the CLI's --device,
 * the inference function's configuration — or from the environment:
 *   PROMPTSEG_DEVICE     cpu | cuda | auto (default cpu)
 *   PROMPTSEG_SAM3_DIR   a model folder holding manifest.json (default PROMPTSEG_HOME/models/sam3)
 */
import { PromptsegError } from '@promptseg/shared';
import { installStatusAt, ModelStore } from '../../models/store.js';
import type { Device } from '../../runtime/onnx.js';
import { registerEngine, type EngineRegistration } from '../registry.js';
import { Sam3Engine } from './engine.js';

export interface Sam3Config {
  device?: Device;
  modelDir?: string;
  home?: string;
  intraOpThreads?: number;
  /** Told once when the engine starts: what runs, and a CUDA → CPU fallback. */
  onNotice?: (message: string) => void;
}

let config: Sam3Config = {};

export function configureSam3(c: Sam3Config): void {
  const key = (x: Sam3Config) => JSON.stringify([x.device, x.modelDir, x.home, x.intraOpThreads]);
  const before = key(config);
  config = { ...config, ...c };
  // Other files or another device: the next call loads a new engine (the registry drops the old one).
  if (key(config) !== before) registerEngine(sam3Registration);
}

function settings(): Required<Pick<Sam3Config, 'device' | 'modelDir'>> & Sam3Config {
  const env = process.env;
  const device = (config.device ?? env.PROMPTSEG_DEVICE ?? 'cpu') as Device;
  if (!['cpu', 'cuda', 'auto'].includes(device)) {
    throw new PromptsegError('invalid_option', `Unknown device "${device}".`, 'Use cpu, cuda or auto (--device / PROMPTSEG_DEVICE).');
  }
  const modelDir = config.modelDir ?? env.PROMPTSEG_SAM3_DIR ?? new ModelStore(config.home).modelDir('sam3');
  return { ...config, device, modelDir };
}

export const sam3Registration: EngineRegistration = {
  id: 'sam3',
  autoPreference: 10,
  available: async () => {
    const s = settings();
    const st = await installStatusAt(s.modelDir);
    if (!st.installed) return { ok: false, reason: `model files not installed (${st.reason}; run: promptseg models pull sam3)` };
    const m = st.manifest;
    return { ok: true, reason: `SAM 3 ${m.variant} installed from ${m.source}, verified ${m.verified_at.slice(0, 10)}` };
  },
  create: async () => {
    const s = settings();
    const engine = await Sam3Engine.create({ modelDir: s.modelDir, device: s.device, intraOpThreads: s.intraOpThreads });
    s.onNotice?.(`sam3: ${engine.describe()}`);
    return engine;
  },
};
