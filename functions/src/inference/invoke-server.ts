/**
 * The GPU variant's entry (ECS on EC2, sst.config.ts; `node dist/invoke-server.mjs`): the
 * inference handler in this process behind the Lambda Invoke API on PROMPTSEG_INVOKE_PORT, so
 * the API's Lambda SDK code reaches it unchanged (PROMPTSEG_LAMBDA_ENDPOINT), plus GET /health
 * for the load balancer. Invocations run one at a time (one GPU, one set of model sessions);
 * Event invocations that fail are logged (the job's lease decides a retry).
 *
 * Importing this module starts nothing: `route` is the request listener; the server and the
 * model sessions start only when the file is run as the program.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { INVOKE_SERVER_ENV, envNumber, processEnv } from '../config.js';
import { createInferenceHandler } from './handler.js';
import { createInvokeListener, sendJson } from './invoke-api.js';

/** The container port the ECS task definition and the load balancer use (PROMPTSEG_INVOKE_PORT's default). */
export const INVOKE_PORT = Number(INVOKE_SERVER_ENV.find((v) => v.name === 'PROMPTSEG_INVOKE_PORT')?.default);

let handler: ReturnType<typeof createInferenceHandler> | undefined;
let models: 'idle' | 'starting' | 'ready' | 'failed' = 'idle';

function instance(): ReturnType<typeof createInferenceHandler> {
  if (!handler) {
    handler = createInferenceHandler();
    models = 'starting';
    handler.ready.then(
      (r) => {
        models = 'ready';
        console.log(`[invoke-server] models ready in ${r.ms} ms (${r.engines.join(', ')})`);
      },
      (e: unknown) => {
        models = 'failed';
        console.error('[invoke-server] model start failed:', e);
      },
    );
  }
  return handler;
}

let queue: Promise<unknown> = Promise.resolve();
/** One invocation after another. */
function enqueue(event: unknown): Promise<unknown> {
  const run = queue.then(() => instance()(event));
  queue = run.catch(() => undefined);
  return run;
}

const invoke = createInvokeListener({
  resolve: () => ({ invoke: enqueue }),
  onEventError: (name, e) => console.error(`[invoke-server] async invocation of ${name} failed:`, e),
});

/**
 * The request listener: GET /health, else the Invoke API (any function name runs the handler).
 * /health answers 503 once the models failed to start (every invocation would fail), so the load
 * balancer marks the task unhealthy and ECS replaces it; while they load it answers 200 and
 * invocations wait for them (one task: better queued here than refused by the load balancer).
 */
export function route(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/health') {
    const failed = models === 'failed';
    return sendJson(res, failed ? 503 : 200, { status: failed ? 'failed' : 'ok', models });
  }
  invoke(req, res);
}

export function main(): http.Server {
  const port = envNumber(INVOKE_SERVER_ENV, processEnv(), 'PROMPTSEG_INVOKE_PORT');
  instance(); // cold start now, not on the first request
  const server = http.createServer(route);
  server.listen(port, '0.0.0.0', () => console.log(`[invoke-server] Lambda Invoke API on :${(server.address() as AddressInfo).port}`));
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => server.close(() => process.exit(0)));
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
