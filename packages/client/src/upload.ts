/**
 * The second hop of an upload: the bytes go straight to storage with the presigned request the API
 * handed out (never through the API). How they are sent is pluggable (`UploadSender`): fetch by
 * default; the web page passes an XMLHttpRequest sender because fetch cannot report upload
 * progress. Storage answers errors in S3's XML; they become PromptsegApiError here.
 */
import { PromptsegApiError } from './errors.js';
import type { UploadResponse } from './types.js';

/** What to send, ready for any HTTP client. */
export interface StorageRequest {
  method: 'POST' | 'PUT';
  url: string;
  /** PUT: the signed headers (Content-Type), without Content-Length, which the HTTP client sets from the body. */
  headers: Record<string, string>;
  /** POST: the policy's fields then the file; PUT: the file itself. */
  body: FormData | Blob;
  /** Bytes of the file. */
  size: number;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Bytes sent so far and in all (only senders that can see them call it). */
  onProgress?: (sent: number, total: number) => void;
}

/** Sends a storage request; resolves with storage's answer (any status), rejects on network errors and aborts. */
export type UploadSender = (req: StorageRequest, opts: SendOptions) => Promise<{ status: number; text: string }>;

export function fetchSender(f: typeof fetch): UploadSender {
  return async (req, opts) => {
    const res = await f(req.url, { method: req.method, headers: req.headers, body: req.body, signal: opts.signal });
    const text = await res.text();
    if (res.ok) opts.onProgress?.(req.size, req.size);
    return { status: res.status, text };
  };
}

export function storageRequest(p: UploadResponse, file: Blob): StorageRequest {
  if (p.method === 'POST') {
    // A presigned POST policy: every field first, the file last (S3 ignores fields after it).
    const form = new FormData();
    for (const [k, v] of Object.entries(p.fields ?? {})) form.append(k, v);
    form.append('file', file);
    return { method: 'POST', url: p.url, headers: {}, body: form, size: file.size };
  }
  const headers = Object.fromEntries(Object.entries(p.headers ?? { 'Content-Type': p.content_type }).filter(([k]) => k.toLowerCase() !== 'content-length'));
  return { method: 'PUT', url: p.url, headers, body: file, size: file.size };
}

/** Storage's refusal (S3 XML `<Code>`/`<Message>`) as a typed error. */
export function storageError(status: number, xml: string, size: number, maxBytes: number): PromptsegApiError {
  const code = /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
  const msg = /<Message>([^<]+)<\/Message>/.exec(xml)?.[1];
  if (code === 'EntityTooLarge') {
    return new PromptsegApiError({ status, code: 'payload_too_large', message: `The image is ${size} bytes; the service accepts at most ${maxBytes}.`, hint: 'Downscale or recompress it.', details: { storage_code: code } });
  }
  return new PromptsegApiError({
    status,
    code: 'storage_unavailable',
    message: `Storage refused the upload (${code ?? `HTTP ${status}`}${msg ? `: ${msg}` : ''}).`,
    hint: status === 403 ? 'The upload URL expired or does not match the file (type, size): upload again.' : 'Retry; if it keeps failing, report it with this message.',
    ...(code ? { details: { storage_code: code } } : {}),
  });
}

/** Content types of the images the service decodes, by their first bytes (as packages/shared/src/sniff.ts). */
export function sniffContentType(b: Uint8Array): string | undefined {
  const ascii = (start: number, len: number) => String.fromCharCode(...b.subarray(start, start + len));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 3) === 'PNG') return 'image/png';
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'image/webp';
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) return 'image/tiff';
  if (b.length >= 12 && ascii(4, 4) === 'ftyp') {
    const brand = ascii(8, 4);
    if (brand === 'avif' || brand === 'avis') return 'image/avif';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heif';
  }
  return undefined;
}
