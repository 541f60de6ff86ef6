/**
 * Cold start of the inference function: copy SAM 3 from the model store when
 * PROMPTSEG_SAM3_S3_PREFIX is set (s3://bucket/prefix → PROMPTSEG_MODEL_DIR/sam3, skipped for
 * files a warm container already has), then create and warm the engines' ONNX sessions once per
 * container. Invocations after this reuse the warm sessions.
 */
import { join } from 'node:path';
import { configureSam3, syncModelFromS3Once, warmup } from '@promptseg/model';
import type { S3Client } from '@aws-sdk/client-s3';
import { PromptsegError } from '@promptseg/shared';
import type { InferenceConfig } from '../config.js';

export interface ModelsReady {
  /** Session creation + first run (and the SAM 3 copy), milliseconds. */
  ms: number;
  engines: string[];
  sam3?: { copied: number; skipped: number; bytes: number; ms: number };
  /** Why SAM 3 is not available in this container (jobs asking for it fail; auto uses lite). */
  sam3Error?: string;
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
  configureSam3({ modelDir: localDir, onNotice: (m) => console.log(`[inference] ${m}`) });
  return { copied: report.copied.length, skipped: report.skipped.length, bytes: report.bytes, ms: Math.round(performance.now() - t0) };
}

export async function startModels(config: InferenceConfig, s3: S3Client): Promise<ModelsReady> {
  const t0 = performance.now();
  const engines: string[] = [];
  let sam3: ModelsReady['sam3'];
  let sam3Error: string | undefined;
  if (config.sam3S3Prefix) {
    try {
      sam3 = await ensureSam3(config, s3);
      engines.push((await warmup('sam3')).engine);
    } catch (e) {
      // Not fatal: lite still serves; the next invocation that needs sam3 tries the copy again.
      sam3Error = e instanceof Error ? e.message : String(e);
      console.error(`[inference] SAM 3 is not available in this container: ${sam3Error}`);
    }
  }
  engines.push((await warmup('lite')).engine);
  return { ms: Math.round(performance.now() - t0), engines, sam3, sam3Error };
}
