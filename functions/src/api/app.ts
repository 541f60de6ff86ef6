/**
 * The promptseg HTTP API (Hono). Edge-safe: Web-standard APIs, the AWS SDK and
 * @promptseg/shared only — never packages/model, sharp or ONNX (app.imports.test.ts checks).
 * The same app runs in AWS Lambda (handler.ts) and in local mode (functions/src/local).
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { bodyLimit } from 'hono/body-limit';
import { PromptsegError } from '@promptseg/shared';
import type { ApiConfig } from '../config.js';
import { Dispatcher } from '../core/dispatch.js';
import { readEngines } from '../core/engines.js';
import { ObjectStore } from '../core/objects.js';
import { authMiddleware } from './auth.js';
import type { ApiDeps, ApiEnv } from './context.js';
import { errorResponse } from './errors.js';
import { publicBase } from './job-view.js';
import { buildOpenApi, OPENAPI_PATH } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import { registerJobs } from './routes/jobs.js';
import { registerSegment } from './routes/segment.js';
import { registerUploads } from './routes/uploads.js';
import { registerUsage } from './routes/usage.js';
import { registerWebhooks } from './routes/webhooks.js';

export const API_VERSION = '0.1.0';
/** JSON bodies are small (the image goes to S3); the largest legal one is a 2000-character prompt with boxes. */
export const MAX_BODY_BYTES = 256 * 1024;
/**
 * The request header block the API reads (names + values + ": " and CRLF per line), as Node's
 * default maxHeaderSize. Checked here too because a Lambda function URL passes larger blocks on;
 * local mode's server reads up to LOCAL_MAX_HEADER_BYTES, so this check answers first there as well.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

export function headersTooLarge(bytes?: number): PromptsegError {
  return new PromptsegError(
    'request_headers_too_large',
    `The request headers are ${bytes === undefined ? 'larger than' : `${bytes} bytes, over`} the ${MAX_HEADER_BYTES}-byte limit.`,
    'Send fewer or shorter headers (cookies of other sites on this origin are a common cause); the API needs only Authorization, Content-Type and Idempotency-Key.',
  );
}

function headerBytes(headers: Headers): number {
  let n = 0;
  headers.forEach((value, name) => (n += name.length + value.length + 4));
  return n;
}

export function createDeps(config: ApiConfig, extras: Pick<ApiDeps, 'resolveHost'> = {}): ApiDeps {
  return {
    ...extras,
    config,
    store: new ObjectStore(config.storage),
    dispatcher: new Dispatcher({ functionName: config.inferenceFunction, region: config.storage.region, endpoint: config.lambdaEndpoint, credentials: config.storage.credentials }),
    limiter: new RateLimiter(),
    version: API_VERSION,
  };
}

/** The answer to a path no route serves (also local mode's outer app, around this one). */
export function routeNotFound(c: Context): Response {
  return errorResponse(c, new PromptsegError('not_found', `No route ${c.req.method} ${new URL(c.req.url).pathname}.`, `See GET ${OPENAPI_PATH} for the routes.`));
}

export function createApp(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.onError((e, c) => errorResponse(c, e));
  app.notFound(routeNotFound);
  app.use('*', cors({ origin: deps.config.corsOrigins.includes('*') ? '*' : deps.config.corsOrigins, allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'], exposeHeaders: ['Retry-After', 'Idempotent-Replayed'] }));
  app.use('*', async (c, next) => {
    const n = headerBytes(c.req.raw.headers);
    if (n > MAX_HEADER_BYTES) {
      c.header('Connection', 'close');
      return errorResponse(c, headersTooLarge(n));
    }
    await next();
  });
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The body was not read: the connection cannot carry another request.
        c.header('Connection', 'close');
        return errorResponse(c, new PromptsegError('payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 'Images go to S3 through POST /v1/uploads; the JSON body only names the upload.'));
      },
    }),
  );

  app.get('/v1/health', async (c) => {
    // Both reads at once; readEngines never throws (default list when storage or the report is missing).
    const [ping, engines] = await Promise.all([deps.store.ping().then(() => null, (e: unknown) => e), readEngines(deps.store)]);
    // max_upload_bytes / max_pixels: let clients (the web page) refuse a too-large file before uploading it
    const base = {
      version: deps.version,
      time: new Date().toISOString(),
      max_upload_bytes: deps.config.maxUploadBytes,
      max_video_upload_bytes: deps.config.maxVideoUploadBytes,
      ...(engines.max_pixels ? { max_pixels: engines.max_pixels } : {}),
      engines: engines.engines,
      engines_reported_at: engines.reported_at,
    };
    if (ping === null) return c.json({ status: 'ok', storage: 'ok', ...base });
    const err = ping instanceof PromptsegError ? ping.toJSON() : undefined;
    return c.json({ status: 'degraded', storage: 'unavailable', ...base, error: err }, 503);
  });
  // Also under /v1: the CloudFront Router sends only /v1/* to the API, so that is the path
  // deployed clients can reach; /openapi.json stays for direct and local use. Same document.
  const openapi = (c: Context) => c.json(buildOpenApi(deps.config, deps.version, publicBase(deps.config, c.req.url)));
  app.get(OPENAPI_PATH, openapi);
  app.get('/openapi.json', openapi);

  app.use('/v1/*', authMiddleware(deps));
  registerUploads(app, deps);
  registerJobs(app, deps);
  registerSegment(app, deps);
  registerUsage(app, deps);
  registerWebhooks(app, deps);
  return app;
}
