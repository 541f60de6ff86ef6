/**
 * Helpers for the service's end-to-end tests and benchmark: one local stack per test file
 * (real s3rver + gate, real Lambda Invoke endpoint with the inference worker, the API over HTTP
 * on 127.0.0.1), keys, uploads with plain fetch, polling. Not a test file itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobView, UploadResponse } from '@promptseg/shared';
import { createKey, type CreateKeyInput } from '../functions/src/core/keys.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../functions/src/local/stack.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface TestStack extends LocalStack {
  dataDir: string;
  newKey(input?: Partial<CreateKeyInput>): Promise<string>;
  client(key: string): Client;
  teardown(): Promise<void>;
}

export async function startTestStack(opts: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-stack-'));
  const stack = await startLocalStack({ dataDir, webDir: join(dataDir, 'no-web'), concurrency: 2, warm: true, sweepIntervalMs: 1000, ...opts });
  let n = 0;
  return Object.assign(stack, {
    dataDir,
    async newKey(input: Partial<CreateKeyInput> = {}) {
      return (await createKey(stack.store, stack.config.pepper, { tenant: input.tenant ?? `t${++n}-${Date.now().toString(36)}`, ...input })).key;
    },
    client: (key: string) => new Client(stack.apiUrl, key),
    async teardown() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ErrorAnswer {
  error: { code: string; message: string; hint: string; details?: Record<string, unknown> };
}

export class Client {
  constructor(
    readonly base: string,
    readonly key: string,
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T, headers: r.headers };
  }

  presign(contentType: string, extra: Record<string, unknown> = {}): Promise<Answer<UploadResponse & ErrorAnswer>> {
    return this.request('POST', '/v1/uploads', { content_type: contentType, ...extra });
  }

  /** Presign + upload with plain fetch (POST form by default, PUT when asked). Returns the S3 answer too. */
  async upload(bytes: Uint8Array, contentType: string, method: 'POST' | 'PUT' = 'POST'): Promise<{ upload: UploadResponse; s3Status: number; s3Body: string }> {
    const p = await this.presign(contentType, method === 'PUT' ? { method, size: bytes.length } : {});
    if (p.status !== 201) throw new Error(`presign failed: ${p.status} ${JSON.stringify(p.body)}`);
    const r = await sendToS3(p.body, bytes);
    return { upload: p.body, s3Status: r.status, s3Body: r.body };
  }

  async uploadOk(bytes: Uint8Array, contentType: string, method: 'POST' | 'PUT' = 'POST'): Promise<string> {
    const u = await this.upload(bytes, contentType, method);
    if (u.s3Status >= 300) throw new Error(`upload refused: ${u.s3Status} ${u.s3Body}`);
    return u.upload.upload_key;
  }

  createJob(body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return this.request<{ job_id: string; status: string; status_url: string } & ErrorAnswer>('POST', '/v1/jobs', body, headers);
  }

  getJob(id: string) {
    return this.request<JobView & ErrorAnswer>('GET', `/v1/jobs/${id}`);
  }

  cancelJob(id: string): Promise<Answer<JobView & ErrorAnswer>> {
    return this.request<JobView & ErrorAnswer>('POST', `/v1/jobs/${id}/cancel`);
  }

  /** Polls until the job is finished (or the deadline passes). */
  async waitJob(id: string, timeoutMs = 60_000): Promise<JobView> {
    const end = Date.now() + timeoutMs;
    let delay = 100;
    for (;;) {
      const r = await this.getJob(id);
      if (r.status !== 200) throw new Error(`GET job ${id}: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.body.status === 'succeeded' || r.body.status === 'failed' || r.body.status === 'cancelled') return r.body;
      if (Date.now() > end) throw new Error(`job ${id} still ${r.body.status} after ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, delay));
      delay = Math.min(delay * 1.5, 1000);
    }
  }
}

/** Sends bytes to a presigned upload exactly as a browser or curl would. */
export async function sendToS3(u: UploadResponse, bytes: Uint8Array, override: { contentType?: string } = {}): Promise<{ status: number; body: string }> {
  if (u.method === 'PUT') {
    const r = await fetch(u.url, { method: 'PUT', headers: { ...u.headers, ...(override.contentType ? { 'Content-Type': override.contentType } : {}) }, body: new Uint8Array(bytes) });
    return { status: r.status, body: await r.text() };
  }
  const fd = new FormData();
  for (const [k, v] of Object.entries(u.fields ?? {})) fd.append(k, k === 'Content-Type' && override.contentType ? override.contentType : v);
  fd.append('file', new Blob([new Uint8Array(bytes)]));
  const r = await fetch(u.url, { method: 'POST', body: fd });
  return { status: r.status, body: await r.text() };
}

/** The result document without the fields that legitimately differ between two runs. */
export function stableResult(doc: unknown): unknown {
  const { timings_ms: _t, cache: _c, ...rest } = doc as Record<string, unknown>;
  return rest;
}
