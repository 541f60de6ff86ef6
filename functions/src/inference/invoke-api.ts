/**
 * The Lambda Invoke API over HTTP (POST /2015-03-31/functions/{name}/invocations), so the API's
 * @aws-sdk/client-lambda code runs unchanged against local mode and the GPU variant:
 *  - `X-Amz-Invocation-Type: Event` → 202 at once, the invocation runs in the background;
 *  - `RequestResponse` (default) → 200 with the handler's JSON; a failure answers 200 with
 *    `X-Amz-Function-Error: Unhandled` and {errorType, errorMessage}, as Lambda does;
 *  - `DryRun` → 204; an unknown function → 404 ResourceNotFoundException.
 * Requests are not signature-checked: bind it to 127.0.0.1 or a private network only.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/** Runs one invocation; rejects with an Error whose name/message become errorType/errorMessage. */
export interface InvokeTarget {
  invoke(payload: unknown): Promise<unknown>;
}

export interface InvokeServerOptions {
  /** Looks a function up by the name in the path (a plain name or an ARN's function name). */
  resolve(name: string): InvokeTarget | undefined;
  /** Background (Event) invocation failures; Lambda would retry or dead-letter them. */
  onEventError?(name: string, error: unknown): void;
  /** Largest request payload (Lambda: 6 MB synchronous, 1 MB asynchronous). */
  maxPayloadBytes?: number;
}

const ROUTE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** `arn:aws:lambda:region:acct:function:NAME[:qualifier]` or `NAME[:qualifier]` → NAME. */
export function functionNameOf(raw: string): string {
  const s = decodeURIComponent(raw);
  const m = /(?:^|:function:)([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/.exec(s);
  return m ? m[1] : s;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { Type: 'User', message }, { 'x-amzn-ErrorType': type });
}

async function readAll(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) return null;
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function createInvokeServer(opts: InvokeServerOptions): http.Server {
  return http.createServer(createInvokeListener(opts));
}

/** The Invoke API as a request listener, for servers that add routes of their own. */
export function createInvokeListener(opts: InvokeServerOptions): RequestListener {
  const limit = opts.maxPayloadBytes ?? 6 * 1024 * 1024;
  return (req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0];
      const m = ROUTE.exec(path);
      if (req.method !== 'POST' || !m) return awsError(res, 404, 'ResourceNotFoundException', `No route ${req.method} ${path}`);
      const name = functionNameOf(m[1]);
      const target = opts.resolve(name);
      if (!target) return awsError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
      const body = await readAll(req, limit);
      if (!body) return awsError(res, 413, 'RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`);
      let payload: unknown;
      try {
        payload = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return awsError(res, 400, 'InvalidRequestContentException', 'Could not read the event: could not parse request body into json');
      }
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      if (type === 'DryRun') {
        res.writeHead(204);
        return void res.end();
      }
      if (type === 'Event') {
        res.writeHead(202, { 'Content-Length': '0' });
        res.end();
        target.invoke(payload).catch((e: unknown) => opts.onEventError?.(name, e));
        return;
      }
      if (type !== 'RequestResponse') return awsError(res, 400, 'InvalidParameterValueException', `Invalid invocation type ${type}`);
      try {
        const out = await target.invoke(payload);
        sendJson(res, 200, out, { 'X-Amz-Executed-Version': '$LATEST' });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        sendJson(res, 200, { errorType: err.name || 'Error', errorMessage: err.message }, { 'X-Amz-Function-Error': 'Unhandled', 'X-Amz-Executed-Version': '$LATEST' });
      }
    })().catch((e: unknown) => {
      if (!res.headersSent) awsError(res, 500, 'ServiceException', e instanceof Error ? e.message : String(e));
    });
  };
}
