/**
 * The inference function's entry (AWS Lambda, container image; local mode's worker imports it
 * too). Model sessions are created at module scope, once per container: the first invocation
 * waits for them (cold start, reported as cold_start_ms), later ones reuse them (warm).
 */
import { loadInferenceConfig, type InferenceConfig } from '../config.js';
import type { InferenceResponse } from '../core/dispatch.js';
import type { JobRecord } from '../core/jobs.js';
import { ObjectStore } from '../core/objects.js';
import { ensureSam3, publishEngines, startModels, type ModelsReady } from './models.js';
import { parseEvent, runEvent } from './run-job.js';

export interface InferenceHandlerOptions {
  config?: InferenceConfig;
  afterClaim?: (job: JobRecord) => Promise<void>;
}

export type InferenceHandler = (event: unknown) => Promise<InferenceResponse>;

/** Builds a handler; its models start loading immediately (call it at module scope). */
export function createInferenceHandler(opts: InferenceHandlerOptions = {}): InferenceHandler & { ready: Promise<ModelsReady> } {
  const config = opts.config ?? loadInferenceConfig();
  const store = new ObjectStore(config.storage);
  // Ready once the sessions are warm and the engine report (GET /v1/health) is written, so a
  // provisioned environment reports during its init, before any job.
  const ready = startModels(config, store.s3).then(async (m) => {
    await publishEngines(store, m, config.device, config.maxPixels);
    return m;
  });
  // Keep an early failure from being an unhandled rejection; each invocation awaits it again.
  ready.catch(() => undefined);
  let first = true;
  const handler = async (event: unknown): Promise<InferenceResponse> => {
    const parsed = parseEvent(event);
    const models = await ready;
    if (models.sam3Error && models.sam3Stage === 'copy') {
      // The copy failed at cold start (e.g. S3 hiccup): try again, so the container heals, and
      // tell GET /v1/health. (Sessions that failed to start on this device are not retried.)
      await ensureSam3(config, store.s3).then(
        async () => {
          models.sam3Error = undefined;
          models.sam3Stage = undefined;
          await publishEngines(store, models, config.device, config.maxPixels);
        },
        () => undefined,
      );
    }
    const out = await runEvent({ store, config, afterClaim: opts.afterClaim }, parsed);
    if (first) {
      first = false;
      out.cold_start_ms = models.ms;
    }
    return out;
  };
  return Object.assign(handler, { ready });
}

let lazy: ReturnType<typeof createInferenceHandler> | undefined;

/**
 * The Lambda handler. The runtime imports this module during the init phase; the first call of
 * `instance()` here starts model loading right away.
 */
function instance(): ReturnType<typeof createInferenceHandler> {
  lazy ??= createInferenceHandler();
  return lazy;
}

if (process.env.AWS_LAMBDA_FUNCTION_NAME) instance();

export const handler: InferenceHandler = (event) => instance()(event);
