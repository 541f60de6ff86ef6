/**
 * The GPU variant's container entry (functions/Dockerfile, target "gpu"): the same inference
 * handler the Lambda runs, served over the Lambda Invoke API so the API's dispatch code is
 * unchanged — it only points its Lambda client at this server (PROMPTSEG_LAMBDA_ENDPOINT).
 *
 *   POST /2015-03-31/functions/{name}/invocations   X-Amz-Invocation-Type: RequestResponse | Event
 *   GET  /health                                    200 once the module (and its sessions) loaded
 *
 * Like Lambda: Event answers 202 at once and runs the job in the background; RequestResponse
 * answers 200 with the handler's JSON, or 200 + `X-Amz-Function-Error: Unhandled` and
 * {errorType, errorMessage} when the handler throws. Jobs run one at a time (one GPU).
 * Only reachable inside the VPC (internal load balancer + security group); it does not check
 * SigV4 signatures.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { handler } from './handler.js';

/** The container port the ECS task definition and the load balancer use. */
export const INVOKE_PORT = 8080;
const MAX_EVENT_BYTES = 6 * 1024 * 1024; // Lambda's synchronous payload limit
const INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations$/;

type Invoke = (event: unknown, context: { awsRequestId: string; getRemainingTimeInMillis(): number }) => unknown;
const invoke = handler as unknown as Invoke;

let queue: Promise<unknown> = Promise.resolve();
/** Runs invocations one after another: one GPU, one model session set. */
function enqueue(event: unknown): Promise<unknown> {
  const run = queue.then(() => invoke(event, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 15 * 60 * 1000 }));
  queue = run.catch(() => undefined);
  return run;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_EVENT_BYTES) reject(new Error(`the event is larger than ${MAX_EVENT_BYTES} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

export async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
  if (req.method !== 'POST' || !INVOKE_PATH.test(req.url ?? '')) {
    return send(res, 404, { Type: 'User', message: `No route ${req.method} ${req.url}: use POST /2015-03-31/functions/{name}/invocations.` });
  }
  let event: unknown;
  try {
    const raw = await readBody(req);
    event = raw.length ? JSON.parse(raw.toString('utf8')) : {};
  } catch (e) {
    return send(res, 400, { Type: 'User', message: `Could not read the event: ${(e as Error).message}.` });
  }
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (type === 'Event') {
    enqueue(event).catch((e: unknown) => console.error(JSON.stringify({ level: 'error', msg: 'async invocation failed', error: String(e) })));
    return send(res, 202, undefined);
  }
  if (type !== 'RequestResponse') return send(res, 400, { Type: 'User', message: `Unsupported X-Amz-Invocation-Type "${type}".` });
  try {
    return send(res, 200, (await enqueue(event)) ?? null);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return send(res, 200, { errorType: err.name, errorMessage: err.message }, { 'x-amz-function-error': 'Unhandled' });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  createServer((req, res) => void route(req, res)).listen(INVOKE_PORT, '0.0.0.0', () => {
    console.log(JSON.stringify({ level: 'info', msg: `inference invoke server on :${INVOKE_PORT}` }));
  });
}
