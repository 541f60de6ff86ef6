/**
 * Which engines the service can run, for GET /v1/health. The API is edge-safe and cannot load
 * models, so the inference function reports after its warm-up by writing ENGINES_KEY (see
 * inference/models.ts); the API reads it. Until a report exists (or when it is unreadable) the
 * API answers DEFAULT_ENGINES: lite (shipped in the image) installed, sam3 not reported.
 * A later warm-up overwrites the report, so a redeploy with other model files corrects it.
 * Edge-safe: AWS SDK (through ObjectStore) and zod only.
 */
import { z } from 'zod';
import { EngineInfoSchema, type EngineInfo } from '@promptseg/shared';
import type { ObjectStore } from './objects.js';

/** Outside every lifecycle prefix (uploads/, jobs/): never expired. */
export const ENGINES_KEY = 'system/engines.json';

/** Where an operator gets SAM 3 onto the service (README: "Open vocabulary with SAM 3", "Deploy to AWS"). */
export const SAM3_INSTALL_HINT =
  'Operators: locally run `promptseg models pull sam3`; on AWS copy the files to s3://<bucket>/models/sam3/ and deploy with PROMPTSEG_SAM3=true (README, "Deploy to AWS"). Until then auto uses lite.';

export const DEFAULT_ENGINES: readonly EngineInfo[] = [
  { id: 'lite', installed: true },
  { id: 'sam3', installed: false, hint: `sam3 (open vocabulary): not reported by the inference function yet (it reports after its first warm-up). ${SAM3_INSTALL_HINT}` },
];

export const EnginesReportSchema = z.object({
  reported_at: z.string(),
  /** PROMPTSEG_DEVICE of the reporting container (cpu | cuda | auto). */
  device: z.string(),
  engines: z.array(EngineInfoSchema).min(1),
  /** PROMPTSEG_MAX_PIXELS of the reporting container: the largest image it decodes (clients check before uploading). */
  max_pixels: z.number().int().positive().optional(),
});
export type EnginesReport = z.infer<typeof EnginesReportSchema>;

export interface EnginesView {
  engines: EngineInfo[];
  /** null when the default list is shown. */
  reported_at: string | null;
  max_pixels?: number;
}

/** Never throws: storage trouble or a malformed object yields the default list (health reports storage on its own). */
export async function readEngines(store: ObjectStore): Promise<EnginesView> {
  try {
    const got = await store.getJson<unknown>(ENGINES_KEY);
    const parsed = got ? EnginesReportSchema.safeParse(got.value) : null;
    if (parsed?.success) return { engines: parsed.data.engines, reported_at: parsed.data.reported_at, max_pixels: parsed.data.max_pixels };
    if (parsed) console.error(`[api] ${ENGINES_KEY} is malformed (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}); showing the default engine list.`);
  } catch {
    // fall through: health answers storage: unavailable separately
  }
  return { engines: DEFAULT_ENGINES.map((e) => ({ ...e })), reported_at: null };
}

export async function writeEngines(store: ObjectStore, report: EnginesReport): Promise<void> {
  await store.putJson(ENGINES_KEY, EnginesReportSchema.parse(report));
}
