/**
 * Local mode's S3: s3rver (a real S3-protocol server on a local directory) behind a small gate
 * that adds what s3rver 3.7.1 does not do, so local mode refuses what AWS S3 refuses:
 *  - presigned URLs: SigV4 signature (signed headers included, so a PUT with another
 *    Content-Type or Content-Length is refused) and expiry;
 *  - browser POST uploads: policy signature, expiration, conditions (content-length-range,
 *    Content-Type, key) and extra fields;
 *  - conditional writes (If-None-Match: * and If-Match: <etag>) on PUT, serialised per key;
 *  - anonymous requests are refused (the bucket is private);
 *  - CORS for the page (any origin; local only).
 * Header-signed SDK requests are checked for the access key id only: they come from our own
 * processes on 127.0.0.1. Their signatures are not recomputed (aws-chunked bodies).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { S3Denied, verifyPostPolicy, verifyPresignedQuery, type Credentials } from './sigv4.js';

export interface LocalS3Options {
  host: string;
  /** Port of the gate (what clients use); 0 = any free port. */
  port: number;
  directory: string;
  bucket: string;
  credentials: Credentials;
  /** Bodies of browser POST uploads above this are refused before parsing. */
  maxPostBytes: number;
  silent?: boolean;
}

export interface LocalS3 {
  url: string;
  port: number;
  /** Stops answering (for fault tests); the data stays on disk. */
  stop(): Promise<void>;
  /** Starts again on the same port. */
  start(): Promise<void>;
  /** Stops the gate and s3rver. */
  close(): Promise<void>;
}

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, x-amz-request-id',
};

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  res.writeHead(status, { 'Content-Type': 'application/xml', ...CORS });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${esc(message)}</Message></Error>`);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * s3rver 3.7.1's putObject truncates the object file and answers before the data is flushed.
 * Replace it with write-to-temp → close → rename, then the ETag (md5) and metadata: a GET sees
 * the old object or the whole new one, and an ETag never describes content it has not seen
 * (at worst an old ETag with new content, which makes a compare-and-swap fail safe).
 */
function makeWritesAtomic(server: S3rver): void {
  const store = server.store;
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const tmp = `${objectPath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const md5 = createHash('md5');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        md5.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    try {
      await pipeline(source, counter, createWriteStream(tmp));
      await rename(tmp, objectPath);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}

export async function startLocalS3(opts: LocalS3Options): Promise<LocalS3> {
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: opts.silent ?? true, directory: opts.directory, configureBuckets: [{ name: opts.bucket, configs: [] }] });
  makeWritesAtomic(s3rver);
  const upstream = (await s3rver.run()) as AddressInfo;
  const locks = new Map<string, Promise<void>>();

  function forward(req: IncomingMessage, res: ServerResponse, body?: Buffer): Promise<void> {
    return new Promise((resolve) => {
      const up = http.request({ host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, { ...r.headers, ...CORS });
        r.pipe(res);
        r.on('end', resolve);
        r.on('error', () => resolve());
      });
      up.on('error', (e) => {
        if (!res.headersSent) xmlError(res, 503, 'ServiceUnavailable', `local S3 store failed: ${e.message}`);
        resolve();
      });
      if (body) up.end(body);
      else req.pipe(up);
    });
  }

  function headUpstream(path: string): Promise<{ status: number; etag?: string }> {
    return new Promise((resolve, reject) => {
      const r = http.request({ host: '127.0.0.1', port: upstream.port, method: 'HEAD', path }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, etag: res.headers.etag });
      });
      r.on('error', reject);
      r.end();
    });
  }

  /**
   * One request at a time per object (reads included): s3rver writes files in place, so
   * without this a reader could see half of a write. Real S3 makes every PUT atomic.
   */
  async function withKeyLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(path) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chained = prev.then(() => mine);
    locks.set(path, chained);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (locks.get(path) === chained) locks.delete(path);
    }
  }

  /** Emulates S3 conditional writes (check and write under the key's lock). */
  async function conditionalPut(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const head = await headUpstream(path);
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    const norm = (e?: string) => (e ?? '').replace(/^W\//, '').replace(/"/g, '');
    if (ifNoneMatch === '*' && head.status === 200) return xmlError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    if (ifMatch !== undefined) {
      if (head.status === 404) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      if (norm(head.etag) !== norm(String(ifMatch))) return xmlError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    }
    await forward(req, res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(200, {
        ...CORS,
        'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST',
        'Access-Control-Allow-Headers': String(req.headers['access-control-request-headers'] ?? '*'),
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    try {
      if (url.searchParams.has('X-Amz-Algorithm')) {
        verifyPresignedQuery({ method, path: url.pathname, query: (req.url ?? '').split('?')[1] ?? '', headers: req.headers }, opts.credentials);
        return void (await withKeyLock(url.pathname, () => forward(req, res)));
      }
      const isPostUpload = method === 'POST' && /^\/[^/]+\/?$/.test(url.pathname) && String(req.headers['content-type'] ?? '').startsWith('multipart/form-data');
      if (isPostUpload) {
        const body = await readBody(req, opts.maxPostBytes + 64 * 1024);
        if (!body) return xmlError(res, 400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (${opts.maxPostBytes} bytes).`);
        const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: new Uint8Array(body) }).formData();
        const fields = new Map<string, string>();
        let fileSize = -1;
        for (const [k, v] of form) {
          if (typeof v === 'string') fields.set(k, v);
          else if (k === 'file') fileSize = v.size;
        }
        if (fileSize < 0) return xmlError(res, 400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
        const bucket = url.pathname.replace(/\//g, '');
        verifyPostPolicy(fields, bucket, fileSize, opts.credentials);
        const objectPath = `/${bucket}/${[...fields].find(([k]) => k.toLowerCase() === 'key')?.[1] ?? ''}`;
        return void (await withKeyLock(objectPath, () => forward(req, res, body)));
      }
      const auth = String(req.headers.authorization ?? '');
      if (!auth) return xmlError(res, 403, 'AccessDenied', 'Access Denied (anonymous requests are refused: the bucket is private)');
      const keyId = /Credential=([^/,\s]+)/.exec(auth)?.[1];
      if (keyId !== opts.credentials.accessKeyId) return xmlError(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
      const isObject = /^\/[^/]+\/.+/.test(url.pathname);
      if (!isObject) return void (await forward(req, res));
      const conditional = method === 'PUT' && (req.headers['if-none-match'] !== undefined || req.headers['if-match'] !== undefined);
      await withKeyLock(url.pathname, () => (conditional ? conditionalPut(req, res, url.pathname) : forward(req, res)));
    } catch (e) {
      if (e instanceof S3Denied) return xmlError(res, e.status, e.s3Code, e.message);
      xmlError(res, 500, 'InternalError', e instanceof Error ? e.message : String(e));
    }
  }

  const server = http.createServer((req, res) => void handle(req, res));
  let port = opts.port;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, opts.host, () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return {
    get url() {
      return `http://${opts.host}:${port}`;
    },
    get port() {
      return port;
    },
    stop,
    async start() {
      if (listening) return;
      await listen();
      listening = true;
    },
    async close() {
      await stop();
      await s3rver.close();
    },
  };
}
