/**
 * The inference function's entry (AWS Lambda, container image; local mode's worker imports it
 * too). Model sessions are created at module scope, once per container: the first invocation
 * waits for them (cold start, reported as cold_start_ms), later ones reuse them (warm).
 */
import { loadInferenceConfig, type InferenceConfig } from '../config.js';
import type { InferenceResponse } from '../core/dispatch.js';
import type { JobRecord } from '../core/jobs.js';
import { ObjectStore } from '../core/objects.js';
import { ensureSam3, startModels, type ModelsReady } from './models.js';
import { parseEvent, runJob } from './run-job.js';

export interface InferenceHandlerOptions {
  config?: InferenceConfig;
  afterClaim?: (job: JobRecord) => Promise<void>;
}

export type InferenceHandler = (event: unknown) => Promise<InferenceResponse>;

/** Builds a handler; its models start loading immediately (call it at module scope). */
export function createInferenceHandler(opts: InferenceHandlerOptions = {}): InferenceHandler & { ready: Promise<ModelsReady> } {
  const config = opts.config ?? loadInferenceConfig();
  const store = new ObjectStore(config.storage);
  const ready = startModels(config, store.s3);
  // Keep an early failure from being an unhandled rejection; each invocation awaits it again.
  ready.catch(() => undefined);
  let first = true;
  const handler = async (event: unknown): Promise<InferenceResponse> => {
    const parsed = parseEvent(event);
    const models = await ready;
    if (models.sam3Error) {
      // The copy failed at cold start (e.g. S3 hiccup): try again, so the container heals.
      await ensureSam3(config, store.s3).then(
        () => (models.sam3Error = undefined),
        () => undefined,
      );
    }
    const out = await runJob({ store, config, afterClaim: opts.afterClaim }, parsed);
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
