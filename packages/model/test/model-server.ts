/**
 * A local HTTP server (127.0.0.1, random port) that serves model files the way the real sources
 * do, for `models pull` tests:
 *   GET /files/<name>                      a plain base URL (usls release style), with Range support
 *   GET /<owner>/<repo>/resolve/<rev>/<n>  Hugging Face style: ETag / X-Linked-ETag (sha256) /
 *                                          X-Linked-Size, 404 with X-Error-Code: EntryNotFound
 * and can misbehave on purpose: drop the connection after N bytes, answer 401, require a token.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  /** Destroy the socket after sending this many body bytes (the first `times` requests of the file). */
  dropAfter?: number;
  times?: number;
  status?: number;
}

export interface ModelServer {
  url: string;
  /** Base URL for plain sources (ends with '/'). */
  base: string;
  files: Map<string, Uint8Array>;
  faults: Map<string, Fault>;
  /** Every request: path and Range header. */
  log: { path: string; range?: string; auth?: string }[];
  /** Hugging Face style routes answer 401 unless this bearer token is sent. */
  requireToken?: string;
  close(): Promise<void>;
}

export async function startModelServer(files: Record<string, Uint8Array> = {}): Promise<ModelServer> {
  const state = {
    files: new Map(Object.entries(files)),
    faults: new Map<string, Fault>(),
    log: [] as ModelServer['log'],
    requireToken: undefined as string | undefined,
  };
  const server: Server = createServer((req, res) => handle(state, req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    base: `${url}/files/`,
    get files() { return state.files; },
    get faults() { return state.faults; },
    get log() { return state.log; },
    get requireToken() { return state.requireToken; },
    set requireToken(t) { state.requireToken = t; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function handle(state: { files: Map<string, Uint8Array>; faults: Map<string, Fault>; log: ModelServer['log']; requireToken?: string }, req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  state.log.push({ path, range: req.headers.range, auth: req.headers.authorization });
  let name: string | undefined;
  let hf = false;
  const hfMatch = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(.+)$/.exec(path);
  if (path.startsWith('/files/')) name = path.slice('/files/'.length);
  else if (hfMatch) { name = hfMatch[1]; hf = true; }
  if (hf && state.requireToken && req.headers.authorization !== `Bearer ${state.requireToken}`) {
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Access to model is restricted. You must have access to it and be authenticated.' }));
    return;
  }
  const fault = name ? state.faults.get(name) : undefined;
  if (fault?.status) { res.writeHead(fault.status).end('nope'); return; }
  const body = name ? state.files.get(name) : undefined;
  if (!body) {
    res.writeHead(404, hf ? { 'x-error-code': 'EntryNotFound' } : {}).end('not found');
    return;
  }
  const sha = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream', etag: `"${sha}"` };
  if (hf) Object.assign(headers, { 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(body.length) });
  let start = 0, end = body.length - 1, status = 200;
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (m) {
    start = Number(m[1]);
    end = m[2] ? Math.min(Number(m[2]), body.length - 1) : body.length - 1;
    if (start >= body.length) { res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end(); return; }
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
  }
  const chunk = body.subarray(start, end + 1);
  headers['content-length'] = String(chunk.length);
  res.writeHead(status, headers);
  if (req.method === 'HEAD') { res.end(); return; }
  if (fault?.dropAfter !== undefined && (fault.times ?? 1) > 0 && chunk.length > fault.dropAfter && !(m && end - start === 0)) {
    fault.times = (fault.times ?? 1) - 1;
    res.write(chunk.subarray(0, fault.dropAfter), () => res.socket?.destroy());
    return;
  }
  res.end(chunk);
}
