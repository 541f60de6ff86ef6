/**
 * Local mode: the whole service on one machine, on 127.0.0.1, with the production code paths.
 *   S3      s3rver on <dataDir>/s3 behind the signature/policy gate (s3-gate.ts)
 *   Lambda  the Invoke API (inference/invoke-api.ts) running the inference handler in a
 *           worker process (worker-pool.ts)
 *   API     the Hono app (api/app.ts) + the built web page (web/dist) at /
 *   sweeper settles expired jobs every few seconds (in AWS: a scheduled function)
 *   webhooks the deliverer (webhooks/deliver.ts) every webhookIntervalMs (in AWS: a scheduled function)
 * Configuration goes through the same loader as production (config.ts), pointed at these servers.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { PromptsegError } from '@promptseg/shared';
import { createApp, createDeps, headersTooLarge, MAX_HEADER_BYTES, routeNotFound } from '../api/app.js';
import { errorResponse } from '../api/errors.js';
import { OPENAPI_PATH } from '../api/openapi.js';
import { API_ENV, envNumber, envString, loadApiConfig, type ApiConfig, type Env } from '../config.js';
import { randomSecret } from '../core/ids.js';
import { createKey, verifyKey } from '../core/keys.js';
import { sweepJobs } from '../core/lifecycle.js';
import type { ObjectStore } from '../core/objects.js';
import { createInvokeServer } from '../inference/invoke-api.js';
import { deliverDue, type DeliveryPass } from '../webhooks/deliver.js';
import { resolveHost } from '../webhooks/dns.js';
import { LOCAL_CREDENTIALS, type LocalInfo } from './info.js';
import { startLocalS3, type LocalS3 } from './s3-gate.js';

export { LOCAL_CREDENTIALS, type LocalInfo } from './info.js';
import { WorkerPool } from './worker-pool.js';

export const DEV_TENANT = 'dev';

export interface LocalStackOptions {
  dataDir: string;
  host?: string;
  /** 0 = any free port (tests). */
  apiPort?: number;
  s3Port?: number;
  lambdaPort?: number;
  webDir?: string;
  concurrency?: number;
  /** Service variables (API_ENV / INFERENCE_ENV names) for both the API and the worker. */
  env?: Env;
  /** Extra variables for the worker only (e.g. PROMPTSEG_FAULT_HOLD_MS). */
  workerEnv?: Env;
  sweepIntervalMs?: number;
  /** How often pending webhook deliveries are looked at (default 1000 ms). */
  webhookIntervalMs?: number;
  /** Start the worker (and load models) before returning. */
  warm?: boolean;
  log?: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  s3Url: string;
  lambdaUrl: string;
  bucket: string;
  devKey: string;
  /** True when the dev key was created by this start. */
  devKeyCreated: boolean;
  webServed: boolean;
  config: ApiConfig;
  store: ObjectStore;
  s3: LocalS3;
  pool: WorkerPool;
  sweepNow(): Promise<number>;
  /** One deliverer pass now (the timer's, shared if one is running). */
  deliverNow(): Promise<DeliveryPass>;
  close(): Promise<void>;
}

function readOrCreateSecret(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const v = make();
  writeFileSync(file, `${v}\n`, { mode: 0o600 });
  return v;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((res, rej) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      rej(e.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is in use. Stop the other process or set another port (PROMPTSEG_PORT, PROMPTSEG_S3_PORT, PROMPTSEG_LAMBDA_PORT).`) : e),
    );
    server.listen(port, host, () => res((server.address() as AddressInfo).port));
  });
}

/**
 * Node's parser refuses header blocks over this before the app sees them; it is above the app's
 * own MAX_HEADER_BYTES so the app answers 431 for blocks in between, as it does behind a Lambda
 * function URL. Above it, answerClientError gives the same 431 document.
 */
export const LOCAL_MAX_HEADER_BYTES = 2 * MAX_HEADER_BYTES;

/** What Node's HTTP parser refuses, answered like the API's own errors (Node would send a bare 431 / 400). */
function answerClientError(err: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const e = err.code === 'HPE_HEADER_OVERFLOW' ? headersTooLarge() : new PromptsegError('bad_request', `The HTTP request is malformed (${err.code ?? err.message}).`, 'Send a well-formed HTTP/1.1 request.');
  const body = JSON.stringify({ error: e.toJSON() });
  socket.end(`HTTP/1.1 ${e.httpStatus} ${e.httpStatus === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Stops a server now: open keep-alive connections would otherwise hold close() open. */
function closeServer(server: Server): Promise<void> {
  return new Promise((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  const dataDir = resolve(opts.dataDir);
  mkdirSync(join(dataDir, 's3'), { recursive: true });
  const pepperFile = join(dataDir, 'pepper');
  const pepper = readOrCreateSecret(pepperFile, () => randomSecret(36));
  const baseEnv: Env = { ...opts.env };
  // The documented defaults (config.ts), read before the API config exists: S3 starts first.
  const bucket = envString(API_ENV, baseEnv, 'PROMPTSEG_BUCKET');
  const region = envString(API_ENV, baseEnv, 'AWS_REGION');
  const maxUpload = Math.max(envNumber(API_ENV, baseEnv, 'PROMPTSEG_MAX_UPLOAD_BYTES'), envNumber(API_ENV, baseEnv, 'PROMPTSEG_MAX_VIDEO_UPLOAD_BYTES'));

  const s3 = await startLocalS3({ host, port: opts.s3Port ?? 0, directory: join(dataDir, 's3'), bucket, credentials: LOCAL_CREDENTIALS, maxPostBytes: maxUpload });
  const cleanups: (() => Promise<void>)[] = [() => s3.close()];
  const closeAll = async () => {
    for (const c of cleanups) await c().catch(() => undefined);
  };
  try {
    const serviceEnv: Env = {
      ...baseEnv,
      PROMPTSEG_BUCKET: bucket,
      AWS_REGION: region,
      PROMPTSEG_S3_ENDPOINT: s3.url,
      PROMPTSEG_KEY_PEPPER: baseEnv.PROMPTSEG_KEY_PEPPER || pepper,
      // Local receivers (tests, a developer's own server) listen on 127.0.0.1 over http.
      PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK: baseEnv.PROMPTSEG_WEBHOOK_ALLOW_LOOPBACK || 'true',
    };

    // Lambda: the inference handler in a worker process behind the Invoke API.
    const jobTimeoutMs = envNumber(API_ENV, serviceEnv, 'PROMPTSEG_JOB_TIMEOUT_S') * 1000;
    const functionName = envString(API_ENV, serviceEnv, 'PROMPTSEG_INFERENCE_FUNCTION');
    let pool: WorkerPool | undefined;
    const lambda = createInvokeServer({
      resolve: (name) => (name === functionName ? pool : undefined),
      onEventError: (name, e) => log(`async invocation of ${name} failed: ${e instanceof Error ? e.message : String(e)} (the job's lease decides a retry)`),
    });
    const lambdaPort = await listen(lambda, host, opts.lambdaPort ?? 0);
    cleanups.unshift(() => closeServer(lambda));
    const lambdaUrl = `http://${host}:${lambdaPort}`;
    // The worker invokes the same endpoint for video segments (the fan-out, as on Lambda).
    pool = new WorkerPool({
      env: {
        ...process.env,
        ...serviceEnv,
        PROMPTSEG_LAMBDA_ENDPOINT: lambdaUrl,
        PROMPTSEG_SEGMENT_FUNCTION: serviceEnv.PROMPTSEG_SEGMENT_FUNCTION ?? functionName,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        ...opts.workerEnv,
      },
      concurrency: opts.concurrency ?? 2,
      timeoutMs: jobTimeoutMs,
      log,
    });
    const workers = pool;
    cleanups.unshift(() => workers.close());
    if (opts.warm) await pool.start();

    // API, with the page.
    const config = loadApiConfig({ ...serviceEnv, PROMPTSEG_LAMBDA_ENDPOINT: lambdaUrl, PROMPTSEG_INFERENCE_FUNCTION: functionName });
    config.storage.credentials = LOCAL_CREDENTIALS;
    const deps = createDeps(config, { resolveHost });
    await deps.store.ensureBucket();
    const root = new Hono();
    root.onError((e, c) => errorResponse(c, e));
    root.notFound(routeNotFound);
    const webDir = resolve(opts.webDir ?? 'web/dist');
    const webServed = existsSync(join(webDir, 'index.html'));
    if (webServed) {
      root.use('/*', serveStatic({ root: webDir }));
    } else {
      root.get('/', (c) =>
        c.html(`<!doctype html><meta charset="utf-8"><title>promptseg local</title><h1>promptseg local mode</h1><p>The web page is not built (${webDir} has no index.html): run <code>npm run build -w web</code> and restart.</p><p>API: <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>, <a href="/v1/health">/v1/health</a>.</p>`),
      );
    }
    // The page (served from here, same origin) fills in the dev key from this route, so local mode
    // needs no setup. Only when bound to loopback: on a shared interface the key stays private.
    let pageDevKey = '';
    if (/^(127\.|localhost$|::1$)/.test(host)) {
      root.get('/local/dev-key', (c) => (pageDevKey ? c.json({ key: pageDevKey }) : errorResponse(c, new PromptsegError('not_found', 'No dev key yet.', 'Wait for local mode to finish starting.'))));
    }
    root.route('/', createApp(deps));
    const apiServer = createAdaptorServer({ fetch: root.fetch, serverOptions: { maxHeaderSize: LOCAL_MAX_HEADER_BYTES } }) as Server;
    apiServer.on('clientError', answerClientError);
    const apiPort = await listen(apiServer, host, opts.apiPort ?? 0);
    cleanups.unshift(() => closeServer(apiServer));
    const apiUrl = `http://${host}:${apiPort}`;

    // Dev key: created on first start, reused after (the plaintext is kept only in dataDir).
    const keyFile = join(dataDir, 'dev-key.txt');
    let devKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
    let devKeyCreated = false;
    const valid = devKey ? await verifyKey(deps.store, config.pepper, devKey).then(() => true, () => false) : false;
    if (!valid) {
      devKey = (await createKey(deps.store, config.pepper, { tenant: DEV_TENANT, name: 'local dev key' })).key;
      writeFileSync(keyFile, `${devKey}\n`, { mode: 0o600 });
      devKeyCreated = true;
    }
    pageDevKey = devKey;
    const info: LocalInfo = { api_url: apiUrl, s3_endpoint: s3.url, lambda_endpoint: lambdaUrl, bucket, region, pepper_file: pepperFile };
    writeFileSync(join(dataDir, 'local.json'), `${JSON.stringify(info, null, 2)}\n`);

    // Sweeper: expired leases and lost dispatches are retried or failed even if nobody polls.
    let sweeping: Promise<number> | null = null;
    const sweepNow = () => {
      sweeping ??= sweepJobs(deps.store, config, (j) => deps.dispatcher.dispatch(j)).finally(() => (sweeping = null));
      return sweeping;
    };
    const timer = setInterval(() => void sweepNow().catch((e: unknown) => log(`sweeper: ${e instanceof Error ? e.message : String(e)}`)), opts.sweepIntervalMs ?? 5000);
    timer.unref();
    cleanups.unshift(async () => {
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
    });

    // Webhook deliverer: the same pass the Webhooks function makes on AWS.
    let delivering: Promise<DeliveryPass> | null = null;
    const deliverNow = () => {
      delivering ??= deliverDue({ store: deps.store, config, log: (line) => log(line) }).finally(() => (delivering = null));
      return delivering;
    };
    const hookTimer = setInterval(() => void deliverNow().catch((e: unknown) => log(`webhooks: ${e instanceof Error ? e.message : String(e)}`)), opts.webhookIntervalMs ?? 1000);
    hookTimer.unref();
    cleanups.unshift(async () => {
      clearInterval(hookTimer);
      await delivering?.catch(() => undefined);
    });

    return {
      apiUrl,
      s3Url: s3.url,
      lambdaUrl,
      bucket,
      devKey,
      devKeyCreated,
      webServed,
      config,
      store: deps.store,
      s3,
      pool,
      sweepNow,
      deliverNow,
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
