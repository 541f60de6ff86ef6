/**
 * One webhook attempt over HTTP(S) with Node's client: the URL re-checked, the connection made
 * only to addresses the policy allows (dns.ts guardedLookup), one time limit for connect +
 * answer, redirects not followed (a 3xx is a failed attempt: following it could lead anywhere),
 * and at most RESPONSE_READ_BYTES of the answer read (the status is what counts).
 */
import http from 'node:http';
import https from 'node:https';
import { isPromptsegError } from '@promptseg/shared';
import { parseWebhookUrl, type WebhookUrlPolicy } from '../core/webhook-url.js';
import { guardedLookup } from './dns.js';

export interface SendResult {
  status_code?: number;
  /** Why it did not count as delivered; absent for a 2xx. */
  error?: string;
  duration_ms: number;
}

export interface SendOptions {
  timeoutMs: number;
  policy: WebhookUrlPolicy;
}

export type SendWebhook = (url: string, headers: Record<string, string>, body: string, opts: SendOptions) => Promise<SendResult>;

const RESPONSE_READ_BYTES = 64 * 1024;

export const sendWebhook: SendWebhook = (rawUrl, headers, body, opts) => {
  const t0 = performance.now();
  const took = () => Math.round(performance.now() - t0);
  return new Promise<SendResult>((resolve) => {
    let url: URL;
    try {
      url = parseWebhookUrl(rawUrl, opts.policy);
    } catch (e) {
      return resolve({ error: isPromptsegError(e) ? e.message : String(e), duration_ms: took() });
    }
    let settled = false;
    const done = (r: Omit<SendResult, 'duration_ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, duration_ms: took() });
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(opts.policy),
      agent: false, // a fresh connection per attempt: no pooled socket to an address checked earlier
    });
    const timer = setTimeout(() => {
      done({ error: `no answer within ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: isPromptsegError(e) ? e.message : `${e.code ? `${e.code}: ` : ''}${e.message}` }));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      const finish = () => {
        if (status >= 200 && status < 300) done({ status_code: status });
        else if (status >= 300 && status < 400) done({ status_code: status, error: `HTTP ${status}: redirects are not followed (Location: ${String(res.headers.location ?? '').slice(0, 200)})` });
        else done({ status_code: status, error: `HTTP ${status}` });
      };
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > RESPONSE_READ_BYTES) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
};
