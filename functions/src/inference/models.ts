/**
 * Cold start of the inference function: copy SAM 3 from the model store when
 * PROMPTSEG_SAM3_S3_PREFIX is set (s3://bucket/prefix → PROMPTSEG_MODEL_DIR/sam3, skipped for
 * files a warm container already has), then create and warm the engines' ONNX sessions once per
 * container on PROMPTSEG_DEVICE (SAM 3; lite is CPU-only), and report which engines can run
 * (system/engines.json, read by GET /v1/health). Invocations after this reuse the warm sessions.
 */
import { join } from 'node:path';
import { configureSam3, engineAvailability, getEngine, syncModelFromS3Once, warmup, type Engine } from '@promptseg/model';
import type { S3Client } from '@aws-sdk/client-s3';
import { PromptsegError, type EngineInfo } from '@promptseg/shared';
import type { InferenceConfig } from '../config.js';
import { SAM3_INSTALL_HINT, writeEngines, type EnginesReport } from '../core/engines.js';
import type { ObjectStore } from '../core/objects.js';

export interface ModelsReady {
  /** Session creation + first run (and the SAM 3 copy), milliseconds. */
  ms: number;
  engines: string[];
  sam3?: { copied: number; skipped: number; bytes: number; ms: number };
  /** Why SAM 3 is not available in this container (jobs asking for it fail; auto uses lite). */
  sam3Error?: string;
  /** Where it failed: the copy from S3 (retried by later invocations) or starting its sessions (not retried: same device, same files). */
  sam3Stage?: 'copy' | 'start';
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new PromptsegError('invalid_option', `PROMPTSEG_SAM3_S3_PREFIX must look like s3://bucket/prefix/ (got "${url}").`, 'Point it at the folder holding manifest.json, e.g. s3://my-bucket/models/sam3/.');
  return { bucket: m[1], prefix: m[2] };
}

/** Copies SAM 3 (if configured) and points the sam3 engine at the copy; safe to call again after a failure. */
export async function ensureSam3(config: InferenceConfig, s3: S3Client): Promise<ModelsReady['sam3']> {
  if (!config.sam3S3Prefix) return undefined;
  const t0 = performance.now();
  const { bucket, prefix } = parseS3Url(config.sam3S3Prefix);
  const localDir = join(config.modelDir, 'sam3');
  const report = await syncModelFromS3Once({ client: s3, bucket, prefix, localDir });
  configureSam3({ modelDir: localDir, device: config.device, onNotice: (m) => console.log(`[inference] ${m}`) });
  return { copied: report.copied.length, skipped: report.skipped.length, bytes: report.bytes, ms: Math.round(performance.now() - t0) };
}

export async function startModels(config: InferenceConfig, s3: S3Client): Promise<ModelsReady> {
  const t0 = performance.now();
  // The same path as the CLI's --device: SAM 3 sessions are created on this device.
  configureSam3({ device: config.device, onNotice: (m) => console.log(`[inference] ${m}`) });
  const engines: string[] = [];
  let sam3: ModelsReady['sam3'];
  let sam3Error: string | undefined;
  let sam3Stage: ModelsReady['sam3Stage'];
  if (config.sam3S3Prefix) {
    // Not fatal: lite still serves. A failed copy is tried again by the next invocation.
    sam3Stage = 'copy';
    try {
      sam3 = await ensureSam3(config, s3);
      sam3Stage = 'start';
      engines.push((await warmup('sam3')).engine);
      sam3Stage = undefined;
    } catch (e) {
      sam3Error = e instanceof Error ? e.message : String(e);
      console.error(`[inference] SAM 3 is not available in this container (${sam3Stage === 'copy' ? 'copy from the model store' : `starting on device ${config.device}`}): ${sam3Error}`);
    }
  }
  engines.push((await warmup('lite')).engine);
  return { ms: Math.round(performance.now() - t0), engines, sam3, sam3Error, ...(sam3Error ? { sam3Stage } : {}) };
}

/**
 * What this container can run, from the model registry's install checks plus what the warm-up
 * found (SAM 3 files present but its sessions failed to start, e.g. no CUDA: not installed).
 */
export async function engineReport(models: Pick<ModelsReady, 'sam3Error' | 'sam3Stage'> & Partial<Pick<ModelsReady, 'engines'>>, device: string): Promise<EnginesReport> {
  const available = await engineAvailability();
  // the prompts of the engines this container warmed (their instances exist; nothing is loaded for this)
  const prompts = new Map<string, EngineInfo['prompts']>();
  for (const { id, ok } of available) {
    if (ok && models.engines?.includes(id) && !(id === 'sam3' && models.sam3Error)) prompts.set(id, await getEngine(id).then(promptSupport, () => undefined));
  }
  const engines: EngineInfo[] = available.map(({ id, ok, reason }): EngineInfo => {
    const failed = id === 'sam3' ? models.sam3Error : undefined;
    if (ok && !failed) return { id, installed: true, ...(prompts.get(id) ? { prompts: prompts.get(id) } : {}) };
    if (id !== 'sam3') return { id, installed: false, hint: `${id} cannot run on this service: ${failed ?? reason}.` };
    if (failed && models.sam3Stage === 'start') {
      return { id, installed: false, hint: `sam3 (open vocabulary) has its files but could not start on device ${device}: ${failed}. Operators: check PROMPTSEG_DEVICE and the CUDA libraries of the image (README, "GPU variant"). Until then auto uses lite.` };
    }
    return { id, installed: false, hint: `sam3 (open vocabulary) cannot run on this service: ${failed ?? reason}. ${SAM3_INSTALL_HINT}` };
  });
  return { reported_at: new Date().toISOString(), device, engines };
}

/**
 * Prompts an engine takes besides text, for the API to refuse what it cannot use before billing.
 * Negative (exclusion) boxes are exemplar boxes, which only the open-vocabulary engine (sam3)
 * reads; lite takes positive boxes only (engines/lite/engine.ts refuses negative ones).
 */
export function promptSupport(engine: Pick<Engine, 'capabilities'>): NonNullable<EngineInfo['prompts']> {
  const c = engine.capabilities;
  return { boxes: c.boxPrompts, negative_boxes: c.boxPrompts && c.openVocabulary, points: c.pointPrompts };
}

/** Writes the report for GET /v1/health; never fails the caller (health then shows the default list). */
export async function publishEngines(store: ObjectStore, models: Pick<ModelsReady, 'sam3Error' | 'sam3Stage'> & Partial<Pick<ModelsReady, 'engines'>>, device: string, maxPixels?: number): Promise<EnginesReport | undefined> {
  try {
    const report = { ...(await engineReport(models, device)), ...(maxPixels ? { max_pixels: maxPixels } : {}) };
    await writeEngines(store, report);
    return report;
  } catch (e) {
    console.error(`[inference] could not write the engine report: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
